"""The order the audit runs its checks in: cheapest first, so that a view filling in check by
check shows the quick findings at once and the slow ones (counterfactual searches, explanations)
last.

Examples
--------
>>> cheapest_first(["recourse", "leakage", "baseline"])
['baseline', 'leakage', 'recourse']
"""

from __future__ import annotations

__all__ = ["COST_ORDER", "ONE_THREAD", "cheapest_first"]

#: The checks from cheapest to dearest (measured on 48,842 and 500,000 rows, see
#: ``benchmarks/results/audit_checks.md``): the audit runs them in this order, so that a view
#: filling in check by check shows the quick findings first. A check not listed runs last.
COST_ORDER: tuple[str, ...] = (
    "data_gap",
    "baseline",
    "calibration",
    "four_fifths",
    "amplification",
    "representation",
    "test_cases",
    "coverage",
    "proxy",
    "disparity",
    "overlap",
    "blind_spot",
    "drift",
    "leakage",
    "explanation_trust",
    "recourse",  # a counterfactual search for a few hundred people
    "effect_difference",  # predicts every row many times over
    "label_quality",  # refits the model, cross-validated, on the training rows
)

#: Checks whose model calls are small batches (a few dozen to a few thousand rows: a
#: counterfactual search, explanations of a sample, pinned cases): they call the model with
#: OpenMP on one thread, as a thread pool's start-up and waits cost more than it saves on so
#: few rows (measured on Adult, one-hot + HistGradientBoosting, 2 cores: a third of the CPU
#: time, the same numbers). Checks that refit the model or predict every row keep every thread.
ONE_THREAD: frozenset[str] = frozenset({"leakage", "explanation_trust", "test_cases", "recourse"})


def cheapest_first(names: list[str]) -> list[str]:
    """``names`` in the order the audit runs them: cheapest first (see :data:`COST_ORDER`).

    Parameters
    ----------
    names : list of str
        Checks asked for.

    Returns
    -------
    list of str
        The same names, reordered; names not in :data:`COST_ORDER` keep their order, last.

    Examples
    --------
    >>> cheapest_first(["recourse", "baseline", "disparity"])
    ['baseline', 'disparity', 'recourse']
    """
    rank = {name: i for i, name in enumerate(COST_ORDER)}
    return sorted(names, key=lambda name: rank.get(name, len(rank)))
