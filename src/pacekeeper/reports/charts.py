"""The history chart: symptom lines above, daily load below, crash days shaded in both.

Rendered on the server to SVG (Altair spec -> vl-convert), so the phone runs no chart code and
nothing is fetched. Lines break where there was no check-in: a missing day is never drawn as 0.
Colours are Okabe-Ito (colour-blind safe), and lines also differ by dash and point shape.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from datetime import timedelta
from functools import lru_cache
from statistics import mean
from typing import Any

import altair as alt
import vl_convert

from pacekeeper.domain.entries import LOAD_KINDS
from pacekeeper.domain.trackers import TrackerDef, TrackerKind
from pacekeeper.reports.history import HistoryDay

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]
SHAPES = ["circle", "square", "triangle-up", "diamond"]
LOAD_COLOURS = {
    "physical": "#0072B2",
    "cognitive": "#E69F00",
    "emotional": "#CC79A7",
    "social": "#009E73",
}
MAX_LINES = 4


def default_symptom_keys(trackers: Sequence[TrackerDef]) -> list[str]:
    return [t.key for t in trackers if t.enabled and t.is_symptom and t.kind is TrackerKind.SCALE][
        :MAX_LINES
    ]


def _theme(dark: bool) -> dict[str, str]:
    if dark:
        return {"bg": "#1b1f1c", "text": "#eef1ee", "grid": "#3a413c", "crash": "#5a2a2a"}
    return {"bg": "#ffffff", "text": "#1b1d1c", "grid": "#d9ddda", "crash": "#f6d4cf"}


def _symptom_rows(days: Sequence[HistoryDay], chosen: Sequence[TrackerDef]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for t in chosen:
        segment = 0
        previous_present = False
        for d in days:
            value = d.values.get(t.key) if d.values else None
            if value is None:
                previous_present = False
                continue
            if not previous_present:
                segment += 1  # a new run after a gap: drawn as a separate line piece
            previous_present = True
            rows.append(
                {
                    "date": d.day.isoformat(),
                    "symptom": t.label,
                    "value": value,
                    "segment": f"{t.key}-{segment}",
                }
            )
    return rows


def _crash_rows(days: Sequence[HistoryDay]) -> list[dict[str, str]]:
    return [
        {
            "start": d.day.isoformat(),
            "end": (d.day + timedelta(days=1)).isoformat(),
            "label": "Crash day",
        }
        for d in days
        if d.crash
    ]


def _load_rows(days: Sequence[HistoryDay]) -> list[dict[str, Any]]:
    return [
        {
            "date": d.day.isoformat(),
            "end": (d.day + timedelta(days=1)).isoformat(),
            "kind": kind.capitalize(),
            "points": d.load[kind],
            "order": i,
        }
        for d in days
        for i, kind in enumerate(LOAD_KINDS)
        if d.load[kind] > 0
    ]


def _spec(
    days: Sequence[HistoryDay], chosen: Sequence[TrackerDef], dark: bool, width: int
) -> dict[str, Any]:
    """The Vega-Lite spec. Data goes in top-level named datasets: Altair deep-copies inline data
    at every layer and concat, which cost more than drawing."""
    datasets: dict[str, list[dict[str, Any]]] = {}

    def data(name: str, values: list[dict[str, Any]]) -> Any:
        datasets[name] = values
        return alt.Data(name=name)

    colours = _theme(dark)
    first, last = days[0].day, days[-1].day + timedelta(days=1)
    x_scale = alt.Scale(domain=[first.isoformat(), last.isoformat()])
    x = alt.X("date:T", title=None, scale=x_scale, axis=alt.Axis(format="%d %b", tickCount=4))
    crashes = _crash_rows(days)
    crash_layer = (
        alt.Chart(data("crashes", crashes))
        .mark_rect(color=colours["crash"])
        .encode(x=alt.X("start:T", scale=x_scale, title=None), x2="end:T")
    )

    labels = [t.label for t in chosen]
    symptom_rows = _symptom_rows(days, chosen)
    if symptom_rows:
        colour = alt.Color(
            "symptom:N",
            scale=alt.Scale(domain=labels, range=OKABE_ITO[: len(labels)]),
            legend=alt.Legend(title=None, orient="top", columns=2, symbolStrokeWidth=3),
        )
        base = alt.Chart(data("symptoms", symptom_rows)).encode(
            x=x,
            y=alt.Y("value:Q", title="0–10", scale=alt.Scale(domain=[0, 10])),
            color=colour,
            detail="segment:N",
        )
        lines = base.mark_line(strokeWidth=2.5).encode(
            strokeDash=alt.StrokeDash(
                "symptom:N",
                scale=alt.Scale(domain=labels, range=DASHES[: len(labels)]),
                legend=None,
            )
        )
        points = base.mark_point(filled=True, size=36).encode(
            shape=alt.Shape(
                "symptom:N",
                scale=alt.Scale(domain=labels, range=SHAPES[: len(labels)]),
                legend=None,
            )
        )
        # Point shapes tell lines apart on a month; on three months they only add clutter.
        marks = [crash_layer, lines, points] if len(days) <= 31 else [crash_layer, lines]
        top: Any = alt.layer(*marks)
    else:
        note = (
            alt.Chart(data("no_checkins", [{"text": "No check-ins in this period yet"}]))
            .mark_text(fontSize=15, color=colours["text"])
            .encode(text="text:N")
        )
        top = alt.layer(crash_layer, note) if crashes else note
    title = "Symptoms (shaded: crash days)" if crashes else "Symptoms"
    top = top.properties(width=width, height=170, title=title)

    load_rows = _load_rows(days)
    bars = (
        alt.Chart(data("load", load_rows))
        .mark_bar()
        .encode(
            # A day time unit gives each bar its day's width, and bars of one day stack.
            x=alt.X(
                "yearmonthdate(date):T",
                scale=x_scale,
                title=None,
                axis=alt.Axis(format="%d %b", tickCount=4),
            ),
            y=alt.Y("sum(points):Q", title="load points", stack="zero"),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=[k.capitalize() for k in LOAD_KINDS], range=list(LOAD_COLOURS.values())
                ),
                legend=alt.Legend(title=None, orient="bottom", columns=2),
            ),
            order=alt.Order("order:Q"),
        )
    )
    bottom = alt.layer(crash_layer, bars) if load_rows else crash_layer
    if not load_rows:
        empty = alt.Chart(data("no_activity", [{"text": "No activity logged in this period"}]))
        bottom = alt.layer(
            crash_layer, empty.mark_text(fontSize=15, color=colours["text"]).encode(text="text:N")
        )
    bottom = bottom.properties(width=width, height=110, title="Activity load")

    chart = (
        alt.vconcat(top, bottom, spacing=18)
        .resolve_scale(color="independent", strokeDash="independent", shape="independent")
        .configure(background=colours["bg"], font="system-ui, sans-serif")
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=13,
            titleFontSize=13,
            labelColor=colours["text"],
            titleColor=colours["text"],
            gridColor=colours["grid"],
            domainColor=colours["grid"],
            tickColor=colours["grid"],
        )
        .configure_legend(labelFontSize=13, labelColor=colours["text"], labelLimit=180)
        .configure_title(fontSize=15, color=colours["text"], anchor="start")
    )
    # Built by this code, not by users: a test validates it; requests skip that cost.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["datasets"] = datasets
    return spec


@lru_cache(maxsize=64)
def _render(spec_json: str) -> str:
    """Rendering costs a few hundred ms; the same data (the usual revisit) is drawn only once."""
    svg: str = vl_convert.vegalite_to_svg(json.loads(spec_json))
    return svg


def history_summary(days: Sequence[HistoryDay], trackers: Sequence[TrackerDef]) -> str:
    """One plain sentence, used as the chart's accessible name and under it."""
    if not days:
        return "No days to show."
    checked = [d for d in days if d.values is not None]
    parts = []
    for t in [t for t in trackers if t.key in default_symptom_keys(trackers)]:
        vals = [d.values[t.key] for d in checked if d.values and t.key in d.values]
        if vals:
            parts.append(f"{t.label.lower()} {mean(vals):.1f}")
    crash_days = sum(d.crash for d in days)
    text = f"Last {len(days)} days: check-ins on {len(checked)} of {len(days)} days"
    if parts:
        text += "; average " + ", ".join(parts)
    text += f"; {crash_days} crash day{'s' if crash_days != 1 else ''}"
    active = sum(d.active_minutes for d in days)
    return text + f"; {active / len(days):.0f} minutes of logged activity a day."


def history_table(
    days: Sequence[HistoryDay], trackers: Sequence[TrackerDef]
) -> list[dict[str, object]]:
    """The chart's numbers as rows, newest first, for an accessible table."""
    shown = [t for t in trackers if t.enabled and t.kind is not TrackerKind.YES_NO]
    rows: list[dict[str, object]] = []
    for d in reversed(days):
        row: dict[str, object] = {"Day": f"{d.day:%a} {d.day.day} {d.day:%b}"}
        for t in shown:
            value = d.values.get(t.key) if d.values else None
            row[t.label] = None if value is None else round(value, 1)
        row["Crash"] = "yes" if d.crash else ("no" if d.values is not None else None)
        row["Activity min"] = round(d.active_minutes)
        row["Load points"] = round(d.total_load)
        row["Rest min"] = round(d.rest_minutes)
        row["Steps"] = None if d.steps is None else round(d.steps)
        rows.append(row)
    return rows


def history_svg(
    days: Sequence[HistoryDay],
    trackers: Sequence[TrackerDef],
    *,
    symptom_keys: Sequence[str] | None = None,
    dark: bool = False,
    width: int = 300,
) -> str:
    """The chart as an SVG string with role="img" and a summary as its accessible name."""
    if not days:
        raise ValueError("history_svg needs at least one day")
    keys = list(symptom_keys) if symptom_keys is not None else default_symptom_keys(trackers)
    by_key = {t.key: t for t in trackers}
    chosen = [by_key[k] for k in keys if k in by_key][:MAX_LINES]
    svg = _render(json.dumps(_spec(days, chosen, dark, width), sort_keys=True))
    summary = html.escape(history_summary(days, trackers), quote=True)
    # Vega marks the root as a graphics document; screen readers do better with one image.
    svg = re.sub(r'\s(role|aria-roledescription|aria-label)="[^"]*"', "", svg, count=0)
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-label="{summary}"><title>{summary}</title>',
        svg,
        count=1,
    )
