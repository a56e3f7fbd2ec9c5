"""Personas: how fake accounts were made and when they are run.

Per account: creation bursts, generated handles, reused profiles, automation and the account's own
clock; per cluster (when the workspace has a ``clusters`` table or groups are given): the same
signals aggregated; per group: the operator's clock (inferred UTC offset, confidence and working
pattern, compared with the locations the accounts claim). See docs/personas.md for the method.
"""

from __future__ import annotations

from lockstep.personas._automation import HUMAN_POSTS_PER_DAY, SCORE_DIRECTIONS, automation_score
from lockstep.personas._clock import (
    OFFSETS,
    ClockFit,
    Pattern,
    claimed_offset,
    fit_clock,
    format_offset,
    holidays,
)
from lockstep.personas._export import run_personas, write_results
from lockstep.personas._signals import GroupsError, PersonaSignals, persona_signals, read_groups
from lockstep.personas._stats import percentile, robust_z

__all__ = [
    "HUMAN_POSTS_PER_DAY",
    "OFFSETS",
    "SCORE_DIRECTIONS",
    "ClockFit",
    "GroupsError",
    "Pattern",
    "PersonaSignals",
    "automation_score",
    "claimed_offset",
    "fit_clock",
    "format_offset",
    "holidays",
    "percentile",
    "persona_signals",
    "read_groups",
    "robust_z",
    "run_personas",
    "write_results",
]
