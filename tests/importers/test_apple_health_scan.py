"""The fast Apple Health path (blocks of lines, columnar batches) reads exactly what a plain
expat pass over the same file reads, on exports written by bench/apple_health_gen.py, whether
the lines are converted in this process (workers=0) or in parse worker processes."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from datetime import UTC, time
from pathlib import Path
from typing import Any
from xml.parsers import expat
from zoneinfo import ZoneInfo

import pytest

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData
from pacekeeper.domain.sample_batch import SampleBatch
from pacekeeper.importers import apple_health_scan
from pacekeeper.importers.apple_health import AppleHealth
from pacekeeper.importers.apple_health_records import ElementReader
from pacekeeper.importers.base import ImportReport
from pacekeeper.importers.context import ImportContext

ROOT = Path(__file__).resolve().parents[2]
CTX = ImportContext(ZoneInfo("Europe/Berlin"), time(4), {})
Row = tuple[Any, ...]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "apple_health_gen", ROOT / "bench" / "apple_health_gen.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


@pytest.fixture(scope="module")
def export() -> bytes:
    out = io.StringIO()
    GEN.write_export(out, 3 << 20, seed=3)
    return out.getvalue().encode()


def rows_of(items: list[Any]) -> tuple[list[Row], list[ActivityData]]:
    samples: list[Row] = []
    activities = []
    for r in items:
        if isinstance(r, SampleBatch):
            for d in r.table.to_pylist():
                end = d["end"].astimezone(UTC) if d["end"] else None
                extra = json.loads(d["extra"]) if d["extra"] else None
                samples.append((d["kind"], d["start"].astimezone(UTC), d["utc_offset_minutes"],
                                end, round(d["value"], 9), d["source"], extra))  # fmt: skip
        elif isinstance(r, SampleData):
            offset = int(r.start.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
            end = r.end.astimezone(UTC) if r.end else None
            samples.append((r.kind.value, r.start.astimezone(UTC), offset, end,
                            round(r.value, 9), r.source, r.extra))  # fmt: skip
        else:
            assert isinstance(r, ActivityData)
            activities.append(r)
    return sorted(samples, key=repr), activities


def fast(path: Path, workers: int | None = None) -> tuple[ImportReport, list[Any]]:
    report = ImportReport(str(path), "apple-health")
    return report, list(AppleHealth(workers).read(path, report, lambda n: None, CTX))


both = pytest.mark.parametrize("workers", [0, 2])


def reference(data: bytes) -> tuple[ImportReport, list[Any]]:
    """Every element through expat, with the DTD cut out: what the importer read before."""
    report = ImportReport("ref", "apple-health")
    reader = ElementReader(Path("ref"), report, CTX)
    parser = expat.ParserCreate()
    reader.parser = parser
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    start, root = data.find(b"<!DOCTYPE"), data.find(b"<HealthData")
    parser.Parse(data[:start] + data[root:], True)
    return report, reader.out


@both
def test_a_generated_export_reads_the_same_as_a_plain_expat_pass(export, tmp_path, workers):
    path = tmp_path / "export.xml"
    path.write_bytes(export)
    got_report, got = fast(path, workers)
    want_report, want = reference(export)
    assert any(isinstance(r, SampleBatch) for r in got)  # the fast path was taken
    got_samples, got_acts = rows_of(got)
    want_samples, want_acts = rows_of(want)
    assert len(got_samples) > 5000
    assert got_samples == want_samples
    hrv = [row[6] for row in got_samples if row[0] == "hrv_sdnn"]
    assert hrv and all(e["beats"] == len(e["bpm"]) == len(e["times"]) >= 40 for e in hrv)
    assert got_acts == want_acts
    assert got_report.sources == want_report.sources
    assert "Apple Watch de Zoë" in got_report.sources
    assert (got_report.first_day, got_report.last_day) == (
        want_report.first_day,
        want_report.last_day,
    )
    notes = [str(s) for s in got_report.skipped]
    assert "file: BloodPressure correlation (" in " ".join(notes)
    assert not any("damaged" in n for n in notes)
    offsets = {row[2] for row in got_samples}
    assert {60, -300} <= offsets  # Berlin and New York in winter


@pytest.mark.parametrize("block", [4096, 65536])
@both
def test_small_blocks_split_records_and_workouts_anywhere(
    export, tmp_path, monkeypatch, block, workers
):
    monkeypatch.setattr(apple_health_scan, "BLOCK", block)
    path = tmp_path / "export.xml"
    path.write_bytes(export[: len(export) // 4].rsplit(b"\n <Record", 1)[0] + b"\n</HealthData>\n")
    got = rows_of(fast(path, workers)[1])
    want = rows_of(reference(path.read_bytes())[1])
    assert got == want


@both
def test_a_zip_with_macos_junk_reads_the_same(export, tmp_path, workers):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("__MACOSX/apple_health_export/._export.xml", b"\x00\x05\x16\x07")
        zf.writestr("apple_health_export/export.xml", export)
    path = tmp_path / "export.zip"
    path.write_bytes(buf.getvalue())
    assert rows_of(fast(path, workers)[1]) == rows_of(reference(export)[1])


@both
def test_a_cut_inside_a_hrv_beat_list_keeps_what_came_before(
    export, tmp_path, monkeypatch, workers
):
    monkeypatch.setattr(apple_health_scan, "BLOCK", 8192)
    cut = export.index(b"<InstantaneousBeatsPerMinute", len(export) // 2) + 10
    path = tmp_path / "export.xml"
    path.write_bytes(export[:cut])
    report, items = fast(path, workers)
    (damage,) = [s for s in report.skipped if "damaged" in s.reason]
    line = export[:cut].count(b"\n") + 1
    assert damage.where.startswith(f"line {line}, column ")
    assert f"(byte {cut - 10})" in damage.where  # expat points at the unclosed tag's start
    got, _ = rows_of(items)
    want_all, _ = rows_of(reference(export)[1])
    last_complete = export.rfind(b"\n <Record", 0, cut)  # the HRV record being cut is lost
    want, _ = rows_of(reference(export[:last_complete] + b"\n</HealthData>\n")[1])
    assert got == want
    assert {repr(r) for r in got} <= {repr(r) for r in want_all}


@both
def test_a_byte_that_is_not_utf8_stops_the_import_where_it_is(
    export, tmp_path, monkeypatch, workers
):
    monkeypatch.setattr(apple_health_scan, "BLOCK", 1 << 17)  # the check runs in slices
    at = export.index("Zoë".encode(), len(export) // 2) + 2  # the 'ë', two bytes
    damaged = export[:at] + b"\xff" + export[at + 1 :]  # its first byte replaced
    path = tmp_path / "export.xml"
    path.write_bytes(damaged)
    report, items = fast(path, workers)
    (damage,) = [s for s in report.skipped if "damaged" in s.reason]
    line = damaged[:at].count(b"\n") + 1
    assert damage.where.startswith(f"line {line}, column ")
    got, _ = rows_of(items)
    last_complete = export.rfind(b"\n <", 0, at)
    want, _ = rows_of(reference(export[:last_complete] + b"\n</HealthData>\n")[1])
    assert got == want  # everything before the damaged line, as expat alone reads it


def test_unusual_records_go_through_expat_and_are_still_read(tmp_path):
    q = "HKQuantityTypeIdentifier"
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en">\n'
        # attributes in another order, with a tab: not Apple's layout
        f' <Record unit="count/min"\tvalue="70" type="{q}HeartRate" sourceName="A"'
        ' startDate="2024-05-01 10:00:00 +0200" endDate="2024-05-01 10:00:00 +0200"/>\n'
        # an entity in the source name, read on the fast path
        f' <Record type="{q}HeartRate" sourceName="Tom &amp; Zoë&#x2019;s Watch" unit="count/min"'
        ' startDate="2024-05-01 10:01:00 +0200" endDate="2024-05-01 10:01:00 +0200" value="71"/>\n'
        # a value that is not a number: reported with its line
        f' <Record type="{q}HeartRate" sourceName="A" unit="count/min"'
        ' startDate="2024-05-01 10:02:00 +0200" endDate="2024-05-01 10:02:00 +0200" value="x"/>\n'
        "</HealthData>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    report, items = fast(path)
    samples, _ = rows_of(items)
    assert [(s[4], s[5]) for s in samples] == [(70, "A"), (71, "Tom & Zoë\u2019s Watch")]
    (bad,) = report.skipped
    assert bad.where == "line 5" and "Record not read" in bad.reason


def test_records_inside_a_correlation_are_not_read_as_top_level(tmp_path):
    q = "HKQuantityTypeIdentifier"
    t = 'startDate="2024-05-01 10:00:00 +0200" endDate="2024-05-01 10:00:00 +0200"'
    text = (
        '<HealthData locale="en">\n'
        f' <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Cuff" {t}>\n'
        f'  <Record type="{q}BloodPressureSystolic" sourceName="Cuff" unit="mmHg" {t} value="120"/>\n'
        f'  <Record type="{q}HeartRate" sourceName="Cuff" unit="count/min" {t} value="66"/>\n'
        " </Correlation>\n"
        f' <Record type="{q}HeartRate" sourceName="Watch" unit="count/min" {t} value="60"/>\n'
        "</HealthData>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    report, items = fast(path)
    samples, _ = rows_of(items)
    assert sorted((s[5], s[4]) for s in samples) == [("Cuff", 66), ("Watch", 60)]
    assert [str(s) for s in report.skipped] == []  # the correlation had a record Pacekeeper reads


def test_a_damaged_zip_reads_the_same_with_and_without_workers(export, tmp_path, monkeypatch):
    monkeypatch.setattr(apple_health_scan, "BLOCK", 65536)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("apple_health_export/export.xml", export)
    data = bytearray(buf.getvalue())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # the compressed stream broken halfway
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    (here_report, here), (there_report, there) = fast(path, 0), fast(path, 2)
    damage = [str(s) for s in here_report.skipped if "damaged" in s.reason]
    assert len(damage) == 1 and "what came before" in damage[0]
    assert [str(s) for s in there_report.skipped] == [str(s) for s in here_report.skipped]
    assert rows_of(there) == rows_of(here)
    assert len(rows_of(here)[0]) > 1000  # the first half was read
