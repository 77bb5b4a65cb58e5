"""What a Dashboard does when one of its views picks something: a finding clicked in the audit
opens its evidence, a group picked in the fairness view becomes the slice every view follows.

The board's own observers call these; they only set the board's and its views' traits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rai_widgets.core.errors import ValidationError
from rai_widgets.static_html.fairness import headline_metrics
from rai_widgets.views.dashboard import TABS, VIEWS
from rai_widgets.views.groupings import open_finding

if TYPE_CHECKING:
    from rai_widgets.widgets.dashboard import Dashboard

__all__ = ["follow_finding", "follow_slice", "set_if_changed", "slice_of_group", "tab_view_name"]


def follow_finding(board: Dashboard, i: int) -> int | None:
    """Open the evidence of the audit's finding ``i``: its slice, metric, reference group, case
    and feature, as :func:`~rai_widgets.views.groupings.open_finding` decides.

    Parameters
    ----------
    board : Dashboard
        The board whose audit tab was clicked.
    i : int
        The finding's row in the audit's frame (-1: none).

    Returns
    -------
    int or None
        The tab to open (its index), or None to stay.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
    ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
    >>> follow_finding(rw.Dashboard(s), -1) is None
    True
    """
    finding = board.audit.finding(i)
    if finding is None:
        return None
    audit = board.audit.audit
    alpha = audit.alpha if audit is not None else 0.05
    opening = open_finding(
        board.session, finding, metrics=headline_metrics(board.session), alpha=alpha
    )
    if opening.slice is not None:
        board.selected_slice = opening.slice
    fairness = board.fairness
    if opening.metric is not None:
        fairness.metric = opening.metric
    if opening.reference_for is not None and fairness.by == opening.reference_for:
        fairness.reference = opening.reference
    if opening.row is not None:  # the case whose counterfactuals are the evidence
        board.selected_row = opening.row
    if opening.feature is not None:  # a proxy or a leak: the feature itself, by group
        board.explanation.show_feature(opening.feature, color_by=opening.color_by)
    return VIEWS.index(opening.view) if opening.view in VIEWS else None


def slice_of_group(label: Any, by: Any) -> dict[Any, Any] | None:
    """The slice (``{column: value}``) of a group the fairness view picked.

    Parameters
    ----------
    label : object
        The group's label (a tuple for intersections), or None.
    by : str or list of str
        The fairness view's grouping.

    Returns
    -------
    dict or None

    Examples
    --------
    >>> slice_of_group(("Female", "Black"), ["sex", "race"])
    {'sex': 'Female', 'race': 'Black'}
    >>> slice_of_group(None, "sex") is None
    True
    """
    if label is None:
        return None
    columns = by if isinstance(by, list) else [by]
    values = label if isinstance(label, tuple) else (label,)
    return dict(zip(columns, values, strict=True))


def tab_view_name(tab: int | str) -> str:
    """The view name of a Dashboard tab given by its place, its view's name or its title.

    Parameters
    ----------
    tab : int or str
        The tab's place (0 is the first), its view's name ("audit") or its title.

    Returns
    -------
    str

    Raises
    ------
    ValidationError
        No such tab (the message lists them).

    Examples
    --------
    >>> tab_view_name(0), tab_view_name("fairness")
    ('audit', 'fairness')
    """
    if isinstance(tab, int) and not isinstance(tab, bool) and 0 <= tab < len(VIEWS):
        return VIEWS[tab]
    if tab in VIEWS:
        return str(tab)
    if tab in TABS:
        return VIEWS[list(TABS).index(str(tab))]
    raise ValidationError(
        f"tab must be a tab's place (0 to {len(VIEWS) - 1}), its view {list(VIEWS)} or its "
        f"title {list(TABS)}; got {tab!r}."
    )


def set_if_changed(view: Any, name: str, value: Any) -> None:
    """Set a view's trait only when it changes (setting it again would redraw the view).

    Parameters
    ----------
    view : widget
        The view.
    name : str
        The trait.
    value : object
        Its new value.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> box = widgets.Text("a")
    >>> set_if_changed(box, "value", "b")
    >>> box.value
    'b'
    """
    if getattr(view, name) != value:
        setattr(view, name, value)


def follow_slice(board: Dashboard, slice_: dict[Any, Any] | None) -> None:
    """Make every view of a built board follow ``slice_`` (what each view follows is decided by
    the board's view model, as the static picture's is).

    Parameters
    ----------
    board : Dashboard
        The board whose ``selected_slice`` changed.
    slice_ : dict or None
        The new slice (None: all rows).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
    ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
    >>> board = rw.Dashboard(s)
    >>> board.selected_slice = {"large": True}   # calls follow_slice
    >>> board.fairness.by, board.fairness.selected_slice
    ('large', True)
    """
    following = board.view_model().following
    set_if_changed(board.examples, "slice", following.examples_slice)
    fairness = board.fairness
    fairness.show_spot(slice_)  # "Follow a blind spot" names it when it is one
    if slice_ is None:
        set_if_changed(fairness, "selected_slice", None)
        return
    if following.fairness_by is not None:
        if fairness.intersections or fairness.by != following.fairness_by:
            fairness.intersections = False
            fairness.by = following.fairness_by
        set_if_changed(fairness, "selected_slice", following.fairness_group)
    if following.explanation_slice_by is not None:
        set_if_changed(board.explanation, "slice_by", following.explanation_slice_by)
    if following.uncertainty_by is not None:
        set_if_changed(board.uncertainty, "by", following.uncertainty_by)
