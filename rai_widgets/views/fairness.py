"""The fairness view's model: what the view shows, computed once from the session.

The live widget, its static picture and the export render these objects; none of them asks the
session what to show. :class:`GroupsModel` is the table per group and the disparity chart of one
grouping and metric; :class:`BlindSpotsModel` the blind spots under them. Both know whether they
are for a shared file (``min_group_size``): then a group whose numbers rest on fewer rows is
named with its size and left out of the chart, and slices that small are not listed.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> groups = GroupsModel.from_session(s, by="large", metric="accuracy")
>>> groups.table.index.tolist(), groups.too_few
([False, True], {})
>>> spots = BlindSpotsModel.from_session(s)
>>> spots.n_found >= len(spots.spots)
True
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.compute.overlap import distinct_masks
from rai_widgets.compute.small_groups import split_small_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "CANDIDATES",
    "MAX_SPOTS",
    "OVERLAP",
    "BlindSpotsModel",
    "GroupsModel",
]

MAX_SPOTS = 6  # blind spots listed in the view (all are in weak_slices())
CANDIDATES = 150  # strongest blind spots screened for repeats
OVERLAP = 0.8  # a blind spot sharing more of its rows with a listed one is the same finding


@dataclass(frozen=True)
class GroupsModel:
    """Quality per group of one grouping, and each group's difference from a reference.

    Attributes
    ----------
    grouping : column name, list of column names or None
        What the groups are values of (None: all rows).
    metric : str
        The metric of the table and the chart.
    table : pandas.DataFrame
        ``session.slice_metrics(by=grouping, metrics=[metric])``: n, the metric, its bounds,
        ``low_support``.
    disparities : pandas.DataFrame
        ``session.disparities(grouping, metric=metric, reference=reference)``, without the
        groups of ``too_few``: what the chart draws.
    too_few : dict
        ``{group: rows}`` left out of the chart for a shared file.
    min_group_size : int or None
        For a shared file: the smallest group whose numbers are shown.
    """

    grouping: Any
    metric: str
    table: pd.DataFrame
    disparities: pd.DataFrame
    too_few: dict = field(default_factory=dict)
    min_group_size: int | None = None
    unit: str | None = None

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        *,
        by: Any,
        metric: str,
        reference: Any = None,
        min_group_size: int | None = None,
    ) -> GroupsModel:
        """Compute the model (two cached session calls).

        Parameters
        ----------
        session : ModelSession
            The model and data.
        by : column name, list of column names or None
            The grouping.
        metric : str
            One of ``session.metric_names()``.
        reference : object, optional
            The group the chart compares with (default: the largest).
        min_group_size : int, optional
            For a shared file (see the module's notes).

        Returns
        -------
        GroupsModel

        Raises
        ------
        RaiWidgetsError
            The grouping or the metric cannot be used.
        """
        table = session.slice_metrics(by=by, metrics=[metric])
        disparities, too_few = split_small_groups(
            session.disparities(by, metric=metric, reference=reference),
            min_group_size=min_group_size,
        )
        return cls(by, metric, table, disparities, too_few, min_group_size, session.target_unit)

    @property
    def groups(self) -> list[Hashable]:
        """The groups, in the table's order (what a picker offers)."""
        return list(self.table.index)


@dataclass(frozen=True)
class BlindSpotsModel:
    """The strongest significant blind spots that do not repeat each other.

    Attributes
    ----------
    spots : list of pandas.Series
        Rows of ``session.weak_slices(max_order=2)`` (at most :data:`MAX_SPOTS`).
    n_found : int
        How many slices are significantly worse in all (of those large enough to list).
    hidden : int
        Spots left out because they share more than :data:`OVERLAP` of their rows with a
        listed one.
    regression : bool
        Whether the error is an absolute error (else an error rate).
    unit : str or None
        The target's unit (regression).
    min_group_size : int or None
        For a shared file: slices with fewer rows are not listed.
    """

    spots: list[pd.Series]
    n_found: int
    hidden: int
    regression: bool
    unit: str | None = None
    min_group_size: int | None = None

    @classmethod
    def from_session(
        cls, session: ModelSession, *, min_group_size: int | None = None
    ) -> BlindSpotsModel:
        """Search the blind spots (the session caches the search).

        Parameters
        ----------
        session : ModelSession
            The model and data.
        min_group_size : int, optional
            For a shared file: slices under this many rows are not listed.

        Returns
        -------
        BlindSpotsModel
        """
        found = session.weak_slices(max_order=2)
        found = found[found["significant"]]
        if min_group_size is not None:
            found = found[found["n"] >= min_group_size]
        candidates = [row for _, row in found.head(CANDIDATES).iterrows()]
        masks = (session.core.slice_mask(row["spec"]) for row in candidates)
        kept, hidden = distinct_masks(masks, limit=MAX_SPOTS, overlap=OVERLAP)
        return cls(
            spots=[candidates[i] for i in kept],
            n_found=len(found),
            hidden=hidden,
            regression=session.task_ == "regression",
            unit=session.target_unit,
            min_group_size=min_group_size,
        )

    @property
    def slices(self) -> list[dict]:
        """Each listed spot as ``{column: value}`` (what a picker selects)."""
        return [dict(row["spec"]) for row in self.spots]
