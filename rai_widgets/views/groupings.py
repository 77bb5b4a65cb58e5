"""Which grouping each view shows: its default, and what it follows when a slice is picked.

One home for what used to be written in each view, its static picture and the export: a view
that groups rows starts on the first sensitive feature (the fairness view, which needs some
grouping, on the first column with at most 20 values when none was named), and when the user
picks a slice of one column (a row of the fairness table, a finding of the audit, a slice of
the example browser) every view that groups rows follows that column.

Examples
--------
>>> following = follow_slice({"sex": "Female"}, fairness_columns=["sex", "race"])
>>> following.fairness_by, following.fairness_group, following.uncertainty_by
('sex', 'Female', 'sex')
>>> follow_slice({"sex": "Female", "race": "Black"}, fairness_columns=["sex"]).fairness_by is None
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.formatting import label
from rai_widgets.session.checks.recourse import refused_rows
from rai_widgets.session.checks.selection import selection_reference

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "MAX_GROUPS",
    "Following",
    "Opening",
    "check_selected_slice",
    "default_fairness_grouping",
    "default_grouping",
    "fairness_columns",
    "follow_slice",
    "open_finding",
]

MAX_GROUPS = 20
"""A column with at most this many values can group the fairness view when no sensitive
feature was named."""


class _Grouped(Protocol):
    """What these choices read from a session."""

    @property
    def sensitive_features_(self) -> list[Hashable]: ...

    @property
    def frame(self) -> pd.DataFrame: ...


def default_grouping(session: _Grouped) -> Hashable | None:
    """The grouping a view starts on: the first sensitive feature, else None (all rows).

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    column name or None
    """
    sensitive = list(session.sensitive_features_)
    return sensitive[0] if sensitive else None


def fairness_columns(session: _Grouped) -> list[Hashable]:
    """The columns the fairness view can group by: the sensitive features, else the columns
    of X with at most :data:`MAX_GROUPS` values.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    list
    """
    sensitive = list(session.sensitive_features_)
    X = session.frame
    return sensitive or [c for c in X.columns if X[c].nunique() <= MAX_GROUPS]


def default_fairness_grouping(session: _Grouped) -> Hashable | None:
    """The grouping the fairness view starts on: the first of :func:`fairness_columns`.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    column name or None
    """
    columns = fairness_columns(session)
    return columns[0] if columns else None


@dataclass(frozen=True)
class Following:
    """What each view shows once a slice is picked (None: the view keeps what it shows).

    Attributes
    ----------
    examples_slice : dict or None
        The rows the example browser lists (None: all rows).
    fairness_by : column name or None
        The fairness view's grouping.
    fairness_group : object
        The group the fairness view selects (None: none).
    explanation_slice_by : column name or None
        The grouping of the explanation view's importance per slice.
    uncertainty_by : column name or None
        The grouping of the uncertainty view's charts.
    """

    examples_slice: dict | None
    fairness_by: Hashable | None = None
    fairness_group: Any = None
    explanation_slice_by: Hashable | None = None
    uncertainty_by: Hashable | None = None


def follow_slice(slice_: dict | None, *, fairness_columns: Sequence[Hashable]) -> Following:
    """What the views follow when ``slice_`` is picked: the browser lists its rows; a slice of
    one column also regroups the fairness view (when the column is one of its groupings, and
    selects the group), the explanation's importance and the uncertainty charts by it. A slice
    of several columns (an intersection) is listed, never regrouped into.

    Parameters
    ----------
    slice_ : dict or None
        ``{column: value}`` (None: all rows again).
    fairness_columns : sequence
        The columns the fairness view can group by.

    Returns
    -------
    Following
    """
    if not slice_:
        return Following(examples_slice=None)
    if len(slice_) != 1:
        return Following(examples_slice=dict(slice_))
    ((column, value),) = slice_.items()
    fair = column in list(fairness_columns)
    return Following(
        examples_slice=dict(slice_),
        fairness_by=column if fair else None,
        fairness_group=value if fair else None,
        explanation_slice_by=column,
        uncertainty_by=column,
    )


@dataclass(frozen=True)
class Opening:
    """What a clicked audit finding opens (None: that part stays as it is).

    Attributes
    ----------
    slice : dict or None
        The slice every view follows (see :func:`follow_slice`).
    view : str or None
        The tab that shows the evidence.
    metric : str or None
        The fairness view's metric.
    reference : object
        The group the fairness chart compares with, when the finding is the four-fifths rule's
        (its ratio is to the most-selected group), for the grouping ``reference_for``.
    reference_for : column name or None
        The grouping ``reference`` is a group of.
    row : label or None
        The case the explanation shows: for a recourse finding, a person of the group the
        model refuses (whose counterfactuals are the evidence).
    feature : column name or None
        The feature the explanation's One feature tab shows: for a proxy or a leak, the
        feature itself (how it moves predictions, and by group, is the evidence).
    color_by : column name or None
        What colours that feature: a proxy's sensitive feature.
    """

    slice: dict | None = None
    view: str | None = None
    metric: str | None = None
    reference: Any = None
    reference_for: Hashable | None = None
    row: Hashable | None = None
    feature: Hashable | None = None
    color_by: Hashable | None = None


def open_finding(
    session: ModelSession,
    finding: Mapping[str, Any],
    *,
    metrics: Sequence[str],
    alpha: float = 0.05,
) -> Opening:
    """What a clicked finding opens: its slice, its tab, the fairness metric it is about and,
    for the four-fifths rule, the group its ratio compares with. Read from the finding's data
    (``slice``, ``view``, ``metric``, ``check``, ``feature``), never from its sentence.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    finding : mapping
        A row of ``Audit.frame()``.
    metrics : sequence of str
        The metrics the fairness view can show.
    alpha : float, default 0.05
        The audit's alpha (the four-fifths rule's reference is chosen with it).

    Returns
    -------
    Opening

    Examples
    --------
    >>> opening = open_finding(None, {"slice": {"sex": "Female"}, "view": "fairness",
    ...                               "metric": "tpr", "check": "disparity"},
    ...                        metrics=["accuracy", "tpr"])
    >>> opening.slice, opening.view, opening.metric
    ({'sex': 'Female'}, 'fairness', 'tpr')
    """
    where = finding.get("slice")
    view = finding.get("view")
    opening = Opening(
        slice=dict(where) if isinstance(where, dict) and where else None,
        view=view if isinstance(view, str) else None,
    )
    if finding.get("check") in ("proxy", "leakage") and _is_name(finding.get("feature")):
        grouping = finding.get("grouping")
        return Opening(
            slice=opening.slice,
            view=opening.view,
            feature=finding.get("feature"),
            color_by=grouping if _is_name(grouping) else None,
        )
    if finding.get("check") == "recourse" and opening.slice is not None:
        return Opening(
            slice=opening.slice, view=opening.view, row=_refused_in(session, opening.slice)
        )
    if view != "fairness":
        return opening
    metric = finding.get("metric")
    reference, reference_for = None, None
    if finding.get("check") == "four_fifths" and _is_name(finding.get("feature")):
        reference_for = finding.get("feature")
        reference = selection_reference(session, reference_for, alpha=alpha)
    return Opening(
        slice=opening.slice,
        view=opening.view,
        metric=metric if isinstance(metric, str) and metric in metrics else None,
        reference=reference,
        reference_for=reference_for,
    )


def _is_name(value: Any) -> bool:
    """Whether a finding's field holds a column name (not None or NaN)."""
    return value is not None and not (isinstance(value, float) and value != value)


def _refused_in(session: ModelSession, spec: dict) -> Hashable | None:
    """The first person of a group the model refuses (None when it refuses no one there)."""
    try:
        refused = refused_rows(session)[0]
    except ValueError:
        return None
    rows = np.flatnonzero(session.core.slice_mask(spec) & refused)
    return None if len(rows) == 0 else session.core.frame.index[rows[0]]


def check_selected_slice(session: ModelSession, spec: Mapping[Hashable, Any]) -> int:
    """The rows of a slice a view is asked to follow (``{column: value}``), or a clear error.

    Parameters
    ----------
    session : ModelSession
        The session.
    spec : dict
        ``{column: value}`` (a numeric column's value may be a bin's label).

    Returns
    -------
    int
        How many rows the slice holds (at least one).

    Raises
    ------
    RaiWidgetsError
        An unknown column, or a value no row has (the error names the groups there are).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
    >>> check_selected_slice(s, {"sex": X["sex"].iloc[0]})
    207
    """
    rows = int(session.core.slice_mask(dict(spec)).sum())
    if rows == 0:
        column = next(iter(spec))
        groups = [label(g) for g in session.core.slices(column).labels]
        raise ValidationError(
            f"selected_slice {dict(spec)!r} holds no row: pick a group the data has, such as "
            f"one of {groups[:10]} for {column!r}."
        )
    return rows
