"""Importers: exports people already have, read locally, streamed, idempotent and atomic.

Formats so far: Apple Health, FIT, Garmin Connect JSON, Fitbit JSON and CSV, Fitabase,
Visible CSV and Pacekeeper's generic CSV (docs/formats.md).
"""

from pacekeeper.importers.apply import import_paths
from pacekeeper.importers.base import ImportReport, Skipped
from pacekeeper.importers.detect import detect

__all__ = ["ImportReport", "Skipped", "detect", "import_paths"]
