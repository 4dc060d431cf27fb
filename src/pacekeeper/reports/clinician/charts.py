"""The report's charts as print-sized SVG (Vega-Lite specs rendered offline by vl-convert).

Dates travel as UTC epoch milliseconds on UTC scales, as in reports/charts.py, so the server's
own time zone never shifts a day. Missing days are gaps, never zeros. Crash episodes are shaded
behind the lines in every time chart, so a reader can see what came before each one.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl

from pacekeeper.engine.crashes import Episode
from pacekeeper.reports.charts import _render, _theme
from pacekeeper.reports.clinician.gather import EnvelopePoint

WIDTH = 600  # px of plot: fits A4 portrait between 15 mm margins, with the y-axis labels
_EPOCH = date(1970, 1, 1)
_DAY_MS = 86_400_000
INK = "#0072B2"  # Okabe-Ito blue
SECOND = "#D55E00"  # Okabe-Ito vermillion
BASELINE = "#4a504c"


def _ms(day: date, shift: float = 0.0) -> float:
    return ((day - _EPOCH).days + shift) * _DAY_MS


def _rows(frame: pl.DataFrame, *columns: str) -> list[dict[str, Any]]:
    out = []
    for row in frame.select("day", *columns).iter_rows(named=True):
        out.append({"t": _ms(row["day"]), **{c: row[c] for c in columns}})
    return out


def _config() -> dict[str, Any]:
    theme = _theme(False)
    return {
        "font": "DejaVu Sans, sans-serif",
        "axis": {
            "labelColor": theme["text"],
            "titleColor": theme["text"],
            "gridColor": theme["grid"],
            "domainColor": theme["muted"],
            "labelFontSize": 11,
            "titleFontSize": 11,
            "titleFontWeight": "normal",
        },
        "legend": {"labelFontSize": 11, "orient": "top", "title": None},
        "title": {"fontSize": 12, "anchor": "start", "color": theme["text"]},
        "view": {"stroke": None},
    }


def _x(first: date, last: date, *, labels: bool = True) -> dict[str, Any]:
    axis: dict[str, Any] = {"format": "%-d %b", "tickCount": 6, "labelFlush": True}
    if not labels:
        axis = {"labels": False, "ticks": False}
    return {
        "field": "t",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [_ms(first, -0.5), _ms(last, 0.5)], "nice": False},
        "axis": axis,
    }


def _crash_layer(episodes: list[Episode], first: date, last: date) -> dict[str, Any]:
    rows = [
        {"t": _ms(max(e.onset, first), -0.5), "t2": _ms(min(e.end, last), 0.5), "what": "Crash"}
        for e in episodes
    ]
    return {
        "data": {"values": rows},
        "mark": {"type": "rect", "color": _theme(False)["crash"]},
        "encoding": {"x": _x(first, last), "x2": {"field": "t2"}},
    }


def _panel(
    title: str, height: int, layers: list[dict[str, Any]], episodes: list[Episode]
) -> dict[str, Any]:
    first, last = _span_of(layers)
    crash = [_crash_layer(episodes, first, last)] if episodes else []
    return {"title": title, "width": WIDTH, "height": height, "layer": crash + layers}


def _span_of(layers: list[dict[str, Any]]) -> tuple[date, date]:
    domain = layers[0]["encoding"]["x"]["scale"]["domain"]
    first = _EPOCH.fromordinal(_EPOCH.toordinal() + round(domain[0] / _DAY_MS + 0.5))
    last = _EPOCH.fromordinal(_EPOCH.toordinal() + round(domain[1] / _DAY_MS - 0.5))
    return first, last


def _line(
    rows: list[dict[str, Any]],
    field: str,
    first: date,
    last: date,
    *,
    color: str,
    title: str | None = None,
    dash: list[int] | None = None,
    domain: list[float] | None = None,
) -> dict[str, Any]:
    y: dict[str, Any] = {"field": field, "type": "quantitative", "title": title}
    if domain is not None:
        y["scale"] = {"domain": domain, "nice": False}
    else:
        y["scale"] = {"zero": False}
    mark: dict[str, Any] = {"type": "line", "color": color, "strokeWidth": 1.6}
    if dash:
        mark["strokeDash"] = dash
    return {
        "data": {"values": rows},
        "mark": mark,
        "encoding": {"x": _x(first, last), "y": y},
    }


def _svg(spec: dict[str, Any]) -> str:
    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec}
    full["config"] = _config()
    full["background"] = "#ffffff"
    return _render(json.dumps(full, sort_keys=True, default=str))


def symptoms_and_load_svg(
    frame: pl.DataFrame, episodes: list[Episode], first: date, last: date
) -> str:
    """Symptom burden (0-10) above, daily load below; crash episodes shaded in both."""
    rows = _rows(frame, "symptom", "load")
    symptom = _line(rows, "symptom", first, last, color=INK, title="0–10", domain=[0, 10])
    symptom["encoding"]["x"] = _x(first, last, labels=False)
    # One rule per day from 0 to its load: a bar whose width follows the period's length.
    load = {
        "data": {"values": [r for r in rows if r["load"] is not None]},
        "mark": {
            "type": "rule",
            "color": SECOND,
            "strokeWidth": 2 if last.toordinal() - first.toordinal() > 120 else 3,
        },
        "encoding": {
            "x": _x(first, last),
            "y": {"field": "load", "type": "quantitative", "title": "points"},
            "y2": {"datum": 0},
        },
    }
    return _svg(
        {
            "vconcat": [
                _panel("Symptom burden (evening check-in)", 120, [symptom], episodes),
                _panel("Activity load (minutes × effort)", 90, [load], episodes),
            ],
            "spacing": 10,
        }
    )


def morning_svg(frame: pl.DataFrame, episodes: list[Episode], first: date, last: date) -> str:
    """Morning resting HR and HRV, each with the person's own baseline dashed."""
    with_base = frame.with_columns(
        (pl.col("rhr") - pl.col("rhr_dev")).alias("rhr_base"),
        (pl.col("hrv") / (1 + pl.col("hrv_dev"))).alias("hrv_base"),
    )
    rows = _rows(with_base, "rhr", "rhr_base", "hrv", "hrv_base")
    rhr = [
        _line(rows, "rhr", first, last, color=SECOND, title="bpm"),
        _line(rows, "rhr_base", first, last, color=BASELINE, dash=[5, 3]),
    ]
    hrv = [
        _line(rows, "hrv", first, last, color=INK, title="ms"),
        _line(rows, "hrv_base", first, last, color=BASELINE, dash=[5, 3]),
    ]
    for layer in rhr:
        layer["encoding"]["x"] = _x(first, last, labels=False)
    return _svg(
        {
            "vconcat": [
                _panel("Morning resting heart rate (dashed: own baseline)", 80, rhr, episodes),
                _panel("Morning HRV (dashed: own baseline)", 80, hrv, episodes),
            ],
            "spacing": 10,
        }
    )


def sleep_svg(frame: pl.DataFrame, episodes: list[Episode], first: date, last: date) -> str:
    """Hours of sleep per night, with the 7-night mean."""
    hours = frame.select(
        "day",
        (pl.col("sleep_min") / 60).alias("hours"),
        (pl.col("sleep_min") / 60).rolling_mean(7, min_samples=4).alias("week"),
    )
    rows = _rows(hours, "hours", "week")
    # Each night as a thin light line (one path, not one mark per night: a year of dots is
    # slow to draw in the PDF and no easier to read), the 7-night mean over it.
    nights = _line(rows, "hours", first, last, color="#9ec9e6", title="hours")
    nights["mark"]["strokeWidth"] = 1
    week = _line(rows, "week", first, last, color=INK)
    return _svg(
        {
            "vconcat": [
                _panel(
                    "Sleep (light: each night; dark: 7-night mean)", 80, [nights, week], episodes
                )
            ]
        }
    )


def envelope_svg(points: list[EnvelopePoint], first: date, last: date) -> str:
    """The safe load as estimated across the period, with its 80% interval."""
    rows = [
        {"t": _ms(p.day), "safe": round(p.safe_load, 2), "low": p.low, "high": p.high}
        for p in points
    ]
    band = {
        "data": {"values": rows},
        "mark": {"type": "area", "color": INK, "opacity": 0.18},
        "encoding": {
            "x": _x(first, last),
            "y": {"field": "low", "type": "quantitative", "title": "load points"},
            "y2": {"field": "high"},
        },
    }
    line = _line(rows, "safe", first, last, color=INK)
    line["mark"]["point"] = True
    return _svg({"title": "Energy envelope", "width": 260, "height": 110, "layer": [band, line]})
