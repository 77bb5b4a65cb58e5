"""The audit's checks, by name, in the order they run.

Examples
--------
>>> list(CHECKS)[:3]
['baseline', 'disparity', 'four_fifths']
"""

from __future__ import annotations

from rai_widgets.session.checks import data as audit_data
from rai_widgets.session.checks import effects as audit_effects
from rai_widgets.session.checks import fairness as audit_fairness
from rai_widgets.session.checks import labels as audit_labels
from rai_widgets.session.checks import lifecycle as audit_lifecycle
from rai_widgets.session.checks import performance as audit_performance
from rai_widgets.session.checks import recourse as audit_recourse
from rai_widgets.session.checks import selection as audit_selection
from rai_widgets.session.checks import trust as audit_trust
from rai_widgets.session.checks.run import Check

__all__ = ["CHECKS", "OPTIONAL_CHECKS"]

#: name -> ``check(session, *, alpha, test_cases) -> list[Finding]``
CHECKS: dict[str, Check] = {
    "baseline": audit_performance.baseline,
    "disparity": audit_fairness.disparity,
    "four_fifths": audit_selection.four_fifths,
    "amplification": audit_selection.amplification,
    "blind_spot": audit_fairness.blind_spot,
    "calibration": audit_performance.calibration,
    "coverage": audit_performance.coverage,
    "data_gap": audit_fairness.data_gap,
    "proxy": audit_data.proxy,
    "leakage": audit_data.leakage,
    "representation": audit_lifecycle.representation,
    "overlap": audit_lifecycle.overlap,
    "drift": audit_lifecycle.drift,
    "label_quality": audit_labels.label_quality,
    "explanation_trust": audit_trust.explanation_trust,
    "test_cases": audit_trust.pinned_cases,
    "recourse": audit_recourse.recourse,  # last: the slowest, it searches counterfactuals
}

#: Checks run only when named (``s.audit(checks=[..., "effect_difference"])``): they predict
#: every row many times over.
OPTIONAL_CHECKS: dict[str, Check] = {
    "effect_difference": audit_effects.effect_difference,
}
