"""The comparison component of a session: another model on the same rows, group by group.

:class:`Comparison` depends on the :class:`~rai_widgets.session.core.SessionCore` interface of
both sessions; their cached predictions are used, neither model is called again.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.comparison import paired_differences
from rai_widgets.core.arguments import check_int
from rai_widgets.core.errors import ValidationError
from rai_widgets.session.core import SessionCore

__all__ = ["COMPARABLE", "Comparison", "check_comparable", "per_row_quantity"]

#: Per-row quantities two models can be compared on, per task.
COMPARABLE = {
    "binary": ("accuracy", "selection_rate"),
    "multiclass": ("accuracy",),
    "regression": ("mae",),
}


def per_row_quantity(session: SessionCore, metric: str) -> np.ndarray:
    """Each row's contribution to ``metric`` ("accuracy", "selection_rate" or "mae").

    Parameters
    ----------
    session : SessionCore
        Any session (its cached predictions are used).
    metric : str
        One of :data:`COMPARABLE` for the session's task.

    Returns
    -------
    numpy.ndarray
        1.0 / 0.0 per row for rates, the absolute error for "mae".
    """
    preds = session.predictions()
    if metric == "accuracy":
        return preds["correct"].to_numpy(dtype=float)
    if metric == "selection_rate":
        return (preds["y_pred"] == session.pos_label_).to_numpy(dtype=float)
    return np.abs(preds["residual"].to_numpy(dtype=float))


class Comparison:
    """This session's model against another on the same rows.

    Parameters
    ----------
    core : SessionCore
        The session (model A).
    """

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    def check_comparable(self, other: object) -> SessionCore:
        """The core of ``other``, after checking it answers the same rows, task and y; see
        :func:`check_comparable`."""
        return check_comparable(self._core, other)

    def compare(self, other: Any, *, by: Any = None, metric: str | None = None) -> pd.DataFrame:
        """This model (A) against ``other`` (B) on the same rows, per group, paired.

        Parameters
        ----------
        other : ModelSession
            The second model on the same X (and y).
        by : grouping, optional
            As in ``slice_metrics``; None: one row "overall".
        metric : {"accuracy", "selection_rate", "mae"}, optional
            A per-row quantity: default accuracy (classification) or mean absolute error.

        Returns
        -------
        pandas.DataFrame
            One row per group: ``n``, ``a`` and ``b`` (the metric of each model),
            ``difference`` (b - a) with paired 95% bounds, ``changed`` (share of rows whose
            prediction differs), ``low_support``. ``attrs`` name the two models and the metric.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="a")
        >>> b = rw.ModelSession(LogisticRegression(C=0.01, max_iter=5000).fit(X, y), X, y)
        >>> table = a.compare(b)
        >>> table.columns[:4].tolist()
        ['n', 'a', 'b', 'difference']
        """
        theirs = self.check_comparable(other)
        if not self._core.has_y and metric != "selection_rate":
            raise ValidationError("compare needs y for accuracy or mae; create sessions with y.")
        allowed = COMPARABLE[self._core.task_]
        metric = allowed[0] if metric is None else metric
        if metric not in allowed:
            raise ValidationError(
                f"metric for a {self._core.task_} task must be one of {list(allowed)}; "
                f"got {metric!r}."
            )
        slices = self._core.slices(by)
        table = paired_differences(
            per_row_quantity(self._core, metric), per_row_quantity(theirs, metric), slices
        )
        changed = (
            (
                self._core.predictions()["y_pred"].to_numpy()
                != theirs.predictions()["y_pred"].to_numpy()
            )
            if self._core.task_ != "regression"
            else ~np.isclose(
                self._core.predictions()["y_pred"].to_numpy(dtype=float),
                theirs.predictions()["y_pred"].to_numpy(dtype=float),
            )
        )
        counts = np.bincount(slices.codes, weights=changed, minlength=len(slices.labels))
        table.insert(table.columns.get_loc("difference_hi") + 1, "changed", counts / table["n"])
        table.attrs.update(metric=metric, a=self._core.name, b=theirs.name)
        return table

    def disagreements(self, other: Any, *, n: int = 20) -> pd.DataFrame:
        """Rows where the two models answer differently, the most consequential first.

        Classification: rows whose predicted class differs, ordered by how confident the
        two models are together (confident disagreements first); regression: rows ordered by
        how far apart the two predictions are.

        Parameters
        ----------
        other : ModelSession
            The second model on the same X.
        n : int, default 20
            Rows returned.

        Returns
        -------
        pandas.DataFrame
            X's columns of those rows and ``y_true``, ``y_pred_a``, ``y_pred_b`` (and
            ``confidence_a``, ``confidence_b`` for classifiers), ``fixed`` / ``broken``
            (B right where A was wrong, and the reverse) when y is known.
        """
        theirs = self.check_comparable(other)
        check_int(n, argument="n", minimum=1)
        a, b = self._core.predictions(), theirs.predictions()
        if self._core.task_ == "regression":
            gap = np.abs(a["y_pred"].to_numpy(dtype=float) - b["y_pred"].to_numpy(dtype=float))
            order = np.argsort(-gap, kind="stable")
            order = order[gap[order] > 0][:n]
        else:
            differ = np.flatnonzero(a["y_pred"].to_numpy() != b["y_pred"].to_numpy())
            scored = "confidence" in a and "confidence" in b
            if scored:  # confident disagreements first
                together = a["confidence"].to_numpy()[differ] + b["confidence"].to_numpy()[differ]
                differ = differ[np.argsort(-together, kind="stable")]
            order = differ[:n]
        out = self._core.frame.iloc[order].copy()
        if "y_true" in a:
            out["y_true"] = a["y_true"].iloc[order].to_numpy()
        out["y_pred_a"] = a["y_pred"].iloc[order].to_numpy()
        out["y_pred_b"] = b["y_pred"].iloc[order].to_numpy()
        if self._core.task_ != "regression":
            if scored:
                out["confidence_a"] = a["confidence"].iloc[order].to_numpy()
                out["confidence_b"] = b["confidence"].iloc[order].to_numpy()
            if "correct" in a:
                right_a = a["correct"].iloc[order].to_numpy(dtype=bool)
                right_b = b["correct"].iloc[order].to_numpy(dtype=bool)
                out["fixed"], out["broken"] = right_b & ~right_a, right_a & ~right_b
        return out


def check_comparable(core: SessionCore, other: object) -> SessionCore:
    """The core of session ``other``, after checking it answers the rows, task and y of
    ``core``; raise a ValidationError saying what differs otherwise.

    Parameters
    ----------
    core : SessionCore
        The first session's core (model A).
    other : ModelSession
        The second session (model B).

    Returns
    -------
    SessionCore
        ``other.core``.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
    >>> check_comparable(s.core, "model b")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: other must be a ModelSession; got str. ...
    """
    theirs = getattr(other, "core", None)
    if not isinstance(theirs, SessionCore):
        raise ValidationError(
            f"other must be a ModelSession; got {type(other).__name__}. Wrap the second "
            "model as rw.ModelSession(model_b, X, y)."
        )
    if theirs.task_ != core.task_:
        raise ValidationError(
            f"Both models must do the same task; this one is {core.task_}, other is {theirs.task_}."
        )
    rows_a, rows_b = core.frame.index, theirs.frame.index
    if len(rows_b) != len(rows_a) or not rows_b.equals(rows_a):
        raise ValidationError(
            "other must answer the same rows (same X index, same order): a comparison "
            "pairs the two models' answers row by row. Create both sessions on the same X."
        )
    y_a, y_b = core.y_values, theirs.y_values
    if (y_a is None) != (y_b is None) or (y_a is not None and not y_a.equals(y_b)):
        raise ValidationError("Both sessions must have the same y (or both none).")
    return theirs
