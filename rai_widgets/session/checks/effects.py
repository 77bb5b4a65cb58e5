"""The audit's optional effect-difference check: does a feature act differently for the groups
of a sensitive feature (a model that rewards experience for men but not for women)?

For every feature of X (the sensitive ones aside) and every sensitive feature, the partial
dependence per group (``ModelSession.effects(feature, by=...)``) gives each group's rise from
the first grid value to the last with bootstrap bounds; the largest and smallest rises are
compared with a z-test from those bounds, and Benjamini-Hochberg control runs over every
feature and sensitive feature compared. Optional (``s.audit(checks=[..., "effect_difference"])``):
it predicts every row at every grid value of every feature.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
>>> effect_difference(s, alpha=0.05)[0].finding  # doctest: +ELLIPSIS
'Not checked: no sensitive features were given ...'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.weak_slices import benjamini_hochberg
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON
from rai_widgets.readings.effects import (
    NO_TWO_GROUPS_REASON,
    effect_gap_sentence,
    no_effect_gap_sentence,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["GRID_RESOLUTION", "effect_difference"]

#: Grid points per feature (fewer than a chart's: the check compares rises only).
GRID_RESOLUTION = 8


def effect_difference(
    session: ModelSession,
    *,
    alpha: float,
    test_cases: Any = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Features whose effect differs between the groups of a sensitive feature.

    A concern when the largest and smallest groups' rises differ (q at most ``alpha``) by
    ``tolerance`` or more (points of a probability; a share of the prediction's spread for a
    regression); ok otherwise, one finding per sensitive feature naming the largest gap.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the false discovery rate over every comparison.
    tolerance : float, default 0.05
        The difference of rises that matters.

    Returns
    -------
    list of Finding
    """
    sensitive = list(session.sensitive_features_)
    if not sensitive:
        return cannot_run("effect_difference", NO_SENSITIVE_REASON)
    seed = session.core.random_state if isinstance(session.core.random_state, int) else 0
    features = [c for c in session.core.frame.columns if c not in sensitive]
    scale = 1.0
    if session.task_ == "regression":
        scale = float(np.std(session.core.outputs().y_pred)) or 1.0
    tested = []
    for by in sensitive:
        for feature in features:
            frame = session.effects(
                feature, by=by, grid_resolution=GRID_RESOLUTION, random_state=seed
            )
            rise = frame.attrs["rise"]
            rise = rise[np.isfinite(rise["rise"].astype(float))]
            if len(rise) < 2:
                continue
            top = rise.loc[rise["rise"].astype(float).idxmax()]
            bottom = rise.loc[rise["rise"].astype(float).idxmin()]
            pairs = len(rise) * (len(rise) - 1) // 2
            z_bounds = stats.norm.ppf(1 - 0.05 / max(1, pairs) / 2)  # the rise's own bounds
            se = np.hypot(
                (top["rise_hi"] - top["rise_lo"]) / (2 * z_bounds),
                (bottom["rise_hi"] - bottom["rise_lo"]) / (2 * z_bounds),
            )
            gap = float(top["rise"] - bottom["rise"])
            p = 1.0 if se == 0 and gap == 0 else 0.0 if se == 0 else 2 * stats.norm.sf(gap / se)
            tested.append((by, feature, gap, se, p, frame.attrs["reading"], int(top["n"])))
    if not tested:
        return cannot_run("effect_difference", NO_TWO_GROUPS_REASON)
    q = benjamini_hochberg(np.array([t[4] for t in tested]))
    z = stats.norm.ppf(1 - alpha / 2)
    findings = []
    for (_by, feature, gap, se, _, reading, n), q_value in zip(tested, q, strict=True):
        matters = tolerance * scale
        if q_value <= alpha and gap >= matters:
            findings.append(
                Finding(
                    "effect_difference",
                    "concern",
                    effect_gap_sentence(reading, q_value, len(tested)),
                    gap / scale,
                    (gap - z * se) / scale,
                    (gap + z * se) / scale,
                    n,
                    feature=feature,
                    view="explanation",
                )
            )
    if findings:
        return findings
    _by, feature, gap, se, _, reading, n = max(tested, key=lambda t: t[2])
    settled = gap + z * se < tolerance * scale
    return [
        Finding(
            "effect_difference",
            "ok" if settled else "unclear",
            no_effect_gap_sentence(reading),
            gap / scale,
            (gap - z * se) / scale,
            (gap + z * se) / scale,
            n,
            feature=feature,
            view="explanation",
        )
    ]
