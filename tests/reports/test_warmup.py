"""The report warm-up that `serve` runs at start-up draws a real chart into a real PDF."""

from __future__ import annotations

from pacekeeper.reports.warmup import warm_up, warm_up_in_background


def test_warm_up_draws_a_chart_into_a_pdf() -> None:
    pdf = warm_up()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Image" in pdf or b"/XObject" in pdf  # the chart made it onto the page


def test_the_background_warm_up_never_holds_the_server_open() -> None:
    thread = warm_up_in_background()
    assert thread.daemon
    thread.join(timeout=120)
    assert not thread.is_alive()
