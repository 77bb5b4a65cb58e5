"""What the Dashboard shows as a whole, computed from the session and the board's state: its
tabs in order with their titles, the summary's sentences, what every view follows (a slice, its
rows, a case) and which grouping each view draws (decided by
:func:`~rai_widgets.views.groupings.follow_slice`, the one link policy).

The live widget (``Dashboard``), its static picture (:mod:`rai_widgets.static_html.dashboard`)
and the marimo single page (``SinglePageDashboard``) draw a :class:`DashboardModel`; none of
them decides on its own which grouping a view follows or what the summary says. The summary
tests groups against each other, so a widget computes it once (:func:`dashboard_summary`) and
hands it to each model it makes as the user picks a slice or a row.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> model = dashboard_model(s, selected_slice={"large": True}, selected_row=7)
>>> model.tabs[0], model.fairness_by, model.fairness_group, model.uncertainty_by
('What to look at', 'large', True, 'large')
>>> model.n_rows == int(X["mean radius"].gt(15).sum()), model.row
(True, 7)
>>> model.summary_text.startswith("The model is right for")
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rai_widgets.readings.tabs import TAB_TITLES
from rai_widgets.views.groupings import (
    Following,
    default_fairness_grouping,
    default_grouping,
    fairness_columns,
    follow_slice,
)
from rai_widgets.views.summary import summary_sentences

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "TABS",
    "VIEWS",
    "DashboardModel",
    "dashboard_model",
    "dashboard_summary",
    "slice_rows",
]

#: The views of the dashboard, in the order of their tabs (the audit first).
VIEWS = ("audit", "examples", "explanation", "fairness", "uncertainty")
#: The titles of the tabs, in order.
TABS = tuple(TAB_TITLES[view] for view in VIEWS)


@dataclass(frozen=True)
class DashboardModel:
    """The Dashboard in one state: what each renderer draws.

    Attributes
    ----------
    views, tabs : tuple of str
        The views in the order of their tabs (:data:`VIEWS`), and the tabs' titles
        (:data:`TABS`).
    summary : tuple of str
        The summary's sentences (:func:`dashboard_summary`).
    slice : dict or None
        ``{column: value}`` of the rows every view follows (None: all rows).
    n_rows : int
        The rows the example browser lists for it.
    row : label of X's index or None
        The case every view shows (None: none picked; the views read their first row).
    presenter : bool
        Presenter mode.
    confidence_level : float
        The coverage promised by the uncertainty view.
    following : Following
        What picking ``slice`` changes in each view (None: that view keeps what it shows):
        what the live widget sets on its views.
    fairness_by : column name or None
        The grouping the fairness view draws: the slice's column when it is one of the
        fairness view's groupings, else its first (:func:`default_fairness_grouping`).
    fairness_group : object
        The group of ``fairness_by`` the fairness view selects (None: none).
    explanation_slice_by : column name or ""
        The slices of the explanation's importance ("": the whole data).
    uncertainty_by : column name or None
        The grouping of the uncertainty view's charts: the slice's column, else the first
        sensitive feature (:func:`default_grouping`).
    """

    views: tuple[str, ...]
    tabs: tuple[str, ...]
    summary: tuple[str, ...]
    slice: dict | None
    n_rows: int
    row: Hashable | None
    presenter: bool
    confidence_level: float
    following: Following
    fairness_by: Hashable | None
    fairness_group: Any
    explanation_slice_by: Hashable
    uncertainty_by: Hashable | None

    @property
    def summary_text(self) -> str:
        """The summary as one paragraph (its sentences joined)."""
        return " ".join(self.summary)


def dashboard_summary(session: ModelSession) -> tuple[str, ...]:
    """The summary at the top of the Dashboard: how often the model is right beside the
    trivial answer, and the group it does measurably worse for or that none stands out
    (:func:`rai_widgets.views.summary.summary_sentences`), over the sensitive features, else
    over the fairness view's first grouping.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
    >>> sentences = dashboard_summary(s)  # no sensitive feature: the groups of "year"
    >>> len(sentences), "year" in sentences[1]
    (2, True)
    """
    return tuple(summary_sentences(session, by=default_fairness_grouping(session.core)))


def slice_rows(session: ModelSession, slice_: dict | None) -> int:
    """How many rows a slice holds (all rows for None).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    slice_ : dict or None
        ``{column: value}``.

    Returns
    -------
    int

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X)
    >>> slice_rows(s, {"year": 2003}) == int((X["year"] == 2003).sum()), slice_rows(s, None)
    (True, 3000)
    """
    if not slice_:
        return int(session.core.n_rows_)
    return int(session.core.slice_mask(dict(slice_)).sum())


def dashboard_model(
    session: ModelSession,
    *,
    selected_slice: dict | None = None,
    selected_row: Hashable | None = None,
    presenter: bool = False,
    confidence_level: float = 0.9,
    n_rows: int | None = None,
    summary: Sequence[str] | None = None,
) -> DashboardModel:
    """Compute the Dashboard in one state.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    selected_slice : dict, optional
        ``{column: value}`` of the rows every view follows (default: all rows).
    selected_row : label of X's index, optional
        The case every view shows (default: none).
    presenter : bool, default False
        Presenter mode.
    confidence_level : float, default 0.9
        The coverage promised by the uncertainty view.
    n_rows : int, optional
        The rows the example browser lists (default: the slice's rows, :func:`slice_rows`;
        the live widget gives its browser's count, which a query narrows).
    summary : sequence of str, optional
        The summary's sentences when already computed (default: :func:`dashboard_summary`).

    Returns
    -------
    DashboardModel
    """
    slice_ = dict(selected_slice) if selected_slice else None
    core = session.core
    # the same in every state of the board (they read the data only): counted once
    columns, first = core.cache.get_or_compute(
        ("dashboard_groupings", core.state().data),
        lambda: (fairness_columns(core), default_fairness_grouping(core)),
    )
    following = follow_slice(slice_, fairness_columns=columns)
    fairness_by = first if following.fairness_by is None else following.fairness_by
    uncertainty_by = following.uncertainty_by
    if uncertainty_by is None:
        uncertainty_by = default_grouping(session.core)
    explanation_by = following.explanation_slice_by
    return DashboardModel(
        views=VIEWS,
        tabs=TABS,
        summary=dashboard_summary(session) if summary is None else tuple(summary),
        slice=slice_,
        n_rows=slice_rows(session, slice_) if n_rows is None else int(n_rows),
        row=selected_row,
        presenter=bool(presenter),
        confidence_level=confidence_level,
        following=following,
        fairness_by=fairness_by,
        fairness_group=following.fairness_group,
        explanation_slice_by="" if explanation_by is None else explanation_by,
        uncertainty_by=uncertainty_by,
    )
