"""Helpers for the report tests: the fixed demo, and counting a PDF's pages with pdfinfo."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

DEMO_NOW = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
DEMO_DAYS = 120
DEMO_SEED = 7


def pdf_pages(pdf: bytes, tmp: Path) -> int:
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])
