"""The threshold panel's model: the rate curves and each group at its own decision threshold,
computed once; the live panel, its static picture and the export draw it.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> counts_at(s, "large", {True: 0.3, False: 0.7})["threshold"].to_dict()
{False: 0.7, True: 0.3}
>>> model = ThresholdModel.from_session(s, "large", {True: 0.3, False: 0.5}, rate="tpr")
>>> model.counts["gap"].notna().all(), model.too_few
(np.True_, {})
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.compute.small_groups import split_small_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ThresholdModel", "counts_at", "equalized_thresholds", "thresholds_apply"]


def thresholds_apply(session: ModelSession) -> bool:
    """Whether the fairness view offers per-group decision thresholds: a binary task with
    actual outcomes and a model that gives probabilities (a labels-only model has no threshold
    to move).

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    bool
    """
    return session.task_ == "binary" and session.core.has_y and session.core.adapter.has_proba


def counts_at(session: ModelSession, by: Any, thresholds: Mapping | float) -> pd.DataFrame:
    """Confusion counts and rates of each group at its own threshold, indexed by group
    (``session.threshold_tradeoffs(by, thresholds=...)``).

    Parameters
    ----------
    session : ModelSession
        A binary task with y and probabilities.
    by : grouping
        The groups (None: all rows, one row "overall").
    thresholds : float or dict
        One threshold for every group, or a dict from group label to threshold.

    Returns
    -------
    pandas.DataFrame
    """
    table = session.threshold_tradeoffs(by, thresholds=thresholds)
    return table.set_index(table.columns[0])


@dataclass(frozen=True)
class ThresholdModel:
    """What the threshold panel shows for one grouping, rate and choice of thresholds.

    Attributes
    ----------
    by : grouping
        The groups.
    rate : str
        The rate compared ("selection_rate", "tpr" or "fpr").
    thresholds : dict
        Each group's threshold.
    curves : pandas.DataFrame
        ``threshold_tradeoffs(by)``: every group at every threshold (the chart), without the
        groups of ``too_few``.
    counts : pandas.DataFrame
        Each group at its threshold (:func:`counts_at`) with ``gap``: its rate minus the
        overall rate at 0.5 (every group, the table's rows).
    uniform : pandas.DataFrame
        Each group at 0.5 (what the choice is compared with).
    shown : pandas.DataFrame
        ``counts`` without the groups of ``too_few`` (the chart's markers).
    too_few : dict
        For a shared file: ``{group: rows}`` left out of the chart.
    min_group_size : int or None
        For a shared file: the smallest group whose numbers are shown.
    """

    by: Any
    rate: str
    thresholds: dict
    curves: pd.DataFrame
    counts: pd.DataFrame
    uniform: pd.DataFrame
    shown: pd.DataFrame
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        by: Any,
        thresholds: Mapping | float | None = None,
        *,
        rate: str = "selection_rate",
        min_group_size: int | None = None,
    ) -> ThresholdModel:
        """Compute the panel's numbers once.

        Parameters
        ----------
        session : ModelSession
            A binary task with y and probabilities.
        by : grouping
            The groups.
        thresholds : dict or float, optional
            Each group's threshold, or one for every group (default 0.5).
        rate : {"selection_rate", "tpr", "fpr"}, default "selection_rate"
            The rate compared across groups.
        min_group_size : int, optional
            For a shared file: groups under this many rows are left out of the chart.

        Returns
        -------
        ThresholdModel
        """
        chosen = 0.5 if thresholds is None else thresholds
        if not isinstance(chosen, Mapping):
            chosen = {label: float(chosen) for label in session.core.slices(by).labels}
        counts = counts_at(session, by, chosen)
        uniform = counts_at(session, by, 0.5)
        overall = counts_at(session, None, 0.5)[rate].iloc[0]
        counts = counts.assign(gap=counts[rate] - overall)
        curves = session.threshold_tradeoffs(by)
        shown, too_few = counts, dict[Any, int]()
        if min_group_size is not None:
            shown, too_few = split_small_groups(counts, min_group_size=min_group_size)
            curves = curves[~curves[curves.columns[0]].isin(list(too_few))]
        return cls(by, rate, dict(chosen), curves, counts, uniform, shown, too_few,
                   min_group_size)  # fmt: skip


def equalized_thresholds(
    session: ModelSession, by: Hashable, rate: str, groups: Iterable[Any]
) -> dict[Any, float]:
    """Each group's threshold that brings ``rate`` closest to the overall rate at 0.5
    (``session.equalizing_thresholds``), 0.5 for a group with no row the rate is measured on:
    what "Equalise it across groups" sets, in JupyterLab and on the marimo page.

    Parameters
    ----------
    session : ModelSession
        A binary task with y and probabilities.
    by : column name
        The groups.
    rate : {"selection_rate", "tpr", "fpr"}
        The rate equalised.
    groups : iterable
        Every group a threshold is set for.

    Returns
    -------
    dict
        ``{group: threshold}`` for every group of ``groups``.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LogisticRegression
    >>> data = rw.datasets.load_german_credit()
    >>> X = data.data[["duration_in_month"]]
    >>> s = rw.ModelSession(LogisticRegression().fit(X, data.target), X, data.target,
    ...                     sensitive_features=data.data["foreign_worker"])
    >>> chosen = equalized_thresholds(s, "foreign_worker", "selection_rate", ["yes", "no"])
    >>> sorted(chosen), all(0 <= t <= 1 for t in chosen.values())
    (['no', 'yes'], True)
    """
    table = session.equalizing_thresholds(by, rate=rate)
    chosen = {k: float(v) for k, v in table["threshold"].items() if np.isfinite(v)}
    return {**{k: 0.5 for k in groups}, **chosen}
