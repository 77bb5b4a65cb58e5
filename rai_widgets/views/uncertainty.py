"""The uncertainty view's model: calibration and coverage per group, computed once.

The live widget, its static picture and the export render these objects. For a shared file
(``min_group_size``) a group whose numbers rest on fewer rows is taken out and named with its
size (``too_few``). The reliability diagram never draws a group of fewer than
:data:`MIN_CALIBRATION_ROWS` rows (``left_out``): its curve would be noise. The numbers the
case reading and the coverage reading need beyond the charts come from here too
(:func:`right_when_over_99`, :func:`target_quartiles`, :func:`set_spread`).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> calibration = CalibrationModel.from_session(s, "large")
>>> sorted(calibration.summary.index.tolist()), calibration.too_few, calibration.left_out
([False, True], {}, {})
>>> coverage = CoverageModel.from_conformal(s.conformal(confidence_level=0.9), "large")
>>> bool(coverage.groups["n"].sum() > 0)
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.compute.small_groups import split_small_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "MIN_CALIBRATION_ROWS",
    "N_BINS",
    "CalibrationModel",
    "CoverageModel",
    "SetSpread",
    "right_when_over_99",
    "set_spread",
    "target_quartiles",
]

N_BINS = 8  # bins of the reliability diagram
MIN_CALIBRATION_ROWS = 30
"""The fewest rows a group needs to be drawn in the reliability diagram: with fewer, each of
its :data:`N_BINS` bins rests on a handful of rows and its curve and calibration error are
noise (8 rows of Wage's "4. Other" gave an error of 0.34)."""


@dataclass(frozen=True)
class CalibrationModel:
    """Does a score come true as often as it says, per group of ``by`` (classifiers).

    Attributes
    ----------
    by : column name or None
        The grouping.
    bins : pandas.DataFrame
        The diagram's points per group (``session.calibration``'s bins), without ``too_few``.
    summary : pandas.DataFrame
        Each group's calibration error, n, mean confidence and accuracy, without ``too_few``.
    what : str
        What the scores are ("P(>50K)", or "confidence" for multiclass).
    too_few : dict
        ``{group: rows}`` left out for a shared file.
    min_group_size : int or None
        For a shared file: the smallest group shown.
    left_out : dict
        ``{group: rows}`` of the groups under :data:`MIN_CALIBRATION_ROWS` rows, left out
        of the diagram and its calibration errors. When every group is left out, the
        diagram shows all rows together ("overall") if they are enough.
    """

    by: Hashable | None
    bins: pd.DataFrame
    summary: pd.DataFrame
    what: str
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None
    left_out: dict = field(default_factory=dict)

    @classmethod
    def from_session(
        cls, session: ModelSession, by: Hashable | None, *, min_group_size: int | None = None
    ) -> CalibrationModel:
        """Compute the model (a cached session call).

        Parameters
        ----------
        session : ModelSession
            A classifier's session.
        by : column name or None
            The grouping.
        min_group_size : int, optional
            For a shared file (see the module's notes).

        Returns
        -------
        CalibrationModel
        """
        bins, summary = session.calibration(by, n_bins=N_BINS)
        summary, too_few = split_small_groups(summary, min_group_size=min_group_size)
        summary, left_out = split_small_groups(summary, min_group_size=MIN_CALIBRATION_ROWS)
        if summary.empty and by is not None:  # no group is large enough: all rows together
            bins, overall = session.calibration(None, n_bins=N_BINS)
            summary = overall[overall["n"] >= MIN_CALIBRATION_ROWS]
        bins = bins[bins[bins.columns[0]].isin(list(summary.index))]
        what = (
            f"P({session.core.class_description(session.pos_label_)})"
            if session.task_ == "binary"
            else "confidence"
        )
        return cls(by, bins, summary, what, too_few, min_group_size, left_out)


@dataclass(frozen=True)
class CoverageModel:
    """How often the promised coverage held on held-out rows, per group of ``by``.

    Attributes
    ----------
    by : column name or None
        The grouping.
    groups : pandas.DataFrame
        Each group's coverage with bounds, n and set size or width (``conformal.frame``),
        without ``too_few``.
    conformal : ConformalResult
        The sets or intervals measured.
    too_few : dict
        ``{group: held-out rows}`` left out for a shared file.
    min_group_size : int or None
        For a shared file: the smallest group shown.
    unit : str or None
        The target's unit (regression), for the widths.
    """

    by: Hashable | None
    groups: pd.DataFrame
    conformal: Any
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None
    unit: str | None = None

    @classmethod
    def from_conformal(
        cls,
        conformal: Any,
        by: Hashable | None,
        *,
        min_group_size: int | None = None,
        unit: str | None = None,
    ) -> CoverageModel:
        """Measure the coverage per group of ``by``.

        Parameters
        ----------
        conformal : ConformalResult
            ``session.conformal(...)``.
        by : column name or None
            The grouping.
        min_group_size : int, optional
            For a shared file (see the module's notes).
        unit : str, optional
            The target's unit (``ModelSession.target_unit``).

        Returns
        -------
        CoverageModel
        """
        kept, too_few = split_small_groups(conformal.frame(by=by), min_group_size=min_group_size)
        return cls(by, kept, conformal, too_few, min_group_size, unit)


@dataclass(frozen=True)
class SetSpread:
    """How much a classifier's answer sets narrow the answer down, over the held-out cases.

    Attributes
    ----------
    mean_size : float
        Classes per set, on average.
    n_classes : int
        Classes the model knows.
    n_few_ruled_out : int
        Cases whose set holds at least ``max(n_classes - 1, 2)`` classes: it rules out at most
        one class (of two: none).
    n : int
        Held-out cases.
    """

    mean_size: float
    n_classes: int
    n_few_ruled_out: int
    n: int


def set_spread(conformal: Any) -> SetSpread | None:
    """The :class:`SetSpread` of a classifier's ``ConformalResult`` (None for regression).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, y), X, y, random_state=0)
    >>> spread = set_spread(s.conformal(confidence_level=0.9, calibration=0.5))
    >>> spread.n_classes, spread.n, bool(spread.mean_size < 2)
    (3, 75, True)
    """
    if conformal.sets is None:
        return None
    n_classes = int(conformal.sets.shape[1])
    size = np.asarray(conformal.size)
    return SetSpread(
        float(size.mean()) if len(size) else float("nan"),
        n_classes,
        int((size >= max(n_classes - 1, 2)).sum()),
        len(size),
    )


def target_quartiles(session: ModelSession) -> tuple[float, float] | None:
    """The first and third quartiles of the session's true values (regression), or None
    without them.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(Ridge().fit(X, y), X, y, random_state=0)
    >>> target_quartiles(s)
    (87.0, 211.5)
    """
    y = session.core.y
    if y is None:
        return None
    values = pd.to_numeric(y, errors="coerce").to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return None
    q1, q3 = np.quantile(values, [0.25, 0.75])
    return float(q1), float(q3)


def right_when_over_99(session: ModelSession) -> tuple[int, int] | None:
    """``(right, n)``: of the ``n`` rows whose likeliest class the model scored over 99%, how
    many it got right (None without true labels or scores).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> right, n = right_when_over_99(s)
    >>> 0 < right <= n < len(X)
    True
    """
    preds = session.predictions()
    if "confidence" not in preds or "correct" not in preds or not session.core.has_y:
        return None
    sure = preds["confidence"].to_numpy(dtype=float) > 0.99
    return int(preds["correct"].to_numpy(dtype=bool)[sure].sum()), int(sure.sum())
