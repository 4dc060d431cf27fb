"""The learned delayed response as a picture: how a busier day shows up over the next days.

Bars are the model's median rise on each day after a day 10 load points busier than usual; the
whisker is its 80% interval. People would rather see the delay than read about it.
"""

from __future__ import annotations

import json
from typing import Any

from pacekeeper.reports.charts import _render, _theme

WIDTH, HEIGHT = 320, 180


def _label(day: int) -> str:
    return "that day" if day == 0 else f"+{day} d"


def response_svg(response: tuple[tuple[float, float, float], ...], *, dark: bool) -> str:
    theme = _theme(dark)
    rows = [
        {"day": _label(i), "order": i, "low": max(lo, 0.0), "rise": max(mid, 0.0), "high": hi}
        for i, (lo, mid, hi) in enumerate(response)
    ]
    x = {
        "field": "day",
        "type": "ordinal",
        "sort": {"field": "order"},
        "title": None,
        "axis": {"labelAngle": 0},
    }
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": WIDTH,
        "height": HEIGHT,
        "background": theme["bg"],
        "config": {
            "axis": {
                "labelColor": theme["text"],
                "titleColor": theme["text"],
                "gridColor": theme["grid"],
                "domainColor": theme["muted"],
                "labelFontSize": 13,
                "titleFontSize": 13,
            },
            "view": {"stroke": None},
        },
        "data": {"values": rows},
        "layer": [
            {
                "mark": {"type": "bar", "color": theme["lines"].split(",")[0]},
                "encoding": {
                    "x": x,
                    "y": {"field": "rise", "type": "quantitative", "title": "symptom rise"},
                },
            },
            {
                "mark": {"type": "rule", "color": theme["text"], "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            },
        ],
    }
    return _render(json.dumps(spec, sort_keys=True))
