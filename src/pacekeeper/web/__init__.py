"""The web app: server-rendered pages with small htmx updates, phone first, offline-tolerant."""

from pacekeeper.web.app import create_app

__all__ = ["create_app"]
