"""Daily wearable summaries from raw samples: steps, active minutes, minutes above the
heart-rate ceiling and in zones around it, resting heart rate, HRV and sleep.

Input is a samples frame with the columns of `pacekeeper.domain.sample_batch.SAMPLE_SCHEMA`
(kind, start in UTC, utc_offset_minutes, end, value, source). A sample belongs to the person's
local day of its start, with the day boundary applied (sleep: of its end, the morning they
woke; see SLEEP_DAY_SHIFT_MIN). When several devices counted steps or active minutes, each
minute counts once, from the highest-ranked device that has it (`domain.source_priority`, the
rule the history page shows), so a walk is never counted twice and the minutes only the phone
saw still count. For heart rate, resting HR, HRV and sleep one device is believed per day, by the
rank in `pacekeeper.domain.sources` (worn devices first): their daily values are averages or
coverage, which mixing devices within a day would distort.
"""

from __future__ import annotations

from datetime import time

import polars as pl

from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.source_priority import additive_per_minute, choose_days, daily_totals
from pacekeeper.domain.sources import source_rank

# A heart-rate reading stands for the time until the next one, but never more than this:
# Apple Watch samples every few minutes at rest, a chest strap every second.
HR_GAP_CAP_MIN = 5.0
# Zones relative to the person's ceiling (science.md: keep time above it short).
ZONE_BELOW = 20  # bpm under the ceiling where "light" starts
ZONE_FAR_ABOVE = 15  # bpm over the ceiling: "well above"
# Sleep belongs to the morning the person woke: any stage ending from 16:00 one day to 16:00
# the next counts for the next day, so waking at 02:00 and again at 07:00 is one night.
SLEEP_DAY_SHIFT_MIN = 8 * 60
ZONES_ABOVE_REST = "fat burn|cardio|peak"
DAILY_NUDGE_MIN = 12 * 60  # see _with_day
ADDITIVE = (SampleKind.STEPS, SampleKind.ACTIVE_MINUTES, SampleKind.ACTIVE_ENERGY)
ASLEEP = (
    SampleKind.SLEEP_ASLEEP,
    SampleKind.SLEEP_LIGHT,
    SampleKind.SLEEP_DEEP,
    SampleKind.SLEEP_REM,
)

WEARABLE_COLUMNS = {
    "day": pl.Date,
    "steps": pl.Float64,
    "active_min": pl.Float64,
    "hr_minutes": pl.Float64,  # minutes of heart-rate coverage
    "above_ceiling_min": pl.Float64,
    "zone_rest_min": pl.Float64,
    "zone_light_min": pl.Float64,
    "zone_above_min": pl.Float64,
    "zone_far_above_min": pl.Float64,
    "rhr": pl.Float64,
    "hrv": pl.Float64,
    "sleep_min": pl.Float64,
}


def empty_wearable() -> pl.DataFrame:
    return pl.DataFrame(schema=WEARABLE_COLUMNS)


def _with_day(
    samples: pl.DataFrame, shift: int, at: str = "start", *, nudge: bool = True
) -> pl.DataFrame:
    """Add the local `day` of column `at`, the day starting `shift` minutes after midnight.

    A day's total (`_daily`) belongs to the day around its start: importers stamp it at the
    day's start or a little after (in the local offset; stores from before December 2026 hold
    many in UTC), so it is read at half a day past its start, which lands on the right day for
    any offset within 12 hours.
    (Sleep passes nudge=False: its own shift already reads a night at the morning it ended.)"""
    minutes = pl.col("utc_offset_minutes").cast(pl.Int64) - shift
    if nudge and "_daily" in samples.columns:
        minutes = minutes + pl.when(pl.col("_daily")).then(DAILY_NUDGE_MIN).otherwise(0)
    local = pl.col(at).dt.replace_time_zone(None) + pl.duration(minutes=minutes)
    return samples.with_columns(local.dt.date().alias("day"))


def _believed(frame: pl.DataFrame, weight: str) -> pl.DataFrame:
    """Keep, per day, the rows of the one source to believe: highest rank, then most `weight`."""
    if frame.is_empty():
        return frame
    ranks = {s: source_rank(s) for s in frame["source"].unique().to_list()}
    per_source = (
        frame.group_by("day", "source")
        .agg(pl.col(weight).sum().alias("_w"))
        .with_columns(pl.col("source").replace_strict(ranks, return_dtype=pl.Int64).alias("_r"))
        .sort(["day", "_r", "_w", "source"], descending=[False, True, True, True])
        .unique("day", keep="first")
        .select("day", "source")
    )
    return frame.join(per_source, on=["day", "source"])


def _additive(samples: pl.DataFrame, kind: SampleKind, name: str, shift: int) -> pl.DataFrame:
    """Daily totals after choosing one device per minute, and a day's minutes or one daily
    total, never both (domain.source_priority: the rule the history page shows), so the model
    and the page count the same steps."""
    rows = samples.filter(pl.col("kind") == kind.value)
    minute_rows, daily = rows.filter(~pl.col("_daily")), rows.filter(pl.col("_daily"))
    if minute_rows["source"].n_unique() <= 1:  # one device: nothing to choose per minute
        intraday = minute_rows.group_by("day", "source").agg(pl.col("value").sum())
    else:
        minutes = additive_per_minute(minute_rows).sort("minute")
        # Each chosen minute takes the UTC offset of the sample it came from (the latest one of
        # that source starting at or before it), so its local day is the sample's.
        offsets = minute_rows.select(
            "source", pl.col("start").alias("minute"), "utc_offset_minutes"
        )
        minutes = minutes.join_asof(
            offsets.sort("minute"), on="minute", by="source", check_sortedness=False
        )
        minutes = _with_day(minutes.with_columns(pl.col("minute").alias("start")), shift)
        intraday = minutes.group_by("day", "source").agg(pl.col("value").sum())
    chosen = choose_days(
        intraday.select("day", "source", pl.col("value").cast(pl.Float64)),
        daily.select("day", "source", pl.col("value").cast(pl.Float64)),
    )
    return chosen.group_by("day").agg(pl.col("value").sum().alias(name))


def _daily_mean(samples: pl.DataFrame, kinds: tuple[SampleKind, ...], name: str) -> pl.DataFrame:
    for kind in kinds:  # the first kind present wins for the whole history (comparable values)
        rows = samples.filter(pl.col("kind") == kind.value)
        if not rows.is_empty():
            rows = _believed(rows.with_columns(pl.lit(1.0).alias("_n")), "_n")
            return rows.group_by("day").agg(pl.col("value").mean().alias(name))
    return pl.DataFrame(schema={"day": pl.Date, name: pl.Float64})


def _heart_rate(samples: pl.DataFrame, ceiling: float | None) -> pl.DataFrame:
    hr = samples.filter(pl.col("kind") == SampleKind.HEART_RATE.value).sort("source", "start")
    gap = (pl.col("start").shift(-1).over("source") - pl.col("start")).dt.total_seconds() / 60
    hr = hr.with_columns(gap.fill_null(1.0).clip(0.0, HR_GAP_CAP_MIN).alias("_min"))
    hr = _believed(hr, "_min")
    if ceiling is None:
        return hr.group_by("day").agg(pl.col("_min").sum().alias("hr_minutes"))
    v, m = pl.col("value"), pl.col("_min")
    return hr.group_by("day").agg(
        m.sum().alias("hr_minutes"),
        m.filter(v > ceiling).sum().alias("above_ceiling_min"),
        m.filter(v < ceiling - ZONE_BELOW).sum().alias("zone_rest_min"),
        m.filter((v >= ceiling - ZONE_BELOW) & (v <= ceiling)).sum().alias("zone_light_min"),
        m.filter((v > ceiling) & (v <= ceiling + ZONE_FAR_ABOVE)).sum().alias("zone_above_min"),
        m.filter(v > ceiling + ZONE_FAR_ABOVE).sum().alias("zone_far_above_min"),
    )


def _zone_minutes(samples: pl.DataFrame) -> pl.DataFrame:
    """Minutes in a service's own heart-rate zones above rest (Fitbit: fat burn, cardio, peak).

    Those zones start near 50% of age-predicted maximum, about where an ME/CFS ceiling sits
    (science.md: 0.55 x (220 - age)), so they stand in for minutes above the ceiling on days
    without heart-rate readings.
    """
    rows = samples.filter(
        (pl.col("kind") == SampleKind.HR_ZONE_MINUTES.value)
        & pl.col("source").str.to_lowercase().str.contains(ZONES_ABOVE_REST)
    )
    return rows.group_by("day").agg(pl.col("value").sum().alias("zone_minutes_above_rest"))


def _sleep(samples: pl.DataFrame) -> pl.DataFrame:
    kinds = [k.value for k in ASLEEP]
    rows = samples.filter(pl.col("kind").is_in(kinds))
    if rows.is_empty():
        return pl.DataFrame(schema={"day": pl.Date, "sleep_min": pl.Float64})
    rows = rows.with_columns(pl.col("end").fill_null(pl.col("start")))
    rows = _with_day(rows, -SLEEP_DAY_SHIFT_MIN, "end", nudge=False)
    return _believed(rows, "value").group_by("day").agg(pl.col("value").sum().alias("sleep_min"))


def wearable_days(
    samples: pl.DataFrame, *, boundary: time, hr_ceiling: float | None
) -> pl.DataFrame:
    """One row per local day that has any wearable reading; columns `WEARABLE_COLUMNS`.

    A day without a reading of some kind has null there, never zero: no steps recorded is not
    the same as no steps taken.
    """
    if samples.is_empty():
        return empty_wearable()
    samples = samples.with_columns(daily_totals(samples).alias("_daily"))
    sleep = _sleep(samples)
    shift = boundary.hour * 60 + boundary.minute
    samples = _with_day(samples, shift)
    parts = [
        _additive(samples, SampleKind.STEPS, "steps", shift),
        _additive(samples, SampleKind.ACTIVE_MINUTES, "active_min", shift),
        _heart_rate(samples, hr_ceiling),
        _zone_minutes(samples),
        _daily_mean(samples, (SampleKind.RESTING_HEART_RATE,), "rhr"),
        # RMSSD and SDNN are different measures: use one for the whole history.
        _daily_mean(samples, (SampleKind.HRV_RMSSD, SampleKind.HRV_SDNN), "hrv"),
        sleep,
    ]
    days = pl.concat([p.select("day") for p in parts]).unique()
    out = days
    for p in parts:
        out = out.join(p, on="day", how="left")
    if "above_ceiling_min" in out.columns:
        out = out.with_columns(
            pl.col("above_ceiling_min").fill_null(pl.col("zone_minutes_above_rest"))
        )
    else:
        out = out.with_columns(pl.col("zone_minutes_above_rest").alias("above_ceiling_min"))
    for name, dtype in WEARABLE_COLUMNS.items():
        if name not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=dtype).alias(name))
    return out.select([pl.col(n).cast(t) for n, t in WEARABLE_COLUMNS.items()]).sort("day")
