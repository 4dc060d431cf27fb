"""Thousands of flat Apple Health `<Record .../>` lines at once, to a columnar `SampleBatch`.

The scanner hands over lines it has checked are plain, well-formed Record start tags at the top
level. Attributes are pulled out with one regex per attribute (in any order), times are parsed
with their offsets in one pass, units are converted with a factor per (type, unit). A row that
does not convert cleanly (missing or odd date, value that is not a number, ends before it
starts) goes back to the one-record path, so it is reported exactly as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import unescape

import polars as pl
import pyarrow as pa

from pacekeeper.domain.sample_batch import SAMPLE_SCHEMA, SampleBatch
from pacekeeper.domain.samples import INTERVAL_KINDS, SampleKind
from pacekeeper.importers.apple_health_records import (
    QUANTITIES,
    SLEEP,
    SLEEP_PREFIX,
    SLEEP_TYPE,
    short,
)
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext

FIELDS = ("type", "sourceName", "unit", "startDate", "endDate", "value")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"

# "type\tunit" (or "SleepAnalysis\tstage") -> (kind, factor); a factor of 0 means "minutes"
KEYS: dict[str, tuple[str, float]] = {
    f"{t}\t{unit}": (kind.value, factor)
    for t, (kind, units) in QUANTITIES.items()
    for unit, factor in units.items()
} | {f"{SLEEP_TYPE}\t{SLEEP_PREFIX}{stage}": (kind.value, 0.0) for stage, kind in SLEEP.items()}
KINDS = {k: v[0] for k, v in KEYS.items()}
FACTORS = {k: v[1] for k, v in KEYS.items()}
INTERVALS = [k.value for k in INTERVAL_KINDS]


def _offset_minutes(stamp: pl.Expr) -> pl.Expr:
    tail = stamp.str.slice(-5)
    sign = pl.when(tail.str.slice(0, 1) == "-").then(-1).otherwise(1)
    hours = tail.str.slice(1, 2).cast(pl.Int16, strict=False)
    minutes = tail.str.slice(3, 2).cast(pl.Int16, strict=False)
    return (sign * (hours * 60 + minutes)).cast(pl.Int16)


def _unescape_rows(df: pl.DataFrame) -> pl.DataFrame:
    """Entities in the attributes read (rare: '&amp;' in an app's name). The scanner lets only
    XML's own five and character references through, which `html.unescape` decodes alike."""
    has = pl.any_horizontal([pl.col(c).str.contains("&", literal=True) for c in FIELDS])
    if not df.select(has.any()).item():
        return df
    plain, odd = df.filter(~has), df.filter(has)
    fixed = odd.with_columns(
        [pl.col(c).map_elements(unescape, return_dtype=pl.String) for c in FIELDS]
    )
    return pl.concat([plain, fixed])


def to_batch(
    records: pl.DataFrame,
    report: ImportReport,
    ctx: ImportContext,
    unread: Counter[str],
    one_by_one: Callable[[int, dict[str, str]], None],
) -> SampleBatch | None:
    """`records` has a column `at` (where the record is, for messages), one per attribute
    of FIELDS (null when absent) and `extra` (JSON text or null). Rows that the vectorised
    path cannot take are passed to `one_by_one(at, attributes)`."""
    df = _unescape_rows(records)
    is_sleep = pl.col("type") == SLEEP_TYPE
    second = pl.when(is_sleep).then(pl.col("value")).otherwise(pl.col("unit")).fill_null("")
    key = pl.col("type") + "\t" + second
    df = df.with_columns(
        key.replace_strict(KINDS, default=None, return_dtype=pl.String).alias("kind"),
        key.replace_strict(FACTORS, default=None, return_dtype=pl.Float64).alias("factor"),
    )
    _count_unread(df.filter(pl.col("kind").is_null() & pl.col("type").is_not_null()), unread)
    no_type = df.filter(pl.col("type").is_null())
    df = df.filter(pl.col("kind").is_not_null())
    start = pl.col("startDate").str.to_datetime(
        TIME_FORMAT, time_unit="us", time_zone="UTC", strict=False
    )
    end = pl.col("endDate").str.to_datetime(
        TIME_FORMAT, time_unit="us", time_zone="UTC", strict=False
    )
    df = df.with_columns(
        start.alias("start"),
        end.alias("end"),
        _offset_minutes(pl.col("startDate")).alias("utc_offset_minutes"),
        pl.col("value").cast(pl.Float64, strict=False).alias("number"),
    )
    minutes = (pl.col("end") - pl.col("start")).dt.total_microseconds() / 60e6
    value = (
        pl.when(pl.col("factor") == 0).then(minutes).otherwise(pl.col("number") * pl.col("factor"))
    )
    source = pl.col("sourceName").fill_null("").str.strip_chars().str.slice(0, 200)
    df = df.with_columns(
        value.alias("amount"),
        pl.when(source == "").then(pl.lit("Apple Health")).otherwise(source).alias("source"),
    )
    bad = (
        pl.col("start").is_null()
        | pl.col("end").is_null()
        | pl.col("utc_offset_minutes").is_null()
        | pl.col("amount").is_null()
        | ~pl.col("amount").is_finite()
        | (pl.col("end") < pl.col("start"))
    )
    df = df.with_columns(bad.alias("bad"))
    for row in pl.concat(
        [
            no_type.select(["at", *FIELDS, "extra"]),
            df.filter("bad").select(["at", *FIELDS, "extra"]),
        ]
    ).iter_rows(named=True):
        one_by_one(row["at"], {k: v for k, v in row.items() if k != "at" and v is not None})
    good = df.filter(~pl.col("bad"))
    if good.height == 0:
        return None
    interval = pl.col("kind").is_in(INTERVALS)
    out = good.select(
        pl.col("kind"),
        pl.col("start"),
        pl.col("utc_offset_minutes"),
        pl.when(interval).then(pl.col("end")).otherwise(None).alias("end"),
        pl.col("amount").alias("value"),
        pl.col("source"),
        pl.when(pl.col("kind") == SampleKind.HRV_SDNN.value)
        .then(pl.col("extra"))
        .otherwise(None)
        .alias("extra"),
    )
    report.sources.update(out.get_column("source").unique().to_list())
    first, last = out.select(
        pl.col("start").min().alias("a"), pl.col("start").max().alias("b")
    ).row(0)
    report.saw_day(ctx.day_of(first))
    report.saw_day(ctx.day_of(last))
    return SampleBatch(_arrow(out))


def _arrow(df: pl.DataFrame) -> pa.Table:
    table = df.to_arrow()
    columns = [table.column(f.name).cast(f.type) for f in SAMPLE_SCHEMA]
    return pa.Table.from_arrays(columns, schema=SAMPLE_SCHEMA)


def _count_unread(df: pl.DataFrame, unread: Counter[str]) -> None:
    if df.height == 0:
        return
    stage = pl.when(pl.col("type") == SLEEP_TYPE).then(pl.col("value")).otherwise(None)
    groups = df.group_by(pl.col("type"), pl.col("unit"), stage.alias("stage")).len()
    for t, unit, stage_name, n in groups.iter_rows():
        name: str = t
        if name == SLEEP_TYPE:
            what = f"{short(name)} value {(stage_name or '').removeprefix(SLEEP_PREFIX)}"
        elif name in QUANTITIES:
            what = f"{short(name)} in {unit or 'no unit'}"
        else:
            what = short(name)
        unread[what] += n
