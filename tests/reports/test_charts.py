"""The history chart: a real SVG from vl-convert, its accessible name, and its words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta
from xml.etree import ElementTree  # our own SVG, not untrusted input

import altair as alt
import pytest

from pacekeeper.domain import BUILTIN_TRACKERS, TrackerDef
from pacekeeper.reports import HistoryDay, history_summary, history_svg, history_table
from pacekeeper.reports.charts import NO_ANSWERS, NO_CHECKINS, _spec, _theme, default_symptom_keys

SVG = "{http://www.w3.org/2000/svg}"
LAST = date(2026, 3, 15)
KINDS = ("physical", "cognitive", "emotional", "social")


def day(
    d: date,
    values: dict[str, float] | None = None,
    load: tuple[float, float, float, float] = (0, 0, 0, 0),
    active: float = 0,
) -> HistoryDay:
    crash = values is not None and values.get("crash", 0) >= 1
    return HistoryDay(d, values, dict(zip(KINDS, load, strict=True)), active, 0, None, crash)


def period(n: int, *, crash_every: int = 0, gap_every: int = 0) -> list[HistoryDay]:
    """`n` days ending on LAST with made-up answers and load; a crash or a gap now and then."""
    rows = []
    for i in range(n):
        d = LAST - timedelta(days=n - 1 - i)
        if gap_every and i % gap_every == gap_every - 1:
            rows.append(day(d, None, (20, 30, 0, 0), 50))
            continue
        crash = 1 if crash_every and i % crash_every == 0 else 0
        values = {"fatigue": 3 + i % 6, "pain": 2 + i % 4, "brain_fog": 4, "crash": crash}
        rows.append(day(d, values, (40 + i % 5 * 20, 60, 10 * (i % 2), 15), 70))
    return rows


@dataclass
class Parsed:
    root: ElementTree.Element
    texts: list[str]
    width: float


def parse(svg: str) -> Parsed:
    root = ElementTree.fromstring(svg)  # noqa: S314
    texts = []  # each line of text: a note on two lines is two tspans in one text
    for t in root.iter(f"{SVG}text"):
        lines = [s.text or "" for s in t.iter(f"{SVG}tspan")]
        texts.extend(lines or ["".join(t.itertext())])
    return Parsed(root, texts, float(root.get("width", "0")))


def test_the_svg_is_one_image_named_by_its_summary():
    rows = period(30, crash_every=9)
    svg = parse(history_svg(rows, BUILTIN_TRACKERS))
    summary = history_summary(rows, BUILTIN_TRACKERS)
    assert svg.root.get("role") == "img"
    assert svg.root.get("aria-label") == summary
    assert svg.root[0].tag == f"{SVG}title" and svg.root[0].text == summary
    # Vega's own per-mark roles would make a screen reader walk hundreds of shapes
    assert not [e for e in svg.root.iter() if e is not svg.root and e.get("role")]


def test_the_summary_says_what_the_chart_shows():
    rows = period(30, crash_every=9)
    rows[3] = day(rows[3].day)  # one day without a check-in
    text = history_summary(rows, BUILTIN_TRACKERS)
    assert text.startswith("30 days, 14 Feb to 15 Mar 2026: check-ins on 29 of 30 days.")
    fatigue = sum(r.values["fatigue"] for r in rows if r.values) / 29
    assert f"Average fatigue {fatigue:.1f}, pain " in text
    assert "4 crash days." in text
    assert "minutes of logged activity a day" in text
    one = history_summary([day(LAST, {"fatigue": 5, "crash": 1}, active=30)], BUILTIN_TRACKERS)
    assert one == (
        "1 day, 15 Mar 2026: check-ins on 1 of 1 day. Average fatigue 5.0. 1 crash day. "
        "About 30 minutes of logged activity a day."
    )


def test_lines_and_legends_carry_the_tracker_labels():
    svg = parse(history_svg(period(30), BUILTIN_TRACKERS))
    for label in ("Fatigue", "Pain", "Brain fog", "Unrefreshing sleep"):
        assert label in svg.texts
    for kind in ("Physical", "Cognitive", "Emotional", "Social"):
        assert kind in svg.texts
    assert "Symptoms (0–10)" in svg.texts
    assert "Sleep quality" not in svg.texts  # not a symptom: left out by default


def test_crash_days_are_marked_in_both_panels_and_in_the_legend():
    colour = _theme(False)["crash"]
    with_crash = history_svg(period(30, crash_every=9), BUILTIN_TRACKERS)
    assert "Crash day" in parse(with_crash).texts
    # one band per crash run in each panel, plus the legend swatch
    assert with_crash.count(f'fill="{colour}"') == 2 * 4 + 1

    without = history_svg(period(30), BUILTIN_TRACKERS)
    assert "Crash day" not in parse(without).texts
    assert colour not in without


def test_a_day_without_check_in_breaks_the_line_instead_of_dropping_to_zero():
    rows = period(10, gap_every=4)
    spec = _spec(rows, [BUILTIN_TRACKERS[0]], False, 340)
    fatigue = spec["datasets"]["symptoms"]
    assert len(fatigue) == 8  # two gap days: no rows, not zeros
    assert all(r["value"] > 0 for r in fatigue)
    assert len({r["segment"] for r in fatigue}) == 3  # three pieces of line
    # a lone answer between two gaps gets a point of its own
    rows = [day(LAST - timedelta(days=2)), day(LAST - timedelta(days=1), {"fatigue": 6}), day(LAST)]
    (lone,) = _spec(rows, [BUILTIN_TRACKERS[0]], False, 340)["datasets"]["symptoms"]
    assert lone["alone"] is True


def test_dark_variant_differs():
    rows = period(30, crash_every=9)
    light, dark = (
        history_svg(rows, BUILTIN_TRACKERS),
        history_svg(rows, BUILTIN_TRACKERS, dark=True),
    )
    assert light != dark
    assert _theme(True)["bg"] in dark and _theme(True)["bg"] not in light
    assert parse(dark).root.get("aria-label") == parse(light).root.get("aria-label")


def test_no_check_ins_at_all_still_draws_and_says_so():
    rows = [day(LAST - timedelta(days=i)) for i in range(29, -1, -1)]
    svg = parse(history_svg(rows, BUILTIN_TRACKERS))
    assert NO_CHECKINS.split("\n") == svg.texts[:2]
    assert "No activity logged in this period." in svg.texts
    assert svg.root.get("aria-label", "").endswith("no check-ins yet. No activity logged.")
    # answers, but none to the chosen symptoms: a different note
    rows[5] = day(rows[5].day, {"mood": 4})
    svg = parse(history_svg(rows, BUILTIN_TRACKERS))
    assert NO_ANSWERS.split("\n")[0] in svg.texts


def test_ninety_days_render_at_phone_width_and_wider():
    rows = period(90, crash_every=11, gap_every=7)
    phone = parse(history_svg(rows, BUILTIN_TRACKERS))
    # drawn about as wide as asked, so a phone shows the fonts at their stated size
    assert 300 <= phone.width <= 340
    assert {"1 Jan", "1 Feb", "1 Mar"} <= set(phone.texts)
    wide = parse(history_svg(rows, BUILTIN_TRACKERS, width=720))
    assert 680 <= wide.width <= 720


def test_symptom_keys_choose_the_lines_and_the_summary_follows():
    trackers = [*BUILTIN_TRACKERS, TrackerDef("nausea", "Nausea", max_value=5, position=9)]
    rows = [day(LAST, {"fatigue": 4, "nausea": 2, "sleep_quality": 7})]
    svg = history_svg(rows, trackers, symptom_keys=["nausea", "sleep_quality", "nope"])
    texts = parse(svg).texts
    assert "Nausea (0–5)" in texts and "Sleep quality" in texts and "Fatigue" not in texts
    assert "Average nausea 2.0 of 5, sleep quality 7.0." in history_summary(
        rows, trackers, symptom_keys=["nausea", "sleep_quality"]
    )
    (nausea,) = _spec(rows, [trackers[-1]], False, 340)["datasets"]["symptoms"]
    assert nausea["value"] == 4  # 2 of 5, placed on the 0-10 axis


def test_at_most_four_lines_by_default():
    many = [
        replace(t, key=f"s{i}", label=f"S{i}", position=i)
        for i, t in enumerate([BUILTIN_TRACKERS[0]] * 6)
    ]
    assert default_symptom_keys(many) == ["s0", "s1", "s2", "s3"]
    disabled = [replace(BUILTIN_TRACKERS[0], enabled=False), *BUILTIN_TRACKERS[1:]]
    assert default_symptom_keys(disabled) == [
        "pain",
        "brain_fog",
        "unrefreshing_sleep",
        "back_soreness",
    ]


def test_labels_a_person_typed_are_escaped():
    odd = TrackerDef("odd", 'Knees <&> "hips"', position=9)
    rows = [day(LAST - timedelta(days=1), {"odd": 3}), day(LAST, {"odd": 4})]
    svg = history_svg(rows, [odd])
    parsed = parse(svg)  # still well-formed XML
    assert 'Knees <&> "hips"' in parsed.texts
    assert "<&>" not in svg


def test_the_table_has_every_day_newest_first_with_blanks_for_missing():
    rows = period(7, crash_every=3)
    rows[4] = day(rows[4].day)
    table = history_table(rows, BUILTIN_TRACKERS)
    assert [r["Day"] for r in table][:2] == ["Sun 15 Mar", "Sat 14 Mar"]
    assert table[2]["Fatigue"] is None and table[2]["Crash"] is None
    assert table[0]["Crash"] == "yes" and table[1]["Crash"] == "no"
    assert table[0]["Load points"] == 60 + 60 + 0 + 15  # the seventh made-up day
    assert "Crash / PEM today" not in table[0]  # yes/no answers have their own column


def test_an_empty_period_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        history_svg([], BUILTIN_TRACKERS)


@pytest.mark.parametrize("n", [1, 30, 90])
def test_the_spec_is_valid_vega_lite(n: int):
    """Requests skip Altair's schema validation for speed, so the spec is validated here."""
    for rows in (period(n, crash_every=5), [day(r.day) for r in period(n)]):
        spec = _spec(rows, list(BUILTIN_TRACKERS[:3]), False, 340)
        alt.VConcatChart.from_dict(spec)  # raises if the spec breaks the Vega-Lite schema
        json.dumps(spec, allow_nan=False)


def test_dates_do_not_shift_with_the_server_time_zone():
    """Vega formats dates in the process's local zone unless told otherwise; a server west of
    Greenwich would otherwise label every day as the one before."""
    code = (
        "from tests.reports.test_charts import period, parse;"
        "from pacekeeper.domain import BUILTIN_TRACKERS;"
        "from pacekeeper.reports import history_svg;"
        "print(sorted(t for t in parse(history_svg(period(30), BUILTIN_TRACKERS)).texts"
        " if t[:1].isdigit() and t[-1].isalpha()))"
    )
    labels = {}
    for tz in ("UTC", "America/Los_Angeles", "Pacific/Auckland"):
        env = {**os.environ, "TZ": tz}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        labels[tz] = out.stdout.strip()
    assert labels["UTC"] == labels["America/Los_Angeles"] == labels["Pacific/Auckland"]
    assert re.search(r"'1 Mar'.*'8 Mar'", labels["UTC"]), labels["UTC"]
