"""The store: connections, tables, migrations and the queries the rest of Pacekeeper may use."""

from pacekeeper.db.engine import Database

__all__ = ["Database"]
