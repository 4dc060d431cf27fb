"""The demo report's PDF, drawn to PNG pages (pdftoppm -r 50), against reviewed snapshots.

Fonts and anti-aliasing differ a little between machines, so pages are compared by the share of
pixels that differ clearly, not byte for byte. On a failure the new pages are written to a temp
folder named in the message: look at them, and if the change is wanted, copy them over the
snapshots (or run with PACEKEEPER_UPDATE_SNAPSHOTS=1).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from pacekeeper.reports.clinician import Report

SNAPSHOTS = Path(__file__).parent / "snapshots"
CLEAR = 64  # grey levels (of 255) for a pixel to count as different, beyond anti-aliasing
SHARE = 0.01  # at most this share of a page's pixels may differ clearly


def _pages(pdf: bytes, folder: Path) -> list[Path]:
    (folder / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(folder / "report.pdf"), str(folder / "page")],
        check=True,
    )
    return sorted(folder.glob("page-*.png"))


def _grey(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=np.int16)


def _difference(new: Path, old: Path) -> float | None:
    """The share of pixels that differ clearly; None when the sizes differ."""
    a, b = _grey(new), _grey(old)
    if a.shape != b.shape:
        return None
    return float((np.abs(a - b) > CLEAR).mean())


def test_the_demo_report_looks_as_reviewed(demo_report: Report, tmp_path: Path) -> None:
    assert demo_report.pdf is not None
    pages = _pages(demo_report.pdf, tmp_path)
    if os.environ.get("PACEKEEPER_UPDATE_SNAPSHOTS") == "1":
        for old in SNAPSHOTS.glob("page-*.png"):
            old.unlink()
        for page in pages:
            shutil.copy(page, SNAPSHOTS / page.name)
    expected = sorted(SNAPSHOTS.glob("page-*.png"))
    problems = []
    if [p.name for p in pages] != [p.name for p in expected]:
        problems.append(f"{len(pages)} pages, the snapshots have {len(expected)}")
    for page in pages:
        old = SNAPSHOTS / page.name
        if not old.exists():
            continue
        share = _difference(page, old)
        if share is None:
            problems.append(f"{page.name}: a different size")
        elif share > SHARE:
            problems.append(f"{page.name}: {share:.1%} of pixels differ")
    if problems:
        keep = Path(tempfile.mkdtemp(prefix="report-snapshots-"))
        for page in pages:
            shutil.copy(page, keep / page.name)
        raise AssertionError(
            "; ".join(problems) + f". The new pages are in {keep}; compare them with {SNAPSHOTS}."
        )
