"""Condition rules (who may be offered a step up) and red flags in check-ins and notes."""

from __future__ import annotations

import pytest

from pacekeeper.domain.conditions import Condition
from pacekeeper.domain.trackers import BUILTIN_TRACKERS, TrackerDef, TrackerKind
from pacekeeper.planner.safety import (
    DEFAULT_CRISIS_LINE,
    FlagKind,
    PemScreen,
    condition_rules,
    crisis_line,
    dsq_pem_screen,
    flags_in_text,
    red_flags,
)

ME, LC, FM = Condition.ME_CFS, Condition.LONG_COVID, Condition.FIBROMYALGIA


@pytest.mark.parametrize("screen", list(PemScreen))
def test_me_cfs_never_progresses_whatever_else_applies(screen: PemScreen) -> None:
    rules = condition_rules([ME, FM, LC], screen, long_covid_chosen=True)
    assert not rules.may_progress and rules.envelope_only
    assert "NICE NG206" in rules.source


def test_fibromyalgia_progresses_only_after_a_negative_pem_screen() -> None:
    assert condition_rules([FM], PemScreen.NEGATIVE).may_progress
    unknown = condition_rules([FM], PemScreen.UNKNOWN)
    positive = condition_rules([FM], PemScreen.POSITIVE)
    assert not unknown.may_progress and unknown.envelope_only
    assert not positive.may_progress and positive.envelope_only
    assert "screen" in unknown.reason


def test_long_covid_progresses_only_when_chosen_and_without_pem() -> None:
    assert not condition_rules([LC], PemScreen.NEGATIVE).may_progress
    assert condition_rules([LC], PemScreen.NEGATIVE, long_covid_chosen=True).may_progress
    assert not condition_rules([LC], PemScreen.POSITIVE, long_covid_chosen=True).may_progress
    assert not condition_rules([Condition.OTHER], PemScreen.NEGATIVE).may_progress
    assert not condition_rules([], PemScreen.NEGATIVE).may_progress


def test_dsq_pem_step_one() -> None:
    assert dsq_pem_screen([0, 2, 0, 0, 0], [0, 2, 0, 0, 0]) is PemScreen.POSITIVE
    assert dsq_pem_screen([1, 3, 0, 0, 0], [4, 1, 0, 0, 0]) is PemScreen.NEGATIVE
    assert dsq_pem_screen([1, None, 0, 0, 0], [1, 1, 0, 0, 0]) is PemScreen.UNKNOWN
    assert dsq_pem_screen([4, None, 0, 0, 0], [4, None, 0, 0, 0]) is PemScreen.POSITIVE
    with pytest.raises(ValueError, match="five items"):
        dsq_pem_screen([0, 0], [0, 0])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Had chest pain on the stairs", FlagKind.CHEST),
        ("I fainted in the shower", FlagKind.FAINT),
        ("passed out for a minute", FlagKind.FAINT),
        ("worst headache of my life, came on suddenly", FlagKind.HEADACHE),
        ("my face is drooping and slurred speech", FlagKind.STROKE),
        ("numbness in one side since lunch", FlagKind.STROKE),
        ("had a seizure", FlagKind.SEIZURE),
        ("can't breathe even lying down", FlagKind.BREATH),
        ("throat swelling after the new pill", FlagKind.ALLERGY),
        ("black stools since yesterday", FlagKind.BLEEDING),
        ("fever and stiff neck", FlagKind.MENINGITIS),
        ("I keep thinking about suicide", FlagKind.SELF_HARM),
        ("Some days I don't want to live", FlagKind.SELF_HARM),
    ],
)
def test_red_flags_in_notes(text: str, kind: FlagKind) -> None:
    assert kind in {f.kind for f in flags_in_text(text)}


def test_ordinary_notes_and_negations_raise_no_flag() -> None:
    for text in ["Tired after the shop, rested all afternoon", "no chest pain today",
                 "Pain 6, brain fog bad", "without fainting this time", ""]:  # fmt: skip
        assert flags_in_text(text) == [], text


def test_self_harm_is_never_dismissed_by_a_negation() -> None:
    assert [f.kind for f in flags_in_text("not sure, thoughts of suicide again")] == [
        FlagKind.SELF_HARM
    ]


def test_a_tracker_named_for_a_red_flag_counts_when_answered_yes() -> None:
    chest = TrackerDef(
        "chest_pain", "Chest pain", kind=TrackerKind.YES_NO, min_value=0, max_value=1
    )
    trackers = [*BUILTIN_TRACKERS, chest]
    assert red_flags({"chest_pain": 0, "pain": 10}, "", trackers) == []
    (flag,) = red_flags({"chest_pain": 1}, "chest pain again", trackers)  # one per kind
    assert flag.kind is FlagKind.CHEST and flag.where == "Chest pain"
    # Built-in trackers at their worst are symptoms, not red flags.
    worst = {t.key: t.max_value for t in BUILTIN_TRACKERS}
    assert red_flags(worst, "", BUILTIN_TRACKERS) == []


def test_crisis_line_is_the_persons_own_or_a_default_without_network() -> None:
    assert crisis_line({}) == DEFAULT_CRISIS_LINE
    assert crisis_line({"crisis_line": "  "}) == DEFAULT_CRISIS_LINE
    assert crisis_line({"crisis_line": "Call 116 123"}) == "Call 116 123"
    assert "emergency number" in DEFAULT_CRISIS_LINE
