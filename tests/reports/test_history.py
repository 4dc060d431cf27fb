from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from xml.etree import ElementTree  # our own SVG, not untrusted input

from pacekeeper.domain import BUILTIN_TRACKERS
from pacekeeper.domain.localday import zone
from pacekeeper.reports import history_days, history_summary, history_svg, history_table

OSLO = zone("Europe/Oslo")
CET = timezone(timedelta(hours=1))


@dataclass
class C:
    day: date
    values: dict


@dataclass
class A:
    started_at: datetime
    minutes: int
    physical: int = 0
    cognitive: int = 0
    emotional: int = 0
    social: int = 0


@dataclass
class S:
    start: datetime
    value: float


def days():
    return history_days(
        date(2026, 3, 10), date(2026, 3, 15),
        [C(date(2026, 3, 10), {"fatigue": 4, "crash": 0}), C(date(2026, 3, 12), {"fatigue": 8, "crash": 1})],
        [A(datetime(2026, 3, 11, 10, tzinfo=CET), 30, physical=2, social=1),
         A(datetime(2026, 3, 12, 2, tzinfo=CET), 60, cognitive=3)],  # 02:00: still the 11th
        [A(datetime(2026, 3, 11, 15, tzinfo=CET), 45)],
        [S(datetime(2026, 3, 11, 9, tzinfo=CET), 1200), S(datetime(2026, 3, 11, 18, tzinfo=CET), 300)],
        OSLO, time(4, 0),
    )  # fmt: skip


def test_days_are_local_and_gaps_stay_gaps():
    rows = days()
    assert [r.day.day for r in rows] == [10, 11, 12, 13, 14, 15]
    d11 = rows[1]
    assert d11.values is None  # no check-in: not zeros
    assert d11.load == {"physical": 60, "cognitive": 180, "emotional": 0, "social": 30}
    assert (d11.active_minutes, d11.rest_minutes, d11.steps) == (90, 45, 1500)
    assert rows[2].crash and not rows[0].crash
    assert rows[3].steps is None


def test_svg_is_accessible_and_marks_crashes():
    rows = days()
    svg = history_svg(rows, BUILTIN_TRACKERS)
    root = ElementTree.fromstring(svg)  # noqa: S314
    assert root.get("role") == "img"
    summary = history_summary(rows, BUILTIN_TRACKERS)
    assert root.get("aria-label") == summary
    assert (
        "check-ins on 2 of 6 days" in summary
        and "fatigue 6.0" in summary
        and "1 crash day" in summary
    )
    assert "Fatigue" in svg and "Brain fog" in svg
    assert "Symptoms (shaded: crash days)" in svg
    no_crash = [r for r in rows if not r.crash]
    assert "shaded: crash days" not in history_svg(no_crash, BUILTIN_TRACKERS)
    assert history_svg(rows, BUILTIN_TRACKERS, dark=True) != svg


def test_an_empty_period_still_draws_and_says_so():
    rows = history_days(date(2026, 3, 1), date(2026, 3, 30), [], [], [], [], OSLO, time(4, 0))
    svg = history_svg(rows, BUILTIN_TRACKERS)
    assert "No check-ins in this period yet" in svg
    assert "No activity logged" in svg


def test_table_rows_newest_first_with_blanks_for_missing():
    table = history_table(days(), BUILTIN_TRACKERS)
    assert (
        table[0]["Day"] == "Sun 15 Mar"
        and table[0]["Fatigue"] is None
        and table[0]["Crash"] is None
    )
    assert table[3]["Fatigue"] == 8 and table[3]["Crash"] == "yes"
    assert table[4]["Load points"] == 270 and table[4]["Steps"] == 1500


def test_spec_is_valid_vega_lite_and_load_bars_stack():
    """Requests skip Altair's schema validation for speed, so the spec is validated here."""
    import altair as alt

    from pacekeeper.reports.charts import _spec

    spec = _spec(days(), list(BUILTIN_TRACKERS[:3]), False, 300)
    alt.VConcatChart.from_dict(spec)  # raises if the spec breaks the Vega-Lite schema
    load = spec["vconcat"][1]["layer"][1]
    assert load["mark"]["type"] == "bar"
    assert load["encoding"]["y"]["stack"] == "zero"
    assert {row["kind"] for row in spec["datasets"]["load"]} == {"Physical", "Cognitive", "Social"}
