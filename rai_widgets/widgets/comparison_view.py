"""ComparisonView: two models on the same rows — where the new one is better, worse, different.

A plain-language summary (how often each is right, how many answers changed, how many errors
were fixed and how many new ones made), the paired difference per group with 95% bounds (a
chart and a table; low-support groups marked), and the rows where the two disagree, the most
confident disagreements first. State in traitlets: ``by`` and ``metric``.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> a = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, name="v1",
...                     sensitive_features=large)
>>> b = rw.ModelSession(LogisticRegression(C=0.001, max_iter=5000).fit(X, y), X, y, name="v2",
...                     sensitive_features=large)
>>> view = rw.ComparisonView(a, b)
>>> view.by, view.metric
('large', 'accuracy')
>>> "v2" in view.summary
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.session.comparison import check_comparable
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import comparison as static
from rai_widgets.static_html.page import error_box, safe, style_tag
from rai_widgets.views.comparison import ComparisonModel, DisagreementsModel
from rai_widgets.views.groupings import default_grouping
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property
from rai_widgets.widgets.progressive import ProgressiveView

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ComparisonView"]

COMPARABLE = static.COMPARABLE


class ComparisonView(StaticFallbackMixin, ProgressiveView, widgets.VBox):
    """Model A against model B on the same rows, overall, per group and row by row.

    Parameters
    ----------
    session_a, session_b : ModelSession
        The two models on the same X (and y); A is the reference (e.g. the model in use).
    by : column name, optional
        Groups of the table and chart (default: A's first sensitive feature).
    metric : str, optional
        "accuracy" (default for classification), "selection_rate" (binary) or "mae"
        (default for regression).
    presenter : bool, default False
        Presenter mode for stakeholder meetings: larger type, technical terms in plain words.
    progressive : bool, "auto" or "later", default "auto"
        Show the view at once and fill it in while the model's answers are computed in the
        background ("auto": when predicting every row would keep you waiting). See
        :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": show the controls now and
        draw the panes when :meth:`fill_in` is called.

    Attributes
    ----------
    by, metric, presenter : traitlets
        The view's state (``presenter`` also has its checkbox, "Presenter mode").
    summary : str
        The plain-language summary (read-only).
    table_ : pandas.DataFrame
        ``session_a.compare(session_b, by=by, metric=metric)``.
    groups_html, disagreements_html : str
        What those panes show now (read-only properties).
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    by = traitlets.Any(None, allow_none=True)
    metric = traitlets.Unicode("")
    presenter = traitlets.Bool(False)
    summary = traitlets.Unicode("", read_only=True)

    def __init__(
        self,
        session_a: ModelSession,
        session_b: ModelSession,
        *,
        by: Any = None,
        metric: str = "",
        presenter: bool = False,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session_a, argument="session_a")
        check_comparable(session_a.core, session_b)  # fail before drawing anything
        self.a, self.b = session_a, session_b
        sensitive = list(session_a.sensitive_features_)
        self._by_picker = widgets.Dropdown(
            options=[("all rows", None), *[(str(c), c) for c in sensitive]],
            description="Group by",
        )
        self._metric_picker = widgets.Dropdown(
            options=list(COMPARABLE[session_a.task_]), description="Compare"
        )
        self._summary = html_pane("rai-comparison-summary")
        self._groups = html_pane("rai-comparison-groups")
        self._rows = html_pane("rai-comparison-rows")
        self._presenter_box = widgets.Checkbox(description="Presenter mode", indent=False)
        self._presenter_box.add_class("rai-presenter-toggle")
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._summary,
                widgets.HBox([self._by_picker, self._metric_picker, self._presenter_box]),
                self._groups,
                self._rows,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-comparison-view")
        self._by_picker.observe(lambda c: setattr(self, "by", c["new"]), names="value")
        self._metric_picker.observe(lambda c: setattr(self, "metric", c["new"]), names="value")
        self._presenter_box.observe(lambda c: setattr(self, "presenter", c["new"]), names="value")
        self.presenter = presenter
        with self.hold_trait_notifications():
            self.metric = metric or COMPARABLE[session_a.task_][0]
            self.by = by if by is not None else default_grouping(session_a.core)
        self.start_filling_in(
            [session_a, session_b],
            [self._render, self._render_rows],
            [self._summary, self._groups, self._rows],
            progressive=progressive,
            title="Comparing two models",
        )

    @traitlets.observe("by", "metric")
    def _changed(self, change: dict) -> None:
        picker = self._by_picker if change["name"] == "by" else self._metric_picker
        if picker.value != change["new"]:
            if change["name"] == "by" and change["new"] not in [v for _, v in picker.options]:
                picker.options = [*picker.options, (str(change["new"]), change["new"])]
            picker.value = change["new"]
        if self.metric and self.draws_now():
            self._render()

    @traitlets.observe("presenter")
    def _presenter_changed(self, change: dict) -> None:
        if change["new"]:
            self.add_class("rai-presenter")
        else:
            self.remove_class("rai-presenter")
        self._presenter_box.value = change["new"]

    def _render(self) -> None:
        try:
            model = ComparisonModel.from_sessions(self.a, self.b, by=self.by, metric=self.metric)
        except RaiWidgetsError as err:
            self._groups.value = error_box(err)
            return
        self.model = model
        self.table_ = model.table
        self.set_trait("summary", static.summary_text(model))
        self._summary.value = static.summary_html(self.summary)
        self._groups.value = static.groups_html(model)

    def _render_rows(self) -> None:
        self._rows.value = safe(
            lambda: static.disagreements_html(
                DisagreementsModel.from_sessions(
                    self.a, self.b, n=static.N_DISAGREEMENTS, n_features=static.N_FEATURES
                )
            )
        )

    groups_html = pane_property(
        "_groups", "The chart and table of the difference per group (or the error box)."
    )

    disagreements_html = pane_property("_rows", "The rows where the two models disagree.")

    def static_body(self) -> str:
        """The current state as HTML, without the stylesheet (``static_html()`` adds it once),
        in presenter mode when it is on; "still computing" before it is ready."""
        body = self.computing_picture()
        if body is None:
            body = self._summary.value + self._groups.value + self._rows.value
        if self.presenter:
            body = f'<div class="rai-view rai-presenter">{body}</div>'
        return body
