"""The one in-memory shape every omics layer takes: a feature-by-sample matrix with annotations."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass
class Layer:
    """One assay (metabolomics, proteomics, cytokines, cell fractions) over a set of samples.

    values has one row per feature and one column per sample; NaN marks a missing value.
    annotations maps a name ("name", "super_pathway", "sub_pathway", "kegg", "hmdb", ...) to one
    string per feature; enrichment uses whichever pathway or class columns are present.
    """

    name: str
    features: list[str]
    samples: list[str]
    values: NDArray[np.float64]
    annotations: dict[str, list[str]] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.features), len(self.samples)):
            raise ValueError(
                f"values shape {self.values.shape} does not match "
                f"{len(self.features)} features x {len(self.samples)} samples"
            )
        for k, v in self.annotations.items():
            if len(v) != len(self.features):
                raise ValueError(f"annotation {k!r} has {len(v)} entries, not {len(self.features)}")

    def select_features(self, keep: NDArray[np.bool_]) -> Layer:
        idx = np.flatnonzero(keep)
        return Layer(
            self.name,
            [self.features[i] for i in idx],
            list(self.samples),
            self.values[idx],
            {k: [v[i] for i in idx] for k, v in self.annotations.items()},
            self.source,
        )

    def select_samples(self, order: list[str]) -> Layer:
        pos = {s: i for i, s in enumerate(self.samples)}
        idx = [pos[s] for s in order]
        return Layer(
            self.name,
            list(self.features),
            list(order),
            self.values[:, idx],
            dict(self.annotations),
            self.source,
        )

    def with_values(self, values: NDArray[np.float64]) -> Layer:
        return Layer(self.name, self.features, self.samples, values, self.annotations, self.source)

    def label(self, i: int) -> str:
        """A readable name for feature i: its biochemical name when there is one."""
        names = self.annotations.get("name")
        return names[i] if names and names[i] else self.features[i]
