"""The comparison view's model: two models on the same rows, computed once.

:class:`ComparisonModel` holds the paired difference overall and per group and the answers each
model fixed and broke; :class:`DisagreementsModel` the rows where they answer differently. The
live :class:`~rai_widgets.ComparisonView`, its static picture and the export render these
objects; none of them asks the sessions what to show.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1")
>>> b = rw.ModelSession(LogisticRegression(C=0.01, max_iter=5000).fit(X, y), X, y, name="v2")
>>> model = ComparisonModel.from_sessions(a, b)
>>> model.names, model.metric, model.fixed is not None
(('v1', 'v2'), 'accuracy', True)
>>> DisagreementsModel.from_sessions(a, b, n=5).rows.shape[0] <= 5
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.session.comparison import COMPARABLE, check_comparable
from rai_widgets.views.groupings import default_grouping

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ComparisonModel", "DisagreementsModel"]


@dataclass(frozen=True)
class ComparisonModel:
    """Model B against model A on the same rows: overall, per group, answers changed.

    Attributes
    ----------
    names : (str, str)
        The two models' names (A, the reference, first).
    task : str
        Their task.
    by : grouping or None
        The groups of the table.
    metric : str
        The per-row quantity compared ("accuracy", "selection_rate" or "mae").
    overall : pandas.Series
        ``a.compare(b, metric=metric)``'s one row.
    table : pandas.DataFrame
        ``a.compare(b, by=by, metric=metric)``.
    fixed, broken : int or None
        Rows B gets right where A was wrong, and the reverse (classification with y).
    positive : object
        A's positive class (how a selection rate reads).
    unit : str or None
        The regression target's unit.
    """

    names: tuple[str, str]
    task: str
    by: Any
    metric: str
    overall: pd.Series
    table: pd.DataFrame
    fixed: int | None
    broken: int | None
    positive: Any = None
    unit: str | None = None

    @classmethod
    def from_sessions(
        cls, a: ModelSession, b: ModelSession, *, by: Hashable | None = None, metric: str = ""
    ) -> ComparisonModel:
        """Compute the comparison once.

        Parameters
        ----------
        a, b : ModelSession
            The reference model and the other, on the same X and y.
        by : column name, optional
            The groups (default: A's first sensitive feature).
        metric : str, optional
            Default: accuracy (classification) or mae (regression).

        Returns
        -------
        ComparisonModel

        Raises
        ------
        ValidationError
            The two sessions cannot be compared (other rows, task or y).
        """
        check_comparable(a.core, b)
        by = by if by is not None else default_grouping(a.core)
        metric = metric or COMPARABLE[a.task_][0]
        fixed = broken = None
        if a.task_ != "regression" and a.core.has_y:
            right_a = a.predictions()["correct"].to_numpy(dtype=bool)
            right_b = b.predictions()["correct"].to_numpy(dtype=bool)
            fixed, broken = int((right_b & ~right_a).sum()), int((right_a & ~right_b).sum())
        return cls(
            names=(a.name, b.name),
            task=a.task_,
            by=by,
            metric=metric,
            overall=a.compare(b, metric=metric).iloc[0],
            table=a.compare(b, by=by, metric=metric),
            fixed=fixed,
            broken=broken,
            positive=a.pos_label_,
            unit=a.target_unit,
        )


@dataclass(frozen=True)
class DisagreementsModel:
    """The rows where the two models answer differently, the most consequential first, with
    the column they are sorted by.

    Attributes
    ----------
    names : (str, str)
        The two models' names.
    task : str
        Their task (a regression's rows are the furthest apart).
    rows : pandas.DataFrame
        ``a.disagreements(b, n=n)`` and its sort key, highest first: ``confidence_mean`` (the
        two models' average confidence in their own answers) for classifiers with scores,
        ``apart`` (how far apart the two predictions are) for a regression.
    features : list
        X's columns shown beside the answers.
    order : {"confidence", "distance", "data"}
        How the rows are chosen and sorted ("data": in the data's order, without scores).
    total : int
        Rows where the two answer differently, listed or not.
    """

    names: tuple[str, str]
    task: str
    rows: pd.DataFrame
    features: list[Hashable]
    order: str = "data"
    total: int = 0

    @classmethod
    def from_sessions(
        cls, a: ModelSession, b: ModelSession, *, n: int = 15, n_features: int = 6
    ) -> DisagreementsModel:
        """The rows where A and B disagree.

        Parameters
        ----------
        a, b : ModelSession
            The two models on the same rows.
        n : int, default 15
            Rows listed.
        n_features : int, default 6
            X's columns shown beside the answers.

        Returns
        -------
        DisagreementsModel
        """
        rows = a.disagreements(b, n=n)
        mine, theirs = a.predictions()["y_pred"], b.predictions()["y_pred"]
        if a.task_ == "regression":
            gap = np.abs(mine.to_numpy(dtype=float) - theirs.to_numpy(dtype=float))
            total = int((gap > 0).sum())
            rows = rows.assign(apart=(rows["y_pred_a"] - rows["y_pred_b"]).abs())
            key, order = "apart", "distance"
        else:
            total = int((mine.to_numpy() != theirs.to_numpy()).sum())
            key, order = "", "data"
            if "confidence_a" in rows.columns:
                mean = (rows["confidence_a"] + rows["confidence_b"]) / 2
                rows = rows.assign(confidence_mean=mean)
                key, order = "confidence_mean", "confidence"
        if key:
            rows = rows.sort_values(key, ascending=False, kind="stable")
        return cls(
            names=(a.name, b.name),
            task=a.task_,
            rows=rows,
            features=list(a.core.frame.columns[:n_features]),
            order=order,
            total=total,
        )
