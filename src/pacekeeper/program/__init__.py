"""The daily program: short chapters for each condition, and which one is today's."""

from pacekeeper.program.chapters import (
    Chapter,
    ChapterError,
    all_chapters,
    chapter_by_id,
    load_chapters,
    parse_chapter,
)
from pacekeeper.program.render import render_markdown
from pacekeeper.program.schedule import DayPick, chapters_for, todays_chapter

__all__ = [
    "Chapter",
    "ChapterError",
    "DayPick",
    "all_chapters",
    "chapter_by_id",
    "chapters_for",
    "load_chapters",
    "parse_chapter",
    "render_markdown",
    "todays_chapter",
]
