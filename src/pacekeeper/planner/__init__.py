"""The planner: today's budget and plan, the heart-rate ceiling, the rule of two and safety
rules, as pure functions over the engine's frames and results (no I/O)."""

from pacekeeper.planner.ceiling import Ceiling, Refinement, choose_ceiling, suggest_refinement
from pacekeeper.planner.progression import (
    Action,
    Advice,
    Outcome,
    Step,
    advise,
    step_outcome,
    streak,
)
from pacekeeper.planner.safety import (
    ConditionRules,
    PemScreen,
    RedFlag,
    condition_rules,
    crisis_line,
    dsq_pem_screen,
    red_flags,
)
from pacekeeper.planner.today import Light, Morning, Reason, TodayPlan, plan_today

__all__ = [
    "Action",
    "Advice",
    "Ceiling",
    "ConditionRules",
    "Light",
    "Morning",
    "Outcome",
    "PemScreen",
    "Reason",
    "RedFlag",
    "Refinement",
    "Step",
    "TodayPlan",
    "advise",
    "choose_ceiling",
    "condition_rules",
    "crisis_line",
    "dsq_pem_screen",
    "plan_today",
    "red_flags",
    "step_outcome",
    "streak",
    "suggest_refinement",
]
