"""`pacekeeper omics analyse` end to end on real data (Germain 2018) and on small made-up
studies: tables, charts and the report are written; user errors exit 2 with one line."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from pacekeeper.cli import main
from pacekeeper.omics import read_metabolon
from tests.omics.simulate import GERMAIN, needs_germain, simulate_study


def _invoke(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    env = {"PACEKEEPER_HOME": str(tmp_path / "home")}
    r = runner.invoke(main, ["omics", "analyse", *args], env=env, catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@needs_germain
def test_germain_2018_case_control_end_to_end(tmp_path: Path) -> None:
    layer = read_metabolon(GERMAIN / "germain2018.xlsx")
    sheet = tmp_path / "samples.csv"
    with sheet.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sample", "group"])
        for s in layer.samples:
            w.writerow([s, "ME/CFS" if s.startswith("P") else "control"])
    out = tmp_path / "out"
    code, stdout, stderr = _invoke(
        tmp_path,
        "--layer",
        f"metabolomics={GERMAIN / 'germain2018.xlsx'}",
        "--samples",
        str(sheet),
        "--out",
        str(out),
    )
    assert code == 0, stderr
    assert "read metabolomics: 832 features x 51 samples" in stdout
    assert "metabolomics: preprocessed" in stdout and "enrichment done" in stdout
    results = pl.read_csv(out / "results.csv")
    assert set(results["contrast"]) == {"ME/CFS vs control", "ME/CFS vs control (moderated)"}
    assert results.filter(pl.col("contrast") == "ME/CFS vs control").height == 765
    enrichment = pl.read_csv(out / "enrichment.csv")
    acyl = enrichment.filter(
        pl.col("set").str.contains("Acyl Choline") & (pl.col("contrast") == "ME/CFS vs control")
    ).row(0, named=True)
    assert acyl["median_t"] < 0 and acyl["rank_q"] < 0.05  # lower in ME/CFS, as published 2020
    page = (out / "report.html").read_text()
    assert "<svg" in page and "ME/CFS vs control" in page
    assert (out / "volcano_1.svg").read_text().startswith("<svg")
    assert (out / "pathways_1.svg").exists()


def test_timecourse_with_two_layers_and_a_symptom(tmp_path: Path) -> None:
    sim = simulate_study(
        seed=5,
        n_features=60,
        n_subjects=24,
        times=("pre", "post"),
        n_planted=10,
        planted_in="interaction",
        effect=2.0,
    )
    other = simulate_study(
        seed=6,
        n_features=30,
        n_subjects=24,
        times=("pre", "post"),
        n_planted=5,
        planted_in="interaction",
    )
    paths = {}
    for name, s in (("metab", sim), ("cyto", other)):
        p = tmp_path / f"{name}.csv"
        with p.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["feature", *s.layer.samples])
            for i, feat in enumerate(s.layer.features):
                w.writerow([feat, *s.layer.values[i]])
        paths[name] = p
    sheet = tmp_path / "sheet.csv"
    with sheet.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sample", "subject", "group", "time", "age", "fatigue"])
        for i, smp in enumerate(sim.sheet.samples):
            w.writerow(
                [
                    smp,
                    sim.sheet.subject[i],
                    sim.sheet.group[i],
                    sim.sheet.time[i],
                    sim.sheet.columns["age"][i],
                    i % 7,
                ]
            )
    out = tmp_path / "out"
    code, stdout, stderr = _invoke(
        tmp_path,
        "--layer",
        f"metab={paths['metab']}",
        "--layer",
        f"cyto={paths['cyto']}",
        "--samples",
        str(sheet),
        "--design",
        "timecourse",
        "--covariate",
        "age",
        "--symptom",
        "fatigue",
        "--no-charts",
        "--out",
        str(out),
    )
    assert code == 0, stderr
    results = pl.read_csv(out / "results.csv")
    inter = results.filter(
        (pl.col("layer") == "metab") & pl.col("contrast").str.starts_with("interaction")
    ).sort("p")
    assert set(inter.head(10)["feature"]) & {f"F{i:04d}" for i in range(10)}
    assert (out / "correlations.csv").exists() and (out / "symptoms.csv").exists()
    assert "integration:" in stdout and "symptoms:" in stdout


def test_user_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    table = tmp_path / "m.csv"
    table.write_text("feature,a,b,c\nIL6,1,2,3\n")
    sheet = tmp_path / "s.csv"
    sheet.write_text("sample,group\na,case\nb,control\n")
    code, _, stderr = _invoke(
        tmp_path, "--layer", f"cyto={table}", "--samples", str(sheet), "--out", str(tmp_path)
    )
    assert code == 2
    assert stderr.startswith("error: ") and "missing from the sample sheet" in stderr
    assert "'c'" in stderr and "Traceback" not in stderr
    code, _, stderr = _invoke(
        tmp_path, "--layer", "cyto", "--samples", str(sheet), "--out", str(tmp_path)
    )
    assert code == 2 and "should look like NAME=VALUE" in stderr
    code, _, stderr = _invoke(
        tmp_path,
        "--layer",
        f"cyto={table}",
        "--layer",
        f"cyto={table}",
        "--samples",
        str(sheet),
        "--out",
        str(tmp_path),
    )
    assert code == 2 and "'cyto' is given twice" in stderr
