"""Suspect training labels by confident learning, and how often each group's labels are suspect.

* :func:`out_of_fold_probabilities` — fits clones of a classifier in K folds and returns every
  row's predicted probabilities from the model that did not see it (on a seeded, stratified
  sample when the data are large).
* :func:`find_suspect_labels` — confident learning (Northcutt, Jiang & Chuang, 2021): per-class
  thresholds, the confident joint of given and likely true labels, calibrated to the label
  counts, then the rows of each off-diagonal cell pruned by noise rate.
* :func:`suspect_rates_by_group` — per group, the share of suspect labels against the other
  rows: Wilson bounds, Newcombe's hybrid score bounds on the gap, a two-sided test and
  Benjamini-Hochberg control across the groups.

Examples
--------
>>> import numpy as np
>>> labels = np.array(["no", "no", "no", "yes", "yes", "yes"])
>>> proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.3, 0.7], [0.9, 0.1]])
>>> find_suspect_labels(labels, proba, np.array(["no", "yes"])).nonzero()[0].tolist()
[2, 5]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold

from rai_widgets.compute.intervals import mover_difference, wilson_interval
from rai_widgets.compute.weak_slices import benjamini_hochberg
from rai_widgets.core.errors import ModelError, ValidationError

__all__ = [
    "SUSPECT_RATE_COLUMNS",
    "OutOfFold",
    "find_suspect_labels",
    "out_of_fold_probabilities",
    "suspect_rates_by_group",
]

#: The columns of :func:`suspect_rates_by_group`' table.
SUSPECT_RATE_COLUMNS = (
    "n",
    "suspects",
    "rate",
    "rate_lo",
    "rate_hi",
    "rest_rate",
    "gap",
    "gap_lo",
    "gap_hi",
    "p_value",
    "q_value",
    "significant",
)

#: Slack when comparing a probability with a class threshold (a row at the class mean counts).
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class OutOfFold:
    """Out-of-fold predicted probabilities of the rows used.

    Attributes
    ----------
    proba : numpy.ndarray
        Shape (len(rows), len(classes)): row ``i``'s probabilities from the model fitted
        without the fold holding ``rows[i]``.
    classes : numpy.ndarray
        The classes in column order (the estimator's ``classes_`` order: sorted).
    rows : numpy.ndarray
        Integer positions (sorted) in ``X`` of the rows used.
    n_total : int
        Rows in ``X``; more than ``len(rows)`` when a sample was drawn.
    n_splits : int
        Folds fitted.
    """

    proba: np.ndarray
    classes: np.ndarray
    rows: np.ndarray
    n_total: int
    n_splits: int

    @property
    def sampled(self) -> bool:
        """Whether the rows are a sample of ``X`` rather than all of it."""
        return len(self.rows) < self.n_total


def _labels_array(y: np.ndarray | pd.Series | Sequence[object], name: str) -> np.ndarray:
    """Labels as a 1-D array; raise naming ``name`` when any is missing."""
    values = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
    if values.ndim != 1:
        raise ValidationError(f"{name} must be one label per row (1-D); got shape {values.shape}.")
    missing = pd.isna(values)
    if missing.any():
        raise ValidationError(
            f"{name} has {int(missing.sum())} missing label(s) (NaN/None); drop those rows or "
            "fill the labels before looking for suspect labels."
        )
    return values


def _stratified_sample(codes: np.ndarray, size: int, random_state: int | None) -> np.ndarray:
    """Sorted positions of a sample of ``size`` rows keeping each class's share (at least 2
    rows of every class)."""
    counts = np.bincount(codes)
    exact = size * counts / counts.sum()
    quota = np.floor(exact).astype(int)
    remainder = size - quota.sum()
    quota[np.argsort(-(exact - quota), kind="stable")[:remainder]] += 1
    quota = np.minimum(np.maximum(quota, 2), counts)
    while quota.sum() > size and (quota > 2).any():
        quota[np.argmax(quota)] -= 1
    rng = np.random.default_rng(random_state)
    picks = [
        rng.choice(np.flatnonzero(codes == k), size=quota[k], replace=False)
        for k in range(len(counts))
    ]
    return np.sort(np.concatenate(picks))


def _take(X: pd.DataFrame | np.ndarray, rows: np.ndarray) -> pd.DataFrame | np.ndarray:
    return X.iloc[rows] if isinstance(X, pd.DataFrame) else np.asarray(X)[rows]


def out_of_fold_probabilities(
    estimator: object,
    X: pd.DataFrame | np.ndarray,
    y: np.ndarray | pd.Series | Sequence[object],
    *,
    n_splits: int = 5,
    random_state: int | None = 0,
    max_rows: int | None = 200_000,
) -> OutOfFold:
    """Out-of-fold ``predict_proba`` of every row used, from clones fitted in K folds.

    Parameters
    ----------
    estimator : classifier
        Any scikit-learn compatible classifier with ``predict_proba``; it is cloned, never
        refitted itself.
    X : pandas.DataFrame or numpy.ndarray
        The training features.
    y : array-like or pandas.Series
        The training labels (any hashable, sortable values: strings, integers ...). Positions
        are used, not a Series' index.
    n_splits : int, default 5
        Folds. Stratified when every class has at least ``n_splits`` rows, plain K-fold
        otherwise (a class missing from a fold's training rows then gets probability 0).
    random_state : int or None, default 0
        Seed of the fold shuffle and of the sample.
    max_rows : int or None, default 200_000
        Larger data are reduced to a seeded sample of this many rows stratified by label
        (every class keeps at least 2 rows); ``None`` uses every row.

    Returns
    -------
    OutOfFold
        ``proba``, ``classes``, ``rows`` (positions used), ``n_total`` and ``n_splits``.

    Raises
    ------
    rai_widgets.core.errors.ModelError
        If ``estimator`` has no ``predict_proba``.
    rai_widgets.core.errors.ValidationError
        If ``y_train`` has missing labels or a class with fewer than 2 rows, if ``X`` and
        ``y_train`` differ in length, or if ``n_splits`` or ``max_rows`` is not usable.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> oof = out_of_fold_probabilities(LogisticRegression(max_iter=500), X, y, max_rows=90)
    >>> oof.proba.shape, oof.classes.tolist(), oof.sampled
    ((90, 3), [0, 1, 2], True)
    """
    if not hasattr(estimator, "predict_proba"):
        raise ModelError(
            f"estimator {type(estimator).__name__} has no predict_proba; suspect labels need "
            "predicted probabilities (use a classifier with predict_proba, or wrap it in "
            "sklearn.calibration.CalibratedClassifierCV)."
        )
    labels = _labels_array(y, "y_train")
    n_total = len(labels)
    if len(X) != n_total:
        raise ValidationError(f"X has {len(X)} rows but y_train has {n_total} labels.")
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValidationError(f"n_splits must be an integer >= 2; got {n_splits!r}.")
    classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    if len(classes) < 2:
        raise ValidationError("y_train has a single class; suspect labels need at least two.")
    if counts.min() < 2:
        rare = [repr(c) for c in classes[counts < 2].tolist()]
        raise ValidationError(
            f"y_train has class(es) {', '.join(rare)} with fewer than 2 rows; out-of-fold "
            "probabilities need at least 2 rows per class (drop or merge those classes)."
        )
    rows = np.arange(n_total)
    if max_rows is not None:
        if max_rows < max(2 * len(classes), n_splits):
            raise ValidationError(
                f"max_rows={max_rows} is too small for {len(classes)} classes and {n_splits} folds."
            )
        if n_total > max_rows:
            rows = _stratified_sample(codes, max_rows, random_state)
    if len(rows) < n_splits:
        raise ValidationError(f"n_splits={n_splits} is more than the {len(rows)} rows.")
    X_used, y_used = _take(X, rows), labels[rows]
    if np.bincount(codes[rows], minlength=len(classes)).min() >= n_splits:
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    else:
        folds = KFold(n_splits, shuffle=True, random_state=random_state)
    proba = np.zeros((len(rows), len(classes)))
    for train, test in folds.split(X_used, y_used):
        model = clone(estimator).fit(_take(X_used, train), y_used[train])
        columns = np.searchsorted(classes, np.asarray(model.classes_))
        proba[np.ix_(test, columns)] = model.predict_proba(_take(X_used, test))
    return OutOfFold(proba=proba, classes=classes, rows=rows, n_total=n_total, n_splits=n_splits)


def _round_rows(values: np.ndarray) -> np.ndarray:
    """Round each row to integers keeping its (rounded) total: largest remainders go up."""
    floors = np.floor(values)
    result = floors.astype(int)
    short = (np.round(values.sum(axis=1)) - floors.sum(axis=1)).astype(int)
    for i, extra in enumerate(short):
        if extra > 0:
            result[i, np.argsort(floors[i] - values[i], kind="stable")[:extra]] += 1
    return result


def _noise_counts(codes: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Calibrated confident joint: [given i][true j] estimated counts, rows summing to the
    label counts."""
    n_classes = proba.shape[1]
    counts = np.bincount(codes, minlength=n_classes)
    # t_j: the mean probability of class j among the rows labelled j (unreachable if none)
    sums = np.bincount(codes, weights=proba[np.arange(len(codes)), codes], minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        thresholds = np.where(counts > 0, sums / counts, np.inf)
    confident = proba >= thresholds - _TOLERANCE
    # the likely true label: the most probable of the classes above their threshold
    likely = np.where(confident, proba, -np.inf).argmax(axis=1)
    counted = confident.any(axis=1)
    joint = np.zeros((n_classes, n_classes))
    np.add.at(joint, (codes[counted], likely[counted]), 1.0)
    # every class keeps at least one correctly labelled row
    np.fill_diagonal(joint, np.maximum(np.diag(joint), 1.0))
    # calibrate: each given-label row sums to that label's count
    calibrated = joint / joint.sum(axis=1, keepdims=True) * counts[:, None]
    return _round_rows(calibrated)


def find_suspect_labels(
    labels: np.ndarray | pd.Series | Sequence[object],
    proba: np.ndarray,
    classes: np.ndarray | Sequence[object],
) -> np.ndarray:
    """Rows whose given label is likely wrong, by confident learning pruned by noise rate.

    For each class ``j`` the threshold ``t_j`` is the mean probability of ``j`` over the rows
    labelled ``j``. A row labelled ``i`` is counted in cell ``C[i][j]`` of the confident joint
    when its probability of ``j`` reaches ``t_j`` (the most probable such ``j`` when several
    do). Each row of ``C`` is rescaled to the count of label ``i`` and rounded, keeping that
    total. Then for every off-diagonal cell the ``C[i][j]`` rows labelled ``i`` with the
    largest margin ``p_j - p_i`` are suspect; finally a row whose most probable class is its
    given label is never suspect. Classes with a single row are not pruned.

    Parameters
    ----------
    labels : array-like
        The given label of each row, values of ``classes``.
    proba : numpy.ndarray
        Shape (n, len(classes)): out-of-sample predicted probabilities (see
        :func:`out_of_fold_probabilities`).
    classes : array-like
        The class of each column of ``proba``.

    Returns
    -------
    numpy.ndarray
        Boolean, one per row: True for a suspect label.

    Raises
    ------
    rai_widgets.core.errors.ValidationError
        If the shapes disagree, a label is missing or is not one of ``classes``.

    References
    ----------
    .. [1] Northcutt, C., Jiang, L. & Chuang, I. (2021). Confident Learning: Estimating
       Uncertainty in Dataset Labels. Journal of Artificial Intelligence Research 70,
       1373-1411. https://doi.org/10.1613/jair.1.12125

    Examples
    --------
    >>> proba = np.array([[0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1],
    ...                   [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1]])
    >>> find_suspect_labels([0, 0, 1, 1, 2, 2], proba, [0, 1, 2])
    array([False, False, False, False, False,  True])
    """
    values = _labels_array(labels, "labels")
    proba = np.asarray(proba, dtype=float)
    class_values = np.asarray(classes)
    if proba.ndim != 2 or proba.shape != (len(values), len(class_values)):
        raise ValidationError(
            f"proba must have shape (len(labels), len(classes)) = "
            f"({len(values)}, {len(class_values)}); got {proba.shape}."
        )
    lookup = {value: k for k, value in enumerate(class_values.tolist())}
    unknown = sorted({repr(v) for v in values.tolist() if v not in lookup})
    if unknown:
        raise ValidationError(f"labels has value(s) {', '.join(unknown)} not in classes.")
    codes = np.array([lookup[v] for v in values.tolist()], dtype=int)
    suspect = np.zeros(len(codes), dtype=bool)
    if len(codes) == 0:
        return suspect
    joint = _noise_counts(codes, proba)
    for i in range(len(class_values)):
        mine = np.flatnonzero(codes == i)
        if len(mine) <= 1:
            continue
        for j in np.flatnonzero(joint[i] > 0):
            if j == i:
                continue
            margin = proba[mine, j] - proba[mine, i]
            suspect[mine[np.argsort(-margin, kind="stable")[: joint[i, j]]]] = True
    suspect[proba.argmax(axis=1) == codes] = False
    return suspect


def _two_sided_p(k: int, n: int, rest_k: int, rest_n: int) -> float:
    """Two-sided p-value of equal suspect rates: Fisher's exact test when an expected cell
    count is under 5, else the pooled two-proportion z-test."""
    table = np.array([[k, n - k], [rest_k, rest_n - rest_k]])
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
    if expected.min() < 5:
        return float(stats.fisher_exact(table).pvalue)
    pooled = (k + rest_k) / (n + rest_n)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / rest_n))
    return float(2 * stats.norm.sf(abs(k / n - rest_k / rest_n) / se))


def suspect_rates_by_group(
    suspect: np.ndarray | pd.Series | Sequence[bool],
    groups: np.ndarray | pd.Series | Sequence[object],
    *,
    confidence: float = 0.95,
    min_rows: int = 30,
) -> pd.DataFrame:
    """Per group, the share of suspect labels against all other rows, with bounds and a false
    discovery rate.

    Parameters
    ----------
    suspect : array-like of bool
        Per row, whether its label is suspect (:func:`find_suspect_labels`).
    groups : array-like or pandas.Series
        Per row, its group (positions are used, not a Series' index). Rows with a missing group
        form no group of their own but count in every group's rest.
    confidence : float, default 0.95
        Coverage of the bounds; ``1 - confidence`` is the false discovery rate.
    min_rows : int, default 30
        Groups with fewer rows are listed but not tested (``q_value`` NaN, never
        significant).

    Returns
    -------
    pandas.DataFrame
        One row per group (index: the groups, sorted), columns :data:`SUSPECT_RATE_COLUMNS`:
        ``n``, ``suspects``, ``rate`` with Wilson bounds ``rate_lo``/``rate_hi``, ``rest_rate``
        (every other row), ``gap`` = rate - rest_rate with Newcombe's hybrid score bounds,
        the two-sided ``p_value`` (Fisher's exact test when an expected count is under 5, else
        the two-proportion z-test), its Benjamini-Hochberg ``q_value`` across the groups tested
        and ``significant`` (q at most ``1 - confidence`` and ``gap_lo`` above zero).

    Examples
    --------
    >>> suspect = np.r_[np.ones(30), np.zeros(70), np.ones(5), np.zeros(95)].astype(bool)
    >>> groups = np.repeat(["a", "b"], 100)
    >>> table = suspect_rates_by_group(suspect, groups)
    >>> table[["n", "suspects", "rate", "gap", "significant"]]
       n  suspects  rate   gap  significant
    a  100        30  0.30  0.25         True
    b  100         5  0.05 -0.25        False
    """
    flags = _labels_array(suspect, "suspect").astype(bool)
    if isinstance(groups, pd.Series):
        name, group_values = groups.name, groups.to_numpy()
    else:
        name, group_values = None, np.asarray(groups, dtype=object)
    if group_values.ndim != 1 or len(group_values) != len(flags):
        raise ValidationError(
            f"groups must have one value per row of suspect ({len(flags)}); "
            f"got shape {group_values.shape}."
        )
    if not 0 < confidence < 1:
        raise ValidationError(f"confidence must be in (0, 1); got {confidence!r}.")
    present = ~pd.isna(group_values)
    labels = pd.Index(pd.unique(group_values[present]))
    try:
        labels = labels.sort_values()
    except TypeError:  # mixed types: keep the order of appearance
        pass
    total_n, total_k = len(flags), int(flags.sum())
    n = np.array([int(((group_values == g) & present).sum()) for g in labels], dtype=int)
    k = np.array([int((flags & (group_values == g) & present).sum()) for g in labels], dtype=int)
    rest_n, rest_k = total_n - n, total_k - k
    rate_lo, rate_hi = wilson_interval(k, n, confidence)
    rest_lo, rest_hi = wilson_interval(rest_k, rest_n, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        rest_rate = np.where(rest_n > 0, rest_k / np.maximum(rest_n, 1), np.nan)
    gap_lo, gap_hi = mover_difference(rate, rate_lo, rate_hi, rest_rate, rest_lo, rest_hi)
    tested = (n >= min_rows) & (rest_n > 0)
    p_value = np.full(len(labels), np.nan)
    for g in np.flatnonzero((n > 0) & (rest_n > 0)):
        p_value[g] = _two_sided_p(int(k[g]), int(n[g]), int(rest_k[g]), int(rest_n[g]))
    q_value = np.full(len(labels), np.nan)
    q_value[tested] = benjamini_hochberg(p_value[tested])
    table = pd.DataFrame(
        {
            "n": n,
            "suspects": k,
            "rate": rate,
            "rate_lo": rate_lo,
            "rate_hi": rate_hi,
            "rest_rate": rest_rate,
            "gap": rate - rest_rate,
            "gap_lo": gap_lo,
            "gap_hi": gap_hi,
            "p_value": p_value,
            "q_value": q_value,
            "significant": tested & (q_value <= 1 - confidence) & (gap_lo > 0),
        },
        index=pd.Index(labels, name=name),
    )
    return table[list(SUSPECT_RATE_COLUMNS)]
