"""The four-fifths rule on selection rates, and whether the model widens the gap the actual
outcomes already have.

A group selected far less often than another may be so in the data too: 4% of people aged 17-28
earn over 50K in the census against 37% of those aged 38-48. The four-fifths finding says the
labels' own ratio beside the model's, and :func:`amplification` checks, per sensitive feature,
whether the model's ratio of selection rates is measurably further from 1 than the labels'
(:func:`rai_widgets.compute.amplification.selection_amplification`, a paired bootstrap).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=large, random_state=0)
>>> [f.check for f in amplification(s, alpha=0.05)][:1]
['amplification']
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.amplification import Amplification, selection_amplification
from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.slice_metrics import DEFAULT_MIN_SUPPORT
from rai_widgets.readings import selection_findings as words
from rai_widgets.readings.amplification import (
    amplification_sentence,
    label_gap_clause,
    verdict_of,
)
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON
from rai_widgets.session.checks.one_feature import seed_of

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["FOUR_FIFTHS", "amplification", "four_fifths", "selection_reference"]

GAP = DEFAULT_TOLERANCE
FOUR_FIFTHS = 0.8  # the US EEOC convention for selection rates
_NO_SENSITIVE = NO_SENSITIVE_REASON


def _not_selecting(session: ModelSession, check: str) -> list[Finding]:
    """The note of a check of selection rates that cannot run here ([] when it can)."""
    if session.task_ != "binary":
        return cannot_run(check, words.not_binary_reason(session.task_))
    if not session.sensitive_features_:
        return cannot_run(check, _NO_SENSITIVE)
    return []


def _spec(by: Hashable, label: Any) -> dict:
    return {by: label}


def _name(by: Any) -> str:
    return " & ".join(map(str, by)) if isinstance(by, list) else str(by)


def selection_reference(session: ModelSession, by: Hashable, *, alpha: float = 0.05) -> Any:
    """The group of ``by`` the four-fifths rule compares with: the highest selection rate
    among the groups with enough rows (None when fewer than two have).

    Parameters
    ----------
    session : ModelSession
        A binary task's session.
    by : column name
        A sensitive feature.
    alpha : float, default 0.05
        1 - the coverage of the bounds the audit used.

    Returns
    -------
    object or None
        The group's label.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> large = X["mean radius"].gt(15).rename("large")
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
    ...                     sensitive_features=large)
    >>> bool(selection_reference(s, "large"))
    False
    """
    table = _selection_table(session, by, alpha)
    return None if len(table) < 2 else table["selection_rate"].idxmax()


def _selection_table(session: ModelSession, by: Hashable, alpha: float) -> pd.DataFrame:
    """Selection rates per group with Wilson bounds, from the answers alone (no y needed), for
    the groups with enough rows (a rate needs rows, not rows of both outcomes)."""
    selected = (session.predictions()["y_pred"] == session.core.wanted_class()).to_numpy()
    slices = session.core.slices(by)
    n = np.bincount(slices.codes, minlength=len(slices))
    hits = np.bincount(slices.codes, weights=selected, minlength=len(slices))
    lo, hi = wilson_interval(hits, n, 1 - alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = hits / n
    table = pd.DataFrame(
        {"n": n, "selection_rate": rate, "selection_rate_lo": lo, "selection_rate_hi": hi},
        index=slices.labels,
    )
    table["low_support"] = table["n"] < DEFAULT_MIN_SUPPORT
    return table[~table["low_support"]]


def four_fifths(
    session: ModelSession, *, alpha: float, test_cases: Any = None, tolerance: float = GAP
) -> list[Finding]:
    """The four-fifths rule (the US EEOC convention): is any group's selection rate below 80%
    of the highest group's? Per sensitive feature, the lowest ratio with MOVER bounds.

    A concern when the whole interval is below 0.8; a note when the estimate is below 0.8 but
    the bounds reach it; ok when the bounds stay above 0.8 - ``tolerance``; unclear otherwise.
    Being selected is getting the session's favourable outcome (``favorable=``); without one,
    the positive class, and a note says it was assumed.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage.
    tolerance : float, default 0.05
        How far under 0.8 a ratio may be and still pass, at its lower bound.

    Returns
    -------
    list of Finding
    """
    not_here = _not_selecting(session, "four_fifths")
    if not_here:
        return not_here
    findings = []
    for by in session.sensitive_features_:
        table = _selection_table(session, by, alpha)
        if len(table) < 2:
            findings += _four_fifths_not_checked(
                by,
                words.too_few_groups_reason(
                    _name(by), DEFAULT_MIN_SUPPORT, len(table), len(session.core.slices(by))
                ),
            )
            continue
        top = table["selection_rate"].idxmax()
        if not table.loc[top, "selection_rate"] > 0:
            findings += _four_fifths_not_checked(by, words.selects_no_one_reason(_name(by)))
            continue
        # the lowest of the other groups: with equal rates, never a group against itself
        low = table["selection_rate"].drop(index=top).idxmin()
        row = compute_disparities(table, metric="selection_rate", reference=top).loc[low]
        ratio, lo, hi = float(row["ratio"]), float(row["ratio_lo"]), float(row["ratio_hi"])
        spec = _spec(by, low)
        wanted = session.core.class_description(session.core.wanted_class())
        if session.core.favorable_ is not None:
            wanted += " (the favourable outcome)"
        severity = "concern" if hi < FOUR_FIFTHS else "note" if ratio < FOUR_FIFTHS else "ok"
        if severity == "ok" and not lo >= FOUR_FIFTHS - tolerance:
            severity = "unclear"  # above the bar, but its bounds reach well under it
        text = words.four_fifths_sentence(
            wanted,
            rate=row["selection_rate"],
            where=formatting.slice_description(spec),
            reference_rate=table.loc[top, "selection_rate"],
            reference=top,
            ratio=ratio,
            lo=lo,
            hi=hi,
            unsettled=severity == "unclear",
        )
        details: dict[str, Any] = {
            "rate": float(row["selection_rate"]),
            "reference_rate": float(table.loc[top, "selection_rate"]),
            "level": 1 - alpha,
            "wanted": session.core.class_description(session.core.wanted_class()),
        }
        if ratio < FOUR_FIFTHS:  # the labels' own gap beside the model's
            amplified = _amplified(session, by, low, top, confidence=1 - alpha)
            if amplified is not None:
                text += " " + _clause(amplified, tolerance, level=1 - alpha)
                details.update(_label_details(amplified))
        findings.append(
            Finding(
                "four_fifths",
                severity,
                text,
                ratio,
                lo,
                hi,
                int(row["n"]),
                slice=spec,
                feature=by,
                view="fairness",
                size=FOUR_FIFTHS - ratio,
                metric="selection_rate",
                reference=top,
                details=details,
            )
        )
    if any(f.estimate is not None and np.isfinite(f.estimate) for f in findings) and (
        session.core.favorable_ is None
    ):
        findings.append(_favourable_assumed(session))
    return findings or cannot_run("four_fifths", "no two groups had enough rows")


def _favourable_assumed(session: ModelSession) -> Finding:
    """The note that the rule was read with the positive class as the wanted outcome."""
    wanted = session.core.class_description(session.core.wanted_class())
    return Finding(
        "four_fifths",
        "note",
        words.favourable_assumed_sentence(wanted),
        view="fairness",
        size=-2.0,
        metric="selection_rate",
    )


def _four_fifths_not_checked(by: Hashable, why: str) -> list[Finding]:
    """The note that one sensitive feature could not be checked, naming it and saying why."""
    return [
        Finding(
            "four_fifths",
            "note",
            words.not_checked_sentence(_name(by), why),
            feature=by,
            view="fairness",
            size=-1.0,
            metric="selection_rate",
        )
    ]


def _amplified(
    session: ModelSession, by: Hashable, group: Any, reference: Any, *, confidence: float
) -> Amplification | None:
    """The model's ratio of selection rates against the labels' for two groups of ``by``
    (None without labels, or when a group has no row of the favourable outcome)."""
    if not session.core.has_y:
        return None
    wanted = session.core.wanted_class()
    answers = session.predictions()
    slices = session.core.slices(by)
    seed = seed_of(session)
    result = selection_amplification(
        (answers["y_pred"] == wanted).to_numpy(),
        (answers["y_true"] == wanted).to_numpy(),
        slices.mask(group),
        slices.mask(reference),
        confidence=confidence,
        random_state=seed,
    )
    return None if not np.isfinite(result.amplification) else result


def _label_details(amplified: Amplification) -> dict[str, float]:
    """The labels' rates and ratio beside the model's, for a reading of the two gaps."""
    return {
        "label_rate": float(amplified.label_rate_group),
        "label_reference_rate": float(amplified.label_rate_reference),
        "label_ratio": float(amplified.label_ratio),
        "model_ratio": float(amplified.model_ratio),
        "amplification": float(amplified.amplification),
    }


def _clause(amplified: Amplification, tolerance: float, *, level: float) -> str:
    verdict = verdict_of(
        amplified.amplification,
        amplified.amplification_lo,
        amplified.amplification_hi,
        amplified.label_ratio,
        tolerance=tolerance,
        model_lo=amplified.model_ratio_lo,
        model_hi=amplified.model_ratio_hi,
    )
    return label_gap_clause(
        label_rate_group=amplified.label_rate_group,
        label_rate_reference=amplified.label_rate_reference,
        label_ratio=amplified.label_ratio,
        amplification=amplified.amplification,
        lo=amplified.amplification_lo,
        hi=amplified.amplification_hi,
        verdict=verdict,
        level=level,
    )


def amplification(
    session: ModelSession, *, alpha: float, test_cases: Any = None, tolerance: float = GAP
) -> list[Finding]:
    """Does the model widen the gap in selection rates that the actual outcomes already have?

    Per sensitive feature, each group with enough rows against the group the four-fifths rule
    compares with (the highest selection rate): the model's ratio of selection rates divided
    by the labels' ratio of favourable outcomes, with paired bootstrap bounds at
    ``1 - alpha / groups compared`` (Bonferroni). A concern when the model measurably widens
    the labels' gap by at least ``tolerance`` (the quotient under ``1 - tolerance`` beyond its
    bounds); a note when it widens it by less, or narrows it; ok when the bounds stay within
    ``tolerance`` of 1; unclear otherwise. One finding per group that is not ok, or the
    feature's clearest result when all are.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage.
    tolerance : float, default 0.05
        How far from 1 the quotient may be and still count as keeping the gap.

    Returns
    -------
    list of Finding
    """
    not_here = _not_selecting(session, "amplification")
    if not_here:
        return not_here
    if not session.core.has_y:
        return cannot_run("amplification", "this session has no y to compare the answers with")
    findings: list[Finding] = []
    wanted = session.core.class_description(session.core.wanted_class())
    for by in session.sensitive_features_:
        table = _selection_table(session, by, alpha)
        if len(table) < 2 or not table["selection_rate"].max() > 0:
            continue
        top = table["selection_rate"].idxmax()
        others = [g for g in table.index if g != top]
        level = 1 - alpha / len(others)
        found = []
        for group in others:
            amplified = _amplified(session, by, group, top, confidence=level)
            if amplified is not None:
                found.append(
                    _amplification_finding(
                        by, group, top, amplified, tolerance, len(others), wanted
                    )
                )
        shown = [f for f in found if f.severity != "ok"]
        if not shown and found:
            shown = [max(found, key=lambda f: abs(1 - f.estimate))]
        findings += shown
    return findings or cannot_run("amplification", "no two groups had enough rows to compare")


def _amplification_finding(
    by: Hashable,
    group: Any,
    top: Any,
    amplified: Amplification,
    tolerance: float,
    compared: int,
    wanted: str,
) -> Finding:
    amp, lo, hi = amplified.amplification, amplified.amplification_lo, amplified.amplification_hi
    verdict = verdict_of(
        amp, lo, hi, amplified.label_ratio, tolerance=tolerance,
        model_lo=amplified.model_ratio_lo, model_hi=amplified.model_ratio_hi,
    )  # fmt: skip
    spec = _spec(by, group)
    clause = label_gap_clause(
        label_rate_group=amplified.label_rate_group,
        label_rate_reference=amplified.label_rate_reference,
        label_ratio=amplified.label_ratio,
        amplification=amp,
        lo=lo,
        hi=hi,
        verdict=verdict,
        level=amplified.confidence,
        n_comparisons=compared,
    )
    text = amplification_sentence(
        group=formatting.slice_description(spec),
        reference=formatting.label(top),
        model_rate_group=amplified.model_rate_group,
        model_rate_reference=amplified.model_rate_reference,
        model_ratio=amplified.model_ratio,
        clause=clause,
    )
    far = hi < 1 - tolerance if amplified.label_ratio <= 1 else lo > 1 + tolerance
    if verdict == "reverses":  # far: the model's own ratio is far from parity
        far = amplified.model_ratio_hi < 1 - tolerance or amplified.model_ratio_lo > 1 + tolerance
    severity = {
        "widens": "concern" if far else "note",
        "reverses": "concern" if far else "note",
        "narrows": "note",
        "keeps": "ok",
        "unclear": "unclear",
    }[verdict]
    return Finding(
        "amplification",
        severity,
        text,
        amp,
        lo,
        hi,
        amplified.n_group,
        slice=spec,
        feature=by,
        view="fairness",
        size=abs(1 - amp),
        metric="selection_rate",
        reference=top,
        details={
            **_label_details(amplified),
            "rate": float(amplified.model_rate_group),
            "reference_rate": float(amplified.model_rate_reference),
            "level": float(amplified.confidence),
            "compared": compared,
            "verdict": verdict,
            "wanted": wanted,
        },
    )
