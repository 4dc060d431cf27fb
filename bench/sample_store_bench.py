"""The sample store against the naive design, on 5 years of minute-level data for one profile.

Writes heart rate (a watch) and steps (the watch, and a phone for half of each day) for every
minute of 5 years into the Parquet store, then times what a 90-day chart needs: read, one source
per minute (domain.source_priority), hourly aggregates. The same data sit as rows in an indexed
SQLite table (the naive design) and the same query and aggregation run against it. Prints the
medians, the ratio, write throughput and peak RSS.

    .venv/bin/python bench/sample_store_bench.py [--years 5] [--runs 7]
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from pacekeeper import store
from pacekeeper.clock import FixedClock
from pacekeeper.db import Database
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import parse_profile
from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch

START = datetime(2021, 12, 1, tzinfo=UTC)
DAY_MIN = 1440
BLOCK_DAYS = 30


def _batch(kind: str, source: str, minutes: np.ndarray, values: np.ndarray) -> SampleBatch:
    n = len(minutes)
    start = pa.array((START.timestamp() * 1e6 + minutes * 60e6).astype("int64"))
    return SampleBatch(
        pa.table(
            {
                "kind": pa.array([kind] * n, pa.string()),
                "start": start.cast(pa.timestamp("us", tz="UTC")),
                "utc_offset_minutes": pa.array(np.full(n, 60, dtype="int16")),
                "end": pa.nulls(n, pa.timestamp("us", tz="UTC")),
                "value": pa.array(values),
                "source": pa.array([source] * n, pa.string()),
                "extra": pa.nulls(n, pa.string()),
            },
            schema=SAMPLE_SCHEMA,
        )
    )


def batches(days: int) -> Iterator[SampleBatch]:
    rng = np.random.default_rng(7)
    for first in range(0, days, BLOCK_DAYS):
        n_days = min(BLOCK_DAYS, days - first)
        minutes = np.arange(first * DAY_MIN, (first + n_days) * DAY_MIN, dtype="int64")
        yield _batch("heart_rate", "Apple Watch", minutes, rng.normal(70, 8, len(minutes)))
        yield _batch("steps", "Apple Watch", minutes, rng.poisson(6, len(minutes)).astype(float))
        phone = minutes[(minutes % DAY_MIN) >= DAY_MIN // 2]  # the phone: afternoons only
        yield _batch("steps", "iPhone", phone, rng.poisson(7, len(phone)).astype(float))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chart(frame: pl.DataFrame) -> pl.DataFrame:
    return store.hourly(frame)


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def naive_table(path: Path, days: int) -> None:
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE samples (profile_id INTEGER, kind TEXT, source TEXT, start INTEGER, "
        "utc_offset_minutes INTEGER, value REAL, UNIQUE (profile_id, kind, source, start))"
    )
    con.execute("CREATE INDEX ix ON samples (profile_id, kind, start)")
    for b in batches(days):
        t = b.table
        rows = zip(
            [1] * t.num_rows,
            t["kind"].to_pylist(),
            t["source"].to_pylist(),
            t["start"].cast(pa.int64()).to_pylist(),
            t["utc_offset_minutes"].to_pylist(),
            t["value"].to_pylist(),
            strict=True,
        )
        con.executemany("INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()


def naive_read(path: Path, lo: datetime, hi: datetime) -> pl.DataFrame:
    con = sqlite3.connect(path)
    cur = con.execute(
        "SELECT kind, start, utc_offset_minutes, value, source FROM samples "
        "WHERE profile_id = 1 AND kind IN ('heart_rate', 'steps') AND start >= ? AND start < ? "
        "ORDER BY kind, start, source",
        (int(lo.timestamp() * 1e6), int(hi.timestamp() * 1e6)),
    )
    rows = cur.fetchall()
    con.close()
    frame = pl.DataFrame(
        rows,
        schema={"kind": pl.String, "start": pl.Int64, "utc_offset_minutes": pl.Int16,
                "value": pl.Float64, "source": pl.String},
        orient="row",
    )  # fmt: skip
    start = pl.col("start").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    return frame.with_columns(start, pl.lit(None, pl.Datetime("us", "UTC")).alias("end"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    days = 365 * args.years
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/pacekeeper.db")
        db.upgrade()
        clock = FixedClock(datetime(2026, 12, 1, tzinfo=UTC))
        data = parse_profile(
            {"name": "Bench", "conditions": "me_cfs", "time_zone": "Europe/Oslo"}, date_of(clock)
        )
        with db.write() as s:
            pid = profiles_db.create_profile(s, data, clock.now()).id

        t0 = time.perf_counter()
        with db.write() as s:
            added = store.add_samples(s, pid, batches(days))
        write_s = time.perf_counter() - t0
        write_peak_mb = peak_rss_mb()  # before anything else is loaded

        hi = START + timedelta(days=days)
        lo = hi - timedelta(days=90)

        def load_store() -> pl.DataFrame:
            with db.read() as s:
                frame = store.read_samples(s, pid, ["heart_rate", "steps"], lo, hi)
            return chart(frame)

        store_ms, out = median_ms(load_store, args.runs)
        assert isinstance(out, pl.DataFrame)

        naive = Path(tmp) / "naive.db"
        t0 = time.perf_counter()
        naive_table(naive, days)
        naive_write_s = time.perf_counter() - t0
        naive_ms, naive_out = median_ms(lambda: chart(naive_read(naive, lo, hi)), args.runs)
        assert isinstance(naive_out, pl.DataFrame) and naive_out.height == out.height
        db.dispose()

    peak_mb = peak_rss_mb()
    print(f"samples written: {added:,} ({args.years} years, minute-level, 3 series)")
    print(f"write, Parquet store: {write_s:.2f} s = {added / write_s:,.0f} rows/s")
    print(f"write, naive SQLite rows: {naive_write_s:.2f} s = {added / naive_write_s:,.0f} rows/s")
    print(f"90-day chart load (read + per-minute source + hourly), median of {args.runs}:")
    print(f"  Parquet store   {store_ms:8.1f} ms  ({out.height} hourly points)")
    print(f"  naive SQLite    {naive_ms:8.1f} ms")
    print(f"  ratio naive/store: {naive_ms / store_ms:.1f}x")
    print(f"peak RSS: {write_peak_mb:.0f} MB after the store write, {peak_mb:.0f} MB at the end")


def date_of(clock: FixedClock) -> date:
    return clock.now().date()


if __name__ == "__main__":
    main()
