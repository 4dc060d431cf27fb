"""Which importer reads a file: decided by its content, the name is only a tie-breaker."""

from __future__ import annotations

from pathlib import Path

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import Importer
from pacekeeper.importers.csv_generic import GenericCsv
from pacekeeper.importers.visible import VisibleCsv

HEAD = 4096
# Most specific first: a Visible export would also pass as a generic wide CSV.
IMPORTERS: tuple[Importer, ...] = (VisibleCsv(), GenericCsv())


def detect(path: Path) -> Importer:
    try:
        with path.open("rb") as f:
            head = f.read(HEAD)
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    if not head.strip():
        raise ImportFileError(str(path), "is empty")
    for importer in IMPORTERS:
        if importer.sniff(head, path):
            return importer
    raise ImportFileError(
        str(path),
        "is not a format Pacekeeper reads (see docs/formats.md: Visible CSV and the generic "
        "CSV so far)",
    )


def expand(paths: list[Path]) -> list[Path]:
    """Files to import: a folder stands for every file in it (an export is often a folder)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.exists():
            out.append(p)
        else:
            raise ImportFileError(str(p), "does not exist")
    return out
