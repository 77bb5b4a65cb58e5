"""Dashboard: the four views together, linked by one selected slice and one selected row.

Click a row in the example browser and the explanation and uncertainty views read that case;
pick a group or a blind spot in the fairness view (or a slice in the browser) and the browser
shows its rows, the explanation compares that column's slices and the uncertainty view splits by
it (for a one-column slice). Everything
goes over the kernel's comms (ipywidgets / anywidget): no server, no port, no CDN. Presenter mode
enlarges the type, puts the plain-language summary first and hides technical columns.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> board = rw.Dashboard(s)
>>> board.selected_row = 7
>>> board.explanation.row, board.uncertainty.row
(7, 7)
>>> board.selected_slice = {"large": True}
>>> board.examples.n_rows == int(X["mean radius"].gt(15).sum())
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from rai_widgets.core.validation import check_fraction
from rai_widgets.session.core import check_session
from rai_widgets.static_html import dashboard as static
from rai_widgets.static_html.page import style_tag
from rai_widgets.widgets.example_browser import ExampleBrowser
from rai_widgets.widgets.explanation_view import ExplanationView
from rai_widgets.widgets.fairness_view import FairnessView
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import pane_property
from rai_widgets.widgets.uncertainty_view import UncertaintyView

__all__ = ["Dashboard"]

TABS = static.TABS


class Dashboard(StaticFallbackMixin, widgets.VBox):
    """Example browser, explanations, fairness and uncertainty for one session, linked.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    presenter : bool, default False
        Presenter mode for stakeholder meetings: larger type, plain-language summary first,
        technical columns (raw scores, q-values) hidden.
    confidence_level : float, default 0.9
        The coverage promised by the uncertainty view's prediction sets or intervals.

    Attributes
    ----------
    selected_row : traitlets.Any
        The label (in X's index) of the case every view shows; ``None``: none chosen.
    selected_slice : traitlets.Any
        ``{column: value}`` of the group every view follows; ``None``: all rows.
    presenter : traitlets.Bool
        Presenter mode, switchable at any time.
    examples, explanation, fairness, uncertainty : widgets
        The four linked views (an ``ExampleBrowser``, ``ExplanationView``, ``FairnessView``
        and ``UncertaintyView``).
    summary : str
        The plain-language summary at the top (read-only).
    summary_html, following_html : str
        The summary box and the "Every view follows" line, as HTML (read-only properties).
    """

    selected_row = traitlets.Any(None, allow_none=True)
    selected_slice = traitlets.Any(None, allow_none=True)
    presenter = traitlets.Bool(False)
    summary = traitlets.Unicode("", read_only=True)

    def __init__(
        self, session: Any, *, presenter: bool = False, confidence_level: float = 0.9
    ) -> None:
        check_session(session)
        check_fraction(confidence_level, argument="confidence_level")
        self.session = session
        with session.consistent():  # one check of the model's state for the whole render
            self.examples = ExampleBrowser(session)
            self.explanation = ExplanationView(session)
            self.fairness = FairnessView(session)
            self.uncertainty = UncertaintyView(session, confidence_level=confidence_level)
        self._summary = widgets.HTML()
        self._summary.add_class("rai-dashboard-summary-box")
        self._following = widgets.HTML()
        self._following.add_class("rai-dashboard-following")
        self._clear = widgets.Button(description="Show all rows", layout={"width": "150px"})
        self._clear.add_class("rai-dashboard-clear")
        self._presenter_box = widgets.Checkbox(description="Presenter mode", indent=False)
        self._presenter_box.add_class("rai-presenter-toggle")
        self._tabs = widgets.Tab(
            children=[self.examples, self.explanation, self.fairness, self.uncertainty]
        )
        for i, title in enumerate(TABS):
            self._tabs.set_title(i, title)
        self._tabs.add_class("rai-dashboard-tabs")
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._summary,
                widgets.HBox([self._following, self._clear, self._presenter_box]),
                self._tabs,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-dashboard")

        # one selected row: the browser's click, or a row typed in the explanation view
        self.examples.observe(self._row_from_view, names="selected_row")
        self.explanation.observe(self._row_from_view, names="row")
        # one selected slice: a group picked in the fairness view, or a slice in the browser
        self.fairness.observe(self._slice_from_fairness, names="selected_slice")
        self.fairness.observe(
            lambda c: setattr(self, "selected_slice", c["new"]), names="selected_spot"
        )
        self.examples.observe(self._slice_from_browser, names="slice")
        self._clear.on_click(lambda _: self.clear_slice())
        self._presenter_box.observe(lambda c: setattr(self, "presenter", c["new"]), names="value")
        self.set_trait("summary", self._summary_text())
        self.presenter = presenter
        self._render_header()

    # -- links ---------------------------------------------------------------------------------
    def _row_from_view(self, change: dict) -> None:
        if change["new"] is not None:
            self.selected_row = change["new"]

    def _slice_from_fairness(self, change: dict) -> None:
        label, by = change["new"], self.fairness.grouping()
        if label is None:
            self.selected_slice = None
            return
        columns = by if isinstance(by, list) else [by]
        values = label if isinstance(label, tuple) else (label,)
        self.selected_slice = dict(zip(columns, values, strict=True))

    def _slice_from_browser(self, change: dict) -> None:
        if change["new"] is None or isinstance(change["new"], dict):
            self.selected_slice = change["new"] or None

    @traitlets.validate("selected_slice")
    def _check_slice(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is not None and not isinstance(value, dict):
            raise traitlets.TraitError(
                f"selected_slice must be None or a dict such as {{'sex': 'Female'}}; got {value!r}."
            )
        return value or None

    @traitlets.observe("selected_row")
    def _row_changed(self, change: dict) -> None:
        row = change["new"]
        if row is None:
            return
        self.session.positions_of([row])  # an unknown label raises RowNotFoundError here
        if self.examples.selected_row != row:
            self.examples.selected_row = row
        if self.explanation.row != row:
            self.explanation.row = row
        if self.uncertainty.row != row:
            self.uncertainty.row = row
        self._render_header()

    @traitlets.observe("selected_slice")
    def _slice_changed(self, change: dict) -> None:
        slice_ = change["new"]
        if self.examples.slice != slice_:
            self.examples.slice = slice_
        if slice_ is None:
            if self.fairness.selected_slice is not None:
                self.fairness.selected_slice = None
            self._render_header()
            return
        columns = list(slice_)
        values = tuple(slice_.values())
        if len(columns) == 1:
            column = columns[0]
            if self.fairness.intersections or self.fairness.by != column:
                if column in self.fairness.group_columns:
                    self.fairness.intersections = False
                    self.fairness.by = column
            if self.fairness.by == column and self.fairness.selected_slice != values[0]:
                self.fairness.selected_slice = values[0]
            if self.explanation.slice_by != column:
                self.explanation.slice_by = column
            if self.uncertainty.by != column:
                self.uncertainty.by = column
        self._render_header()

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        if change["new"]:
            self.add_class("rai-presenter")
        else:
            self.remove_class("rai-presenter")
        self._presenter_box.value = change["new"]
        self.examples.presenter = change["new"]

    def clear_slice(self) -> None:
        """Follow all rows again (the "Show all rows" button)."""
        self.selected_slice = None

    # -- header ----------------------------------------------------------------------------------
    def _summary_text(self) -> str:
        return static.summary_text(self.session, by=self.fairness.by)

    def _render_header(self) -> None:
        self._summary.value = static.summary_html(self.summary)
        self._following.value = static.following_html(
            self.selected_slice, self.examples.n_rows, self.selected_row
        )
        self._clear.disabled = self.selected_slice is None

    summary_html = pane_property("_summary", "The summary box at the top, as HTML.")

    following_html = pane_property(
        "_following", "The line saying what every view follows (slice, rows, case), as HTML."
    )

    # -- sharing -------------------------------------------------------------------------------
    def static_html(self) -> str:
        """The dashboard's current state as self-contained HTML (no script, no external URL)."""
        views = (self.examples, self.explanation, self.fairness, self.uncertainty)
        return static.page_html(
            self._summary.value,
            self._following.value,
            [view.static_html() for view in views],
            presenter=self.presenter,
        )

    def to_html(self, path: str | Path, **kwargs: Any) -> Any:
        """Write a self-contained offline HTML file of this session (see
        ``ModelSession.to_html``); the grouping of the fairness view and presenter mode carry
        over unless given."""
        kwargs.setdefault("presenter", self.presenter)
        kwargs.setdefault("by", self.fairness.by)
        return self.session.to_html(path, **kwargs)
