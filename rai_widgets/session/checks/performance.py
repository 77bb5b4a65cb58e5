"""Audit checks of how well the model does overall: against a trivial baseline, how honest its
confidence is (overall and per group), and whether its conformal sets keep their promise per
group.

Each check takes the session (its public interface) and returns a list of
:class:`~rai_widgets.compute.audit.Finding`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.datasets import load_breast_cancer
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> [f.severity for f in baseline(s, alpha=0.05)]
['ok']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.readings import performance_findings as words
from rai_widgets.session.checks.run import without_y

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["baseline", "calibration", "coverage"]

OVERCONFIDENCE = 0.05  # the model claims this much more confidence than it earns: a concern


def _mean_bounds(values: np.ndarray, alpha: float) -> tuple[float, float, float]:
    """Mean and its (1 - alpha) t-interval."""
    n = len(values)
    mean = float(np.mean(values))
    if n < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(1 - alpha / 2, n - 1) * float(np.std(values, ddof=1)) / np.sqrt(n)
    return mean, mean - half, mean + half


def baseline(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Does the model beat the trivial answer (always the majority class; always the mean)?

    Classification: accuracy minus the majority class's share, with Wilson bounds on the
    accuracy (the share is fixed by y). Regression: the mean absolute error's reduction against
    predicting the mean of y, with a paired t-interval. A concern when the bounds cannot rule
    out "no better than the trivial answer".

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage.

    Returns
    -------
    list of Finding
    """
    if not session.core.has_y:
        return cannot_run("baseline", "this session has no y to compare predictions with")
    preds = session.predictions()
    n = len(preds)
    if session.task_ == "regression":
        y = preds["y_true"].to_numpy(dtype=float)
        if np.ptp(y) == 0:
            return cannot_run(
                "baseline",
                words.constant_y_reason(float(y[0])),
            )
        gain = np.abs(y - y.mean()) - np.abs(preds["residual"].to_numpy(dtype=float))
        estimate, lo, hi = _mean_bounds(gain, alpha)
        model_mae = float(np.abs(preds["residual"]).mean())
        trivial = float(np.abs(y - y.mean()).mean())
        sentence = words.regression_baseline_text(model_mae, trivial, session.target_unit)
        details: dict[str, Any] = {"value": model_mae, "trivial": trivial}
    else:
        share = preds["y_true"].value_counts(normalize=True)
        majority, share_major = share.index[0], float(share.iloc[0])
        correct = int(preds["correct"].sum())
        accuracy = correct / n
        lo_acc, hi_acc = wilson_interval(np.array([correct]), np.array([n]), 1 - alpha)
        estimate, lo, hi = accuracy - share_major, lo_acc[0] - share_major, hi_acc[0] - share_major
        sentence = words.classification_baseline_text(
            accuracy, lo_acc[0], hi_acc[0], share_major, session.core.class_description(majority)
        )
        details = {
            "value": accuracy,
            "trivial": share_major,
            "trivial_answer": session.core.class_description(majority),
        }
    metric = "mae" if session.task_ == "regression" else "accuracy"
    if lo > 0:
        return [
            Finding(
                "baseline",
                "ok",
                words.baseline_sentence(sentence, beats=True),
                estimate,
                lo,
                hi,
                n,
                view="fairness",
                size=0,
                metric=metric,
                details=details,
            )
        ]
    return [
        Finding(
            "baseline",
            "concern",
            words.baseline_sentence(sentence, beats=False),
            estimate,
            lo,
            hi,
            n,
            view="fairness",
            size=1.0,
            metric=metric,
            details=details,
        )
    ]


def calibration(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Is the model's confidence honest, overall and per sensitive group?

    Overconfidence = mean confidence - accuracy over the rows (a paired t-interval per row). A
    concern when its lower bound is above 0.05 (5 points above its accuracy) or its upper
    bound below -0.05 (underconfident); else ok. A gap that rounds to 0.0 points reads "matches
    accuracy, within X either way" (X: the farther bound, rounded up), never "0.0 pts less sure
    than right".

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage (divided among the groups, Bonferroni).

    Returns
    -------
    list of Finding
    """
    if session.task_ == "regression":
        return cannot_run("calibration", "confidence is a classifier's (see coverage)")
    if not session.core.has_y:
        return cannot_run("calibration", "this session has no y")
    preds = session.predictions()
    if "confidence" not in preds:
        return cannot_run("calibration", "the model has no predict_proba")
    confidence = preds["confidence"].to_numpy(dtype=float)
    correct = preds["correct"].to_numpy(dtype=float)
    gap = confidence - correct
    groups: list[tuple[dict | None, np.ndarray]] = [(None, np.ones(len(gap), dtype=bool))]
    for feature in session.sensitive_features_:
        slices = session.core.slices(feature)
        for label, size in zip(slices.labels, slices.sizes, strict=True):
            if size >= 30:
                groups.append(({feature: label}, slices.mask(label)))
    level = alpha / max(1, len(groups) - 1)
    findings = []
    for spec, mask in groups:
        estimate, lo, hi = _mean_bounds(gap[mask], alpha if spec is None else level)
        serious = lo > OVERCONFIDENCE or hi < -OVERCONFIDENCE
        settled = -OVERCONFIDENCE <= lo and hi <= OVERCONFIDENCE
        severity = "concern" if serious else "ok" if settled else "unclear"
        if spec is not None and not serious:
            continue  # groups that pass are summed up by the overall line
        text = words.calibration_sentence(
            spec, estimate=estimate, lo=lo, hi=hi, n=int(mask.sum()),
            unsettled_within=OVERCONFIDENCE if severity == "unclear" else None,
        )  # fmt: skip
        findings.append(
            Finding(
                "calibration",
                severity,
                text,
                estimate,
                lo,
                hi,
                int(mask.sum()),
                slice=spec,
                view="uncertainty",
                details={
                    "confidence": float(confidence[mask].mean()),
                    "accuracy": float(correct[mask].mean()),
                    "level": 1 - (alpha if spec is None else level),
                },
            )
        )
    return findings


def coverage(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Do conformal prediction sets (intervals) keep their 90% promise in every group?

    Split conformal on half the rows; per sensitive group, the coverage on the other half with
    Wilson bounds (Bonferroni over groups). A concern when a group's upper bound is below the
    promised level.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage (divided among the groups).

    Returns
    -------
    list of Finding
        The coverage overall, and each group whose bounds fall short of the promise.
    """
    if missing := without_y(session, "coverage"):
        return missing
    if session.task_ != "regression" and "confidence" not in session.predictions():
        return cannot_run("coverage", "conformal sets need predict_proba")
    result = session.conformal(confidence_level=0.9)
    covered = np.asarray(result.covered, dtype=bool)
    promised = float(result.confidence_level)
    groups: list[tuple[dict | None, np.ndarray]] = [(None, np.ones(len(covered), dtype=bool))]
    # the rows held out from calibration, grouped as every other check and view groups them
    # (a numeric sensitive feature by its bins), so a finding's slice selects in the Dashboard
    held_out = session.core.positions_of(list(result.index))
    for feature in session.sensitive_features_:
        slices = session.core.slices(feature)
        codes = slices.codes[held_out]
        for g, label in enumerate(slices.labels):
            mask = codes == g
            if mask.sum() >= 30:
                groups.append(({feature: label}, mask))
    level = alpha / max(1, len(groups) - 1)
    findings = []
    for spec, mask in groups:
        k, n = int(covered[mask].sum()), int(mask.sum())
        lo, hi = wilson_interval(
            np.array([k]), np.array([n]), 1 - (alpha if spec is None else level)
        )
        estimate = k / n
        short = hi[0] < promised
        if spec is not None and not short:
            continue
        severity = "concern" if short else "ok"
        if not short and lo[0] < promised - DEFAULT_TOLERANCE:
            severity = "unclear"  # its bounds reach well under the promise
        text = words.coverage_finding_sentence(
            spec, intervals=session.task_ == "regression", promised=promised, estimate=estimate,
            lo=lo[0], hi=hi[0], n=n, unsettled=severity == "unclear",
        )  # fmt: skip
        findings.append(
            Finding(
                "coverage",
                severity,
                text,
                estimate,
                float(lo[0]),
                float(hi[0]),
                n,
                slice=spec,
                view="uncertainty",
                size=promised - estimate,
                details={"promised": promised, "intervals": session.task_ == "regression"},
            )
        )
    return findings
