"""A profile's wearable samples of the kinds the engine reads, as one frame (SAMPLE_SCHEMA)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from sqlalchemy.orm import Session

from pacekeeper.db.tables import Profile
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA
from pacekeeper.frames.from_files import USED_KINDS
from pacekeeper.store.reader import read_samples

EVER = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))


def profile_samples(s: Session, p: Profile) -> pl.DataFrame:
    frame = read_samples(s, p.id, sorted(USED_KINDS), *EVER)
    if "extra" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("extra"))
    return frame.select(SAMPLE_SCHEMA.names)
