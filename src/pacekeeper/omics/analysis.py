"""The two study designs, as contrasts tested for every feature of a layer.

case-control: at each time point separately, feature ~ case + covariates (OLS), and the same
with empirical-Bayes moderation. timecourse: feature ~ case * time + covariates with a random
intercept per subject (REML), giving the group difference at each time point, the change from
baseline within each group and the group-by-time interaction (difference of changes).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pacekeeper.errors import ValidationError
from pacekeeper.omics import design as design_mod
from pacekeeper.omics.fdr import bh
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.linear import Contrast, fit_ols
from pacekeeper.omics.linear import contrast as make_contrast
from pacekeeper.omics.lmm import fit_lmm
from pacekeeper.omics.moderated import estimate_prior, moderate
from pacekeeper.omics.samplesheet import SampleSheet


def _restrict(layer: Layer, sheet: SampleSheet, keep: list[bool]) -> tuple[Layer, SampleSheet]:
    order = [s for s, k in zip(sheet.samples, keep, strict=True) if k]
    return layer.select_samples(order), sheet.subset(order)


def case_control(
    layer: Layer,
    sheet: SampleSheet,
    *,
    case: str,
    control: str,
    covariates: list[str],
    times: list[str],
    moderated: bool = True,
) -> list[Contrast]:
    out: list[Contrast] = []
    for t in times:
        keep = [
            tt == t and g in (case, control) for tt, g in zip(sheet.time, sheet.group, strict=True)
        ]
        sub_layer, sub_sheet = _restrict(layer, sheet, keep)
        groups = set(sub_sheet.group)
        if groups != {case, control}:
            continue  # this time point lacks one of the groups
        d = design_mod.build(sub_sheet, case=case, control=control, covariates=covariates)
        if len(sub_sheet.samples) <= d.x.shape[1]:
            raise ValidationError.single(
                "covariate", f"too few samples at {t!r} ({len(sub_sheet.samples)}) for the model"
            )
        fit = fit_ols(sub_layer.values, d.x, d.columns)
        label = f"{case} vs {control}" + (f" at {t}" if len(times) > 1 else "")
        c = make_contrast(fit, label, {"case": 1.0})
        out.append(c)
        if moderated:
            out.append(moderate(c, estimate_prior(fit.sigma2, fit.df_coef[:, 0])))
    return out


def timecourse(
    layer: Layer,
    sheet: SampleSheet,
    *,
    case: str,
    control: str,
    covariates: list[str],
    times: list[str],
) -> list[Contrast]:
    if len(times) < 2:
        raise ValidationError.single("design", "a timecourse needs at least two time points")
    keep = [g in (case, control) for g in sheet.group]
    sub_layer, sub_sheet = _restrict(layer, sheet, keep)
    d = design_mod.build(sub_sheet, case=case, control=control, covariates=covariates, times=times)
    fit = fit_lmm(sub_layer.values, d.x, sub_sheet.subject, d.columns)
    base = times[0]
    out = [make_contrast(fit, f"{case} vs {control} at {base}", {"case": 1.0})]
    for t in times[1:]:
        tc, ic = f"time[{t}]", f"case:time[{t}]"
        if tc not in d.columns or ic not in d.columns:
            continue
        out += [
            make_contrast(fit, f"{case} vs {control} at {t}", {"case": 1.0, ic: 1.0}),
            make_contrast(fit, f"change {base}->{t} in {control}", {tc: 1.0}),
            make_contrast(fit, f"change {base}->{t} in {case}", {tc: 1.0, ic: 1.0}),
            make_contrast(fit, f"interaction {base}->{t} ({case} - {control})", {ic: 1.0}),
        ]
    return out


def results_table(layer: Layer, contrasts: list[Contrast], method: str) -> pl.DataFrame:
    """One row per feature and contrast, with BH q-values within each contrast."""
    frames = []
    annot = {
        k: layer.annotations[k]
        for k in ("name", "super_pathway", "sub_pathway")
        if k in layer.annotations
    }
    for c in contrasts:
        lo, hi = c.ci()
        with np.errstate(divide="ignore", invalid="ignore"):
            d = c.estimate / c.sigma
        p = c.p()
        frames.append(
            pl.DataFrame(
                {
                    "layer": [layer.name] * len(layer.features),
                    "feature": layer.features,
                    "name": annot.get("name", layer.features),
                    "super_pathway": annot.get("super_pathway", [""] * len(layer.features)),
                    "sub_pathway": annot.get("sub_pathway", [""] * len(layer.features)),
                    "contrast": [c.name] * len(layer.features),
                    "method": [method + (" + eBayes" if c.name.endswith("(moderated)") else "")]
                    * len(layer.features),
                    "estimate": c.estimate,
                    "se": c.se,
                    "ci_low": lo,
                    "ci_high": hi,
                    "std_effect": d,
                    "t": c.t(),
                    "df": c.df,
                    "p": p,
                    "q": bh(p),
                }
            )
        )
    if not frames:
        raise ValidationError.single("design", f"{layer.name}: no contrast could be estimated")
    return pl.concat(frames).with_columns(pl.col(pl.Float64).fill_nan(None))
