"""The audit's drift check: features whose distribution differs between the training and the
evaluation rows, and whether the model's quality moved with them.

A feature that moved is a concern only where the model's quality moved too: for each
drifted (feature, group), the model's accuracy (classification) or mean absolute error
(regression) on the group's evaluation rows is compared with its quality on the group's
training rows, beside the same change on the other rows (a model does better on the rows it
was fitted on everywhere; :mod:`rai_widgets.compute.drift_quality`). A drift the model's
quality does not follow is a note.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.model_selection import train_test_split
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
>>> model = LogisticRegression(max_iter=5000).fit(X_train, y_train)
>>> s = rw.ModelSession(model, X_test, y_test, train=(X_train, y_train), random_state=0)
>>> [f.severity for f in drift(s, alpha=0.05)]
['ok']
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.data_drift import ALL_ROWS, feature_drift_by
from rai_widgets.compute.drift_quality import QualityChange, quality_change
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings import drift as drift_words
from rai_widgets.readings import lifecycle as words
from rai_widgets.readings import lifecycle_findings as findings_words
from rai_widgets.session.checks.one_feature import seed_of
from rai_widgets.session.checks.training_groups import training_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["DRIFT_SAMPLE", "MAX_DRIFT_FINDINGS", "drift", "training_quality"]

MAX_DRIFT_FINDINGS = 8
LARGE_SHIFT = 0.25
"""A shift whose lower bound moves at least this share of a feature's distribution is a
concern in itself: the evaluation rows no longer describe what the model was trained on."""
DRIFT_SAMPLE = 200_000  # rows a side the drift tests (and the training predictions) use at most
_ORDER = {"concern": 0, "note": 1, "unclear": 2}


def training_quality(
    session: ModelSession, *, max_rows: int | None = DRIFT_SAMPLE
) -> tuple[np.ndarray, np.ndarray] | None:
    """The model's quality on each training row: right or not (classification), its absolute
    error (regression); cached per model and training rows.

    The model is already fitted: its answers on the training rows cost one batched call of it
    (the session's ``n_jobs``), on a seeded sample of ``max_rows`` rows when there are more.

    Parameters
    ----------
    session : ModelSession
        A session with labelled training rows.
    max_rows : int or None, default 200,000
        Training rows predicted at most (None: all).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray) or None
        The positions of the training rows used, and each one's quality; None without
        labelled training rows.
    """
    core = session.core
    training = core.training
    if training is None or training.y is None:
        return None
    seed = seed_of(session)
    key = ("training_quality", core.state().model, training.token, max_rows, seed)
    labels, model_input = training.y.to_numpy(), training.model_input

    def compute() -> tuple[np.ndarray, np.ndarray]:
        n = len(labels)
        rows = np.arange(n)
        if max_rows is not None and n > max_rows:
            rng = np.random.default_rng(seed)
            rows = np.sort(rng.choice(n, size=max_rows, replace=False))
        used = model_input
        if len(rows) < n:
            used = (
                model_input.iloc[rows]
                if isinstance(model_input, pd.DataFrame)
                else np.asarray(model_input)[rows]
            )
        outputs = core.adapter.outputs(used, n_jobs=core.n_jobs)
        y = labels[rows]
        if session.task_ == "regression":
            return rows, np.abs(y.astype(float) - np.asarray(outputs.y_pred, dtype=float))
        classes = pd.Index(core.classes_)
        truth, answer = classes.get_indexer(y), classes.get_indexer(outputs.y_pred)
        return rows, (truth == answer) & (truth >= 0)

    return core.cache.get_or_compute(key, compute)


def _evaluation_quality(session: ModelSession) -> np.ndarray:
    answers = session.predictions()
    if session.task_ == "regression":
        return answers["residual"].abs().to_numpy(dtype=float)
    return answers["correct"].to_numpy(dtype=bool)


def drift(
    session: ModelSession,
    *,
    alpha: float,
    test_cases: Any = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Features whose distribution differs between the training and the evaluation rows, and
    whether the model's quality moved with them.

    Every feature over all rows and within each group of each sensitive feature (a KS test
    for numbers, chi-squared for categories; samples of 200,000 rows a side at most), with
    Benjamini-Hochberg control over every comparison. A shift is the total variation
    distance between the two distributions (bootstrap bounds); drifted: q at most ``alpha``
    and the lower bound of the shift at least ``tolerance``.

    For each group with a drifted feature (all rows counting as one), the model's accuracy
    or mean absolute error on its evaluation rows against its training rows, minus the same
    change on the other rows (over all rows: the change itself), with MOVER bounds widened
    (Bonferroni) for the groups compared. A concern when that excess is beyond chance and at
    least ``tolerance`` (5 points of accuracy, or 5% of the group's training error); a note
    when it is beyond chance but smaller, or when the bounds rule out a change of
    ``tolerance`` (the data moved, the model's quality did not); unclear otherwise. A shift
    whose lower bound is at least :data:`LARGE_SHIFT` (a quarter of the distribution moved) is
    a concern whatever the quality, in the group where that feature moved most (a shift for
    one group also moves every group it is part of): the evaluation no longer describes what
    the model was trained on there. Without labels on either side a smaller drift is a note.
    One finding per group (all rows counting as one), about its largest shift, naming the
    other features that differ there; concerns first, then the largest shifts; eight at most.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the false discovery rate of the drift tests and the error
        rate of the quality bounds.
    tolerance : float, default 0.05
        The smallest shift counted as drift, and the change of quality that matters.

    Returns
    -------
    list of Finding
    """
    training = session.core.training
    if training is None:
        return cannot_run("drift", words.NO_TRAINING)
    X = session.core.frame
    seed = seed_of(session)
    groupings: dict[Hashable, tuple[np.ndarray, np.ndarray]] = {}
    for by in session.sensitive_features_:
        groups = training_groups(session, by)
        if groups is not None:
            groupings[by] = (groups[0].to_numpy(), groups[1].to_numpy())
    table = feature_drift_by(
        training.X, X, groupings, confidence=1 - alpha, min_shift=tolerance,
        max_rows=DRIFT_SAMPLE, random_state=seed,
    )  # fmt: skip
    n_tests = int(table["p_value"].notna().sum())
    drifted = table[table["drifted"]].sort_values("shift", ascending=False)
    if drifted.empty:
        overall = table[table["group"] == ALL_ROWS]
        top = overall.loc[overall["shift"].idxmax()]
        return [
            Finding(
                "drift",
                "ok",
                words.no_drift_sentence(n_tests, " or ".join(map(str, groupings)), _largest(top)),
                float(top["shift"]),
                float(top["shift_lo"]),
                float(top["shift_hi"]),
                int(top["n_current"]),
                feature=top["feature"],
            )
        ]
    qualities = _qualities(session, drifted, groupings, alpha)
    by_group: dict[tuple, list[pd.Series]] = {}
    for _, row in drifted.iterrows():  # the largest shift first
        by_group.setdefault(_group_key(row), []).append(row)
    # where each feature moved most (a shift for one group also moves every group it is part
    # of, and all rows): a large shift is a concern there alone
    most = set(drifted.groupby("feature", sort=False)["shift"].idxmax())
    findings = [
        _drift_finding(
            session,
            rows[0],
            rows[1:],
            n_tests,
            qualities,
            tolerance,
            alpha,
            moved_most=rows[0].name in most,
        )
        for rows in by_group.values()
    ]
    order = sorted(range(len(findings)), key=lambda i: (_ORDER[findings[i].severity], i))
    return [findings[i] for i in order[:MAX_DRIFT_FINDINGS]]


def _group_key(row: pd.Series) -> tuple:
    return (None, ALL_ROWS) if row["group"] == ALL_ROWS else (row["grouping"], row["group"])


def _qualities(
    session: ModelSession,
    drifted: pd.DataFrame,
    groupings: dict[Hashable, tuple[np.ndarray, np.ndarray]],
    alpha: float,
) -> dict[tuple, QualityChange] | str:
    """The model's quality change in each group with a drifted feature (Bonferroni over those
    groups), or why it cannot be compared."""
    if not session.core.has_y:
        return "this session has no y"
    found = training_quality(session)
    if found is None:
        return "the training rows were given without labels"
    rows, train_values = found
    eval_values = _evaluation_quality(session)
    metric = "mae" if session.task_ == "regression" else "accuracy"
    keys = list(dict.fromkeys(_group_key(row) for _, row in drifted.iterrows()))
    confidence = 1 - alpha / len(keys)
    out: dict[tuple, QualityChange] = {}
    for grouping, group in keys:
        if grouping is None:
            out[(grouping, group)] = quality_change(
                train_values, eval_values, metric=metric, confidence=confidence
            )
            continue
        in_train = pd.Series(groupings[grouping][0][rows], dtype=object).eq(group).to_numpy()
        in_eval = pd.Series(groupings[grouping][1], dtype=object).eq(group).to_numpy()
        out[(grouping, group)] = quality_change(
            train_values, eval_values, metric=metric, train_in=in_train, eval_in=in_eval,
            confidence=confidence,
        )  # fmt: skip
    return out


def _outcome(found: QualityChange, threshold: float) -> str:
    if found.beyond_chance:
        return "changes" if abs(found.excess) >= threshold else "small"
    return "same" if found.settled(threshold) else "cannot_tell"


_SEVERITY = {"changes": "concern", "small": "note", "same": "note", "cannot_tell": "unclear"}


def _group_of(row: pd.Series) -> dict | None:
    if row["group"] == ALL_ROWS:
        return None
    return {row["grouping"]: row["group"]}


def _largest(row: pd.Series) -> str:
    spec = _group_of(row)
    where = None if spec is None else formatting.slice_description(spec)
    return findings_words.largest_shift_clause(row["feature"], where, row["shift"])


def _drift_finding(
    session: ModelSession,
    row: pd.Series,
    others: list[pd.Series],
    n_tests: int,
    qualities: dict[tuple, QualityChange] | str,
    tolerance: float,
    alpha: float,
    *,
    moved_most: bool = False,
) -> Finding:
    spec = _group_of(row)
    feature = row["feature"]
    value_kind = column_kind(feature, session.core.frame[feature])
    detail = drift_words.move_detail(
        feature, row["kind"], detail=row["detail"], change=row["detail_change"],
        before=row["detail_from"], after=row["detail_to"], value_kind=value_kind,
    )  # fmt: skip
    text = words.drift_sentence(
        str(feature),
        None if spec is None else formatting.slice_description(spec),
        shift=float(row["shift"]),
        lo=float(row["shift_lo"]),
        hi=float(row["shift_hi"]),
        detail=detail,
        q=float(row["q_value"]),
        n_tests=n_tests,
    )
    also = [(other["feature"], float(other["shift"])) for other in others]
    if also:
        text += " " + drift_words.also_differ(also, whole=spec is None)
    severity, metric = "note", None
    details: dict[str, Any] = {
        "kind": row["kind"],
        "moved": row["detail"],
        "before": float(row["detail_from"]),
        "after": float(row["detail_to"]),
        "unit": drift_words.unit_word(feature, value_kind),
        "level": 1 - alpha,
        "also": [name for name, _ in also],
    }
    if isinstance(qualities, str):
        text += " " + drift_words.no_quality_sentence(qualities)
    else:
        found = qualities[_group_key(row)]
        metric = found.metric
        threshold = tolerance if metric == "accuracy" else tolerance * found.train
        outcome = _outcome(found, threshold)
        severity = _SEVERITY[outcome]
        details.update(
            outcome=outcome, train=found.train, evaluation=found.evaluation,
            change=found.change, rest_change=found.rest_change, excess=found.excess,
            excess_lo=found.excess_lo, excess_hi=found.excess_hi,
            quality_level=found.confidence,
        )  # fmt: skip
        text += " " + drift_words.quality_sentence(
            found, outcome=outcome, threshold=threshold,
            n_comparisons=len({k for k in qualities}), unit=session.target_unit,
            whole=spec is None,
        )  # fmt: skip
    large = moved_most and float(row["shift_lo"]) >= LARGE_SHIFT
    if large:
        severity = "concern"
        text += " " + drift_words.large_shift_sentence(float(row["shift_lo"]))
    details["large"] = large
    if bool(row["sampled"]):  # the tests ran on samples of each side
        text += " " + findings_words.drift_sample_sentence(
            DRIFT_SAMPLE, row["n_reference"], row["n_current"]
        )
    return Finding(
        "drift",
        severity,
        text,
        float(row["shift"]),
        float(row["shift_lo"]),
        float(row["shift_hi"]),
        int(row["n_current"]),
        slice=spec,
        feature=feature,
        view="examples" if spec is None else "fairness",
        size=float(row["shift"]),
        metric=metric,
        grouping=None if spec is None else row["grouping"],
        details=details,
    )
