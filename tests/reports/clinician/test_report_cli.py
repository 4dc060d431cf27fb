"""`pacekeeper report`: the demo profile's report as a PDF, or as HTML."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pacekeeper.cli import main
from pacekeeper.reports.clinician import MAX_PAGES
from tests.reports.clinician.report_helpers import pdf_pages


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "PACEKEEPER_HOME": str(tmp_path / "home"),
        "PACEKEEPER_SECRET_KEY": "s" * 40,
        "PACEKEEPER_NOW": "2026-06-01T10:00:00+00:00",
    }


def test_report_writes_a_pdf_and_an_html_page(tmp_path: Path) -> None:
    env, runner = _env(tmp_path), CliRunner()
    made = runner.invoke(main, ["demo", "--days", "21"], env=env, catch_exceptions=False)
    assert made.exit_code == 0, made.output
    pdf = tmp_path / "out.pdf"
    result = runner.invoke(main, ["report", "--days", "30", "-o", str(pdf)], env=env)
    assert result.exit_code == 0, result.output
    assert "2026-05-02 to 2026-05-31" in result.output and str(pdf) in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_pages(pdf.read_bytes(), tmp_path) <= MAX_PAGES

    page = tmp_path / "out.html"
    result = runner.invoke(main, ["report", "--html", "-o", str(page)], env=env)
    assert result.exit_code == 0, result.output
    assert "<h1>Pacing report: " in page.read_text(encoding="utf-8")


def test_an_unknown_profile_or_period_is_a_clear_error(tmp_path: Path) -> None:
    env, runner = _env(tmp_path), CliRunner()
    runner.invoke(main, ["demo", "--days", "14"], env=env, catch_exceptions=False)
    result = runner.invoke(main, ["report", "--profile", "Nobody"], env=env)
    assert result.exit_code == 2 and "no profile called 'Nobody'" in result.output
    result = runner.invoke(main, ["report", "--days", "45"], env=env)
    assert result.exit_code == 2 and "'45' is not one of" in result.output
