"""Every shipped chapter parses, is short, cites sources, ends with a step, and keeps the safety
rules; the parser names the file, line and field of what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pacekeeper.domain.conditions import Condition
from pacekeeper.program import ChapterError, all_chapters, load_chapters, parse_chapter
from pacekeeper.program.chapters import CHAPTER_DIR, MAX_WORDS

CHAPTERS = all_chapters()
BY_ID = {c.id: c for c in CHAPTERS}
PEM_CONDITIONS = {Condition.ME_CFS, Condition.LONG_COVID}

# Each topic the issue asks for, and the chapters that cover it.
TOPICS = {
    "PEM and why exercise backfires": ["pem-what-it-is", "pem-timing", "why-exercise-backfires"],
    "pacing and the energy envelope": ["energy-envelope", "all-kinds-of-energy"],
    "the boom-bust trap": ["boom-bust"],
    "the movement paradox": ["movement-paradox"],
    "graded exposure, for whom and not": ["graded-exposure-fm", "no-graded-exercise"],
    "the rule of two": ["rule-of-two"],
    "heart-rate pacing": ["hr-pacing-why", "hr-ceiling", "hr-limits"],
    "micro-breaks and micro-movements": ["micro-breaks", "micro-movements"],
    "back fatigue and ergonomics": ["back-and-posture"],
    "sleep": ["sleep", "wind-down"],
    "nutrition: omega-3 and vitamin D": ["eating-well", "omega-3-vitamin-d"],
    "mindfulness and CBT as coping tools": ["mindfulness", "cbt"],
    "medication basics": ["medicines"],
    "when to see a professional": ["see-a-professional", "red-flags"],
}

# Words that would tell a person with PEM to do more. None may appear in a chapter they see.
FORBIDDEN_FOR_PEM = [
    "increase your exercise",
    "increase your activity",
    "exercise more",
    "push through",
    "push yourself",
    "no pain, no gain",
    "work through the fatigue",
    "build up your exercise",
    "build your fitness",
    "get fitter",
    "10,000 steps",
    "10k steps",
    "close your rings",
    "every week, add",
    "add 10%",
]


def test_at_least_thirty_chapters_with_unique_ids_and_orders() -> None:
    assert len(CHAPTERS) >= 30
    assert len({c.id for c in CHAPTERS}) == len(CHAPTERS)
    assert len({c.order for c in CHAPTERS}) == len(CHAPTERS)
    assert len(list(CHAPTER_DIR.glob("*.md"))) == len(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.id)
def test_chapter_is_short_sourced_and_ends_with_a_step(chapter) -> None:
    assert chapter.words < MAX_WORDS
    assert len(chapter.body.split()) < MAX_WORDS  # a plain count agrees
    assert chapter.sources and all(len(s) > 20 for s in chapter.sources)
    assert len(chapter.step.split()) >= 4
    assert chapter.step_tracker is None or chapter.step_tracker.endswith("?")
    assert chapter.conditions & {Condition.ME_CFS, Condition.LONG_COVID, Condition.FIBROMYALGIA}
    assert 1 <= chapter.minutes <= 5


def test_every_topic_of_the_issue_is_covered() -> None:
    for topic, ids in TOPICS.items():
        missing = [i for i in ids if i not in BY_ID]
        assert not missing, f"{topic}: no chapter {missing}"


def test_each_condition_has_a_full_program() -> None:
    for condition in (Condition.ME_CFS, Condition.LONG_COVID, Condition.FIBROMYALGIA):
        assert sum(c.is_for([condition]) for c in CHAPTERS) >= 20, condition


@pytest.mark.parametrize(
    "chapter", [c for c in CHAPTERS if c.conditions & PEM_CONDITIONS], ids=lambda c: c.id
)
def test_pem_chapters_never_escalate(chapter) -> None:
    text = f"{chapter.title}\n{chapter.body}\n{chapter.step}\n{chapter.step_tracker}".lower()
    text = re.sub(r"\s+", " ", text)
    found = [p for p in FORBIDDEN_FOR_PEM if p in text]
    assert not found, f"{chapter.path}: {found}"


def test_graded_chapters_say_for_whom_and_are_only_offered_to_fibromyalgia() -> None:
    for chapter_id in ("graded-exposure-fm", "rule-of-two", "fm-baseline"):
        chapter = BY_ID[chapter_id]
        assert chapter.conditions == {Condition.FIBROMYALGIA}
        assert "## Who this is for" in chapter.body
    for chapter_id in ("graded-exposure-fm", "rule-of-two"):
        body = BY_ID[chapter_id].body
        assert "**No:** ME/CFS" in body and "long COVID with PEM" in body
    no_get = BY_ID["no-graded-exercise"]
    assert no_get.conditions == PEM_CONDITIONS
    assert "NICE" in no_get.body and any("NG206" in s for s in no_get.sources)


def test_red_flags_send_people_to_care_not_to_an_activity() -> None:
    chapter = BY_ID["red-flags"]
    assert "emergency" in chapter.body.lower()
    assert "emergency number" in chapter.step
    assert chapter.is_for(Condition)  # every person gets it


GOOD = """---
id: sample
title: A sample
order: 7
conditions: [fibromyalgia]
minutes: 2
sources:
  - Someone A. A paper about something. Journal 2020;1:1.
step: Do one small thing today.
step_tracker: Did I do the small thing?
---
Some text.
"""


def test_parser_reads_the_front_matter() -> None:
    c = parse_chapter("sample.md", GOOD)
    assert (c.id, c.order, c.minutes, c.conditions) == ("sample", 7, 2, {Condition.FIBROMYALGIA})
    assert c.sources == ("Someone A. A paper about something. Journal 2020;1:1.",)
    assert c.step_tracker == "Did I do the small thing?"
    assert c.body == "Some text."


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("conditions: [fibromyalgia]", "conditions: [cfs]"),
         "x.md: line 5: conditions: 'cfs' is not one of"),
        (("order: 7\n", ""), "x.md: front matter: order: missing"),
        (("order: 7", "order: seven"), "x.md: line 4: order: must be a whole number"),
        (("id: sample", "id: Sample Chapter"), "x.md: line 2: id: use lower-case"),
        (("  - Someone", "  # Someone"), "x.md: line 7: sources: must be a list"),
        (("minutes: 2", "minutes: 2\ncolour: red"), "x.md: line 7: colour: unknown field"),
        (("Some text.", "word " * 400), "x.md: front matter: body: 40"),
        (("---\nSome", "Some"), "x.md: line 1: front matter: no closing"),
    ],
)  # fmt: skip
def test_parser_errors_name_file_line_and_field(change, expected) -> None:
    old, new = change
    with pytest.raises(ChapterError) as err:
        parse_chapter("x.md", GOOD.replace(old, new, 1))
    assert str(err.value).startswith(expected), str(err.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD.replace("order: 7", "order: 8"))
    with pytest.raises(
        ChapterError, match=r"b\.md: front matter: id: 'sample' is also used by a\.md"
    ):
        load_chapters(tmp_path)
