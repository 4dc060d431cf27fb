"""One study end to end: preprocess each layer, test, enrich, integrate, write tables and report.

Plain functions over plain data; the CLI only parses options and calls analyse() and write().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pacekeeper.errors import ValidationError
from pacekeeper.omics import analysis, design, enrichment, integrate, preprocess
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.samplesheet import SampleSheet, align


@dataclass
class Options:
    design: str = "case-control"  # or "timecourse"
    case: str | None = None
    control: str | None = None
    baseline: str | None = None
    covariates: list[str] = field(default_factory=list)
    zero_is_missing: bool = True
    max_missing: float | None = 0.5  # None: keep every feature
    impute: bool = True  # half the feature minimum
    log: bool = True  # log2
    centre_by: str | None = None  # sample-sheet column: batch or site
    moderated: bool = True
    alpha: float = 0.05
    symptoms: list[str] = field(default_factory=list)
    charts: bool = True


@dataclass
class Outcome:
    results: pl.DataFrame
    enriched: pl.DataFrame
    correlations: pl.DataFrame
    symptoms: pl.DataFrame
    outliers: pl.DataFrame
    log: list[str]


def analyse(
    layers: list[Layer],
    sheet: SampleSheet,
    options: Options,
    progress: Callable[[str], None] = lambda _: None,
) -> Outcome:
    if not layers:
        raise ValidationError.single("layer", "give at least one layer")
    if options.design not in {"case-control", "timecourse"}:
        raise ValidationError.single("design", "use case-control or timecourse")
    names = [layer.name for layer in layers]
    if len(set(names)) != len(names):
        raise ValidationError.single("layer", f"layer names must differ ({names})")
    case, control = design.pick_case(sheet.group, options.case, options.control)
    log = [
        f"design {options.design}; case {case!r}, control {control!r}; "
        f"covariates {options.covariates or 'none'}"
    ]
    prepared: list[tuple[Layer, SampleSheet]] = []
    outliers: list[dict[str, object]] = []
    for layer in layers:
        layer, sub = align(layer, sheet)
        layer, steps, flags = _prepare(layer, sub, options)
        log += [f"{layer.name}: {s}" for s in steps]
        progress(f"{layer.name}: preprocessed ({'; '.join(steps)})")
        outliers += [
            {"layer": layer.name, "sample": f.sample, "score": f.score, "reason": f.reason}
            for f in flags
        ]
        prepared.append((layer, sub))

    tables, sets = [], []
    for layer, sub in prepared:
        times = design.time_order(sub.time, options.baseline)
        if options.design == "case-control":
            cs = analysis.case_control(
                layer,
                sub,
                case=case,
                control=control,
                covariates=options.covariates,
                times=times,
                moderated=options.moderated,
            )
            method = "OLS"
        else:
            cs = analysis.timecourse(
                layer, sub, case=case, control=control, covariates=options.covariates, times=times
            )
            method = "LMM (REML, random intercept)"
        table = analysis.results_table(layer, cs, method)
        tables.append(table)
        progress(f"{layer.name}: tested {len(layer.features)} features, {len(cs)} contrasts")
        for key in ("sub_pathway", "super_pathway"):
            if key in layer.annotations:
                e = enrichment.enrich(table, key, options.alpha)
                if e.height:
                    sets.append(e)
        progress(f"{layer.name}: enrichment done")
    results = pl.concat(tables, how="vertical_relaxed")
    enriched = pl.concat(sets, how="vertical_relaxed") if sets else pl.DataFrame()

    correlations = pl.DataFrame()
    if len(prepared) > 1:
        times = design.time_order(sheet.time, options.baseline)
        frames = [
            integrate.change_correlations(prepared[i], prepared[j], times[0], later)
            for i in range(len(prepared))
            for j in range(i + 1, len(prepared))
            for later in times[1:]
        ]
        frames = [f for f in frames if f.height]
        if frames:
            correlations = pl.concat(frames)
        progress(f"integration: {correlations.height} cross-layer change correlations kept")
    symptom_tables = [
        integrate.symptom_associations(layer, sub, score, options.covariates)
        for layer, sub in prepared
        for score in options.symptoms
    ]
    symptoms = pl.concat(symptom_tables) if symptom_tables else pl.DataFrame()
    if options.symptoms:
        progress(f"symptoms: {symptoms.height} feature-score associations")
    return Outcome(results, enriched, correlations, symptoms, pl.DataFrame(outliers), log)


def _prepare(
    layer: Layer, sheet: SampleSheet, o: Options
) -> tuple[Layer, list[str], list[preprocess.OutlierFlag]]:
    steps = []
    if o.zero_is_missing:
        layer, zeros = preprocess.zeros_to_missing(layer)
        steps.append(f"{zeros} zero values treated as missing")
    if o.max_missing is not None:
        layer, dropped = preprocess.drop_sparse(layer, o.max_missing)
        steps.append(f"dropped {dropped} features missing in over {o.max_missing:.0%} of samples")
    if o.impute:
        layer, filled = preprocess.impute_half_min(layer)
        steps.append(f"imputed {filled} missing values with half the feature minimum")
    if o.log:
        layer = preprocess.log_transform(layer)
        steps.append("log2 transform")
    if o.centre_by:
        if o.centre_by not in sheet.columns:
            raise ValidationError.single(
                "centre_by", f"{o.centre_by!r} is not a sample-sheet column"
            )
        layer = preprocess.centre_by(layer, sheet.columns[o.centre_by])
        steps.append(f"median-centred within each {o.centre_by}")
    flags = preprocess.outlier_samples(layer)
    steps.append(f"{len(flags)} outlier sample(s) flagged (kept)")
    return layer, steps, flags


def write(
    outcome: Outcome, out: Path, options: Options, title: str = "Omics analysis"
) -> list[Path]:
    from pacekeeper.omics import report

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in (
        ("results.csv", outcome.results),
        ("enrichment.csv", outcome.enriched),
        ("correlations.csv", outcome.correlations),
        ("symptoms.csv", outcome.symptoms),
        ("outliers.csv", outcome.outliers),
    ):
        if df.height:
            df.write_csv(out / name)
            written.append(out / name)
    charts: dict[str, str] = {}
    if options.charts:
        for i, contrast in enumerate(outcome.results["contrast"].unique(maintain_order=True)):
            svg = report.volcano_svg(outcome.results, contrast, options.alpha)
            charts[f"volcano:{contrast}"] = svg
            (out / f"volcano_{i + 1}.svg").write_text(svg, encoding="utf-8")
            written.append(out / f"volcano_{i + 1}.svg")
            if outcome.enriched.height and contrast in outcome.enriched["contrast"].to_list():
                svg = report.pathway_svg(outcome.enriched, contrast)
                charts[f"pathway:{contrast}"] = svg
                (out / f"pathways_{i + 1}.svg").write_text(svg, encoding="utf-8")
                written.append(out / f"pathways_{i + 1}.svg")
    extra = {
        "Cross-layer change correlations": outcome.correlations,
        "Symptom associations": outcome.symptoms,
        "Outlier samples (flagged, kept)": outcome.outliers,
    }
    page = report.html_report(title, outcome.log, outcome.results, outcome.enriched, extra, charts)
    (out / "report.html").write_text(page, encoding="utf-8")
    written.append(out / "report.html")
    return written
