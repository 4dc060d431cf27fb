"""Which importer reads a file: decided by its content, the name is only a tie-breaker."""

from __future__ import annotations

from pathlib import Path

from pacekeeper.errors import ImportFileError
from pacekeeper.importers.apple_health import AppleHealth
from pacekeeper.importers.base import Importer, ImportReport, Skipped
from pacekeeper.importers.bearable import BearableCsv
from pacekeeper.importers.csv_generic import GenericCsv
from pacekeeper.importers.fit import FitImporter
from pacekeeper.importers.fitbit_csv import FitabaseCsv, FitbitCsv
from pacekeeper.importers.fitbit_json import FitbitJson
from pacekeeper.importers.garmin_json import GarminConnectJson
from pacekeeper.importers.google_fit import GoogleFitDailyCsv, GoogleFitDayCsv
from pacekeeper.importers.google_fit_sessions import GoogleFitSession
from pacekeeper.importers.google_fit_zip import GoogleFitTakeoutZip
from pacekeeper.importers.visible import VisibleCsv

HEAD = 4096
# Most specific first: a Visible export would also pass as a generic wide CSV.
IMPORTERS: tuple[Importer, ...] = (
    AppleHealth(),
    GoogleFitTakeoutZip(),
    FitImporter(),
    GarminConnectJson(),
    FitbitJson(),
    FitbitCsv(),
    FitabaseCsv(),
    GoogleFitDailyCsv(),
    GoogleFitDayCsv(),
    GoogleFitSession(),
    BearableCsv(),
    VisibleCsv(),
    GenericCsv(),
)


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
        "is not a format Pacekeeper reads (see docs/formats.md for the formats it reads)",
    )


def expand(paths: list[Path]) -> list[tuple[Path, bool]]:
    """(file, named) for each file to import: a folder stands for every file in it (an export
    is often a folder). Files the person named must be readable; files found in a folder that
    Pacekeeper does not read are listed in the report instead."""
    out: list[tuple[Path, bool]] = []
    for p in paths:
        if p.is_dir():
            out += [
                (f, False)
                for f in sorted(p.rglob("*"))
                if f.is_file() and not f.name.startswith(".") and "__MACOSX" not in f.parts
            ]
        elif p.exists():
            out.append((p, True))
        else:
            raise ImportFileError(str(p), "does not exist")
    return out


def plan(paths: list[Path]) -> tuple[list[tuple[Path, Importer]], list[ImportReport]]:
    """Detect every file before anything is read: (file, importer) pairs, and a "not read"
    report for each file found in a folder that is no format Pacekeeper reads. A file the
    person named that cannot be read raises ImportFileError."""
    todo: list[tuple[Path, Importer]] = []
    unread: list[ImportReport] = []
    for path, named in expand(paths):
        try:
            todo.append((path, detect(path)))
        except ImportFileError as exc:
            if named:
                raise
            report = ImportReport(str(path), "not read")
            report.skipped.append(Skipped("file", exc.reason))
            unread.append(report)
    return todo, unread
