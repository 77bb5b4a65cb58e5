"""The live view of a Dashboard where only anywidget widgets are drawn (marimo): one
:class:`~rai_widgets.SinglePageDashboard` per board, linked to it both ways for the row, the
slice and presenter mode, and to the board's fairness and uncertainty views for their grouping,
metric and promised coverage, so that code written for JupyterLab (``board.selected_row``,
``board.selected_slice``, ``board.fairness.by``) reads what was picked on the page, and what is
set on the board moves the page.

``Dashboard._display_`` (what marimo asks an object for first) is :func:`live_view_of`.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import traitlets

from rai_widgets.widgets.single_page import SinglePageDashboard

if TYPE_CHECKING:
    from rai_widgets.widgets.dashboard import Dashboard

__all__ = ["LINKED", "LINKED_VIEWS", "live_view_of"]

_LIVE_VIEWS: weakref.WeakKeyDictionary[Any, SinglePageDashboard] = weakref.WeakKeyDictionary()
_LINKS: weakref.WeakKeyDictionary[SinglePageDashboard, list] = weakref.WeakKeyDictionary()
#: What a live view and its board share both ways.
LINKED = ("selected_row", "selected_slice", "presenter")
#: What a live view shares both ways with the board's views: ``(view, its trait, the page's)``.
LINKED_VIEWS = (
    ("fairness", "by", "fairness_by"),
    ("fairness", "intersections", "fairness_intersections"),
    ("fairness", "metric", "fairness_metric"),
    ("uncertainty", "by", "uncertainty_by"),
    ("uncertainty", "confidence_level", "confidence_level"),
)


def live_view_of(board: Dashboard) -> SinglePageDashboard:
    """The :class:`SinglePageDashboard` of a Dashboard, made once and linked to it: a row or a
    slice picked on either is the other's (``board.selected_row`` reads a row clicked on the
    page; the board's own views follow it as in JupyterLab), and so is presenter mode (the
    page's switch or ``board.presenter``), and so are the fairness tab's grouping and metric
    (``board.fairness.by``, ``.intersections``, ``.metric``) and the uncertainty tab's
    (``board.uncertainty.by``, ``.confidence_level``). marimo shows it in the Dashboard's
    place (``Dashboard._display_``).

    Parameters
    ----------
    board : Dashboard
        The dashboard.

    Returns
    -------
    SinglePageDashboard

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> board = rw.Dashboard(s)
    >>> view = live_view_of(board)
    >>> view is live_view_of(board)
    True
    >>> board.selected_row = 5
    >>> view.selected_row, "case <b>5</b>" in view.header
    (5, True)
    >>> view.tab, view.row_position, view.row_clicks = 1, 2, 1  # a click on the page's 3rd row
    >>> board.selected_row, board.explanation.row
    (2, 2)
    >>> view.send_control("confidence_level", 2)  # a pick of 95% in the uncertainty tab
    >>> board.uncertainty.confidence_level
    0.95
    """
    view = _LIVE_VIEWS.get(board)
    if view is not None and view.comm is not None:
        return view
    if view is not None:  # closed: it follows the board no more
        for link in _LINKS.pop(view, []):
            link.unlink()
    view = SinglePageDashboard(
        board.session,
        selected_row=board.selected_row,
        selected_slice=board.selected_slice,
        presenter=board.presenter,
        confidence_level=board.uncertainty.confidence_level,
    )
    view.test_cases = board.examples.test_cases  # pinned on the page: the board's set
    # a slice regroups the board's views, which regroup the page's tabs through the links
    # (regrouped first, the page would move the board's fairness view off the board's slice)
    view.regroups_by_slice = False
    links: list = [traitlets.link((board, name), (view, name)) for name in LINKED]
    views = {"fairness": board.fairness, "uncertainty": board.uncertainty}
    links += [traitlets.link((views[v], name), (view, mine)) for v, name, mine in LINKED_VIEWS]
    _LINKS[view] = links
    _LIVE_VIEWS[board] = view
    return view
