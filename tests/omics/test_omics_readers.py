"""Readers on the real Metabolon and BioMapAI files, and the errors a user can cause."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pacekeeper.errors import ImportFileError, ValidationError
from pacekeeper.omics import read_long, read_metabolon, read_sample_sheet, read_wide
from pacekeeper.omics.readers import read_layer
from pacekeeper.omics.samplesheet import align
from tests.omics.simulate import BIOMAP, GERMAIN, needs_biomap, needs_germain


@needs_germain
def test_germain_2018_metabolon_sheet() -> None:
    layer = read_metabolon(GERMAIN / "germain2018.xlsx")
    assert layer.values.shape == (832, 51)
    assert sum(s.startswith("P") for s in layer.samples) == 32
    assert sum(s.startswith("C") for s in layer.samples) == 19
    i = layer.features.index("48114")  # COMP ID is the feature id
    assert layer.annotations["name"][i] == "1-methylguanidine"
    assert layer.annotations["sub_pathway"][i] == "Guanidino and Acetamido Metabolism"
    assert layer.annotations["kegg"][i] == "C02294"
    assert layer.values[i, layer.samples.index("C1")] == 63132.0


@needs_germain
def test_germain_2020_split_workbook_joins_dictionary_and_matrix() -> None:
    layer = read_layer(GERMAIN / "germain2020.xlsx", "metabolomics")
    assert layer.values.shape == (1790, 52)
    i = layer.features.index("compound_0001")
    assert layer.annotations["name"][i] == "(N(1) + N(8))-acetylspermidine"
    assert layer.annotations["super_pathway"][i] == "Amino Acid"
    assert layer.values[i, layer.samples.index("sample_0003")] == 1023576.0
    sheet = read_sample_sheet(
        GERMAIN / "germain2020.xlsx",
        sample="sample_id",
        group="health_status",
        subject=None,
        time=None,
        sheet="sample_metadata",
    )
    assert sorted(set(sheet.group)) == ["case", "control"] and len(sheet.samples) == 52


@needs_biomap
def test_biomapai_wide_tables() -> None:
    metab = read_wide(BIOMAP / "metabolomics" / "Metabolomics_masslined.csv", "metabolomics")
    assert "cholate" in metab.features
    assert metab.values.shape[1] == len(metab.samples) > 300
    immune = read_wide(BIOMAP / "immuno" / "immune_percentage.csv", "immune")
    assert immune.values.shape[0] == 311 and immune.samples[0] == "SAM000208_tp1"
    assert immune.values[0, 0] == pytest.approx(77.2)
    scores = read_wide(BIOMAP / "input" / "score.csv", "scores", samples_in_rows=True)
    assert "RAND36.Energy/Fatigue" in scores.features and len(scores.samples) == 506


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_non_numeric_value_names_file_row_and_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "m.csv", "feature,s1,s2\nIL6,1.5,2\nTNF,3,high\n")
    with pytest.raises(ImportFileError) as e:
        read_wide(p, "cytokines")
    assert "m.csv" in str(e.value) and "row 3, column C (s2)" in str(e.value)
    assert "'high' is not a number" in str(e.value)


def test_missing_spellings_become_nan(tmp_path: Path) -> None:
    p = _write(tmp_path, "m.tsv", "feature\ts1\ts2\nIL6\tNA\t2\nTNF\t\t4\n")
    layer = read_wide(p, "cytokines")
    assert np.isnan(layer.values[0, 0]) and np.isnan(layer.values[1, 0])


def test_duplicate_feature_and_sample_ids(tmp_path: Path) -> None:
    p = _write(tmp_path, "d.csv", "feature,s1,s2\nIL6,1,2\nIL6,3,4\n")
    with pytest.raises(
        ImportFileError, match=r"d.csv: row 3, column A: duplicate feature id 'IL6'"
    ):
        read_wide(p, "x")
    p = _write(tmp_path, "e.csv", "feature,s1,s1\nIL6,1,2\n")
    with pytest.raises(ImportFileError, match=r"row 1, column C: duplicate sample id 's1'"):
        read_wide(p, "x")
    p = _write(tmp_path, "f.csv", "sample,feature,value\ns1,IL6,1\ns1,IL6,2\n")
    with pytest.raises(ImportFileError, match=r"row 3: sample 's1' has feature 'IL6' twice"):
        read_long(p, "x")


def test_long_and_samples_in_rows_layouts(tmp_path: Path) -> None:
    p = _write(tmp_path, "l.csv", "sample,feature,value\ns1,IL6,1\ns2,IL6,2\ns1,TNF,3\n")
    layer = read_long(p, "cytokines")
    assert layer.features == ["IL6", "TNF"] and layer.samples == ["s1", "s2"]
    assert np.isnan(layer.values[1, 1]) and layer.values[1, 0] == 3
    p = _write(tmp_path, "w.csv", "sample,CD4,CD8\ns1,40,20\ns2,42,18\n")
    layer = read_wide(p, "cells", samples_in_rows=True)
    assert layer.values.tolist() == [[40, 42], [20, 18]]


def test_sample_sheet_errors(tmp_path: Path) -> None:
    p = _write(tmp_path, "s.csv", "sample,subject,group\na,1,case\na,2,control\n")
    with pytest.raises(ImportFileError, match=r"s.csv: row 3: sample 'a' is listed 2 times"):
        read_sample_sheet(p)
    p = _write(tmp_path, "t.csv", "id,group\na,case\n")
    with pytest.raises(ImportFileError, match=r"no column named 'sample'"):
        read_sample_sheet(p)
    sheet = read_sample_sheet(_write(tmp_path, "u.csv", "sample,group\na,case\nb,control\n"))
    layer = read_wide(_write(tmp_path, "v.csv", "feature,a,b,zz\nIL6,1,2,3\n"), "cytokines")
    with pytest.raises(ValidationError, match=r"v.csv: samples: 1 sample\(s\) missing .*'zz'"):
        align(layer, sheet)


def test_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="not a table we read"):
        read_wide(_write(tmp_path, "x.json", "{}"), "x")
    with pytest.raises(ImportFileError, match=r"not a readable \.xlsx"):
        read_metabolon(_write(tmp_path, "x.xlsx", "not a zip"))
