"""The audit's label-quality check: training labels that the data itself contradicts, per group.

A copy of the model (``sklearn.base.clone``) is fitted on each half of the training rows;
each row's out-of-fold probabilities are read by confident learning (Northcutt, Jiang and
Chuang, 2021; :mod:`rai_widgets.compute.label_quality`): a label is suspect when the data
points confidently to another class. A group whose labels are suspect measurably more often
than the other rows' (a two-proportion test, Benjamini-Hochberg over the groups) is a concern:
its labels may have been made differently, and the model learned from them.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> label_quality(s, alpha=0.05)[0].finding[:60]
'Not checked: no training rows were given (ModelSession(..., '
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from rai_widgets import formatting
from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Finding, cannot_run
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.label_excess import excess_suspect_rates
from rai_widgets.compute.label_quality import find_suspect_labels, out_of_fold_probabilities
from rai_widgets.core.errors import ModelError
from rai_widgets.readings import lifecycle as words
from rai_widgets.readings import lifecycle_findings as findings_words
from rai_widgets.session.checks.lifecycle import training_groups
from rai_widgets.session.checks.one_feature import seed_of

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "MAX_ROWS",
    "N_FOLDS",
    "SUSPECT_COLUMNS",
    "SuspectLabels",
    "label_quality",
    "suspect_rates",
    "suspect_rows",
    "suspects",
]

#: Training rows the fits use at most (a stratified sample beyond, said in the finding).
MAX_ROWS = 200_000
#: Folds of the out-of-fold scores: each row is scored by a copy fitted on the other half
#: (cleanlab's default is five, four fits' time; two cost about one fit's, and on Adult a 30%
#: flip of women's labels stood out by +8.6 points with two folds, +7.9 with three).
N_FOLDS = 2
#: The columns :func:`suspect_rows` adds after the features: the given label, the out-of-fold
#: probability of it, and the label the out-of-fold scores expect.
SUSPECT_COLUMNS = ("given_label", "given_label_proba", "expected_label")


@dataclass(frozen=True)
class SuspectLabels:
    """Which training labels the data contradicts, and at what rate per group.

    Attributes
    ----------
    suspect : numpy.ndarray of bool
        Per training row used, whether its label is suspect.
    rows : numpy.ndarray
        The positions of the training rows used (all of them, or a sample).
    n_total : int
        Training rows.
    by_feature : dict
        Per sensitive feature held by the training rows, the table of
        :func:`~rai_widgets.compute.label_excess.excess_suspect_rates` (index: its groups).
    proba : numpy.ndarray or None
        The out-of-fold probabilities of the rows used, shape (len(rows), len(classes)).
    classes : numpy.ndarray or None
        The classes in the column order of ``proba``.
    """

    suspect: np.ndarray
    rows: np.ndarray
    n_total: int
    by_feature: dict[Hashable, pd.DataFrame] = field(default_factory=dict)
    proba: np.ndarray | None = None
    classes: np.ndarray | None = None

    @property
    def sampled(self) -> bool:
        """Whether a sample of the training rows was used."""
        return len(self.rows) < self.n_total


def _key(session: ModelSession, alpha: float) -> tuple:
    core = session.core
    state = core.state()
    training = core.training
    seed = seed_of(session)
    return ("label_quality", state.model, None if training is None else training.token, alpha,
            seed)  # fmt: skip


def suspects(
    session: ModelSession, *, alpha: float = 0.05, compute: bool = True
) -> SuspectLabels | None:
    """The suspect training labels (cached per model and training rows).

    Parameters
    ----------
    session : ModelSession
        A classifier's session with training labels.
    alpha : float, default 0.05
        The false discovery rate of the per-group tests.
    compute : bool, default True
        False: only what is cached (None when the check has not run).

    Returns
    -------
    SuspectLabels or None

    Raises
    ------
    ModelError
        The model cannot be copied and refitted (``sklearn.base.clone`` failed).
    """
    key = _key(session, alpha)
    if not compute:
        cache = session.core.cache
        return cache.get_or_compute(key, lambda: None) if key in cache else None
    return session.core.cache.get_or_compute(key, lambda: _find(session, alpha))


def _find(session: ModelSession, alpha: float) -> SuspectLabels:
    training = session.core.training
    assert training is not None and training.y is not None
    try:
        copy = clone(session.model)
    except Exception as err:  # a duck-typed model sklearn cannot copy
        raise ModelError(
            f"the model cannot be copied to refit it on folds of the training rows "
            f"(sklearn.base.clone: {type(err).__name__}: {err})"
        ) from err
    seed = seed_of(session)
    folds = out_of_fold_probabilities(
        copy, _blind(session), training.y, n_splits=N_FOLDS, random_state=seed, max_rows=MAX_ROWS
    )
    labels = training.y.to_numpy()[folds.rows]
    suspect = find_suspect_labels(labels, folds.proba, folds.classes)
    tables = {}
    for by in session.sensitive_features_:
        groups = training_groups(session, by)
        if groups is not None:
            tables[by] = excess_suspect_rates(
                suspect, folds.proba, groups[0].to_numpy()[folds.rows], confidence=1 - alpha
            )
    return SuspectLabels(suspect, folds.rows, folds.n_total, tables, folds.proba, folds.classes)


def _blind(session: ModelSession) -> Any:
    """The training rows as the model takes them, each sensitive feature that is a column of X
    set to its most common value: the copy cannot learn a group's own label errors from its
    membership, so they stand out (a 30% flip of one group's labels is found for 72% of the
    flipped rows on Adult, against 22% when the copy sees the group)."""
    training = session.core.training
    assert training is not None
    columns = [c for c in session.sensitive_features_ if c in training.X.columns]
    if not columns:
        return training.model_input
    if isinstance(training.model_input, pd.DataFrame):
        blind = training.model_input.copy()
        for column in columns:
            blind[column] = blind[column].mode(dropna=True).iloc[0]
        return blind
    blind_array = np.array(training.model_input, copy=True)
    for column in columns:
        at = list(training.X.columns).index(column)
        blind_array[:, at] = training.X[column].mode(dropna=True).iloc[0]
    return blind_array


def suspect_rates(
    session: ModelSession, *, compute: bool = True
) -> dict[Hashable, pd.DataFrame] | None:
    """Per sensitive feature, the rate of suspect training labels per group (see
    :func:`suspects`; None when nothing is cached and ``compute`` is False).

    Parameters
    ----------
    session : ModelSession
        A classifier's session with training labels.
    compute : bool, default True
        False: only what is cached.

    Returns
    -------
    dict or None
    """
    found = suspects(session, compute=compute)
    return None if found is None else found.by_feature


def _free_name(name: str, taken: set) -> str:
    """``name``, or ``name`` with underscores added until it is not a column already."""
    while name in taken:
        name += "_"
    return name


def suspect_rows(
    session: ModelSession,
    *,
    group: dict | None = None,
    alpha: float = 0.05,
    found: SuspectLabels | None = None,
) -> pd.DataFrame:
    """The suspect training rows, to browse: their features, the label they were given, the
    out-of-fold probability of that label, the label the out-of-fold scores expect, and the
    group of each sensitive feature binned into groups; the most suspect first.

    The same rows are on each ``label_quality`` finding, as ``finding.rows`` (a group's
    finding: that group's suspects; the passing line: all of them).

    Parameters
    ----------
    session : ModelSession
        A classifier's session with labelled training rows.
    group : dict, optional
        ``{sensitive feature: group}``: only that group's suspects (its groups as the
        evaluation data's slices name them).
    alpha : float, default 0.05
        The false discovery rate of the check (the suspects are cached per value).
    found : SuspectLabels, optional
        The suspects already found (default: :func:`suspects`).

    Returns
    -------
    pandas.DataFrame
        Indexed by the training rows' labels: X's columns, then :data:`SUSPECT_COLUMNS`
        (``given_label``, ``given_label_proba`` from a copy of the model that did not see
        the row nor the sensitive features, ``expected_label``: the most probable class), then
        ``"<feature> group"`` for each sensitive feature whose groups are bins of its values;
        sorted by ``given_label_proba``, lowest first.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LogisticRegression
    >>> data = rw.datasets.load_german_credit()
    >>> X, y = data.data.select_dtypes("number"), data.target
    >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X[:700], y[:700]), X[700:],
    ...                     y[700:], train=(X[:700], y[:700]), random_state=0)
    >>> rows = suspect_rows(s)
    >>> list(rows.columns[-3:])
    ['given_label', 'given_label_proba', 'expected_label']
    >>> bool((rows["given_label"] != rows["expected_label"]).all())
    True
    """
    training = session.core.training
    if found is None:
        found = suspects(session, alpha=alpha)
    assert training is not None and training.y is not None and found is not None
    assert found.proba is not None and found.classes is not None
    keep = found.suspect.copy()
    if group:
        for by, value in group.items():
            groups = training_groups(session, by)
            if groups is None:
                return training.X.iloc[:0].assign(**dict.fromkeys(SUSPECT_COLUMNS))
            keep &= groups[0].to_numpy()[found.rows] == value
    positions = found.rows[keep]
    proba = found.proba[keep]
    given = training.y.to_numpy()[positions]
    codes = np.searchsorted(found.classes, given)
    frame = training.X.iloc[positions].copy()
    taken = set(frame.columns)
    names = [_free_name(name, taken) for name in SUSPECT_COLUMNS]
    frame[names[0]] = given
    frame[names[1]] = proba[np.arange(len(positions)), codes]
    frame[names[2]] = found.classes[proba.argmax(axis=1)] if len(positions) else given
    for by in session.sensitive_features_:
        groups = training_groups(session, by)
        if groups is None:
            continue
        labels = groups[0].iloc[positions]
        if not labels.astype(str).equals(training.X[by].iloc[positions].astype(str)):
            frame[_free_name(f"{by} group", taken | set(names))] = labels.to_numpy()
    return frame.sort_values(names[1], kind="stable")


def label_quality(
    session: ModelSession,
    *,
    alpha: float,
    test_cases: Any = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Finding]:
    """Training labels the data contradicts, per group: a concern when a group's labels are
    suspect measurably more often than its scores predict, by ``tolerance`` or more (5
    points); smaller excesses are named in the passing line.

    A group with more uncertain cases has more suspects anyway: it is compared with the rate
    its rows' out-of-fold scores predict (:mod:`rai_widgets.compute.label_excess`).

    The copy of the model is fitted with the sensitive features held constant, so it cannot
    learn a group's own label errors from its membership.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the false discovery rate across groups.
    tolerance : float, default 0.05
        The gap in suspect rates that matters.

    Returns
    -------
    list of Finding
    """
    training = session.core.training
    if training is None:
        return cannot_run("label_quality", words.NO_TRAINING)
    if session.task_ == "regression":
        return cannot_run("label_quality", "confident learning reads a classifier's labels")
    if training.y is None:
        return cannot_run("label_quality", "the training rows were given without labels")
    if not session.core.adapter.has_proba:
        return cannot_run(
            "label_quality", "the model gives no probabilities (predict_proba) to read labels by"
        )
    found = suspects(session, alpha=alpha)
    assert found is not None
    sampled = len(found.rows) if found.sampled else None
    findings: list[Finding] = []
    for by, table in found.by_feature.items():
        for group, row in table[table["significant"]].iterrows():
            spec = {by: group}
            findings.append(
                Finding(
                    "label_quality",
                    "concern" if row["excess"] >= tolerance else "note",
                    words.suspect_sentence(
                        formatting.slice_description(spec),
                        rate=row["rate"],
                        lo=row["rate_lo"],
                        hi=row["rate_hi"],
                        n=int(row["n"]),
                        expected=row["expected"],
                        excess_lo=row["excess_lo"],
                        excess_hi=row["excess_hi"],
                        sampled=sampled,
                    ),
                    row["excess"],
                    row["excess_lo"],
                    row["excess_hi"],
                    int(row["n"]),
                    slice=spec,
                    feature=by,
                    size=float(row["excess"]),
                    rows=suspect_rows(session, group=spec, found=found),
                )
            )
    if any(f.severity == "concern" for f in findings):
        return findings
    smaller = ""
    if findings:  # gaps beyond chance but under the tolerance: named in the passing line
        largest = max(findings, key=lambda f: f.estimate)
        assert largest.slice is not None
        smaller = findings_words.smaller_label_gaps_clause(
            len(findings), formatting.slice_description(largest.slice), largest.estimate
        )
    k, n = int(found.suspect.sum()), len(found.suspect)
    lo, hi = wilson_interval(np.array([k]), np.array([n]), 1 - alpha)
    features = " or ".join(map(str, found.by_feature)) or "any sensitive feature"
    return [
        Finding(
            "label_quality",
            "ok",
            findings_words.label_quality_ok_sentence(
                features, tolerance=tolerance, n=n, rate=k / n, lo=lo[0], hi=hi[0]
            )
            + smaller,
            k / n,
            float(lo[0]),
            float(hi[0]),
            n,
            rows=suspect_rows(session, found=found),
        )
    ]
