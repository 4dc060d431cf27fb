"""One source per minute when several devices measured the same thing.

For additive kinds (steps, distance, active energy, active minutes) each minute keeps only the
highest-ranked source that has data in that minute (rank: `domain.sources.source_rank`, worn
devices first, phones last; a tie in rank goes to the larger value, then the name). So a walk
seen by a watch and a phone is counted once, from the watch, while a minute only the phone saw
(the watch was charging) still counts. An interval sample (a step count over 10 minutes) is
spread evenly over the minutes it covers before choosing. Instant kinds (heart rate) use the
same choice per minute through `prefer_per_minute` (ties: more readings, then the name), keeping
that source's readings as they are.

Minutes are whole minutes since the epoch held in NumPy arrays, one sorted array per source:
the choice is then binary searches over sorted arrays, with no hashing, so a 90-day chart stays
fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from pacekeeper.domain.localday import local_day_expr
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.sources import source_rank

ADDITIVE = frozenset(
    {SampleKind.STEPS, SampleKind.DISTANCE, SampleKind.ACTIVE_ENERGY, SampleKind.ACTIVE_MINUTES}
)
ADDITIVE_VALUES = [k.value for k in ADDITIVE]
MAX_SPREAD_MIN = 24 * 60  # a longer "interval" is a daily total: leave it in its first minute
US_PER_MIN = 60_000_000

Ints = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass
class _Minutes:
    """One source's data per minute: sorted, distinct minutes with a value (additive: the sum;
    instant: the number of readings)."""

    source: str
    minutes: Ints
    values: Floats


def _ints(frame: pl.DataFrame, column: str) -> Ints:
    return frame[column].dt.epoch("us").fill_null(0).to_numpy()


def _per_minute(source: str, minute: Ints, value: Floats) -> _Minutes:
    if minute.size and not bool((np.diff(minute) >= 0).all()):
        order = np.argsort(minute, kind="stable")
        minute, value = minute[order], value[order]
    if minute.size == 0:
        return _Minutes(source, minute, value)
    firsts = np.flatnonzero(np.r_[True, np.diff(minute) > 0])
    return _Minutes(source, minute[firsts], np.add.reduceat(value, firsts))


def _spread(frame: pl.DataFrame) -> tuple[Ints, Floats]:
    """Minutes and values of one source's additive samples, intervals spread over minutes."""
    first = _ints(frame, "start") // US_PER_MIN
    value = frame["value"].to_numpy().astype(np.float64)
    has_end = frame["end"].is_not_null().to_numpy()
    if not has_end.any():
        return first, value
    last = (_ints(frame, "end") - 1) // US_PER_MIN
    n = np.where(has_end, np.clip(last - first + 1, 1, MAX_SPREAD_MIN), 1)
    if (n == 1).all():
        return first, value
    rows = np.repeat(np.arange(first.size), n)
    offsets = np.arange(rows.size) - np.repeat(np.cumsum(n) - n, n)
    return first[rows] + offsets, (value / n)[rows]


def _in_sorted(sorted_keys: Ints, keys: Ints) -> np.ndarray[Any, np.dtype[np.bool_]]:
    if sorted_keys.size == 0:
        return np.zeros(keys.size, dtype=bool)
    at = np.searchsorted(sorted_keys, keys).clip(max=sorted_keys.size - 1)
    return np.asarray(sorted_keys[at] == keys)


def _tie_break(group: list[_Minutes]) -> list[_Minutes]:
    """Sources of one rank: each minute goes to the larger value, then the first name."""
    if len(group) == 1:
        return group
    group = sorted(group, key=lambda g: g.source)
    minute = np.concatenate([g.minutes for g in group])
    value = np.concatenate([g.values for g in group])
    which = np.concatenate([np.full(g.minutes.size, i) for i, g in enumerate(group)])
    order = np.lexsort((which, -value, minute))
    minute, which = minute[order], which[order]
    first = np.r_[True, np.diff(minute) > 0]
    won = order[first]
    kept_which = which[first]
    flat_minutes = np.concatenate([g.minutes for g in group])
    flat_values = np.concatenate([g.values for g in group])
    out = []
    for i, g in enumerate(group):
        pick = np.sort(won[kept_which == i])
        out.append(_Minutes(g.source, flat_minutes[pick], flat_values[pick]))
    return out


def choose(per_source: list[_Minutes]) -> list[_Minutes]:
    """Each minute kept for one source only: highest rank first, then `_tie_break`."""
    by_rank: dict[int, list[_Minutes]] = {}
    for m in per_source:
        by_rank.setdefault(source_rank(m.source), []).append(m)
    covered: Ints = np.empty(0, dtype=np.int64)
    kept: list[_Minutes] = []
    for rank in sorted(by_rank, reverse=True):
        here = []
        for m in _tie_break(by_rank[rank]):
            free = ~_in_sorted(covered, m.minutes)
            here.append(_Minutes(m.source, m.minutes[free], m.values[free]))
        kept.extend(here)
        if rank != min(by_rank):
            covered = np.sort(np.concatenate([covered, *(k.minutes for k in here)]))
    return kept


def _by_source(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    sources = frame["source"].unique().to_list()
    if len(sources) == 1:
        return {sources[0]: frame}
    groups = frame.partition_by("source", as_dict=True)
    return {str(k[0]): v for k, v in groups.items()}


def _minutes_frame(kind: str, chosen: list[_Minutes]) -> pl.DataFrame:
    minute = np.concatenate([c.minutes for c in chosen]) if chosen else np.empty(0, np.int64)
    return pl.DataFrame(
        {
            "kind": pl.repeat(kind, minute.size, dtype=pl.String, eager=True),
            "minute": pl.Series(minute * US_PER_MIN, dtype=pl.Int64)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            "source": pl.Series([c.source for c in chosen], dtype=pl.String).gather(
                np.repeat(np.arange(len(chosen)), [c.minutes.size for c in chosen])
            ),
            "value": np.concatenate([c.values for c in chosen]) if chosen else np.empty(0),
        },
        schema={
            "kind": pl.String(),
            "minute": pl.Datetime("us", "UTC"),
            "source": pl.String(),
            "value": pl.Float64(),
        },
    )


def _chosen_additive(frame: pl.DataFrame) -> list[_Minutes]:
    per_source = []
    for source, rows in _by_source(frame).items():
        minute, value = _spread(rows)
        per_source.append(_per_minute(source, minute, value))
    return choose(per_source)


def additive_per_minute(frame: pl.DataFrame) -> pl.DataFrame:
    """One additive kind's per-minute totals of the chosen source: (kind, minute, source, value),
    sorted by minute."""
    out = []
    for kind in frame["kind"].unique().sort().to_list():
        chosen = _chosen_additive(frame.filter(pl.col("kind") == kind))
        out.append(_minutes_frame(kind, chosen).sort("minute"))
    return pl.concat(out) if out else _minutes_frame("", [])


def _chosen_instant(frame: pl.DataFrame) -> list[tuple[pl.DataFrame, _Minutes]]:
    groups = _by_source(frame)
    if len(groups) == 1:  # one device: every reading stays, nothing to choose
        ((source, rows),) = groups.items()
        return [(rows, _Minutes(source, np.empty(0, np.int64), np.empty(0)))]
    per_source = []
    for source, rows in groups.items():
        minute = _ints(rows, "start") // US_PER_MIN
        per_source.append(_per_minute(source, minute, np.ones(minute.size)))
    chosen = {m.source: m for m in choose(per_source)}
    out = []
    for source, rows in groups.items():
        minute = _ints(rows, "start") // US_PER_MIN
        keep = _in_sorted(chosen[source].minutes, minute)
        out.append((rows.filter(pl.Series(keep)), chosen[source]))
    return out


def prefer_per_minute(frame: pl.DataFrame) -> pl.DataFrame:
    """Instant kinds (heart rate): the rows of `frame` whose source was chosen for their minute
    (the highest-ranked source with a reading in it; ties: more readings, then the name)."""
    out: list[pl.DataFrame] = []
    for kind in frame["kind"].unique().sort().to_list():
        rows = frame.filter(pl.col("kind") == kind)
        out.extend(kept for kept, _ in _chosen_instant(rows))
    return pl.concat(out).sort("kind", "start") if out else frame


def daily_totals(frame: pl.DataFrame) -> pl.Expr:
    """Rows that are a whole day's total (an importer marks them `"daily": true` in `extra`:
    Garmin Connect's and Fitbit's daily summaries, Google Fit's daily file, Visible, Bearable)."""
    if "extra" not in frame.columns:
        return pl.lit(False)
    return pl.col("extra").str.contains(r'"daily":\s*true').fill_null(False)


def choose_days(intraday: pl.DataFrame, daily: pl.DataFrame) -> pl.DataFrame:
    """Per day, the minute-by-minute account or one daily total, never both added up.

    Both frames are (day, source, value): `intraday` after the per-minute choice, `daily` the
    daily totals. A daily total already holds the minutes, so on each day it is used alone
    when its source outranks every source of the day's minutes (a tie in rank goes to the
    larger total), and left out otherwise."""
    if daily.height == 0:
        return intraday
    sources = set(daily["source"].to_list()) | set(intraday["source"].to_list())
    ranks = {s: source_rank(s) for s in sources}
    rank = pl.col("source").replace_strict(ranks, return_dtype=pl.Int64)
    best_daily = (
        daily.group_by("day", "source")
        .agg(pl.col("value").sum())
        .with_columns(rank.alias("_r"))
        .sort(["day", "_r", "value", "source"], descending=[False, True, True, True])
        .unique("day", keep="first")
    )
    minutes = (
        intraday.with_columns(rank.alias("_r"))
        .group_by("day")
        .agg(pl.col("_r").max().alias("_ri"), pl.col("value").sum().alias("_vi"))
    )
    wins = best_daily.join(minutes, on="day", how="left").filter(
        pl.col("_ri").is_null()
        | (pl.col("_r") > pl.col("_ri"))
        | ((pl.col("_r") == pl.col("_ri")) & (pl.col("value") > pl.col("_vi")))
    )
    kept = intraday.join(wins.select("day"), on="day", how="anti")
    return pl.concat([kept, wins.select(intraday.columns)]).sort("day", "source")


def daily_by_source(
    frame: pl.DataFrame, tz: ZoneInfo, boundary: time
) -> dict[date, dict[str, float]]:
    """Per local day, how much each source contributed after the per-minute choice, or the
    daily total that was chosen instead (`choose_days`). Additive kinds; one kind at a time;
    pass `extra` so daily totals are recognised."""
    if frame.height == 0:
        return {}
    is_daily = daily_totals(frame)
    intraday_rows = frame.filter(~is_daily)
    intraday = pl.DataFrame(schema={"day": pl.Date, "source": pl.String, "value": pl.Float64})
    if intraday_rows.height:
        intraday = (
            additive_per_minute(intraday_rows)
            .select(local_day_expr("minute", tz, boundary), "source", "value")
            .group_by("day", "source")
            .agg(pl.col("value").sum())
        )
    # A day's total belongs to the day around its start (stamped at the day's start or a little
    # after): read it half a day on, as engine/wearable.py does.
    daily = frame.filter(is_daily).select(
        local_day_expr("start", tz, boundary, later_hours=12), "source", "value"
    )
    days = choose_days(intraday, daily).sort("day", "source")
    out: dict[date, dict[str, float]] = {}
    for day, source, value in days.iter_rows():
        out.setdefault(day, {})[source] = value
    return out


def _hours_frame(kind: str, hours: Ints, values: Floats) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "kind": pl.repeat(kind, hours.size, dtype=pl.String, eager=True),
            "hour": pl.Series(hours * 60 * US_PER_MIN, dtype=pl.Int64)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            "value": values,
        }
    )


def hourly(frame: pl.DataFrame) -> pl.DataFrame:
    """What a chart draws: per kind and UTC hour, additive kinds summed after the per-minute
    choice, instant kinds averaged over the chosen source's readings."""
    out = []
    for kind in frame["kind"].unique().sort().to_list():
        rows = frame.filter(pl.col("kind") == kind)
        if kind in ADDITIVE_VALUES:
            chosen = _chosen_additive(rows)
            hour = np.concatenate([c.minutes for c in chosen]) // 60
            total = np.concatenate([c.values for c in chosen])
            count = np.ones(hour.size)
        else:
            kept = [k for k, _ in _chosen_instant(rows)]
            hour = np.concatenate([_ints(k, "start") // US_PER_MIN // 60 for k in kept])
            total = np.concatenate([k["value"].to_numpy() for k in kept])
            count = np.ones(hour.size)
        if hour.size == 0:
            continue
        first = int(hour.min())
        sums = np.bincount(hour - first, weights=total)
        counts = np.bincount(hour - first, weights=count)
        present = np.flatnonzero(counts)
        values: Floats = sums[present].astype(np.float64)
        if kind not in ADDITIVE_VALUES:
            values = values / counts[present]
        out.append(_hours_frame(kind, (present + first).astype(np.int64), values))
    if not out:
        return _hours_frame("", np.empty(0, np.int64), np.empty(0))
    return pl.concat(out)
