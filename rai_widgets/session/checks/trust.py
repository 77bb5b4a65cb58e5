"""Audit checks of what can be trusted as it stands: the model's explanations
(``explanation_trust``) and the answers pinned in test cases (``test_cases``).

Each check takes the session (its public interface) and returns a list of
:class:`~rai_widgets.compute.audit.Finding`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X, y = data.data[["year", "age"]], data.target
>>> s = rw.ModelSession(RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y), X, y,
...                     random_state=0)
>>> cases = rw.TestCases("wage checks").pin(s, 0, note="a young worker")
>>> [f.severity for f in pinned_cases(s, alpha=0.05, test_cases=cases)]
['ok']
>>> [f.finding for f in pinned_cases(s, alpha=0.05)]  # doctest: +ELLIPSIS
['No test cases were given: ...']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit import Finding, cannot_run
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.readings.trust_findings import (
    NO_ROW_EXPLAINED_REASON,
    NO_ROWS_COMPARED,
    NO_TEST_CASES,
    cases_hold_sentence,
    empty_test_set_sentence,
    explainer_share_sentence,
    pinned_case_sentence,
    pinned_set_name,
)
from rai_widgets.session.checks.one_feature import explained_rows, seed_of

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["explanation_trust", "pinned_cases"]

TRUST_ROWS = 20  # rows explained by LIME (the first of the audit's shared SHAP sample)
LIME_SAMPLES = 500  # model evaluations per LIME row (the explain default is 2,000)
SHAKY = 0.25  # a quarter or more of the rows unreliable (or disagreeing): a note


def explanation_trust(
    session: ModelSession, *, alpha: float, test_cases: Any = None
) -> list[Finding]:
    """Can the per-row explanations be read as they stand?

    On a seeded sample of 20 rows: the share whose LIME explanation is unreliable (its local
    model fits poorly, ``local_r2`` < 0.5, or its three largest weights are unstable; LIME's
    ``reliable`` column), and the share where LIME gives the top SHAP feature the opposite
    sign. Both with Wilson bounds. A note when a quarter or more of the rows are shaky (a
    hint to read explanations with care, not a fault of the model); ok otherwise. Classifiers
    without ``predict_proba`` cannot be explained: a note says why.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage.

    Returns
    -------
    list of Finding
    """
    rows = explained_rows(session)
    seed = seed_of(session)
    try:
        shap = session.explain(rows, method="shap", random_state=seed)
        rows = rows[:TRUST_ROWS]
        lime = session.explain(rows, method="lime", n_samples=LIME_SAMPLES, random_state=seed)
    except RaiWidgetsError as err:
        return cannot_run("explanation_trust", str(err).rstrip("."), view="explanation")
    shap = shap[shap["row"].isin(rows)]
    if "class" in shap:  # multiclass: the explanation of each row's predicted class
        predicted = session.predictions()["y_pred"]
        shap = shap[shap["class"].to_numpy() == predicted.loc[shap["row"]].to_numpy()]
        lime = lime[lime["class"].to_numpy() == predicted.loc[lime["row"]].to_numpy()]
    n = int(lime["row"].nunique())
    if n == 0:
        return cannot_run("explanation_trust", NO_ROW_EXPLAINED_REASON, view="explanation")
    unreliable = int((~lime.groupby("row", sort=False)["reliable"].first().astype(bool)).sum())
    top = shap.loc[shap["contribution"].abs().groupby(shap["row"], sort=False).idxmax()]
    paired = top[["row", "feature", "contribution"]].merge(
        lime[["row", "feature", "contribution"]], on=["row", "feature"], suffixes=("", "_lime")
    )
    disagree = int((paired["contribution"] * paired["contribution_lime"] < 0).sum())
    r2 = float(lime.groupby("row", sort=False)["local_r2"].first().median())
    findings = [
        _share_finding(unreliable, n, alpha, kind="unstable", median_r2=r2),
        _share_finding(disagree, len(paired), alpha, kind="disagree"),
    ]
    return findings


def _share_finding(
    k: int, n: int, alpha: float, *, kind: str, median_r2: float | None = None
) -> Finding:
    if n == 0:
        return Finding("explanation_trust", "note", NO_ROWS_COMPARED)
    lo, hi = wilson_interval(np.array([k]), np.array([n]), 1 - alpha)
    share = k / n
    shaky = share >= SHAKY
    if shaky:
        severity, verdict = "note", "shaky"
    elif hi[0] < SHAKY:
        severity, verdict = "ok", "under"
    else:
        severity, verdict = "unclear", "cannot tell"
    text = explainer_share_sentence(
        kind, share=share, lo=lo[0], hi=hi[0], n=n, verdict=verdict, median_r2=median_r2
    )
    return Finding(
        "explanation_trust",
        severity,
        text,
        share,
        float(lo[0]),
        float(hi[0]),
        n,
        view="explanation",
        size=share if shaky else 0,
        details={"kind": kind},
    )


def pinned_cases(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Pinned test cases whose answer changed, or that miss their expected answer.

    Re-runs ``test_cases`` on the session (one batched model call). Each case whose prediction
    differs from the one it was pinned with, or from its expected outcome, is a concern; ok
    when every case holds. A note when no test cases were given (how to give them).

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: unused; test_cases: the pinned cases (``rw.TestCases``).

    Returns
    -------
    list of Finding
    """
    if test_cases is None:
        return [Finding("test_cases", "note", NO_TEST_CASES, size=-1.0)]
    name = pinned_set_name(test_cases.name)
    if len(test_cases) == 0:
        return [Finding("test_cases", "note", empty_test_set_sentence(name))]
    try:
        result = test_cases.run(session)
    except RaiWidgetsError as err:
        return cannot_run("test_cases", str(err).rstrip("."))
    findings = []
    for _, case in result.iterrows():
        changed = bool(case["changed"])
        meets = case["meets_expected"]
        missed = meets is not None and not pd.isna(meets) and not bool(meets)
        if not (changed or missed):
            continue
        text = pinned_case_sentence(
            formatting.label(case["row"]),
            case["note"] or "",
            now=_answer(session, case["prediction"]),
            was=_answer(session, case["pinned_prediction"]) if changed else None,
            expected=_answer(session, case["expected"]) if missed else None,
        )
        findings.append(
            Finding(
                "test_cases",
                "concern",
                text,
                n=1,
                view="examples",
                size=1.0 + float(missed),
            )
        )
    if findings:
        return findings
    expected = int(result["expected"].notna().sum())
    return [
        Finding(
            "test_cases",
            "ok",
            cases_hold_sentence(len(result), name, expected),
            n=len(result),
            view="examples",
            size=0,
        )
    ]


def _answer(session: ModelSession, value: Any) -> str:
    if session.task_ == "regression":
        return formatting.number(value, 4)
    return session.core.class_description(value)
