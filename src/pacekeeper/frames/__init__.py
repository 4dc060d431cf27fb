"""The engine's input frames, built from imported files (no database) or from a stored profile.

This is the one place that reads for the engine: the engine itself does no I/O.
"""

from pacekeeper.frames.build import Inputs, daily_frame
from pacekeeper.frames.from_files import inputs_from_paths

__all__ = ["Inputs", "daily_frame", "inputs_from_paths"]
