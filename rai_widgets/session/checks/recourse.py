"""The audit's recourse check: do the people a model refuses in one group have to change more
to be accepted than the others?

For each sensitive feature, a seeded sample of the refused people of every group large enough
gets counterfactuals (``ModelSession.counterfactuals``, one search for everyone); the size of
each person's smallest valid change (features changed, Gower distance) is compared between
groups with bootstrap bounds and a false discovery rate
(:func:`~rai_widgets.compute.recourse_gaps.recourse_gaps`).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
>>> recourse(s, alpha=0.05)[0].finding  # doctest: +ELLIPSIS
'Not checked: no sensitive features were given ...'
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.recourse_gaps import recourse_gaps
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON
from rai_widgets.readings.recourse import recourse_gap_sentence
from rai_widgets.readings.recourse_findings import (
    ANOTHER_CLASS,
    MULTICLASS_NEEDS_FAVORABLE,
    missing_counterfactuals_sentence,
    regression_answers,
    too_few_refused_reason,
    too_few_with_counterfactual_reason,
)
from rai_widgets.readings.units import amount

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["PEOPLE_PER_GROUP", "RecourseCosts", "recourse", "recourse_costs", "refused_rows"]

#: Refused people searched per group (a seeded sample beyond this many).
PEOPLE_PER_GROUP = 30

#: Groups with fewer refused people are not compared.
MIN_PEOPLE = 20


def refused_rows(session: ModelSession) -> tuple[np.ndarray, Any, str, str]:
    """Who the model refuses, and the answer they would need.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    refused : numpy.ndarray of bool
        Per row, whether the model does not give the favourable outcome.
    target : object
        ``counterfactuals``' target: the favourable class, or a range of predictions.
    refused_words, wanted_words : str
        The two answers as they read.

    Raises
    ------
    ValueError
        For a multiclass session without ``favorable``: it has no one answer to refuse.
    """
    core = session.core
    y_pred = core.outputs().y_pred
    if core.task_ == "regression":
        median = float(np.median(y_pred))
        cut = amount(median, core.target_unit, digits=3)
        lower = core.favorable_ == "lower"
        refused_words, wanted_words = regression_answers(cut, lower_is_favourable=lower)
        if lower:
            return y_pred > median, (None, median), refused_words, wanted_words
        return y_pred < median, (median, None), refused_words, wanted_words
    wanted = core.wanted_class()
    if wanted is None:
        raise ValueError(MULTICLASS_NEEDS_FAVORABLE)
    refused = y_pred != wanted
    words = ANOTHER_CLASS if core.task_ == "multiclass" else None
    if words is None:
        other = next(c for c in core.class_labels() if c != wanted)
        words = core.class_description(other)
    return refused, wanted, words, core.class_description(wanted)


@dataclass(frozen=True)
class RecourseCosts:
    """The cost of recourse per group of each sensitive feature, as the check and the model
    card read it.

    Attributes
    ----------
    tables : dict
        Sensitive feature -> :func:`~rai_widgets.compute.recourse_gaps.recourse_gaps` table
        (one row per group compared).
    missing : dict
        Sensitive feature -> people searched for whom no counterfactual was found.
    refused, wanted : str
        The answer the people got and the one they need, as they read.
    note : str
        Why nothing could be compared ("" when something was).
    """

    tables: dict[Hashable, pd.DataFrame]
    missing: dict[Hashable, int]
    refused: str
    wanted: str
    note: str = ""


def recourse_costs(session: ModelSession, *, alpha: float = 0.05) -> RecourseCosts:
    """Per sensitive feature, the size of the smallest valid change the refused people of
    each group need, against the other refused people (computed once per model and data).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    alpha : float, default 0.05
        1 - the bounds' coverage, and the false discovery rate across groups.

    Returns
    -------
    RecourseCosts
    """
    core = session.core
    state = core.state()
    seed = core.random_state if isinstance(core.random_state, int) else 0
    return core.cache.get_or_compute(
        ("recourse_costs", state.model, state.data, alpha, seed),
        lambda: _costs(session, alpha, seed),
    )


def _costs(session: ModelSession, alpha: float, seed: int) -> RecourseCosts:
    if not session.sensitive_features_:
        return RecourseCosts({}, {}, "", "", NO_SENSITIVE_REASON)
    try:
        refused, target, refused_words, wanted_words = refused_rows(session)
    except ValueError as err:
        return RecourseCosts({}, {}, "", "", str(err))
    rng = np.random.default_rng(seed)
    chosen: dict[Hashable, dict[Any, np.ndarray]] = {}
    for by in session.sensitive_features_:
        slices = session.core.slices(by)
        picked = {}
        for code, label in enumerate(slices.labels):
            rows = np.flatnonzero((slices.codes == code) & refused)
            if len(rows) >= MIN_PEOPLE:
                take = min(len(rows), PEOPLE_PER_GROUP)
                picked[label] = np.sort(rng.choice(rows, take, replace=False))
        if len(picked) >= 2:
            chosen[by] = picked
    if not chosen:
        why = too_few_refused_reason(MIN_PEOPLE, refused_words)
        return RecourseCosts({}, {}, refused_words, wanted_words, why)
    positions = np.unique(np.concatenate([p for g in chosen.values() for p in g.values()]))
    labels = session.core.frame.index[positions]
    found = session.counterfactuals(list(labels), n=2, target=target, random_state=seed)
    best = _smallest_change(found.cases())
    tables, missing = {}, {}
    index = session.core.frame.index
    for by, picked in chosen.items():
        people = [(label, index[p]) for label, rows in picked.items() for p in rows]
        searched = len(people)
        people = [(label, row) for label, row in people if row in best.index]
        missing[by] = searched - len(people)
        groups = np.array([label for label, _ in people], dtype=object)
        labels_ = [row for _, row in people]
        tables[by] = recourse_gaps(
            best.loc[labels_, "n_changed"].to_numpy(float),
            best.loc[labels_, "distance"].to_numpy(float),
            groups,
            alpha=alpha,
            min_people=MIN_PEOPLE // 2,
            random_state=seed,
        )
    return RecourseCosts(tables, missing, refused_words, wanted_words)


def recourse(
    session: ModelSession,
    *,
    alpha: float,
    test_cases: Any = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Per sensitive feature, whether the refused people of a group need a measurably larger
    change to be accepted than the other refused people (see :func:`recourse_costs`).

    A concern when a group's gap in distance is supported (Benjamini-Hochberg across every
    group compared, bounds above zero); ok when the largest gap's bounds rule out
    ``tolerance``; unclear otherwise.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage and the false discovery rate.
    tolerance : float, default 0.05
        The gap in Gower distance that matters (a twentieth of every feature changing).

    Returns
    -------
    list of Finding
    """
    costs = recourse_costs(session, alpha=alpha)
    if costs.note:
        return cannot_run("recourse", costs.note)
    findings = []
    for by, table in costs.tables.items():
        name = " & ".join(map(str, by)) if isinstance(by, list) else str(by)
        if table.empty:
            findings += cannot_run("recourse", too_few_with_counterfactual_reason(name))
            continue
        significant = table[table["significant"]]
        verdicts = [(label, "larger") for label in significant.index]
        if significant.empty:
            label = table["gap"].idxmax()
            verdict = "no larger" if table.loc[label, "gap_hi"] < tolerance else "cannot tell"
            verdicts = [(label, verdict)]
        for label, verdict in verdicts:
            findings.append(
                _finding(by, label, table.loc[label], verdict, tolerance, costs.missing[by], costs)
            )
    return findings


def _smallest_change(cases: pd.DataFrame) -> pd.DataFrame:
    """Per person, the counterfactual with the smallest distance: features and distance."""
    if cases.empty:
        return pd.DataFrame(columns=["n_changed", "distance"])
    ordered = cases.reset_index().sort_values(["row", "distance", "n_changed"])
    return ordered.groupby("row", sort=False)[["n_changed", "distance"]].first()


def _finding(
    by: Hashable,
    label: Any,
    row: pd.Series,
    verdict: str,
    tolerance: float,
    missing: int,
    costs: RecourseCosts,
) -> Finding:
    spec = {by: label}
    text = recourse_gap_sentence(
        formatting.slice_description(spec),
        refused=costs.refused,
        wanted=costs.wanted,
        mine=(
            row["features"],
            row["distance"],
            row["distance_lo"],
            row["distance_hi"],
            int(row["n"]),
        ),
        rest=(
            row["rest_features"],
            row["rest_distance"],
            row["rest_distance_lo"],
            row["rest_distance_hi"],
            int(row["rest_n"]),
        ),
        verdict=verdict,
        matters=tolerance,
    )
    if missing:
        text += " " + missing_counterfactuals_sentence(missing)
    severity = {"larger": "concern", "no larger": "ok", "cannot tell": "unclear"}[verdict]
    return Finding(
        "recourse",
        severity,
        text,
        float(row["gap"]),
        float(row["gap_lo"]),
        float(row["gap_hi"]),
        int(row["n"]),
        slice=spec,
        feature=by,
        view="explanation",
        details={
            "features": float(row["features"]),
            "rest_features": float(row["rest_features"]),
            "refused": costs.refused,
            "wanted": costs.wanted,
        },
    )
