"""What the dashboard's summary says: how often the model is right beside the trivial answer,
and the one group it does measurably worse for (with what its outcome mix accounts for), or
that no group stands out (and the gap between two groups the audit finds all the same).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> summary_sentences(s)[0].startswith("The model is right for")  # no name given: none shown
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.outcome_mix import outcome_mix
from rai_widgets.readings import groups
from rai_widgets.readings.pair_words import gap_clause
from rai_widgets.readings.plain_findings import compared_with, details_of, where_of
from rai_widgets.readings.summary import mix_clause, overall_line, quiet_sentence, worse_sentence

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["pairwise_gap", "summary_sentences", "worse_group"]

#: The metric a gap between two groups is read in when the summary names one.
LOSS_METRICS = ("accuracy", "mae")


def worse_group(
    session: ModelSession, features: list[Hashable]
) -> tuple[Hashable, pd.Series] | None:
    """The group the model does measurably worse for, tested against the rest of the rows
    (each feature's groups corrected for the groups compared): the strongest over
    ``features``, or None when no group of any of them is.

    Parameters
    ----------
    session : ModelSession
        The model and data (with y).
    features : list
        The groupings.

    Returns
    -------
    tuple or None
        ``(feature, row)`` with the row of ``session.weak_slices(features=[feature],
        max_order=1)``.
    """
    found = []
    for feature in features:
        tested = session.weak_slices(features=[feature], max_order=1)
        row = groups.strongest_gap(tested) if len(tested) >= 2 else None
        if row is not None:
            found.append((float(row["q_value"]), -float(row["gap_lo"]), feature, row))
    if not found:
        return None
    _, _, feature, row = min(found, key=lambda item: (item[0], item[1]))
    return feature, row


def pairwise_gap(session: ModelSession, features: list[Hashable]) -> Mapping[str, Any] | None:
    """The largest gap between two groups the audit finds (its ``disparity`` concerns) in
    accuracy or mean absolute error, among groupings of ``features`` only; None when there is
    none.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : list
        The groupings no group of which does worse than the rest.

    Returns
    -------
    mapping or None
        A row of ``session.audit(checks=["disparity"]).frame()``.
    """
    if not session.sensitive_features_:
        return None
    frame = session.audit(checks=["disparity"]).frame()
    wanted = set(map(str, features))
    for _, row in frame.iterrows():
        slice_ = row.get("slice")
        if row["severity"] != "concern" or row.get("metric") not in LOSS_METRICS:
            continue
        if isinstance(slice_, dict) and set(map(str, slice_)) <= wanted:
            return row.to_dict()
    return None


def _mix_words(session: ModelSession, spec: dict) -> str:
    """What the group's outcome mix accounts for in its gap ("" when little, or no classes)."""
    preds = session.predictions()
    y = preds["y_true"]  # as it is: outcome_mix factorizes it without an object copy
    wrong = ~preds["correct"].to_numpy(dtype=bool)
    mask = session.core.slice_mask(spec)
    if mask.all() or not mask.any():
        return ""
    mix = outcome_mix(y, wrong, mask)
    if mix.harder is None or not mix.gap > 0:
        return ""
    describe = session.core.class_description
    others = [c for c in mix.outcome_error if c != mix.harder]
    if len(mix.outcome_error) == 2:
        other, other_error = describe(others[0]), mix.outcome_error[others[0]]
    else:
        other, other_error = None, float(np.mean(wrong))
    return mix_clause(
        mix.mix_fraction,
        describe(mix.harder),
        mix.share[mix.harder],
        mix.rest_share[mix.harder],
        mix.outcome_error[mix.harder],
        other_error,
        other=other,
    )


def summary_sentences(
    session: ModelSession,
    *,
    by: Hashable | None = None,
    features: Sequence[Hashable] | None = None,
) -> list[str]:
    """The summary's sentences: the overall line, then the group line.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        The groups compared when the session names no sensitive feature (groups or rests
        under 30 rows are not tested).
    features : sequence of column names, optional
        The groupings compared instead of the session's sensitive features (a model card's
        ``sensitive_features=``); ``by`` is then ignored.

    Returns
    -------
    list of str
    """
    s = session
    if not s.core.has_y:
        return [
            f"The model ({s.name}) on {formatting.count(s.core.n_rows_)} rows; no actual outcomes "
            "were given, so nothing here says how often it is right."
        ]
    y_true = s.predictions()["y_true"]
    regression = s.task_ == "regression"
    # a name nobody gave (the model's class, "Pipeline") is code, not a label to show
    name = None if s.name == type(s.model).__name__ else s.name
    metric = "mae" if regression else "accuracy"
    overall = s.slice_metrics(by=None, metrics=[metric]).iloc[0]
    if regression:
        y = y_true.to_numpy(dtype=float)
        first = overall_line(
            name,
            int(overall["n"]),
            float(overall[metric]),
            float(np.abs(y - y.mean()).mean()),
            unit=s.target_unit,
        )
    else:
        share = y_true.value_counts(normalize=True)
        first = overall_line(
            name,
            int(overall["n"]),
            float(overall[metric]),
            float(share.iloc[0]),
            trivial_answer=s.core.class_description(share.index[0]),
        )
    if features is None:
        features = list(s.sensitive_features_) or ([] if by is None else [by])
    features = list(features)
    if not features:
        return [first]
    loss = "abs_error" if regression else "error_rate"
    worse = worse_group(s, features)
    if worse is not None:
        _, row = worse
        mix = "" if regression else _mix_words(s, dict(row["spec"]))
        line = worse_sentence(
            str(row["slice"]),
            float(row["metric"]),
            float(row["rest"]),
            loss=loss,
            unit=s.target_unit,
            mix=mix,
        )
        return [first, line]
    testable = [f for f in features if len(s.weak_slices(features=[f], max_order=1)) >= 2]
    if not testable:
        listed = " or ".join(map(str, features))
        return [
            first,
            f"The groups of {listed} are too small to compare (a group and the rest each need "
            "30 rows or more).",
        ]
    pair = pairwise_gap(s, testable)
    clause = ""
    if pair is not None:
        d = details_of(pair)
        clause = gap_clause(
            str(pair["metric"]),
            where_of(pair),
            d.get("value", float("nan")),
            compared_with(pair),
            d.get("reference_value", float("nan")),
            unit=s.target_unit,
        )
    return [first, quiet_sentence(testable, pairwise=clause)]
