"""Fitbit's CSV formats on real files: the fitbit.com monthly export (MyAIGuide participant 1,
../shared/data/myaiguide-chronic-pain) and Fitabase research exports (../shared/data/
fitbit-fitabase). Expected counts are computed here from the raw files, not by the importer."""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Profile
from pacekeeper.domain import SampleKind
from pacekeeper.domain.localday import day_start, local_day
from pacekeeper.errors import ImportFileError
from pacekeeper.importers import detect, import_paths
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.fitbit_csv import FitabaseCsv, FitbitCsv

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
MONTHLY = DATA / "myaiguide-chronic-pain" / "Participant1" / "dailyFitBitPerMonth"
FITABASE = DATA / "fitbit-fitabase" / "Fitabase Data 4.12.16-5.12.16"
PERSON = "1503960366"


def day_samples(s, p: Profile, kind: SampleKind, day: date) -> dict[str, float]:
    start = day_start(day, profiles_db.profile_zone(p), profiles_db.profile_boundary(p))
    rows = samples_db.samples_between(s, p, kind, start, start + timedelta(seconds=1))
    return {r.source: r.value for r in rows}


# --- fitbit.com monthly export ----------------------------------------------------------------


def monthly_rows() -> list[list[str]]:
    """Every day row of every export, by a reader of its own: rows begin with a quoted date."""
    out = []
    for f in sorted(MONTHLY.glob("*.csv")):
        text = f.read_text(encoding="utf-8-sig")
        french = "Activités" in text
        for cells in csv.reader(text.splitlines()):
            if len(cells) == 10 and cells[0][:2].isdigit():
                nums = [c.replace(",", ".") if french else c.replace(",", "") for c in cells[1:]]
                out.append([cells[0], *nums])
    return out


def test_fitbit_com_monthly_exports_import(db, clock, make_profile):
    pid = make_profile(db, clock, time_zone="Europe/Paris")
    rows = monthly_rows()
    assert len(rows) == 2429  # 80 months, 2016-09 to 2023-04
    worn = [r for r in rows if float(r[2]) > 0]
    reports = import_paths(db, pid, [MONTHLY], now=clock.now())
    assert len(reports) == 80 and {r.format for r in reports} == {"fitbit-csv"}
    assert all(not r.skipped for r in reports)
    total = sum(sum(r.added.values()) for r in reports)
    expected = len(worn) + sum(1 for r in worn if float(r[3]) > 0) + 3 * len(rows)
    assert total == expected
    assert min(r.first_day for r in reports) == date(2016, 9, 1)  # type: ignore[type-var]
    assert max(r.last_day for r in reports) == date(2023, 4, 30)  # type: ignore[type-var]

    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        # "02-09-2016","2,783","9,892","7.35",...,"234","34","22": day first, English numbers.
        day = date(2016, 9, 2)
        assert day_samples(s, p, SampleKind.STEPS, day) == {"Fitbit (daily)": 9892}
        assert day_samples(s, p, SampleKind.DISTANCE, day) == {"Fitbit (daily)": 7350}
        assert day_samples(s, p, SampleKind.ACTIVE_MINUTES, day) == {
            "Fitbit (light)": 234,
            "Fitbit (moderate)": 34,
            "Fitbit (vigorous)": 22,
        }
        # A French export: "01-12-2020","2140","5541","4,12": 4.12 km.
        assert day_samples(s, p, SampleKind.DISTANCE, date(2020, 12, 1)) == {"Fitbit (daily)": 4120}
        # 12-09-2016: 0 steps, the tracker was not worn: no steps, minutes still 0.
        assert day_samples(s, p, SampleKind.STEPS, date(2016, 9, 12)) == {}

    again = import_paths(db, pid, [MONTHLY], now=clock.now())
    assert sum(sum(r.added.values()) for r in again) == 0


def test_damaged_monthly_rows_are_skipped_with_their_line(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock)
    lines = (MONTHLY / "fitbit_export_2016_09.csv").read_text().splitlines()
    lines[3] = lines[3].replace('"2,783"', '"lots"')  # line 4: a number that is none
    lines[4] = lines[4].replace('"03-09-2016"', '"31-02-2016"')  # line 5: no such day
    lines[5] = lines[5][:20]  # line 6: cut short
    lines += ["", "Sleep", "Start Time,End Time,Minutes Asleep", "2016-09-30 11:00PM,x,400"]
    f = tmp_path / "export.csv"
    f.write_text("\n".join(lines) + "\n")
    (report,) = import_paths(db, pid, [f], now=clock.now())
    where = {s.where for s in report.skipped}
    assert {"line 5", "line 6", "file"} <= where
    assert "section 'Sleep' is not read yet" in str(report.skipped)
    # Line 4's calories are not read, so that row still imports.
    good = [c for i, c in enumerate(csv.reader(lines[2:32])) if i not in (2, 3)]
    steps = [float(c[2].replace(",", "")) for c in good]
    dist = [float(c[3]) for c in good]
    worn = [i for i, n in enumerate(steps) if n > 0]
    assert report.added["samples"] == len(worn) + sum(1 for i in worn if dist[i] > 0) + 3 * len(
        good
    )


def test_an_ambiguous_monthly_file_is_not_guessed(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text('Activities\nDate,Steps\n"01-02-2016","100"\n"02-01-2016","200"\n')
    assert isinstance(detect(f), FitbitCsv)
    report = ImportReport(str(f), "fitbit-csv")
    ctx = _ctx()
    assert list(FitbitCsv().read(f, report, lambda n: None, ctx)) == []
    assert [s.where for s in report.skipped] == ["line 3", "line 4"]
    assert "could be month/day or day/month" in report.skipped[0].reason


# --- Fitabase ---------------------------------------------------------------------------------


def fitabase_rows(name: str) -> list[dict[str, str]]:
    with (FITABASE / name).open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["Id"] == PERSON]


def named(tmp_path: Path, name: str) -> Path:
    """The real file under a name that says which participant to import (a link, no copy)."""
    link = tmp_path / name.replace(".csv", f"-{PERSON}.csv")
    link.symlink_to(FITABASE / name)
    return link


def test_one_fitabase_participant_imports(db, clock, make_profile, tmp_path):
    pid = make_profile(db, clock, time_zone="America/New_York")
    activity = fitabase_rows("dailyActivity_merged.csv")
    hourly = fitabase_rows("hourlySteps_merged.csv")
    sleep = fitabase_rows("sleepDay_merged.csv")
    assert len(activity) == 31
    files = [
        "dailyActivity_merged.csv",  # dates month first (04/12/2016, 4/13/2016)
        "dailySteps_merged.csv",  # 12/4/2016 is day first, 4/13/2016 month first
        "dailyIntensities_merged.csv",
        "hourlySteps_merged.csv",
        "sleepDay_merged.csv",  # 12/04/2016 12:00 AM day first
        "weightLogInfo_merged.csv",  # not read
    ]
    paths = [named(tmp_path, n) for n in files]
    reports = import_paths(db, pid, paths, now=clock.now())
    by = {Path(r.path).name.split("-")[0]: r for r in reports}
    assert all(not r.skipped for n, r in by.items() if not n.startswith("weight"))
    worn = [r for r in activity if int(r["TotalSteps"]) > 0]
    a = by["dailyActivity_merged"]
    assert a.added["samples"] == len(worn) * 2 + 3 * len(activity)
    assert (a.first_day, a.last_day) == (date(2016, 4, 12), date(2016, 5, 12))
    # The day-first rows land on the same days as the month-first file: all already there.
    assert by["dailySteps_merged"].added["samples"] == 0
    assert by["dailySteps_merged"].duplicates["samples"] == len(worn)
    assert by["dailyIntensities_merged"].added["samples"] == 0
    assert by["dailyIntensities_merged"].duplicates["samples"] == 3 * len(activity)
    assert by["hourlySteps_merged"].added["samples"] == sum(
        1 for r in hourly if int(r["StepTotal"]) > 0
    )
    assert by["sleepDay_merged"].added["samples"] == 2 * len(sleep)
    assert by["weightLogInfo_merged"].added == {}
    assert "nothing Pacekeeper reads" in str(by["weightLogInfo_merged"].skipped)

    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        # The participant's rows are 31 days in a row, in the file's order.
        first = day_start(date(2016, 4, 12), profiles_db.profile_zone(p))
        steps = samples_db.samples_between(
            s, p, SampleKind.STEPS, first - timedelta(days=400), first + timedelta(days=400)
        )
        daily = [x for x in steps if x.extra and x.extra.get("daily")]
        assert [x.value for x in daily] == [float(r["TotalSteps"]) for r in worn]
        days = [local_day(x.start, profiles_db.profile_zone(p)) for x in daily]
        assert days == [
            date(2016, 4, 12) + timedelta(days=i)
            for i, r in enumerate(activity)
            if int(r["TotalSteps"]) > 0
        ]
        # One day: 04/12/2016,13162,8.5,...,VeryActive 25, FairlyActive 13, LightlyActive 328.
        day = date(2016, 4, 12)
        assert day_samples(s, p, SampleKind.DISTANCE, day) == {"Fitbit (daily)": 8500}
        assert day_samples(s, p, SampleKind.ACTIVE_MINUTES, day) == {
            "Fitbit (light)": 328,
            "Fitbit (moderate)": 13,
            "Fitbit (vigorous)": 25,
        }
        assert day_samples(s, p, SampleKind.SLEEP_ASLEEP, day) == {"Fitbit (daily)": 327}
        assert day_samples(s, p, SampleKind.SLEEP_IN_BED, day) == {"Fitbit (daily)": 346}
        # Hourly steps: 04/12/2016 00:00 (New York), 373 steps over one hour.
        midnight = datetime(2016, 4, 12, 4, 0, tzinfo=UTC)
        (h,) = [x for x in steps if x.start == midnight]
        assert h.value == 373 and h.end - h.start == timedelta(hours=1)

    again = import_paths(db, pid, paths, now=clock.now())
    assert sum(sum(r.added.values()) for r in again) == 0


@pytest.mark.parametrize("name", ["dailySteps_merged.csv", "sleepDay_merged.csv"])
def test_a_file_of_many_participants_is_refused(db, clock, make_profile, tmp_path, name):
    pid = make_profile(db, clock)
    with (FITABASE / name).open(encoding="utf-8") as f:
        ids = {r["Id"] for r in csv.DictReader(f)}
    assert len(ids) > 1
    with pytest.raises(ImportFileError) as exc:
        import_paths(db, pid, [FITABASE / name], now=clock.now())
    message = str(exc.value)
    assert f"holds {len(ids)} participants" in message and all(i in message for i in ids)
    assert "split the file by Id" in message and f"-{min(ids)}.csv" in message
    # An Id in the name that is not in the file does not choose anyone.
    odd = tmp_path / name.replace(".csv", "-1234567890.csv")
    odd.symlink_to(FITABASE / name)
    with pytest.raises(ImportFileError, match="participants"):
        import_paths(db, pid, [odd], now=clock.now())
    with db.read() as s:
        p = profiles_db.get_profile(s, pid)
        t = datetime(2016, 1, 1, tzinfo=UTC)
        assert samples_db.samples_between(s, p, SampleKind.STEPS, t, t + timedelta(days=999)) == []


def test_fitabase_is_detected_by_content_and_bad_rows_are_skipped(tmp_path):
    f = tmp_path / "some-export.csv"
    f.write_text(
        "Id,ActivityDate,StepTotal\n"
        "7,4/13/2016,100\n"
        "7,4/14/2016,lots\n"  # line 3
        "7,4/15/2016\n"  # line 4
        "7,02/03/2016,300\n"  # line 5: Feb 3 or Mar 2? The file cannot tell.
        "7,03/02/2016,300\n"  # line 6: the same
        "7,4/31/2016,5\n"  # line 7: no such day
        "7,4/16/2016 25:00,5\n"  # line 8: no such time
    )
    assert isinstance(detect(f), FitabaseCsv)
    report = ImportReport(str(f), "fitabase-csv")
    records = list(FitabaseCsv().read(f, report, lambda n: None, _ctx()))
    assert [r.value for r in records] == [100]
    assert [s.where for s in report.skipped] == [f"line {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "could be month/day or day/month" in report.skipped[2].reason
    plain = tmp_path / "plain.csv"
    plain.write_text("date,steps\n2016-04-13,100\n")
    assert detect(plain).name == "generic-csv"


# --- any bytes --------------------------------------------------------------------------------

SEEDS = [
    (MONTHLY / "fitbit_export_2016_09.csv").read_bytes()[:600],
    (MONTHLY / "fitbit_export_2020_12.csv").read_bytes()[:600],
    b"Id,ActivityDate,TotalSteps,TotalDistance,VeryActiveMinutes\n"
    b"1,04/12/2016,13162,8.5,25\n1,4/13/2016,10735,6.97,21\n1,12/4/2016,1,1,1\n",
    b"Id,ActivityHour,StepTotal\n1,4/12/2016 12:00:00 AM,81\n1,04/12/2016 13:00,61\n",
    b"Id,SleepDay,TotalSleepRecords,TotalMinutesAsleep,TotalTimeInBed\n"
    b"1,12/04/2016 12:00 AM,1,327,346\n2,4/13/2016 12:00:00 AM,2,384,407\n",
]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    base = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(base) - 1))
        base[i] = draw(st.integers(0, 255))
    return bytes(base[: draw(st.integers(0, len(base)))])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(damaged(), st.binary(max_size=200).map(lambda b: SEEDS[2][:60] + b)))
def test_any_bytes_import_or_fail_cleanly(sqlite_db, clock, make_profile, data):
    with sqlite_db.read() as s:
        profiles = profiles_db.list_profiles(s)
    pid = profiles[0].id if profiles else make_profile(sqlite_db, clock)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "input.csv"
        path.write_bytes(data)
        try:
            (report,) = import_paths(sqlite_db, pid, [path], now=clock.now())
        except ImportFileError as exc:
            refused: ImportFileError | None = exc
        else:
            refused = None
            assert all(s.where.startswith(("line ", "file")) for s in report.skipped)
        if refused is not None:
            assert str(path) in str(refused)


def _ctx():
    from datetime import time
    from zoneinfo import ZoneInfo

    from pacekeeper.importers.context import ImportContext

    return ImportContext(ZoneInfo("Europe/Oslo"), time(4), {})
