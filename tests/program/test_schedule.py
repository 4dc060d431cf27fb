"""The scheduler: only the person's chapters, one new chapter a day, in order, re-reading allowed."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pacekeeper.domain.conditions import Condition
from pacekeeper.program import all_chapters, chapters_for, parse_chapter, todays_chapter

DAY = date(2026, 3, 15)


def chapter(cid: str, order: int, *conditions: str):
    text = (
        f"---\nid: {cid}\ntitle: T {cid}\norder: {order}\nconditions: [{', '.join(conditions)}]\n"
        "minutes: 1\nsources:\n  - A source with enough words to count.\nstep: Do a small thing.\n"
        "---\nBody.\n"
    )
    return parse_chapter(f"{cid}.md", text)


BOOK = [
    chapter("fm-only", 3, "fibromyalgia"),
    chapter("all", 1, "me_cfs", "long_covid", "fibromyalgia", "other"),
    chapter("pem", 2, "me_cfs", "long_covid"),
    chapter("general", 4, "other"),
]


def test_first_chapter_is_the_lowest_order_for_the_condition() -> None:
    pick = todays_chapter(BOOK, [Condition.ME_CFS], {}, DAY)
    assert pick.chapter is not None and pick.chapter.id == "all"
    assert (pick.read_today, pick.read, pick.total) == (False, 0, 2)


def test_never_a_chapter_that_is_not_for_the_condition() -> None:
    reads = {"all": DAY - timedelta(days=2)}
    pick = todays_chapter(BOOK, [Condition.ME_CFS], reads, DAY)
    assert pick.chapter is not None and pick.chapter.id == "pem"  # fm-only (order 3) is skipped
    assert [c.id for c in chapters_for(BOOK, [Condition.FIBROMYALGIA])] == ["all", "fm-only"]


def test_one_new_chapter_a_day() -> None:
    reads = {"all": DAY}
    pick = todays_chapter(BOOK, [Condition.FIBROMYALGIA], reads, DAY)
    assert pick.chapter is not None and pick.chapter.id == "all"  # stays today's chapter
    assert pick.read_today
    tomorrow = todays_chapter(BOOK, [Condition.FIBROMYALGIA], reads, DAY + timedelta(days=1))
    assert tomorrow.chapter is not None and tomorrow.chapter.id == "fm-only"
    assert not tomorrow.read_today


def test_reading_ahead_counts_as_todays_chapter() -> None:
    reads = {"fm-only": DAY}
    pick = todays_chapter(BOOK, [Condition.FIBROMYALGIA], reads, DAY)
    assert pick.chapter is not None and pick.chapter.id == "fm-only" and pick.read_today
    next_day = todays_chapter(BOOK, [Condition.FIBROMYALGIA], reads, DAY + timedelta(days=1))
    assert next_day.chapter is not None and next_day.chapter.id == "all"  # the skipped one


def test_everything_read_means_no_new_chapter() -> None:
    reads = {"all": DAY - timedelta(days=3), "pem": DAY - timedelta(days=2)}
    pick = todays_chapter(BOOK, [Condition.LONG_COVID], reads, DAY)
    assert pick.chapter is None and (pick.read, pick.total) == (2, 2)


def test_no_condition_gets_the_general_chapters() -> None:
    assert [c.id for c in chapters_for(BOOK, [])] == ["all", "general"]
    assert [c.id for c in chapters_for(BOOK, [Condition.OTHER])] == ["all", "general"]


def test_several_conditions_get_the_union_in_order() -> None:
    both = chapters_for(BOOK, [Condition.ME_CFS, Condition.FIBROMYALGIA])
    assert [c.id for c in both] == ["all", "pem", "fm-only"]


CONDITIONS = st.sets(st.sampled_from(list(Condition)), max_size=4)


@given(CONDITIONS, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=10))
def test_shipped_program_keeps_the_rules_on_any_reading_history(conditions, days, per_day) -> None:
    """Simulate `days` days of reading today's chapter (and `per_day` re-reads): each day gives a
    chapter for the person, a new one only once a day, and the program ends after all are read."""
    book = all_chapters()
    mine = {c.id for c in chapters_for(book, conditions)}
    reads: dict[str, date] = {}
    for n in range(days):
        today = DAY + timedelta(days=n)
        pick = todays_chapter(book, conditions, reads, today)
        if pick.chapter is None:
            assert set(reads) == mine
            break
        assert pick.chapter.id in mine
        assert not pick.read_today
        reads.setdefault(pick.chapter.id, today)
        for _ in range(per_day):  # reading again the same day changes nothing
            again = todays_chapter(book, conditions, reads, today)
            assert again.chapter == pick.chapter and again.read_today
    assert len(reads) == min(days, len(mine))
