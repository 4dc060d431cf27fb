"""Fitbit's CSV formats: the old fitbit.com monthly export and Fitabase research exports.

fitbit.com export (`fitbit_export_2016_09.csv`): sections, each a title line ("Activities",
or "Activités" on a French account), a header row and one row a day, ended by a blank line.
Read: the Activities section (steps, distance in km, lightly/fairly/very active minutes);
other sections are listed as not read. Numbers follow the account's language: "1,773" is one
thousand seven hundred and seventy-three in an English export, "4,12" is 4.12 in a French one.

Fitabase (`dailyActivity_merged.csv`, `hourlySteps_merged.csv`, `sleepDay_merged.csv`, ...):
one row per participant (column Id) and day or hour. A file with several participants is only
imported when exactly one of its Ids appears in the file name (e.g.
`dailyActivity_merged-1503960366.csv`); otherwise it is refused with the list of Ids.

Dates: numeric dates like 04/12/2016 are ambiguous when both parts are 12 or less. A date whose
order is evident (a part above 12, both parts equal, or YYYY-MM-DD) is read as it must be. For
the ambiguous ones the file decides: a file covers one period, so they are read in the order
(month first or day first) that keeps all the file's dates within the shorter span, when that
span is less than half the other one. If the file cannot tell, ambiguous dates are skipped with
their line, never guessed. See docs/formats.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.localday import later
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext
from pacekeeper.importers.textfile import MAX_FIELD, csv_rows, open_text

SOURCE = "Fitbit"
# Daily totals are a stream of their own: a day's total stored at the day start must not take
# the place of (or be taken for) the hour or minute of steps that begins at the same instant.
DAILY = "Fitbit (daily)"
INTENSITIES = (("light", "lightly"), ("moderate", "fairly"), ("vigorous", "very"))

# ---------------------------------------------------------------------------------------------
# Dates


_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MONTH_FIRST = "month first"
DAY_FIRST = "day first"


def _parts(text: str) -> tuple[str, str]:
    """The date and the time of a cell like "4/12/2016 1:00:00 PM" (time may be "")."""
    text = text.strip()
    date_part, _, time_part = text.partition(" ")
    return date_part, time_part.strip()


def _readings(date_text: str) -> list[date]:
    """Every date the text can mean: one if its order is evident, two if it is ambiguous.
    Raises ValueError if it means no valid date."""
    if m := _ISO.match(date_text):
        return [date(int(m[1]), int(m[2]), int(m[3]))]
    m = _NUMERIC.match(date_text)
    if not m:
        raise ValueError(f"{date_text!r} is not a date")
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if a == b or a > 12 or b > 12:
        return [date(year, b, a) if a > 12 else date(year, a, b)]
    return [date(year, a, b), date(year, b, a)]  # month first, day first


@dataclass
class DateOrder:
    """Collects a file's dates, then decides how its ambiguous dates are read."""

    evident: list[date] = field(default_factory=list)
    ambiguous: set[tuple[date, date]] = field(default_factory=set)
    order: str | None = None

    def see(self, text: str) -> None:
        try:
            readings = _readings(_parts(text)[0])
        except ValueError:
            return  # reported when the row is read
        if len(readings) == 1:
            self.evident.append(readings[0])
        else:
            self.ambiguous.add((readings[0], readings[1]))

    def decide(self) -> str | None:
        if not self.ambiguous:
            return None
        lo, hi = (min(self.evident), max(self.evident)) if self.evident else (None, None)

        def span(i: int) -> int:
            days = [r[i] for r in self.ambiguous]
            first = min(days) if lo is None else min(min(days), lo)
            last = max(days) if hi is None else max(max(days), hi)
            return (last - first).days

        month_first, day_first = span(0), span(1)
        if month_first * 2 < day_first:
            self.order = MONTH_FIRST
        elif day_first * 2 < month_first:
            self.order = DAY_FIRST
        return self.order

    def read(self, text: str) -> datetime:
        """The cell as a naive local date and time. Raises ValueError with a reason."""
        date_text, time_text = _parts(text)
        readings = _readings(date_text)
        if len(readings) == 1:
            day = readings[0]
        elif self.order is None:
            raise ValueError(
                f"{date_text!r} could be month/day or day/month and the file does not tell"
            )
        else:
            day = readings[0] if self.order == MONTH_FIRST else readings[1]
        return datetime.combine(day, _time(time_text))


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$")


def _time(text: str) -> time:
    """ "1:00:00 PM", "12:00 AM" or "13:00" (the file's local time)."""
    if not text:
        return time(0, 0)
    m = _TIME.match(text.upper())
    if not m:
        raise ValueError(f"{text!r} is not a time of day")
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r} is not a time of day")
        hour = hour % 12 + (12 if m[4] == "PM" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day") from None


def _daily(
    kind: SampleKind,
    d: date,
    value: float,
    ctx: ImportContext,
    source: str = DAILY,
    **extra: object,
) -> SampleData:
    return SampleData(kind, ctx.day_start(d), value, source, extra={"daily": True, **extra})


def _minutes(d: date, minutes: dict[str, float], ctx: ImportContext) -> Iterator[SampleData]:
    # One stream per intensity, told apart by source, as in the Fitbit JSON importer.
    for intensity, value in minutes.items():
        yield _daily(
            SampleKind.ACTIVE_MINUTES, d, value, ctx, f"{SOURCE} ({intensity})", intensity=intensity
        )


# ---------------------------------------------------------------------------------------------
# fitbit.com monthly export

SECTION_TITLES = {
    "activities": "en",
    "activités": "fr",
    "body": "en",
    "corps": "fr",
    "foods": "en",
    "aliments": "fr",
    "sleep": "en",
    "sommeil": "fr",
}
ACTIVITY_COLUMNS = {
    "steps": "steps",
    "pas": "steps",
    "distance": "distance",
    "minutes lightly active": "lightly",
    "minutes peu actives": "lightly",
    "minutes fairly active": "fairly",
    "minutes assez actives": "fairly",
    "minutes very active": "very",
    "minutes très actif": "very",
    "minutes très actives": "very",
}


def _number(text: str, lang: str) -> float:
    """A cell as the account's language writes it: "1,773" (en) or "4,12" (fr)."""
    t = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    t = t.replace(",", "") if lang == "en" else t.replace(",", ".")
    if not t:
        raise ValueError("is empty")
    value = float(t)
    if not 0 <= value < 1e7:
        raise ValueError(f"{text!r} is out of range")
    return value


def _raw_rows(path: Path, progress: Progress) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(MAX_FIELD)
    with open_text(path, progress) as text:
        reader = csv.reader(text)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield reader.line_num, [f"\ufffd{exc}"]
                continue
            yield reader.line_num, cells


class FitbitCsv:
    name = "fitbit-csv"

    def sniff(self, head: bytes, path: Path) -> bool:
        lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
        if len(lines) < 2:
            return False
        title = lines[0].strip().strip('"').strip(",").strip().lower()
        return title in SECTION_TITLES and lines[1].strip().lower().startswith(("date,", '"date",'))

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        # A month's export is small: the Activities rows are kept to decide the date order.
        rows: list[tuple[int, dict[str, str], str]] = []
        title: str | None = None
        header: list[str] | None = None
        not_read: list[str] = []
        for line, cells in _raw_rows(path, progress):
            if not cells or all(not c.strip() for c in cells):
                title, header = None, None
                continue
            if any("\ufffd" in c for c in cells):
                report.skipped.append(Skipped(f"line {line}", "is damaged (not UTF-8 or CSV)"))
                continue
            if len(cells) == 1 and cells[0].strip().lower() in SECTION_TITLES:
                title, header = cells[0].strip(), None
                continue
            if title is None:
                report.skipped.append(Skipped(f"line {line}", "is outside any section"))
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                if title.lower() not in ("activities", "activités"):
                    not_read.append(title)
                continue
            if title.lower() not in ("activities", "activités"):
                continue
            if len(cells) != len(header):
                report.skipped.append(
                    Skipped(f"line {line}", f"has {len(cells)} cells; the header has {len(header)}")
                )
                continue
            lang = SECTION_TITLES[title.lower()]
            rows.append((line, dict(zip(header, (c.strip() for c in cells), strict=True)), lang))
        for section in not_read:
            report.skipped.append(Skipped("file", f"section {section!r} is not read yet"))
        order = DateOrder()
        for _, row, _ in rows:
            order.see(row.get("date", ""))
        order.decide()
        for line, row, lang in rows:
            where = f"line {line}"
            try:
                records = list(_activity_row(row, lang, order, ctx))
            except (ValueError, KeyError) as exc:
                report.skipped.append(Skipped(where, str(exc).strip("'")))
                continue
            for r in records:
                report.saw_day(ctx.day_of(r.start))
                report.sources.add(r.source)
                yield r


def _activity_row(
    row: dict[str, str], lang: str, order: DateOrder, ctx: ImportContext
) -> Iterator[SampleData]:
    if "date" not in row:
        raise KeyError("the section has no Date column")
    d = order.read(row["date"]).date()
    values = {
        ACTIVITY_COLUMNS[k]: _number(v, lang) for k, v in row.items() if k in ACTIVITY_COLUMNS
    }
    if not values:
        raise KeyError("the section has no column Pacekeeper reads")
    yield from _day_values(d, values, ctx)


def _day_values(d: date, values: dict[str, float], ctx: ImportContext) -> Iterator[SampleData]:
    """Daily steps, distance (km) and intensity minutes. Fitbit writes 0 steps on a day the
    tracker was not worn: no steps or distance then."""
    steps = values.get("steps")
    if steps:
        yield _daily(SampleKind.STEPS, d, steps, ctx)
        if values.get("distance"):
            yield _daily(SampleKind.DISTANCE, d, round(values["distance"] * 1000, 1), ctx)
    yield from _minutes(d, {i: values[c] for i, c in INTENSITIES if c in values}, ctx)


# ---------------------------------------------------------------------------------------------
# Fitabase

FITABASE_TIME_COLUMNS = ("activitydate", "activityday", "activityhour", "sleepday")
FITABASE_COLUMNS = {
    "totalsteps": "steps",
    "steptotal": "steps",
    "totaldistance": "distance",
    "lightlyactiveminutes": "lightly",
    "fairlyactiveminutes": "fairly",
    "veryactiveminutes": "very",
    "totalminutesasleep": "asleep",
    "totaltimeinbed": "in_bed",
}
_ID_IN_NAME = re.compile(r"\d+")


def _first_cells(head: bytes) -> list[str]:
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if not lines:
        return []
    return [c.strip().strip('"').lower() for c in lines[0].split(",")]


class FitabaseCsv:
    name = "fitabase-csv"

    def sniff(self, head: bytes, path: Path) -> bool:
        cells = _first_cells(head)
        if len(cells) < 2 or cells[0] != "id":
            return False
        return cells[1] in FITABASE_TIME_COLUMNS or (cells[1] == "date" and "logid" in cells)

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        # First pass: who is in the file, and how its dates are written.
        ids: set[str] = set()
        order = DateOrder()
        columns: list[str] = []
        for _, row in csv_rows(path, ImportReport(str(path), self.name), lambda n: None):
            if not columns:
                columns = list(row)
            ids.add(row.get("id", ""))
            order.see(next((row[c] for c in FITABASE_TIME_COLUMNS if c in row), ""))
        time_column = next((c for c in FITABASE_TIME_COLUMNS if c in columns), None)
        readable = [c for c in columns if c in FITABASE_COLUMNS]
        if time_column is None or not readable:
            report.skipped.append(Skipped("file", "holds nothing Pacekeeper reads yet"))
            return
        wanted = _participant(path, ids)
        hourly = time_column == "activityhour"
        order.decide()
        for line, row in csv_rows(path, report, progress):
            where = f"line {line}"
            if row.get("id", "") != wanted:
                continue
            try:
                when = order.read(row[time_column])
                values = {FITABASE_COLUMNS[c]: _number(row[c], "en") for c in readable}
                records = list(_fitabase_row(when, hourly, values, ctx))
            except ValueError as exc:
                report.skipped.append(Skipped(where, str(exc)))
                continue
            for r in records:
                report.saw_day(ctx.day_of(r.start))
                report.sources.add(r.source)
                yield r


def _participant(path: Path, ids: set[str]) -> str:
    """The one participant to import: the only Id in the file, or the one named in its name."""
    if len(ids) == 1:
        return next(iter(ids))
    named = ids & set(_ID_IN_NAME.findall(path.stem))
    if len(named) == 1:
        return next(iter(named))
    shown = sorted(ids, key=lambda i: (len(i), i))
    listed = ", ".join(shown[:40]) + (f" and {len(shown) - 40} more" if len(shown) > 40 else "")
    raise ImportFileError(
        str(path),
        f"holds {len(ids)} participants (Id {listed}); a profile is one person: split the file "
        f"by Id (e.g. with the generic CSV) or put the Id to import in the file name, e.g. "
        f"{path.stem}-{shown[0]}{path.suffix}",
    )


def _fitabase_row(
    when: datetime, hourly: bool, values: dict[str, float], ctx: ImportContext
) -> Iterator[SampleData]:
    if hourly:
        if values.get("steps"):
            start = ctx.aware(when)
            yield SampleData(
                SampleKind.STEPS, start, values["steps"], SOURCE, later(start, timedelta(hours=1))
            )
        return
    d = when.date()
    yield from _day_values(d, values, ctx)
    for key, kind in (("asleep", SampleKind.SLEEP_ASLEEP), ("in_bed", SampleKind.SLEEP_IN_BED)):
        if values.get(key):
            yield _daily(kind, d, values[key], ctx)
