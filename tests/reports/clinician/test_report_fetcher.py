"""The PDF never reaches outside the document: only inline data: URLs are fetched."""

from __future__ import annotations

import base64

import pytest

from pacekeeper.reports.clinician import InlineOnlyFetcher, render_pdf

# A small picture, inline.
PIXEL = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
    b'<rect width="4" height="4" fill="#0072B2"/></svg>'
).decode()


def test_links_to_the_network_or_files_are_refused_and_inline_data_is_used() -> None:
    html = f"""<html><head>
      <link rel="stylesheet" href="http://example.invalid/style.css">
      <style>@import url("https://example.invalid/more.css");</style>
      </head><body>
      <img src="file:///etc/hostname"><img src="data:image/svg+xml;base64,{PIXEL}">
      <p>Hello</p></body></html>"""
    fetcher = InlineOnlyFetcher()
    pdf = render_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == [
        "file:///etc/hostname",
        "http://example.invalid/style.css",
        "https://example.invalid/more.css",
    ]


def test_the_fetcher_raises_for_anything_but_data() -> None:
    fetcher = InlineOnlyFetcher()
    with pytest.raises(ValueError, match="fetches nothing"):
        fetcher.fetch("https://example.invalid/x.png")
    response = fetcher.fetch(f"data:image/svg+xml;base64,{PIXEL}")
    assert response is not None
    assert fetcher.refused == ["https://example.invalid/x.png"]


def test_the_demo_report_asks_for_nothing(demo_report) -> None:
    fetcher = InlineOnlyFetcher()
    render_pdf(demo_report.html, fetcher)
    assert fetcher.refused == []
