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
# `extra` is where importers mark a day's total ("daily": true): the engine counts a day's minutes
# or its total, never both, and dates a total by its day (engine/wearable.py). Heart rate, by far
# the most rows and never a daily total, is read without it.
WITHOUT_EXTRA = ["heart_rate"]
WITH_EXTRA = sorted(USED_KINDS - set(WITHOUT_EXTRA))


def profile_samples(s: Session, p: Profile) -> pl.DataFrame:
    counts = read_samples(s, p.id, WITH_EXTRA, *EVER, with_extra=True)
    others = read_samples(s, p.id, WITHOUT_EXTRA, *EVER)
    others = others.with_columns(pl.lit(None, dtype=pl.String).alias("extra"))
    return pl.concat([counts.select(SAMPLE_SCHEMA.names), others.select(SAMPLE_SCHEMA.names)])
