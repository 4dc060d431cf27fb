"""A profile's whole history as one JSON document (`pacekeeper export`) and its lossless restore
(`pacekeeper import-json`). The format is described in docs/export-schema.md and schema_v1.json."""

from pacekeeper.backup.export import FORMAT, SCHEMA_VERSION, ExportSummary, export_profile
from pacekeeper.backup.restore import RestoreSummary, restore_profile

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "ExportSummary",
    "RestoreSummary",
    "export_profile",
    "restore_profile",
]
