"""Pacekeeper: a local-first pacing companion for ME/CFS, long COVID and fibromyalgia."""

__version__ = "0.1.0"
