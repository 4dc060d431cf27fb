"""Safety first: which conditions may be offered a progression, and red flags.

Both are plain rules with their sources (science.md, "Graded exposure and the rule of two" and
"Red flags"). Nothing here touches the network: the crisis line is text the person sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pacekeeper.domain.conditions import Condition
from pacekeeper.domain.trackers import TrackerDef, TrackerKind

NICE = "NICE NG206 (2021), recommendations 1.11.13-1.11.16: no graded exercise therapy for ME/CFS"
EULAR = "EULAR revised recommendations for fibromyalgia (Macfarlane et al. 2017, Ann Rheum Dis)"
DSQ = "DePaul Symptom Questionnaire PEM items 1-5 (Cotler et al. 2018, Diagnostics 8:66)"
RED_FLAGS_SOURCE = "science.md, 'Red flags': always seek care now, never an activity suggestion"
DEFAULT_CRISIS_LINE = (
    "If you might harm yourself, call your local emergency number now, or a crisis line."
)


class PemScreen(StrEnum):
    """The DSQ-PEM screening answer. Unknown counts as positive (the gate is shut)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNKNOWN = "unknown"


# Items 1-5 of the DSQ-PEM in short words of our own (the instrument is free to use; see DSQ),
# each rated for frequency and severity over the last six months, 0-4.
DSQ_PEM_ITEMS = (
    "A dead, heavy feeling soon after starting to exercise",
    "Next-day soreness or tiredness after everyday, light activity",
    "Mentally tired after the slightest effort",
    "Physically tired after very little exercise",
    "Physically drained or sick after mild activity",
)
DSQ_FREQUENCY = ("never", "a little of the time", "about half the time", "most of the time",
                 "all of the time")  # fmt: skip
DSQ_SEVERITY = ("none", "mild", "moderate", "severe", "very severe")


def dsq_pem_screen(frequency: Sequence[int | None], severity: Sequence[int | None]) -> PemScreen:
    """DSQ-PEM step 1: positive when one of items 1-5 has frequency >= 2 and severity >= 2
    (each rated 0-4 over six months). Any unanswered pair leaves the result unknown unless
    another item is already positive. Source: DSQ."""
    if len(frequency) != 5 or len(severity) != 5:
        raise ValueError("the DSQ-PEM screen has five items, each with frequency and severity")
    pairs = list(zip(frequency, severity, strict=True))
    if any(f is not None and s is not None and f >= 2 and s >= 2 for f, s in pairs):
        return PemScreen.POSITIVE
    if any(f is None or s is None for f, s in pairs):
        return PemScreen.UNKNOWN
    return PemScreen.NEGATIVE


@dataclass(frozen=True)
class ConditionRules:
    may_progress: bool  # the rule of two may offer a step up
    envelope_only: bool  # ME/CFS rules: stay inside the envelope; it may grow from own data
    reason: str
    source: str


def condition_rules(
    conditions: Iterable[Condition],
    screen: PemScreen = PemScreen.UNKNOWN,
    *,
    long_covid_chosen: bool = False,
) -> ConditionRules:
    """Which progression rules apply.

    - ME/CFS: never an escalation (NICE NG206); the envelope may grow only from the person's
      own sustained, stable data.
    - A positive or unknown DSQ-PEM screen: ME/CFS rules, whatever the main diagnosis
      (science.md, "Screening gate").
    - Long COVID without PEM: progression only when the person chooses it.
    - Fibromyalgia without PEM: the rule of two by default (EULAR: exercise is the one
      "strong for" recommendation).
    - Anything else: no progression is offered.
    """
    conds = set(conditions)
    if Condition.ME_CFS in conds:
        return ConditionRules(
            False, True, "ME/CFS: no graded increases; stay inside your envelope.", NICE
        )
    if screen is not PemScreen.NEGATIVE and conds & {Condition.FIBROMYALGIA, Condition.LONG_COVID}:
        why = (
            "PEM screen positive: ME/CFS rules apply."
            if screen is PemScreen.POSITIVE
            else "Answer the PEM screen first; until then ME/CFS rules apply."
        )
        return ConditionRules(False, True, why, DSQ + "; " + NICE)
    if Condition.FIBROMYALGIA in conds:
        return ConditionRules(
            True, False, "Fibromyalgia without PEM: small steps, by the rule of two.", EULAR
        )
    if Condition.LONG_COVID in conds:
        if long_covid_chosen:
            return ConditionRules(
                True, False, "Long COVID without PEM, by your choice: small steps.", NICE
            )
        return ConditionRules(
            False, False, "Long COVID: small steps only if you choose them.", NICE
        )
    return ConditionRules(False, False, "No progression is offered for this condition.", NICE)


# -- red flags -------------------------------------------------------------------------------


class FlagKind(StrEnum):
    CHEST = "chest pain or pressure"
    BREATH = "breathless at rest"
    FAINT = "fainting"
    HEADACHE = "sudden severe headache"
    STROKE = "stroke signs"
    SEIZURE = "a seizure"
    ALLERGY = "a severe allergic reaction"
    BLEEDING = "severe bleeding"
    MENINGITIS = "fever with a stiff neck"
    SELF_HARM = "thoughts of self-harm"


# Plain phrases, matched on word boundaries, case-insensitive. Broad on purpose: a false alarm
# costs a moment; a missed one can cost much more.
_PHRASES: dict[FlagKind, tuple[str, ...]] = {
    FlagKind.CHEST: (r"chest (pain|pressure|tightness|hurts?)", r"pain in (my|the) chest",
                     r"crushing chest", r"heart attack"),
    FlagKind.BREATH: (r"(can'?t|cannot|could ?n[o']t) (breathe|catch my breath)",
                      r"breathless at rest", r"short(ness)? of breath at rest",
                      r"struggling to breathe", r"blue lips", r"oxygen (is )?(low|below)"),
    FlagKind.FAINT: (r"faint(ed|ing)?", r"passed out", r"blacked out", r"lost consciousness",
                     r"syncope"),
    FlagKind.HEADACHE: (r"(sudden|worst|thunderclap) (severe )?headache",
                        r"worst headache of my life"),
    FlagKind.STROKE: (r"face (is )?droop(ing|s)?", r"drooping face", r"slurred speech",
                      r"(can'?t|cannot) (speak|talk|find words)",
                      r"(weakness|numbness) (in|on) (one|my|the) (side|arm|leg|face)",
                      r"one side (is )?(weak|numb)", r"stroke", r"sudden confusion",
                      r"(lost|loss of) vision"),
    FlagKind.SEIZURE: (r"seizure", r"convulsion", r"fit(ted)? and (fell|shook)"),
    FlagKind.ALLERGY: (r"anaphyla\w*", r"(throat|tongue|lips?) (is |are )?swell(ing|ed)",
                       r"swollen (throat|tongue)", r"severe allergic"),
    FlagKind.BLEEDING: (r"black (stools?|poo|poop)", r"vomit(ing|ed)? blood",
                        r"coughing (up )?blood",
                        r"(heavy|severe) bleeding", r"won'?t stop bleeding"),
    FlagKind.MENINGITIS: (r"stiff neck (and|with) (a )?fever",
                          r"fever (and|with) (a )?stiff neck"),
    FlagKind.SELF_HARM: (r"suicid\w*", r"kill myself", r"end (it all|my life)", r"self[- ]harm",
                         r"hurt(ing)? myself", r"(don'?t|do not) want to (live|be alive|wake up)",
                         r"better off dead", r"harm myself"),
}  # fmt: skip
_NEGATION = re.compile(r"\b(no|not|without|never|denies|nor)\s+(\w+\s+){0,1}$", re.IGNORECASE)
_PATTERNS = {
    kind: [re.compile(rf"\b{p}\b", re.IGNORECASE) for p in phrases]
    for kind, phrases in _PHRASES.items()
}


@dataclass(frozen=True)
class RedFlag:
    kind: FlagKind
    where: str  # "note" or the tracker's label
    matched: str  # the words that matched


def flags_in_text(text: str, where: str = "note") -> list[RedFlag]:
    """Red flags in free text. A phrase directly after "no", "not", "without" (e.g. "no chest
    pain") does not count, except for self-harm, which is never dismissed by a negation."""
    found: list[RedFlag] = []
    for kind, patterns in _PATTERNS.items():
        for pattern in patterns:
            hit = next(
                (
                    m
                    for m in pattern.finditer(text)
                    if kind is FlagKind.SELF_HARM or not _NEGATION.search(text[: m.start()])
                ),
                None,
            )
            if hit is not None:
                found.append(RedFlag(kind, where, hit.group(0)))
                break
    return found


def flags_in_answers(answers: Mapping[str, float], trackers: Sequence[TrackerDef]) -> list[RedFlag]:
    """A tracker named for a red flag (e.g. a "Chest pain" yes/no the person added) counts when
    answered "yes", or above the bottom of its scale."""
    found: list[RedFlag] = []
    for t in trackers:
        value = answers.get(t.key)
        if value is None:
            continue
        present = value >= 1 if t.kind is TrackerKind.YES_NO else value > t.min_value
        if present:
            found += [RedFlag(f.kind, t.label, f.matched) for f in flags_in_text(t.label, t.label)]
    return found


def red_flags(
    answers: Mapping[str, float], note: str, trackers: Sequence[TrackerDef]
) -> list[RedFlag]:
    """Every red flag in one check-in (answers and note), one per kind."""
    seen: dict[FlagKind, RedFlag] = {}
    for f in flags_in_answers(answers, trackers) + flags_in_text(note or ""):
        seen.setdefault(f.kind, f)
    return list(seen.values())


def crisis_line(settings: Mapping[str, object]) -> str:
    """The person's own crisis line text, or the default that needs no network."""
    text = settings.get("crisis_line")
    return text.strip() if isinstance(text, str) and text.strip() else DEFAULT_CRISIS_LINE
