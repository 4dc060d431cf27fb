"""`pacekeeper report --from/--to` and `--sections/--without`: the period and parts a person
chooses, checked as on the share page."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pacekeeper.cli import main

ENV_NOW = "2026-06-01T10:00:00+00:00"  # today is 1 Jun 2026 for the demo profile


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("cli-sections")
    values = {"PACEKEEPER_HOME": str(home / "home"), "PACEKEEPER_SECRET_KEY": "s" * 40,
              "PACEKEEPER_NOW": ENV_NOW}  # fmt: skip
    made = CliRunner().invoke(main, ["demo", "--days", "21"], env=values, catch_exceptions=False)
    assert made.exit_code == 0, made.output
    return values


def test_a_chosen_period_and_parts(env: dict[str, str], tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    args = ["report", "--from", "2026-05-20", "--to", "2026-05-30", "--sections",
            "heart-rate-ceiling,sleep", "--html", "-o", str(page)]  # fmt: skip
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "2026-05-20 to 2026-05-30" in result.output
    html = page.read_text(encoding="utf-8")
    assert 'id="ceiling"' in html and 'id="sleep"' in html and "(11 days)" in html
    assert 'id="summary"' not in html and 'id="pem"' not in html and 'id="over-time"' not in html
    assert "chose to leave some sections out" in html


def test_from_alone_runs_to_yesterday_and_without_leaves_parts_out(
    env: dict[str, str], tmp_path: Path
) -> None:
    pdf = tmp_path / "r.pdf"
    args = ["report", "--from", "2026-05-25", "--without", "sleep,questionnaires", "-o", str(pdf)]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "2026-05-25 to 2026-05-31" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "2026-05-01", "--to", "2026-06-01"], "must be yesterday (2026-05-31)"),
        (["--from", "2026-05-10", "--to", "2026-05-01"], "on or before the last day"),
        (["--from", "2024-01-01"], "two years"),
        (["--from", "1 May"], "a date like 2026-03-01 (got 1 May)"),
        (["--to", "2026-05-01"], "--to needs --from"),
        (["--days", "30", "--from", "2026-05-01"], "--days or --from, not both"),
        (["--sections", "sleep,diary"], "no section called diary"),
        (["--without", "sleep", "--sections", "summary"], "--sections or --without"),
        (["--sections", " , "], "choose at least one part"),
    ],
)
def test_bad_choices_are_clear_errors(env: dict[str, str], args: list[str], words: str) -> None:
    result = CliRunner().invoke(main, ["report", "--html", *args], env=env)
    assert result.exit_code == 2 and words in result.output, result.output
