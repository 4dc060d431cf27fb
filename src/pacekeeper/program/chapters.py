"""Chapters of the daily program: Markdown files with a small front matter block.

The front matter is a tiny subset of YAML that we parse ourselves (no dependency):
`key: value` lines, inline lists `key: [a, b]`, and block lists of `  - item` lines under a
`key:` line. Every error names the file, the line and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pacekeeper.domain.conditions import Condition
from pacekeeper.errors import PacekeeperError

CHAPTER_DIR = Path(__file__).parent / "chapters"
MAX_WORDS = 400
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "title", "order", "conditions", "minutes", "sources", "step")
OPTIONAL = ("step_tracker",)
LIST_FIELDS = ("conditions", "sources")


class ChapterError(PacekeeperError):
    """A chapter file could not be read; the message names the file, line and field."""

    def __init__(self, path: str, line: int, field: str, reason: str) -> None:
        self.path, self.line, self.field, self.reason = path, line, field, reason
        where = f"line {line}" if line else "front matter"
        super().__init__(f"{path}: {where}: {field}: {reason}")


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    order: int
    conditions: frozenset[Condition]
    minutes: int
    sources: tuple[str, ...]
    step: str
    step_tracker: str | None
    body: str
    path: str

    @property
    def words(self) -> int:
        """What the person reads: title, body and step (the reference list is not counted)."""
        return word_count(f"{self.title} {self.body} {self.step}")

    def is_for(self, conditions: Iterable[Condition]) -> bool:
        return bool(self.conditions & set(conditions))


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’./-]*", text))


def _split(path: str, text: str) -> tuple[list[str], str, int]:
    """The front matter lines and the body, and the line number where the body starts."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ChapterError(path, 1, "front matter", "the file must start with a '---' line")
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return lines[1:i], "\n".join(lines[i + 1 :]).strip(), i + 2
    raise ChapterError(path, 1, "front matter", "no closing '---' line")


def parse_front_matter(path: str, lines: list[str]) -> dict[str, tuple[int, str | list[str]]]:
    """Each key with the line it was on and its value (a string, or a list of strings)."""
    out: dict[str, tuple[int, str | list[str]]] = {}
    current: str | None = None
    for n, raw in enumerate(lines, start=2):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith((" ", "\t")) and raw.strip().startswith("- "):
            if current is None or not isinstance(out[current][1], list):
                raise ChapterError(path, n, "front matter", "a list item without a 'key:' above")
            value = out[current][1]
            assert isinstance(value, list)
            value.append(_unquote(raw.strip()[2:].strip()))
            continue
        if ":" not in raw or raw.startswith((" ", "\t")):
            raise ChapterError(path, n, "front matter", f"expected 'key: value', got {raw!r}")
        key, _, rest = raw.partition(":")
        key, rest = key.strip(), rest.strip()
        if key not in REQUIRED + OPTIONAL:
            raise ChapterError(path, n, key, "unknown field")
        if key in out:
            raise ChapterError(path, n, key, "given twice")
        if rest.startswith("["):
            if not rest.endswith("]"):
                raise ChapterError(path, n, key, "an inline list must end with ']'")
            items = [_unquote(x.strip()) for x in rest[1:-1].split(",") if x.strip()]
            out[key] = (n, items)
        elif rest == "":
            out[key] = (n, [])
        else:
            out[key] = (n, _unquote(rest))
        current = key
    return out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_chapter(path: str, text: str) -> Chapter:
    """One chapter from its file's text; raises ChapterError naming what is wrong and where."""
    head, body, _ = _split(path, text)
    fields = parse_front_matter(path, head)
    for name in REQUIRED:
        if name not in fields:
            raise ChapterError(path, 0, name, "missing")

    def text_of(name: str) -> tuple[int, str]:
        line, value = fields[name]
        if isinstance(value, list) or not value:
            raise ChapterError(path, line, name, "must be a single, non-empty value")
        return line, value

    def list_of(name: str) -> tuple[int, list[str]]:
        line, value = fields[name]
        if not isinstance(value, list) or not value:
            raise ChapterError(path, line, name, "must be a list with at least one item")
        return line, value

    def int_of(name: str, low: int, high: int) -> int:
        line, value = text_of(name)
        if not value.isdigit() or not low <= int(value) <= high:
            raise ChapterError(path, line, name, f"must be a whole number {low}-{high}")
        return int(value)

    line, chapter_id = text_of("id")
    if not ID_RE.match(chapter_id):
        raise ChapterError(path, line, "id", "use lower-case letters, digits and dashes")
    line, names = list_of("conditions")
    conditions: set[Condition] = set()
    for name in names:
        try:
            conditions.add(Condition(name))
        except ValueError:
            allowed = ", ".join(c.value for c in Condition)
            reason = f"{name!r} is not one of {allowed}"
            raise ChapterError(path, line, "conditions", reason) from None
    tracker = fields.get("step_tracker")
    if tracker is not None and (isinstance(tracker[1], list) or not tracker[1]):
        raise ChapterError(path, tracker[0], "step_tracker", "must be a single, non-empty value")
    if not body:
        raise ChapterError(path, 0, "body", "the chapter has no text")
    chapter = Chapter(
        id=chapter_id,
        title=text_of("title")[1],
        order=int_of("order", 1, 9999),
        conditions=frozenset(conditions),
        minutes=int_of("minutes", 1, 10),
        sources=tuple(list_of("sources")[1]),
        step=text_of("step")[1],
        step_tracker=tracker[1] if tracker is not None and isinstance(tracker[1], str) else None,
        body=body,
        path=path,
    )
    if chapter.words >= MAX_WORDS:
        raise ChapterError(path, 0, "body", f"{chapter.words} words; keep it under {MAX_WORDS}")
    return chapter


def load_chapters(folder: Path = CHAPTER_DIR) -> tuple[Chapter, ...]:
    """Every chapter in the folder, by order; ids and orders must be unique."""
    chapters = [
        parse_chapter(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.md"))
    ]
    seen_ids: dict[str, str] = {}
    seen_orders: dict[int, str] = {}
    for c in chapters:
        if c.id in seen_ids:
            raise ChapterError(c.path, 0, "id", f"{c.id!r} is also used by {seen_ids[c.id]}")
        if c.order in seen_orders:
            other = seen_orders[c.order]
            raise ChapterError(c.path, 0, "order", f"{c.order} is also used by {other}")
        seen_ids[c.id], seen_orders[c.order] = c.path, c.path
    return tuple(sorted(chapters, key=lambda c: c.order))


_CACHE: dict[Path, tuple[Chapter, ...]] = {}


def all_chapters() -> tuple[Chapter, ...]:
    """The shipped chapters, read once per process (they do not change while it runs)."""
    if CHAPTER_DIR not in _CACHE:
        _CACHE[CHAPTER_DIR] = load_chapters(CHAPTER_DIR)
    return _CACHE[CHAPTER_DIR]


def chapter_by_id(chapter_id: str) -> Chapter | None:
    return next((c for c in all_chapters() if c.id == chapter_id), None)
