"""Reports: the history view's data and charts (Altair specs rendered to SVG on the server)."""

from pacekeeper.reports.charts import (
    default_symptom_keys,
    history_summary,
    history_svg,
    history_table,
)
from pacekeeper.reports.history import HistoryDay, history_days

__all__ = [
    "HistoryDay",
    "default_symptom_keys",
    "history_days",
    "history_summary",
    "history_svg",
    "history_table",
]
