"""A paced session's timeline, planned ahead so the browser only has to follow it.

Rules (science.md, "Pacing and heart rate"; common pacing practice, not trial-tested):
- activity in bursts of 10-15 min, each followed by rest at least as long;
- during sitting, a 60 s micro-break every 25 min and a prompt to move a little every 20 min;
- with heart-rate data, bursts follow how fast the heart rate recovers (recovery.py):
  HRR60 >= 18 bpm: 15 min; 12-18: 12 min; 6-12 (slow): 10 min and rest 1.5 x the burst;
  under 6 (very slow): 8 min and rest 1.5 x. Without data: 12 min, rest equal.
The person may choose their own burst length; rest never drops below it.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from pacekeeper.errors import ValidationError
from pacekeeper.sessions.recovery import Recovery

MICRO_BREAK_EVERY_MIN = 25
MICRO_BREAK_S = 60
MOVE_EVERY_MIN = 20
DEFAULT_BURST_MIN = 12
MIN_BURST_MIN, MAX_BURST_MIN = 5, 120
MAX_ROUNDS = 8


class SessionKind(StrEnum):
    ACTIVE = "active"  # chores, a short walk: upright, physical
    SITTING = "sitting"  # screen work, reading, a call: seated, cognitive

    @property
    def label(self) -> str:
        return {"active": "Moving about", "sitting": "Sitting task"}[self.value]

    @property
    def posture(self) -> str:
        return "upright" if self is SessionKind.ACTIVE else "sitting"

    @property
    def default_loads(self) -> dict[str, int]:
        """Starting load ratings offered at the end (0 none .. 3 heavy); one tap changes them."""
        if self is SessionKind.ACTIVE:
            return {"physical": 2, "cognitive": 1, "emotional": 0, "social": 0}
        return {"physical": 0, "cognitive": 2, "emotional": 0, "social": 0}


@dataclass(frozen=True)
class Step:
    kind: str  # "burst", "micro_break" or "rest"
    start_s: int
    end_s: int


@dataclass(frozen=True)
class Prompt:
    kind: str  # "move"
    at_s: int


@dataclass(frozen=True)
class SessionPlan:
    kind: SessionKind
    burst_min: int
    rest_min: int
    rounds: int
    reason: str  # why this burst length, in a sentence for the page
    steps: list[Step] = field(default_factory=list)
    prompts: list[Prompt] = field(default_factory=list)

    @property
    def total_s(self) -> int:
        return self.steps[-1].end_s if self.steps else 0

    @property
    def active_s(self) -> int:
        return sum(s.end_s - s.start_s for s in self.steps if s.kind != "rest")

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "burst_min": self.burst_min,
            "rest_min": self.rest_min,
            "rounds": self.rounds,
            "reason": self.reason,
            "total_s": self.total_s,
            "active_s": self.active_s,
            "steps": [asdict(s) for s in self.steps],
            "prompts": [asdict(p) for p in self.prompts],
            "posture": self.kind.posture,
            "default_loads": self.kind.default_loads,
        }


def burst_for_recovery(recovery: Recovery) -> tuple[int, float, str]:
    """(burst minutes, rest ratio, reason) from heart-rate recovery; see the module doc."""
    hrr = recovery.hrr60_bpm
    if hrr is None:
        return DEFAULT_BURST_MIN, 1.0, "12 min: the usual start (no heart-rate recovery data yet)."
    drop = f"your heart rate drops about {hrr:.0f} bpm in the minute after effort"
    if hrr >= 18:
        return 15, 1.0, f"15 min: {drop} ({recovery.episodes} times measured)."
    if hrr >= 12:
        return 12, 1.0, f"12 min: {drop} ({recovery.episodes} times measured)."
    if hrr >= 6:
        return 10, 1.5, f"10 min, longer rests: {drop}, which is slow."
    return 8, 1.5, f"8 min, longer rests: {drop}, which is very slow."


def plan_session(
    kind: SessionKind,
    recovery: Recovery,
    *,
    burst_min: int | None = None,
    rounds: int = 2,
) -> SessionPlan:
    """Rounds of burst then rest. A chosen burst_min overrides the recovery-based length."""
    auto_burst, ratio, reason = burst_for_recovery(recovery)
    if burst_min is None:
        burst_min = auto_burst
    else:
        reason = f"{burst_min} min: your choice."
    if not MIN_BURST_MIN <= burst_min <= MAX_BURST_MIN:
        raise ValidationError.single(
            "burst", f"must be from {MIN_BURST_MIN} to {MAX_BURST_MIN} minutes"
        )
    if not 1 <= rounds <= MAX_ROUNDS:
        raise ValidationError.single("rounds", f"must be from 1 to {MAX_ROUNDS}")
    steps: list[Step] = []
    prompts: list[Prompt] = []
    t = 0
    rest_min = burst_min
    for _ in range(rounds):
        block_start = t
        t = _burst_steps(kind, burst_min * 60, t, steps, prompts)
        block_min = math.ceil((t - block_start) / 60)
        rest_min = max(block_min, math.ceil(block_min * ratio))  # never shorter than the burst
        steps.append(Step("rest", t, t + rest_min * 60))
        t += rest_min * 60
    return SessionPlan(kind, burst_min, rest_min, rounds, reason, steps, prompts)


def _burst_steps(
    kind: SessionKind, work_s: int, t: int, steps: list[Step], prompts: list[Prompt]
) -> int:
    """One burst of `work_s` seconds of activity, from t. Sitting gets micro-breaks (which add
    their 60 s to the burst) and movement prompts; both count seated time since the last rest."""
    if kind is not SessionKind.SITTING:
        steps.append(Step("burst", t, t + work_s))
        return t + work_s
    done = 0
    while done < work_s:
        chunk = min(MICRO_BREAK_EVERY_MIN * 60 - done % (MICRO_BREAK_EVERY_MIN * 60), work_s - done)
        steps.append(Step("burst", t, t + chunk))
        for minute in range(MOVE_EVERY_MIN, (done + chunk) // 60 + 1, MOVE_EVERY_MIN):
            at = minute * 60
            # A prompt that falls on a micro-break or the end of the burst is covered by it.
            if done < at < done + chunk:
                prompts.append(Prompt("move", t + at - done))
        t += chunk
        done += chunk
        if done < work_s and done % (MICRO_BREAK_EVERY_MIN * 60) == 0:
            steps.append(Step("micro_break", t, t + MICRO_BREAK_S))
            t += MICRO_BREAK_S
    return t
