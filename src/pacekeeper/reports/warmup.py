"""Load the report's heavy libraries before anyone asks for a report.

The first report in a fresh process spends seconds that later ones do not: WeasyPrint loads its
fonts and CSS machinery and vl-convert starts its JavaScript engine on first use
(bench/report_bench.py prints both cases). `serve` calls warm_up() in a background thread at
start-up, so the first report a person asks for costs what later ones do.
"""

from __future__ import annotations

import threading

_SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]},
    "mark": "line",
    "encoding": {
        "x": {"field": "x", "type": "quantitative"},
        "y": {"field": "y", "type": "quantitative"},
    },
}
_PAGE = (
    "<!doctype html><html><head><style>@page { size: A4; margin: 1cm }"
    " body { font: 10pt sans-serif }</style></head>"
    "<body><h1>Warm-up</h1><p>Nothing to see.</p><img src='{svg}'></body></html>"
)


def warm_up() -> bytes:
    """Draw one tiny chart with vl-convert into one tiny PDF with WeasyPrint (returned only so
    a test can look at it)."""
    import base64

    import vl_convert
    from weasyprint import HTML  # type: ignore[import-untyped]

    from pacekeeper.reports.clinician.fetcher import InlineOnlyFetcher

    svg = vl_convert.vegalite_to_svg(_SPEC, allowed_base_urls=[])
    inline = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    pdf: bytes = HTML(
        string=_PAGE.replace("{svg}", inline), url_fetcher=InlineOnlyFetcher()
    ).write_pdf()
    return pdf


def warm_up_in_background() -> threading.Thread:
    # A daemon thread: stopping the server never waits for it.
    thread = threading.Thread(target=warm_up, name="report-warm-up", daemon=True)
    thread.start()
    return thread
