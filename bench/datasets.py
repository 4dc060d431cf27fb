"""Turn the real data sets in ../shared/data into daily frames for the PEM backtest.

Each loader returns ``[(person, frame)]`` where ``frame`` follows the engine's daily-frame
contract: one row per consecutive local day, ``day`` (Date), ``load`` (>= 0), ``symptom``
(0-10, higher = worse), ``crash`` (Boolean), ``rhr``, ``hrv``, ``sleep_min``; unknown = null.

The load rule, the same for every data set (the lead may replace it with
``pacekeeper.engine.features.daily_load``):

    load = lightly + 2 x moderately (or "fairly") + 3 x very active minutes
           + session RPE x duration (minutes) / 10
    and steps / 100 where a data set has steps but no active minutes that day.

The weights follow the rough MET ratio of Fitbit's light / moderate / vigorous bands; a
session-RPE load ("arbitrary units", Foster) of 10 counts as one weighted minute; 100 steps
are about one minute of walking. A day whose sources are all unknown has a null load.

Crash labels: ``pacekeeper.engine.crashes.label_crashes`` when the engine has it, otherwise
the documented stand-in ``standin_crashes``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import polars as pl

from pacekeeper.engine.evaluate import with_crash_labels

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
MIN_SYMPTOM_DAYS = 40
"""Persons with fewer known symptom days are left out (too short for a walk-forward test)."""

STANDIN_WINDOW = 28
STANDIN_MADS = 1.5
STANDIN_MAD_FLOOR = 0.1
STANDIN_RUN = 2


def standin_crashes(symptom: np.ndarray) -> np.ndarray:
    """The stand-in crash rule: a day is 'high' when its symptom is above the median of the
    previous 28 days (at least 7 known) + 1.5 x their median absolute deviation (floored at
    0.1 point, the finest step the diaries use, since ordinal scales often have a MAD of 0);
    a crash is a run of 2 or more high days. Returns 1.0 / 0.0 / NaN (unknown symptom or no
    baseline yet)."""
    n = len(symptom)
    high = np.full(n, np.nan)
    for t in range(n):
        if np.isnan(symptom[t]):
            continue
        past = symptom[max(0, t - STANDIN_WINDOW) : t]
        past = past[~np.isnan(past)]
        if len(past) < 7:
            continue
        median = float(np.median(past))
        mad = max(float(np.median(np.abs(past - median))), STANDIN_MAD_FLOOR)
        high[t] = 1.0 if symptom[t] > median + STANDIN_MADS * mad else 0.0
    crash = np.where(np.isnan(high), np.nan, 0.0)
    t = 0
    while t < n:
        if high[t] == 1.0:
            end = t
            while end + 1 < n and high[end + 1] == 1.0:
                end += 1
            if end - t + 1 >= STANDIN_RUN:
                crash[t : end + 1] = 1.0
            t = end + 1
        else:
            t += 1
    return crash


def label(frame: pl.DataFrame, rule: str) -> pl.DataFrame:
    """Add crash labels by ``rule``. 'engine': the engine's detector, hindsight labels in
    ``crash_target`` (what is scored) and day-by-day labels in ``crash`` (what forecasters
    see). 'standin': the simple rule above, in ``crash`` only (it looks one day ahead, so it is
    for comparison, not for the published tables)."""
    if rule == "engine":
        return with_crash_labels(frame)
    crash = standin_crashes(frame.get_column("symptom").cast(pl.Float64).to_numpy())
    series = pl.Series("crash", crash).cast(pl.Boolean)  # NaN -> null below
    return frame.with_columns(
        pl.when(pl.Series(np.isnan(crash))).then(None).otherwise(series).alias("crash")
    )


def labelling_rule() -> str:
    return "engine"


def daily_frame(columns: dict[str, dict[dt.date, float]]) -> pl.DataFrame:
    """Consecutive days from the first to the last day with a symptom, one column per dict
    (missing days null), plus the standard columns that were not given (all null)."""
    symptom_days = sorted(columns["symptom"])
    first, last = symptom_days[0], symptom_days[-1]
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    data: dict[str, object] = {"day": days}
    for name in ("load", "symptom", "rhr", "hrv", "sleep_min"):
        values = columns.get(name, {})
        data[name] = [values.get(d) for d in days]
    schema = {"day": pl.Date} | {k: pl.Float64 for k in data if k != "day"}
    return pl.DataFrame(data, schema=schema)


def combine_load(
    light: float | None,
    moderate: float | None,
    very: float | None,
    srpe_au: float | None = None,
    steps: float | None = None,
) -> float | None:
    """The load rule in the module docstring."""
    if light is None and moderate is None and very is None:
        base = None if steps is None else steps / 100.0
    else:
        base = (light or 0.0) + 2.0 * (moderate or 0.0) + 3.0 * (very or 0.0)
    if srpe_au is not None:
        base = (base or 0.0) + srpe_au / 10.0
    return base


def _loads(
    light: dict[dt.date, float],
    moderate: dict[dt.date, float],
    very: dict[dt.date, float],
    srpe: dict[dt.date, float],
    steps: dict[dt.date, float],
) -> dict[dt.date, float]:
    out: dict[dt.date, float] = {}
    for day in set(light) | set(moderate) | set(very) | set(srpe) | set(steps):
        value = combine_load(
            light.get(day), moderate.get(day), very.get(day), srpe.get(day), steps.get(day)
        )
        if value is not None:
            out[day] = value
    return out


# --- PMData -------------------------------------------------------------------------------

PMDATA_ZONE = "Europe/Oslo"
PMDATA_SYMPTOMS = ("fatigue", "soreness")


def _fitbit_daily(path: Path, nested: bool = False) -> dict[dt.date, float]:
    """A Fitbit account-export daily series ([{"dateTime": "YYYY-MM-DD ...", "value": ...}]);
    resting HR nests its value and uses 0 for 'none'."""
    if not path.exists():
        return {}
    out: dict[dt.date, float] = {}
    for item in json.loads(path.read_text()):
        value = item["value"]["value"] if nested else item["value"]
        number = float(value)
        if nested and number <= 0:
            continue
        out[dt.date.fromisoformat(item["dateTime"][:10])] = number
    return out


def _utc_to_oslo_day(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .str.to_datetime(time_zone="UTC", format="%Y-%m-%dT%H:%M:%S%.fZ", strict=False)
        .dt.convert_time_zone(PMDATA_ZONE)
        .dt.date()
        .alias("day")
    )


def load_pmdata(symptom: str, root: Path = DATA / "pmdata") -> list[tuple[str, pl.DataFrame]]:
    """PMData p01..: ``symptom`` is 'fatigue' or 'soreness' from pmsys/wellness.csv. Both are
    rated 1-5 with 5 the best (5 = very fresh / no soreness; the direction checked against
    readiness and sleep quality, which rise with them), so symptom = (5 - rating) / 4 x 10,
    clipped to 0-10. Several reports a day are averaged (local day in Oslo). Load from the
    Fitbit active minutes and pmsys/srpe.csv; resting HR from Fitbit."""
    if symptom not in PMDATA_SYMPTOMS:
        raise ValueError(f"symptom must be one of {PMDATA_SYMPTOMS}")
    people: list[tuple[str, pl.DataFrame]] = []
    for folder in sorted(p for p in root.glob("p[0-9][0-9]") if p.is_dir()):
        wellness = pl.read_csv(folder / "pmsys" / "wellness.csv")
        scores = (
            wellness.select(
                _utc_to_oslo_day("effective_time_frame"), pl.col(symptom).cast(pl.Float64)
            )
            .drop_nulls()
            .group_by("day")
            .agg(((5.0 - pl.col(symptom).mean()) / 4.0 * 10.0).clip(0.0, 10.0).alias("s"))
        )
        srpe_path = folder / "pmsys" / "srpe.csv"
        srpe: dict[dt.date, float] = {}
        if srpe_path.exists():
            sessions = pl.read_csv(srpe_path).select(
                _utc_to_oslo_day("end_date_time"),
                (
                    pl.col("perceived_exertion").cast(pl.Float64)
                    * pl.col("duration_min").cast(pl.Float64)
                ).alias("au"),
            )
            srpe = dict(sessions.drop_nulls().group_by("day").agg(pl.col("au").sum()).iter_rows())
        fitbit = folder / "fitbit"
        columns = {
            "symptom": dict(scores.iter_rows()),
            "load": _loads(
                _fitbit_daily(fitbit / "lightly_active_minutes.json"),
                _fitbit_daily(fitbit / "moderately_active_minutes.json"),
                _fitbit_daily(fitbit / "very_active_minutes.json"),
                srpe,
                {},
            ),
            "rhr": _fitbit_daily(fitbit / "resting_heart_rate.json", nested=True),
        }
        if len(columns["symptom"]) >= MIN_SYMPTOM_DAYS:
            people.append((folder.name, daily_frame(columns)))
    return people


# --- LifeSnaps ----------------------------------------------------------------------------

LIFESNAPS_MOODS = ("ALERT", "HAPPY", "NEUTRAL", "RESTED/RELAXED", "SAD", "TENSE/ANXIOUS", "TIRED")


def load_lifesnaps(
    path: Path = DATA / "lifesnaps" / "daily_fitbit_sema_df_unprocessed.csv",
) -> list[tuple[str, pl.DataFrame]]:
    """LifeSnaps: the momentary mood reports (SEMA) as symptom, on days with any report:
    10 = 'tired' reported without 'rested/relaxed', 0 = 'rested/relaxed' without 'tired',
    5 = both or neither (another mood). Load from the active minutes (steps where they are
    missing); resting HR; RMSSD as HRV; minutes asleep."""
    table = pl.read_csv(path, infer_schema_length=10000).with_columns(
        pl.col("date").str.to_date().alias("day")
    )
    reported = pl.any_horizontal([pl.col(m).is_not_null() for m in LIFESNAPS_MOODS])
    tired = pl.col("TIRED").fill_null(0) > 0
    rested = pl.col("RESTED/RELAXED").fill_null(0) > 0
    table = table.with_columns(
        pl.when(~reported)
        .then(None)
        .when(tired & ~rested)
        .then(10.0)
        .when(rested & ~tired)
        .then(0.0)
        .otherwise(5.0)
        .alias("s")
    )
    people: list[tuple[str, pl.DataFrame]] = []
    for (person,), rows in table.sort("day").group_by(["id"], maintain_order=True):

        def col(name: str, rows: pl.DataFrame = rows) -> dict[dt.date, float]:
            pairs = rows.select("day", pl.col(name).cast(pl.Float64)).drop_nulls()
            return dict(pairs.group_by("day").agg(pl.col(name).mean()).iter_rows())

        columns = {
            "symptom": col("s"),
            "load": _loads(
                col("lightly_active_minutes"),
                col("moderately_active_minutes"),
                col("very_active_minutes"),
                {},
                col("steps"),
            ),
            "rhr": col("resting_hr"),
            "hrv": col("rmssd"),
            "sleep_min": col("minutesAsleep"),
        }
        if len(columns["symptom"]) >= MIN_SYMPTOM_DAYS:
            people.append((str(person)[-6:], daily_frame(columns)))
    return people


# --- MyAIGuide ----------------------------------------------------------------------------

MYAIGUIDE = DATA / "myaiguide-chronic-pain"
NOT_PAIN = {"Sick/Tired", "Sick", "happiness", "Dizziness"}


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _forward_filled_days(path: Path) -> Iterable[tuple[dt.date, dict[str, str]]]:
    """Rows of Participant1's diaries, whose empty year/month/day cells mean 'as above'."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        year = month = day = None
        for row in reader:
            if header is None:
                if row[:3] == ["year", "month", "day"]:
                    header = row
                continue
            cells = dict(zip(header, row, strict=False))
            year = int(cells["year"]) if cells.get("year", "").strip() else year
            month = int(cells["month"]) if cells.get("month", "").strip() else month
            day = int(cells["day"]) if cells.get("day", "").strip() else day
            if year is None or month is None or day is None:
                continue
            try:
                yield dt.date(year, month, day), cells
            except ValueError:
                continue


def _participant1() -> pl.DataFrame:
    """Pain = the worst region's intensity (0-10) that day; load from the monthly fitbit.com
    CSVs (active minutes) plus sport.csv sessions (duration x effort intensity as sRPE)."""
    folder = MYAIGUIDE / "Participant1"
    pain: dict[dt.date, float] = {}
    for day, cells in _forward_filled_days(folder / "pain.csv"):
        value = _number(cells.get("intensity", ""))
        if value is not None and cells.get("region", "").strip() not in NOT_PAIN:
            pain[day] = max(pain.get(day, 0.0), min(value, 10.0))
    sport: dict[dt.date, float] = defaultdict(float)
    for day, cells in _forward_filled_days(folder / "sport.csv"):
        minutes = _number(cells.get("duration", ""))
        effort = _number(cells.get("effort Intensity", ""))
        if minutes is not None and effort is not None:
            sport[day] += minutes * effort
    light: dict[dt.date, float] = {}
    moderate: dict[dt.date, float] = {}
    very: dict[dt.date, float] = {}
    steps: dict[dt.date, float] = {}
    for path in sorted((folder / "dailyFitBitPerMonth").glob("*.csv")):
        with path.open(newline="") as handle:
            rows = list(csv.reader(handle))
        header = next((i for i, r in enumerate(rows) if r[:1] == ["Date"]), None)
        if header is None:
            continue
        names = rows[header]
        for row in rows[header + 1 :]:
            if len(row) != len(names):
                break  # the activities table ends here
            cells = dict(zip(names, row, strict=True))
            try:
                day = dt.datetime.strptime(cells["Date"], "%d-%m-%Y").date()  # noqa: DTZ007
            except ValueError:
                continue
            for target, name in (
                (light, "Minutes Lightly Active"),
                (moderate, "Minutes Fairly Active"),
                (very, "Minutes Very Active"),
                (steps, "Steps"),
            ):
                value = _number(cells.get(name, ""))
                if value is not None:
                    target[day] = value
    return daily_frame({"symptom": pain, "load": _loads(light, moderate, very, dict(sport), steps)})


def _anonymised(folder: Path) -> pl.DataFrame | None:
    """Participants 2-9 with a Fitbit step series: pain = the day's worst '... pain' entry;
    load = steps / 100."""
    pains = sorted(folder.glob("*Pain.csv"))
    fitbit = sorted(folder.glob("*[Ff]itbit.json"))
    if not pains or not fitbit:
        return None
    pain: dict[dt.date, float] = {}
    with pains[0].open(newline="") as handle:
        for row in csv.DictReader(handle):
            name = row.get("name", "")
            value = _number(row.get("intensity", ""))
            if "pain" not in name.lower() or value is None:
                continue
            try:
                day = dt.date(int(row["startyear"]), int(row["startmonth"]), int(row["startday"]))
            except (KeyError, ValueError):
                continue
            pain[day] = max(pain.get(day, 0.0), min(value, 10.0))
    if not pain:
        return None
    steps = {
        dt.date.fromisoformat(item["dateTime"]): float(item["value"])
        for item in json.loads(fitbit[0].read_text())["activities-steps"]
    }
    return daily_frame({"symptom": pain, "load": _loads({}, {}, {}, {}, steps)})


def load_myaiguide(root: Path = MYAIGUIDE) -> list[tuple[str, pl.DataFrame]]:
    """MyAIGuide: Participant1's long pain diary and the anonymised participants with Fitbit
    steps (those with at least MIN_SYMPTOM_DAYS pain days)."""
    people = [("P1", _participant1())]
    for folder in sorted(root.glob("Participant*Anonymized")):
        frame = _anonymised(folder)
        if frame is not None:
            people.append(
                (folder.name.removesuffix("Anonymized").replace("Participant", "P"), frame)
            )
    return [
        (name, frame)
        for name, frame in people
        if frame.get_column("symptom").is_not_null().sum() >= MIN_SYMPTOM_DAYS
    ]


DATASETS: dict[str, Callable[[], list[tuple[str, pl.DataFrame]]]] = {
    "pmdata-fatigue": lambda: load_pmdata("fatigue"),
    "pmdata-soreness": lambda: load_pmdata("soreness"),
    "lifesnaps-tired": load_lifesnaps,
    "myaiguide-pain": load_myaiguide,
}
"""Data set and target name -> loader (frames without the crash column)."""
