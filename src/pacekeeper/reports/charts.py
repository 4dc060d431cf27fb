"""The history chart: symptom lines above, daily load below, crash days shaded in both.

Rendered on the server to SVG (Altair spec -> vl-convert), so the phone runs no chart code and
nothing is fetched. Lines break where there was no check-in: a missing day is never drawn as 0.
Colours are Okabe-Ito (colour-blind safe), and lines also differ by dash and point shape.

Dates travel as UTC epoch milliseconds on UTC scales: Vega formats dates in the server process's
local zone otherwise, and a server west of Greenwich would label every day as the one before.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from statistics import mean
from typing import Any

import altair as alt
import vl_convert

from pacekeeper.domain.entries import LOAD_KINDS
from pacekeeper.domain.trackers import TrackerDef, TrackerKind
from pacekeeper.reports.history import HistoryDay

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
DASHES = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3]]
SHAPES = ["circle", "square", "triangle-up", "diamond"]
LOAD_COLOURS = {  # Okabe-Ito; stacked in this order from the bottom
    "physical": "#0072B2",
    "cognitive": "#E69F00",
    "emotional": "#CC79A7",
    "social": "#009E73",
}
MAX_LINES = 4
CRASH_LABEL = "Crash day"
NO_CHECKINS = "No check-ins in this period yet.\nYour daily check-ins will show here."
NO_ANSWERS = "No answers for these symptoms\nin this period."
NO_ACTIVITY = "No activity logged in this period."
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
Y_GUTTER = 44  # px kept for y-axis labels, the same in both panels so their x axes line up
PADDING = {"left": 4, "right": 4, "top": 6, "bottom": 6}
X_OVERHANG = 18  # px the last date label may reach past the plot's right edge
_EPOCH = date(1970, 1, 1)
_DAY_MS = 86_400_000


def default_symptom_keys(trackers: Sequence[TrackerDef]) -> list[str]:
    """The enabled symptom scales, in the profile's order, at most four."""
    shown = [t for t in trackers if t.enabled and t.is_symptom and t.kind is TrackerKind.SCALE]
    return [t.key for t in shown][:MAX_LINES]


def _chosen(trackers: Sequence[TrackerDef], symptom_keys: Sequence[str] | None) -> list[TrackerDef]:
    keys = list(symptom_keys) if symptom_keys is not None else default_symptom_keys(trackers)
    by_key = {t.key: t for t in trackers}
    return [by_key[k] for k in dict.fromkeys(keys) if k in by_key][:MAX_LINES]


def _theme(dark: bool) -> dict[str, str]:
    if dark:
        return {
            "bg": "#181b19",
            "text": "#eef1ee",
            "muted": "#b9c0bb",
            "grid": "#343a36",
            "crash": "#3f3521",  # a dim amber band: seen, but quieter than the lines
            "lines": "#56B4E9,#E69F00,#009E73,#CC79A7",  # the Okabe-Ito tones that read on dark
        }
    return {
        "bg": "#ffffff",
        "text": "#1b1d1c",
        "muted": "#4a504c",
        "grid": "#e1e4e2",
        "crash": "#f5e4cc",
        "lines": ",".join(OKABE_ITO),
    }


def _ms(day: date, shift: float = 0.0) -> float:
    """A day as UTC epoch milliseconds, what a UTC time scale reads. Each day is drawn centred
    on its midnight (its band from -0.5 to +0.5 days), so a date tick sits on its own day."""
    return ((day - _EPOCH).days + shift) * _DAY_MS


def _label(t: TrackerDef) -> str:
    if (t.min_value, t.max_value) == (0, 10):
        return t.label
    return f"{t.label} ({t.min_value:g}–{t.max_value:g})"


def _on_ten(t: TrackerDef, value: float) -> float:
    """A value on the tracker's own scale, placed on the chart's 0-10 axis."""
    span = t.max_value - t.min_value
    return 10 * (value - t.min_value) / span if span else value


def _symptom_rows(days: Sequence[HistoryDay], chosen: Sequence[TrackerDef]) -> list[dict[str, Any]]:
    """One row per answer; a run of days between gaps is one segment, drawn as one line."""
    rows: list[dict[str, Any]] = []
    for t in chosen:
        run: list[dict[str, Any]] = []
        segment = 0
        for d in [*days, None]:
            value = d.values.get(t.key) if d is not None and d.values else None
            if d is None or value is None:
                if len(run) == 1:
                    run[0]["alone"] = True  # one day between gaps: no line, so show a point
                rows.extend(run)
                run = []
                segment += 1
                continue
            run.append(
                {
                    "t": _ms(d.day),
                    "symptom": _label(t),
                    "value": round(_on_ten(t, value), 3),
                    "segment": f"{t.key}-{segment}",
                    "alone": False,
                }
            )
    return rows


def _crash_rows(days: Sequence[HistoryDay]) -> list[dict[str, Any]]:
    """One band per run of crash days (days side by side would show hairline seams)."""
    rows: list[dict[str, Any]] = []
    for d in days:
        if not d.crash:
            continue
        if rows and rows[-1]["t1"] == _ms(d.day, -0.5):
            rows[-1]["t1"] = _ms(d.day, 0.5)
        else:
            rows.append({"t0": _ms(d.day, -0.5), "t1": _ms(d.day, 0.5), "what": CRASH_LABEL})
    return rows


def _load_rows(days: Sequence[HistoryDay]) -> list[dict[str, Any]]:
    """Bars stacked here (y0, y1), not by Vega-Lite: no time units, so no local-time surprises."""
    rows: list[dict[str, Any]] = []
    for d in days:
        y = 0.0
        for kind in LOAD_KINDS:
            points = d.load.get(kind, 0.0)
            if points > 0:
                rows.append(
                    {
                        "t0": _ms(d.day, -0.38),
                        "t1": _ms(d.day, 0.38),
                        "kind": kind.capitalize(),
                        "y0": y,
                        "y1": y + points,
                    }
                )
                y += points
    return rows


@dataclass(frozen=True)
class _Shape:
    """All a chart's layout depends on; the rows themselves go in separately as datasets."""

    labels: tuple[str, ...]  # the symptom lines
    first: date
    last: date
    dark: bool
    width: int
    symptoms: str  # "lines", or the note shown in place of them
    crashes: bool
    load: bool


class _Build:
    """What both panels share while one layout is built: sizes, colours, the x scale."""

    def __init__(self, shape: _Shape) -> None:
        self.shape = shape
        self.colours = _theme(shape.dark)
        self.plot_width = max(
            120, shape.width - Y_GUTTER - PADDING["left"] - PADDING["right"] - X_OVERHANG
        )
        self.columns = 4 if self.plot_width >= 420 else 2
        self.month = (shape.last - shape.first).days < 45
        self.datasets: dict[str, list[dict[str, Any]]] = {}  # the layout's own: notes, ends
        self.x_scale = alt.Scale(
            type="utc", domain=[_ms(shape.first, -0.5), _ms(shape.last, 0.5)], nice=False
        )

    def x(self, field: str, *, labels: bool, grid: bool = True) -> Any:
        if not labels:  # the symptom panel: the dates are read off the load panel below it
            axis = alt.Axis(labels=False, ticks=False, grid=grid)
        else:
            count = max(3, self.plot_width // 110)  # weeks on a month, months on three
            axis = alt.Axis(format="%-d %b", tickCount=count, labelFlush=True, grid=grid)
        return alt.X(f"{field}:T", title=None, scale=self.x_scale, axis=axis)

    def crash_band(self, *, legend: bool, labels: bool) -> Any:
        fill = alt.Fill(
            "what:N",
            scale=alt.Scale(domain=[CRASH_LABEL], range=[self.colours["crash"]]),
            legend=alt.Legend(title=None, orient="top", symbolType="square", symbolSize=180)
            if legend
            else None,
        )
        return (
            alt.Chart(alt.Data(name="crashes"))
            .mark_rect()
            .encode(x=self.x("t0", labels=labels), x2="t1:T", fill=fill)
        )

    def empty(self, name: str, text: str, *, labels: bool) -> list[Any]:
        """A centred note in place of an empty panel, on invisible axes the size of real ones
        (so the panels still line up); the load panel keeps its dates."""
        layers = [self.crash_band(legend=not labels, labels=labels)] if self.shape.crashes else []
        self.datasets[f"{name}_axes"] = [
            {"t0": _ms(self.shape.first)},
            {"t0": _ms(self.shape.last)},
        ]
        self.datasets[f"{name}_note"] = [{"text": text}]
        hidden_y = alt.Axis(labels=False, ticks=False, grid=False, domain=False)
        axes = (
            alt.Chart(alt.Data(name=f"{name}_axes"))
            .mark_rule(opacity=0)
            .encode(
                x=self.x("t0", labels=labels, grid=False),
                y=alt.Y(datum=0, title=None, axis=hidden_y),
            )
        )
        note = (
            alt.Chart(alt.Data(name=f"{name}_note"))
            .mark_text(fontSize=15, color=self.colours["muted"], lineBreak="\n")
            .encode(text="text:N")
        )
        return [*layers, axes, note]


def _symptom_panel(b: _Build) -> Any:
    title = alt.Title("Symptoms (0–10)")
    if b.shape.symptoms != "lines":
        layers = b.empty("symptoms", b.shape.symptoms, labels=False)
        return alt.layer(*layers).properties(width=b.plot_width, height=170, title=title)

    labels = list(b.shape.labels)
    base = alt.Chart(alt.Data(name="symptoms")).encode(
        x=alt.X("t:T", title=None, scale=b.x_scale, axis=None),
        y=alt.Y(
            "value:Q",
            title=None,
            scale=alt.Scale(domain=[0, 10], nice=False),
            axis=alt.Axis(values=[0, 2, 4, 6, 8, 10]),
        ),
        color=alt.Color(
            "symptom:N",
            scale=alt.Scale(domain=labels, range=b.colours["lines"].split(",")[: len(labels)]),
            legend=alt.Legend(
                title=None,
                orient="top",
                columns=b.columns,
                symbolType="stroke",
                symbolStrokeWidth=3,
                symbolSize=625,  # a 25 px stroke: long enough to show every dash pattern
                labelLimit=max(90, (b.plot_width - 70) // 2 + 30),
            ),
        ),
    )
    lines = base.mark_line(strokeWidth=2.5 if b.month else 1.8, strokeJoin="round").encode(
        detail="segment:N",
        strokeDash=alt.StrokeDash(
            "symptom:N", scale=alt.Scale(domain=labels, range=DASHES[: len(labels)])
        ),
    )
    # Shapes tell the lines apart on a month; on three months they only add clutter, but a lone
    # answer between gaps has no line at all and always gets its point.
    points = base.mark_point(filled=True, size=40 if b.month else 30, opacity=1).encode(
        shape=alt.Shape(
            "symptom:N", scale=alt.Scale(domain=labels, range=SHAPES[: len(labels)]), legend=None
        )
    )
    layers = [lines, points if b.month else points.transform_filter("datum.alone")]
    if b.shape.crashes:
        layers.insert(0, b.crash_band(legend=True, labels=False))
    return alt.layer(*layers).properties(width=b.plot_width, height=170, title=title)


def _load_panel(b: _Build) -> Any:
    title = alt.Title("Activity load (minutes × effort)")
    if not b.shape.load:
        layers = b.empty("load", NO_ACTIVITY, labels=True)
        return alt.layer(*layers).properties(width=b.plot_width, height=120, title=title)
    kinds = [k.capitalize() for k in LOAD_KINDS]
    bars = (
        alt.Chart(alt.Data(name="load"))
        .mark_rect()
        .encode(
            x=b.x("t0", labels=True),
            x2="t1:T",
            y=alt.Y("y0:Q", title=None, axis=alt.Axis(format=",.0f", tickCount=3)),
            y2="y1:Q",
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=list(LOAD_COLOURS.values())),
                legend=alt.Legend(title=None, orient="top", columns=b.columns, symbolType="square"),
            ),
        )
    )
    layers = [b.crash_band(legend=False, labels=True), bars] if b.shape.crashes else [bars]
    return alt.layer(*layers).properties(width=b.plot_width, height=120, title=title)


@lru_cache(maxsize=32)
def _layout(shape: _Shape) -> str:
    """The Vega-Lite spec without the day rows, as JSON. Building it through Altair costs more
    than drawing it (~70 ms, Altair copies every sub-chart at each step), and it changes only
    with the day, the trackers, the theme and the width, so it is built once for those."""
    b = _Build(shape)
    text = b.colours["text"]
    chart = (
        alt.vconcat(_symptom_panel(b), _load_panel(b), spacing=22)
        # Each panel keeps its own legends; the dash scale sits with the symptom colours so the
        # legend shows each line's dash (the point shapes stay out of it: they would be huge).
        .resolve_scale(color="independent", fill="independent", strokeDash="independent")
        .resolve_legend(color="independent", fill="independent", strokeDash="independent")
        .properties(padding=PADDING, autosize=alt.AutoSizeParams(type="pad"))
        .configure(background=b.colours["bg"], font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=13,
            labelColor=text,
            gridColor=b.colours["grid"],
            domain=False,
            tickColor=b.colours["grid"],
            minExtent=Y_GUTTER,
            maxExtent=Y_GUTTER,
        )
        .configure_axisX(minExtent=0, maxExtent=40, labelPadding=4)
        .configure_legend(
            labelFontSize=13,
            labelColor=text,
            columnPadding=14,
            rowPadding=4,
            padding=2,
            offset=8,
            # Legends at a panel's top go one under another (Vega puts them side by side, too
            # wide for a phone). Vega-Lite passes this on to Vega only as an expression.
            layout=alt.ExprRef("{top: {direction: 'vertical', anchor: 'start', margin: 0}}"),
        )
        .configure_title(fontSize=15, fontWeight="bold", color=text, anchor="start", offset=6)
    )
    # Built by this code, not by users: a test validates it; requests skip that cost.
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["datasets"] = b.datasets
    return json.dumps(spec)


def _spec(
    days: Sequence[HistoryDay], chosen: Sequence[TrackerDef], dark: bool, width: int
) -> dict[str, Any]:
    """The Vega-Lite spec: symptom lines above, load bars below, on one date scale. The rows
    sit once in top-level named datasets (inline data would be copied into every layer)."""
    symptoms, crashes, load = _symptom_rows(days, chosen), _crash_rows(days), _load_rows(days)
    if symptoms:
        note = "lines"
    elif chosen and any(d.values is not None for d in days):
        note = NO_ANSWERS
    else:
        note = NO_CHECKINS
    labels = tuple(_label(t) for t in chosen)
    shape = _Shape(labels, days[0].day, days[-1].day, dark, width, note, bool(crashes), bool(load))
    spec: dict[str, Any] = json.loads(_layout(shape))
    rows = {"symptoms": symptoms, "crashes": crashes, "load": load}
    spec["datasets"].update({name: r for name, r in rows.items() if r})
    return spec


@lru_cache(maxsize=64)
def _render(spec_json: str) -> str:
    """Rendering costs ~100 ms; the same data (the usual revisit) is drawn only once."""
    # No base URLs: the spec's data is all inline, and a render must never reach the network.
    svg: str = vl_convert.vegalite_to_svg(json.loads(spec_json), allowed_base_urls=[])
    return svg


def _span(days: Sequence[HistoryDay]) -> str:
    first, last = days[0].day, days[-1].day
    if first == last:
        return f"{last.day} {last:%b %Y}"
    head = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
    return f"{head} to {last.day} {last:%b %Y}"


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def history_summary(
    days: Sequence[HistoryDay],
    trackers: Sequence[TrackerDef],
    *,
    symptom_keys: Sequence[str] | None = None,
) -> str:
    """A few short plain sentences: the chart's accessible name, also shown under it."""
    if not days:
        return "No days to show."
    n = len(days)
    checked = [d.values for d in days if d.values is not None]
    text = f"{_count(n, 'day')}, {_span(days)}: "
    if not checked:
        text += "no check-ins yet."
    else:
        text += f"check-ins on {len(checked)} of {_count(n, 'day')}."
        averages = []
        for t in _chosen(trackers, symptom_keys):
            vals = [v[t.key] for v in checked if t.key in v]
            if vals:
                scale = "" if (t.min_value, t.max_value) == (0, 10) else f" of {t.max_value:g}"
                averages.append(f"{t.label.lower()} {mean(vals):.1f}{scale}")
        if averages:
            first, *rest = averages
            text += f" Average {first}" + "".join(f", {a}" for a in rest) + "."
        crash_days = sum(d.crash for d in days)
        text += f" {_count(crash_days, 'crash day')}."
    active = sum(d.active_minutes for d in days)
    if active:
        text += f" About {active / n:.0f} minutes of logged activity a day."
    else:
        text += " No activity logged."
    return text


def history_table(
    days: Sequence[HistoryDay], trackers: Sequence[TrackerDef]
) -> list[dict[str, object]]:
    """The chart's numbers as rows, newest first, for an accessible table. None: no data."""
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
        row["Steps from"] = d.steps_from
        rows.append(row)
    return rows


def history_svg(
    days: Sequence[HistoryDay],
    trackers: Sequence[TrackerDef],
    *,
    symptom_keys: Sequence[str] | None = None,
    dark: bool = False,
    width: int = 340,
) -> str:
    """The chart as an SVG string about `width` px wide in all (drawn at that size on a phone,
    fonts are their stated size), with role="img" and the summary as its accessible name.

    `symptom_keys` picks up to four trackers for the lines (default: the enabled symptom scales).
    """
    if not days:
        raise ValueError("history_svg needs at least one day")
    chosen = _chosen(trackers, symptom_keys)
    svg = _render(json.dumps(_spec(days, chosen, dark, width), sort_keys=True))
    summary = html.escape(history_summary(days, trackers, symptom_keys=symptom_keys), quote=True)
    # Vega marks the root as a graphics document; screen readers do better with one image.
    svg = re.sub(r'\s(role|aria-roledescription|aria-label)="[^"]*"', "", svg)
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-label="{summary}"><title>{summary}</title>',
        svg,
        count=1,
    )
