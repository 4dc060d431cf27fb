"""Upgrading an installation whose samples are table rows (migration 0002) moves every sample
into the store, and downgrading puts them back as rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from pacekeeper import store
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db.migrate import downgrade, upgrade
from pacekeeper.db.types import UTCDateTime
from pacekeeper.domain import SampleKind, parse_profile

T0 = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)  # rows on both sides of a month's end
OLD = sa.table(
    "samples",
    sa.column("profile_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("start", UTCDateTime()),
    sa.column("end", UTCDateTime()),
    sa.column("utc_offset_minutes", sa.SmallInteger()),
    sa.column("value", sa.Float()),
    sa.column("unit", sa.String()),
    sa.column("source", sa.String()),
    sa.column("extra", sa.JSON()),
)


def old_rows(pid: int) -> list[dict[str, object]]:
    hr = [
        {"profile_id": pid, "kind": "heart_rate", "start": T0 + timedelta(minutes=i), "end": None,
         "utc_offset_minutes": 60, "value": 60.0 + i, "unit": "bpm", "source": "Watch",
         "extra": None}
        for i in range(60)
    ]  # fmt: skip
    steps = {"profile_id": pid, "kind": "steps", "start": T0, "end": T0 + timedelta(minutes=5),
             "utc_offset_minutes": -300, "value": 420.0, "unit": "count", "source": "Phone",
             "extra": {"device": "pixel"}}  # fmt: skip
    return [*hr, steps]


def test_upgrade_moves_table_rows_into_the_store_and_back(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade(db, "0001")
        data = parse_profile({"name": "Old", "conditions": "me_cfs"}, T0.date())
        with db.write() as s:
            pid = profiles_db.create_profile(s, data, T0).id
            s.execute(OLD.insert(), old_rows(pid))

        upgrade(db)
        with db.read() as s:
            assert store.count_samples(s, pid) == 61
            hr = store.samples_between(s, pid, SampleKind.HEART_RATE, T0, T0 + timedelta(1))
            (steps,) = store.samples_between(s, pid, SampleKind.STEPS, T0, T0 + timedelta(1))
        assert [x.value for x in hr] == [60.0 + i for i in range(60)]
        assert (steps.end, steps.utc_offset_minutes, steps.extra) == (
            T0 + timedelta(minutes=5),
            -300,
            {"device": "pixel"},
        )
        assert len(list(store.store_root(db.url).rglob("*.parquet"))) == 3  # Feb, Mar, steps

        downgrade(db, "0001")
        with db.read() as s:
            back = s.execute(sa.select(OLD).order_by(OLD.c.kind, OLD.c.start)).mappings().all()
        assert [dict(r) for r in back] == sorted(
            old_rows(pid), key=lambda r: (r["kind"], r["start"])
        )
    finally:
        db.dispose()
