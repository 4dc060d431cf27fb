"""Shared helpers for the omics tests: simulated studies with planted effects, real-data paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pacekeeper.omics.layer import Layer
from pacekeeper.omics.samplesheet import SampleSheet

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
GERMAIN = DATA / "metabolomics-hanson-germain"
BIOMAP = DATA / "mecfs-biomapai-jax"

needs_germain = pytest.mark.skipif(not GERMAIN.is_dir(), reason="../shared/data is missing")
needs_biomap = pytest.mark.skipif(not BIOMAP.is_dir(), reason="../shared/data is missing")


@dataclass
class Simulated:
    layer: Layer
    sheet: SampleSheet
    truly_changed: np.ndarray  # bool per feature


def simulate_study(
    *,
    seed: int,
    n_features: int = 400,
    n_subjects: int = 40,
    times: tuple[str, ...] = ("pre",),
    n_planted: int = 40,
    effect: float = 1.2,
    planted_in: str = "group",  # or "interaction"
    subject_sd: float = 1.0,
) -> Simulated:
    """log-scale abundances: feature mean + subject effect + planted effect + noise (sd 1).

    The first n_planted features carry the effect and belong to pathway "planted"; the others
    are spread over ten null pathways. An age covariate shifts every feature a little.
    """
    rng = np.random.default_rng(seed)
    cases = np.arange(n_subjects) % 2 == 0
    age = rng.normal(45, 10, n_subjects)
    subj_effect = rng.normal(0, subject_sd, (n_features, n_subjects))
    means = rng.normal(12, 2, n_features)
    cols, samples, subjects, groups, tps, ages = [], [], [], [], [], []
    for k, t in enumerate(times):
        for s in range(n_subjects):
            v = means + subj_effect[:, s] + 0.02 * (age[s] - 45) + rng.normal(0, 1, n_features)
            hit = cases[s] and (planted_in == "group" or k > 0)
            if hit:
                v[:n_planted] += effect
            cols.append(v)
            samples.append(f"S{s:03d}_{t}")
            subjects.append(f"S{s:03d}")
            groups.append("case" if cases[s] else "control")
            tps.append(t)
            ages.append(f"{age[s]:.1f}")
    values = 2.0 ** np.column_stack(cols)  # raw-scale intensities, as an instrument reports
    features = [f"F{i:04d}" for i in range(n_features)]
    pathways = ["planted" if i < n_planted else f"null{i % 10}" for i in range(n_features)]
    layer = Layer("sim", features, samples, values, {"name": features, "sub_pathway": pathways})
    sheet = SampleSheet(samples, subjects, groups, tps, {"age": ages, "group": groups})
    truth = np.arange(n_features) < n_planted
    return Simulated(layer, sheet, truth)
