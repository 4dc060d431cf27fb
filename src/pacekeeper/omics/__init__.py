"""Exercise-challenge multi-omics analysis for researchers, independent of the patient app.

Read layers (Metabolon, wide, long tables) and a sample sheet, preprocess, test every feature
(case-control OLS with covariates, empirical-Bayes moderation, random-intercept mixed models
over time), correct for FDR, test pathway and class enrichment, relate changes across layers
and to symptom scores, and write CSV tables, SVG charts and an HTML report.
"""

from pacekeeper.omics.fdr import bh
from pacekeeper.omics.layer import Layer
from pacekeeper.omics.pipeline import Options, Outcome, analyse, write
from pacekeeper.omics.readers import read_long, read_metabolon, read_wide
from pacekeeper.omics.samplesheet import SampleSheet, read_sample_sheet

__all__ = [
    "Layer",
    "Options",
    "Outcome",
    "SampleSheet",
    "analyse",
    "bh",
    "read_long",
    "read_metabolon",
    "read_sample_sheet",
    "read_wide",
    "write",
]
