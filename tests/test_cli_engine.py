"""`pacekeeper model` and `pacekeeper backtest` on export files (no database) and on profiles."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from pacekeeper.cli import main

HEADER = "observation_date,tracker_name,tracker_category,observation_value\n"


def visible_export(path: Path, days: int = 150, lag: int = 2, seed: int = 3) -> Path:
    """A Visible CSV where being physically active (0-3) raises fatigue `lag` days later."""
    rng = np.random.default_rng(seed)
    active = rng.integers(0, 4, days)
    lines = [HEADER]
    start = date(2026, 1, 1)
    for i in range(days):
        day = (start + timedelta(days=i)).isoformat()
        push = active[i - lag] if i >= lag else 1
        fatigue = int(np.clip(round(0.6 + 0.7 * push + rng.normal(0, 0.4)), 0, 3))
        lines.append(f"{day},Physically active,Exertion,{active[i]}\n")
        if i % 11 != 5:  # some evenings without a check-in
            lines.append(f"{day},Fatigue,Symptom,{fatigue}\n")
            lines.append(f"{day},Brain Fog,Symptom,{min(fatigue, 2)}\n")
        lines.append(f"{day},Resting HR,Measurement,{60 + push}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def cli(tmp_path: Path):
    env = {
        "PACEKEEPER_HOME": str(tmp_path / "home"),
        "PACEKEEPER_SECRET_KEY": "s" * 40,
        "PACEKEEPER_NOW": "2026-06-01T10:00:00+00:00",
    }

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def test_model_on_a_file_finds_the_delay_in_plain_words(cli, tmp_path: Path) -> None:
    path = visible_export(tmp_path / "visible.csv", lag=2)
    result = cli("model", str(path), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    model = out["model"]
    assert model["load_effect"] is True
    assert 1.0 <= model["delay_days"]["value"] <= 3.0
    assert model["peak_rise_points"]["low"] > 0
    text = cli("model", str(path))
    assert "peak about" in text.output and "days after exertion" in text.output


def test_backtest_on_a_file_reports_the_model_beside_every_baseline(cli, tmp_path: Path) -> None:
    path = visible_export(tmp_path / "visible.csv")
    result = cli("backtest", str(path), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["schema"] == "pacekeeper.backtest" and out["version"] == 1
    names = [f["name"] for f in out["forecasters"]]
    assert names[0] == "pem" and len(names) == 6
    pem = out["forecasters"][0]
    assert pem["symptom_next"]["n"] > 100
    assert pem["symptom_next"]["mae"] is not None
    by_name = {f["name"]: f for f in out["forecasters"]}
    # The delayed effect is learnable: the model predicts tomorrow better than "same as today".
    assert pem["symptom_next"]["mae"] < by_name["persistence"]["symptom_next"]["mae"]
    table = cli("backtest", str(path))
    assert "AUROC" in table.output and "pem" in table.output


def test_a_missing_file_is_named(cli, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["backtest", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output and "no such file" in result.output


def test_model_on_the_demo_profile_recovers_its_generated_delay(cli, tmp_path: Path) -> None:
    """The demo generator (demo/generate.py) uses its own gamma kernel peaking at 1.5 days."""
    assert cli("demo", "--days", "180").exit_code == 0
    result = cli("model", "Demo (generated data)", "--json")
    assert result.exit_code == 0, result.output
    model = json.loads(result.output)["model"]
    assert 1.0 <= model["delay_days"]["value"] <= 3.0
    assert model["peak_rise_points"]["value"] > 0
    bt = json.loads(cli("backtest", "Demo (generated data)", "--json").output)
    assert bt["days"] >= 170
    assert bt["forecasters"][0]["crash_onset"]["onsets"] > 0


def test_wearable_data_without_symptoms_says_what_is_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["backtest", "../shared/data/pmdata/p03/fitbit", "--json"],
        env={"PACEKEEPER_HOME": str(tmp_path), "PACEKEEPER_SECRET_KEY": "s" * 40},
    )
    assert result.exit_code == 0, result.output
    assert "no symptom ratings" in result.stderr
    out = json.loads(result.stdout)
    assert all(f["symptom_next"]["n"] == 0 for f in out["forecasters"])
