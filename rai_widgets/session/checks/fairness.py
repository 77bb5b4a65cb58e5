"""Audit checks of how the model treats groups: the largest gaps between groups, blind spots,
and groups too small to say anything about (the four-fifths rule is in
:mod:`~rai_widgets.session.checks.selection`).

Each check takes the session (its public interface) and returns a list of
:class:`~rai_widgets.compute.audit.Finding`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.datasets import load_breast_cancer
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> model = LogisticRegression(max_iter=5000).fit(X, y)
>>> s = rw.ModelSession(model, X, y, random_state=0)  # no sensitive features given
>>> data_gap(s, alpha=0.05)[0].finding
'Not checked: no sensitive features were given (ModelSession(..., sensitive_features=[...])).'
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.overlap import distinct_masks
from rai_widgets.compute.slice_metrics import DEFAULT_MIN_SUPPORT
from rai_widgets.readings import fairness_findings as words
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["blind_spot", "cell_mask", "data_gap", "disparity"]

GAP = DEFAULT_TOLERANCE  # a gap between groups this large (5 points), beyond its bounds
FOUR_FIFTHS = 0.8  # the US EEOC convention for selection rates
MAX_SPOTS = 6  # distinct blind spots reported: as many as the fairness view lists
CANDIDATES = 150  # the strongest blind spots screened for repeats, as in the fairness view
OVERLAP = 0.8  # a blind spot sharing more of its rows with a reported one is the same finding
_NO_SENSITIVE = NO_SENSITIVE_REASON


def _groupings(session: ModelSession) -> list[Any]:
    """Each sensitive feature, and the intersection of the first two."""
    features = list(session.sensitive_features_)
    groupings: list[Any] = list(features)
    if len(features) >= 2:
        groupings.append(features[:2])
    return groupings


def _spec(by: Any, label: Any) -> dict:
    columns = by if isinstance(by, list) else [by]
    values = label if isinstance(label, tuple) else (label,)
    return dict(zip(columns, values, strict=True))


def _name(by: Any) -> str:
    return " & ".join(map(str, by)) if isinstance(by, list) else str(by)


def disparity(
    session: ModelSession, *, alpha: float, test_cases: Any = None, tolerance: float = GAP
) -> list[Finding]:
    """The largest gap to the largest group, per sensitive feature (and the intersection of
    the first two), in accuracy, selection rate, TPR and FPR (classification) or MAE.

    Bounds are MOVER intervals at (1 - alpha / comparisons) (Bonferroni over the groups and
    metrics compared); groups with low support are left out of the search. A concern when the
    bounds exclude zero and the gap is at least ``tolerance`` (5 points, or 5% of the
    reference's MAE); a note when the bounds exclude zero but the gap is smaller; ok when the
    bounds rule out a gap of ``tolerance`` or more; unclear otherwise (the data cannot tell).

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the error rate, shared among the comparisons.
    tolerance : float, default 0.05
        The gap that matters (points of a rate; a share of the reference's error).

    Returns
    -------
    list of Finding
    """
    if not session.sensitive_features_:
        return cannot_run("disparity", _NO_SENSITIVE)
    if not session.core.has_y:
        return cannot_run("disparity", "this session has no y")
    available = set(session.metric_names())
    wanted = ["mae"] if session.task_ == "regression" else ["accuracy"]
    if session.task_ == "binary":
        wanted += ["selection_rate", "tpr", "fpr"]
    metrics = [m for m in wanted if m in available]
    groupings = _groupings(session)
    tables = {}
    n_comparisons = 0
    for by in groupings:
        sizes = session.core.slices(by).sizes
        n_comparisons += max(0, int((sizes >= DEFAULT_MIN_SUPPORT).sum()) - 1) * len(metrics)
    ci = 1 - alpha / max(1, n_comparisons)
    findings = []
    for by in groupings:
        for metric in metrics:
            table = session.disparities(by, metric=metric, ci=ci)
            tables[(str(by), metric)] = table
            rows = table[~table["reference"] & ~table["low_support"]]
            rows = rows.dropna(subset=["difference"])
            if rows.empty:
                continue
            label = rows["difference"].abs().idxmax()
            row = rows.loc[label]
            reference = table.attrs.get("reference")
            findings.append(
                _gap_finding(
                    session, by, metric, label, row, reference, tolerance, ci, n_comparisons
                )
            )
    if not findings:
        return cannot_run("disparity", "no two groups had enough rows to compare")
    return findings


def _gap_finding(
    session: ModelSession,
    by: Any,
    metric: str,
    label: Any,
    row: pd.Series,
    reference: Any,
    tolerance: float,
    ci: float,
    n_comparisons: int,
) -> Finding:
    d, lo, hi = float(row["difference"]), float(row["difference_lo"]), float(row["difference_hi"])
    spec = _spec(by, label)
    unit = session.target_unit
    if metric == "mae":
        threshold = tolerance * abs(float(row[metric]) - d)  # a share of the reference's MAE
    else:
        threshold = tolerance
    beyond_chance = lo > 0 or hi < 0
    severity = "concern" if beyond_chance and abs(d) >= threshold else "note"
    settled = -threshold < lo and hi < threshold  # the bounds rule out a gap that matters
    if not beyond_chance:
        severity = "ok" if settled else "unclear"
    reference_words = (
        formatting.label(reference)
        if reference is None
        else formatting.slice_description(_spec(by, reference))
    )
    text = words.gap_sentence(
        metric,
        formatting.slice_description(spec),
        value=row[metric],
        difference=d,
        lo=lo,
        hi=hi,
        n=row["n"],
        reference=reference,
        reference_words=reference_words,
        level=ci,
        n_comparisons=n_comparisons,
        verdict="beyond_chance" if beyond_chance else "settled" if settled else "cannot_tell",
        threshold=threshold,
        unit=unit,
    )
    return Finding(
        "disparity",
        severity,
        text,
        d,
        lo,
        hi,
        int(row["n"]),
        slice=spec,
        feature=by if not isinstance(by, list) else None,
        view="fairness",
        metric=metric,
        reference=reference,
        details={
            "value": float(row[metric]),
            "reference_value": float(row[metric]) - d,
            "level": ci,
            "compared": n_comparisons,
            **_classes(session),
        },
    )


def _classes(session: ModelSession) -> dict[str, Any]:
    """How a binary task's classes read, for a plain reading of its rates: the positive class
    (what a true positive rate finds), the other one, and whether being selected (predicted
    positive) is the favourable outcome."""
    if session.task_ != "binary":
        return {}
    positive = session.pos_label_
    other = [c for c in session.core.class_labels() if c != positive]
    return {
        "positive": session.core.class_description(positive),
        "negative": session.core.class_description(other[0]) if other else "",
        "selected_is_wanted": bool(session.core.wanted_class() == positive),
    }


def cell_mask(session: ModelSession, spec: dict[Any, Any]) -> np.ndarray:
    """The rows of a slice :meth:`~rai_widgets.ModelSession.weak_slices` found, from the
    session's cached groupings of its columns (the codes the search counted).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    spec : dict
        ``{column: label}`` as ``weak_slices()["spec"]`` gives it.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
    >>> spec = s.weak_slices(max_order=1)["spec"].iloc[0]
    >>> bool((cell_mask(s, spec) == s.core.slice_mask(spec)).all())
    True
    """
    columns = session.core.frame.columns
    if any(column not in columns for column in spec):  # a name the search wrote as text
        return session.core.slice_mask(spec)
    mask = np.ones(session.core.n_rows_, dtype=bool)
    for column, label in spec.items():
        mask &= session.core.slices(column).mask(label)
    return mask


def blind_spot(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """The distinct blind spots (one or two features) where the model does significantly worse
    than on the rest, Benjamini-Hochberg controlled at ``alpha``; a slice sharing more than 80%
    of its rows with a reported one is the same finding.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: false discovery rate.

    Returns
    -------
    list of Finding
    """
    if not session.core.has_y:
        return cannot_run("blind_spot", "this session has no y")
    table = session.weak_slices(alpha=alpha)
    significant = table[table["significant"]]
    if significant.empty:
        return [
            Finding(
                "blind_spot",
                "ok",
                words.no_blind_spot_sentence(len(table), alpha),
                view="fairness",
            )
        ]
    screened = significant.head(CANDIDATES)
    masks = (cell_mask(session, spec) for spec in screened["spec"])  # read lazily
    keep, _ = distinct_masks(masks, limit=MAX_SPOTS, overlap=OVERLAP)
    as_rate = session.task_ != "regression"
    findings: list[Finding] = []
    for i in keep:
        row = significant.iloc[i]
        findings.append(
            Finding(
                "blind_spot",
                "concern",
                words.blind_spot_sentence(
                    formatting.slice_description(row["spec"]),
                    as_rate=as_rate,
                    value=row["metric"],
                    rest=row["rest"],
                    gap=row["gap"],
                    q=row["q_value"],
                    n=row["n"],
                    unit=session.target_unit,
                ),
                float(row["gap"]),
                float(row.get("gap_lo", np.nan)),
                float(row.get("gap_hi", np.nan)),
                int(row["n"]),
                slice=dict(row["spec"]),
                view="fairness",
                metric="error_rate" if as_rate else "mae",
                details={
                    "value": float(row["metric"]),
                    "rest": float(row["rest"]),
                    "q": float(row["q_value"]),
                    "found": len(significant),
                    "distinct": len(keep),
                    "listed_at_most": MAX_SPOTS,
                },
            )
        )
    return findings


def data_gap(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Groups of a sensitive feature too small to say anything about (fewer than 30 rows), and
    categories of a sensitive feature with no rows at all.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: unused.

    Returns
    -------
    list of Finding
    """
    if not session.sensitive_features_:
        return cannot_run("data_gap", _NO_SENSITIVE)
    findings = []
    for feature in session.sensitive_features_:
        findings += _gaps_of(session, feature)
    if not findings:
        return [
            Finding(
                "data_gap",
                "ok",
                words.data_gap_ok_sentence(session.sensitive_features_, DEFAULT_MIN_SUPPORT),
                view="fairness",
            )
        ]
    return findings


def _gaps_of(session: ModelSession, feature: Hashable) -> list[Finding]:
    findings = []
    slices = session.core.slices(feature)
    for label, n in zip(slices.labels, slices.sizes, strict=True):
        if n < DEFAULT_MIN_SUPPORT:
            spec = {feature: label}
            findings.append(
                Finding(
                    "data_gap",
                    "note",
                    words.small_group_sentence(formatting.slice_description(spec), n),
                    float(n),
                    n=int(n),
                    slice=spec,
                    feature=feature,
                    view="fairness",
                    size=DEFAULT_MIN_SUPPORT - n,
                )
            )
    values = session.core.column(feature)
    if isinstance(values.dtype, pd.CategoricalDtype):
        empty = [c for c in values.cat.categories if not (values == c).any()]
        for category in empty:
            findings.append(
                Finding(
                    "data_gap",
                    "note",
                    words.empty_category_sentence(feature, category),
                    0.0,
                    n=0,
                    feature=feature,
                    view="fairness",
                    size=DEFAULT_MIN_SUPPORT,
                )
            )
    return findings
