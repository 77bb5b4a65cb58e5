"""Does the model's quality change where the data moved? One group's training rows against its
evaluation rows, beside the same change on the other rows.

A model is judged on rows it was not fitted on; on its own training rows it usually does
better (a forest most of all). So a group's change from training to evaluation rows is read
against the change on every other row: the *excess* is the group's change minus the other
rows' (a difference in differences), and it is what says whether the model's quality moved
*there*. Over all rows there are no other rows: the excess is the change itself.

Accuracy (the share of rows the model gets right) has Wilson bounds on each side and MOVER
(Newcombe) bounds on each difference; the mean absolute error has normal bounds on each side
(a mean over at least a few dozen rows) and MOVER bounds on each difference, which for two
normal intervals are Welch's.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> train_right = rng.random(4000) < 0.85
>>> eval_right = rng.random(2000) < np.where(np.arange(2000) < 500, 0.65, 0.84)
>>> in_train, in_eval = np.arange(4000) < 1000, np.arange(2000) < 500
>>> found = quality_change(train_right, eval_right, metric="accuracy",
...                        train_in=in_train, eval_in=in_eval)
>>> found.excess < 0, found.beyond_chance
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from rai_widgets.compute.intervals import mover_difference, wilson_interval
from rai_widgets.core.errors import ValidationError

__all__ = ["QUALITY_METRICS", "QualityChange", "quality_change"]

#: The quality each task is compared by: the share right (classification), the mean absolute
#: error (regression).
QUALITY_METRICS = ("accuracy", "mae")


@dataclass(frozen=True)
class QualityChange:
    """The model's quality on a group's training rows and on its evaluation rows.

    Attributes
    ----------
    metric : {"accuracy", "mae"}
        What is compared.
    train, train_n : float, int
        The quality on the group's training rows, and their number.
    evaluation, evaluation_n : float, int
        The quality on the group's evaluation rows, and their number.
    change, change_lo, change_hi : float
        ``evaluation - train`` and its bounds.
    rest_change, rest_change_lo, rest_change_hi : float
        The same change on the rows outside the group (NaN for all rows).
    excess, excess_lo, excess_hi : float
        ``change - rest_change`` (``change`` for all rows) and its bounds.
    confidence : float
        The bounds' coverage.
    """

    metric: str
    train: float
    train_n: int
    evaluation: float
    evaluation_n: int
    change: float
    change_lo: float
    change_hi: float
    rest_change: float
    rest_change_lo: float
    rest_change_hi: float
    excess: float
    excess_lo: float
    excess_hi: float
    confidence: float

    @property
    def beyond_chance(self) -> bool:
        """Whether the bounds of the excess exclude zero."""
        return self.excess_lo > 0 or self.excess_hi < 0

    @property
    def worse(self) -> bool:
        """Whether the model does worse on the evaluation rows (by the excess)."""
        return self.excess > 0 if self.metric == "mae" else self.excess < 0

    def settled(self, threshold: float) -> bool:
        """Whether the bounds of the excess rule out a change of ``threshold`` or more.

        Parameters
        ----------
        threshold : float
            The change that matters (points of accuracy, or the target's units).

        Returns
        -------
        bool
        """
        return -threshold < self.excess_lo and self.excess_hi < threshold


def _side(values: np.ndarray, metric: str, confidence: float) -> tuple[float, float, float, int]:
    """The quality of one side (mean of the per-row values) with its bounds, and its rows."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    if metric == "accuracy":
        k = int(np.count_nonzero(values))
        lo, hi = wilson_interval(np.array([k]), np.array([n]), confidence)
        return k / n, float(lo[0]), float(hi[0]), n
    mean = float(np.mean(values))
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.norm.ppf(0.5 + confidence / 2)) * float(np.std(values, ddof=1))
    half /= math.sqrt(n)
    return mean, mean - half, mean + half, n


def _difference(
    a: tuple[float, float, float, int], b: tuple[float, float, float, int]
) -> tuple[float, float, float]:
    """``a - b`` with MOVER bounds (NaN when a side is missing)."""
    lo, hi = mover_difference(
        np.array([a[0]]), np.array([a[1]]), np.array([a[2]]), b[0], b[1], b[2]
    )
    return a[0] - b[0], float(lo[0]), float(hi[0])


def _values(values: np.ndarray, metric: str, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValidationError(f"{name} must be one value per row (1-D); got shape {array.shape}.")
    if metric == "accuracy":
        return array.astype(bool)
    array = array.astype(float)
    if not np.isfinite(array).all():
        raise ValidationError(f"{name} has missing or infinite errors; drop those rows first.")
    return array


def _mask(mask: np.ndarray | None, n: int, name: str) -> np.ndarray:
    if mask is None:
        return np.ones(n, dtype=bool)
    array = np.asarray(mask, dtype=bool)
    if array.shape != (n,):
        raise ValidationError(f"{name} must have one flag per row ({n}); got shape {array.shape}.")
    return array


def quality_change(
    train_values: np.ndarray,
    eval_values: np.ndarray,
    *,
    metric: str,
    train_in: np.ndarray | None = None,
    eval_in: np.ndarray | None = None,
    confidence: float = 0.95,
) -> QualityChange:
    """The model's quality on a group's training and evaluation rows, its change, and that
    change against the other rows' change.

    Parameters
    ----------
    train_values, eval_values : numpy.ndarray
        Per training / evaluation row: whether the model is right (``metric="accuracy"``)
        or its absolute error (``metric="mae"``).
    metric : {"accuracy", "mae"}
        What the values are.
    train_in, eval_in : numpy.ndarray of bool, optional
        The group's rows on each side (default: every row; there are then no other rows).
    confidence : float, default 0.95
        The bounds' coverage.

    Returns
    -------
    QualityChange

    Raises
    ------
    rai_widgets.core.errors.ValidationError
        An unknown metric, values or masks of the wrong shape, missing errors, a confidence
        outside (0, 1).

    Examples
    --------
    >>> found = quality_change(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 3.0, 4.0, 5.0]),
    ...                        metric="mae")
    >>> found.train, found.evaluation, found.change, found.excess
    (2.5, 3.5, 1.0, 1.0)
    """
    if metric not in QUALITY_METRICS:
        raise ValidationError(f"metric must be one of {QUALITY_METRICS}; got {metric!r}.")
    if not 0 < confidence < 1:
        raise ValidationError(f"confidence must lie in (0, 1); got {confidence!r}.")
    train = _values(train_values, metric, "train_values")
    evaluation = _values(eval_values, metric, "eval_values")
    whole = train_in is None and eval_in is None
    in_train = _mask(train_in, len(train), "train_in")
    in_eval = _mask(eval_in, len(evaluation), "eval_in")
    group_train = _side(train[in_train], metric, confidence)
    group_eval = _side(evaluation[in_eval], metric, confidence)
    change = _difference(group_eval, group_train)
    rest = (math.nan, math.nan, math.nan)
    excess = change
    if not whole:
        rest = _difference(
            _side(evaluation[~in_eval], metric, confidence),
            _side(train[~in_train], metric, confidence),
        )
        lo, hi = mover_difference(
            np.array([change[0]]), np.array([change[1]]), np.array([change[2]]), *rest
        )
        excess = (change[0] - rest[0], float(lo[0]), float(hi[0]))
    return QualityChange(
        metric=metric,
        train=group_train[0],
        train_n=group_train[3],
        evaluation=group_eval[0],
        evaluation_n=group_eval[3],
        change=change[0],
        change_lo=change[1],
        change_hi=change[2],
        rest_change=rest[0],
        rest_change_lo=rest[1],
        rest_change_hi=rest[2],
        excess=excess[0],
        excess_lo=excess[1],
        excess_hi=excess[2],
        confidence=confidence,
    )
