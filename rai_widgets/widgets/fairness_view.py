"""FairnessView: how the model does for each group, how far groups differ, and where it fails.

A slice-metrics table with n and 95% bounds (low-support slices marked, not hidden), a disparity
chart against a reference group with MOVER bounds, the blind spots found by ``weak_slices``
(Benjamini-Hochberg controlled), and for binary tasks a threshold per group with the thresholds
that equalise a chosen rate. State in traitlets: ``by``, ``metric``,
``intersections``, ``selected_slice``. The HTML comes from :mod:`rai_widgets.static_html.fairness`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> view = rw.FairnessView(s)
>>> view.by, view.metric
('large', 'accuracy')
>>> view.grouping(), view.group_columns
('large', ['large'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets import formatting, formatting_metrics
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.display.fairness import DisparityDisplay
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import fairness as static
from rai_widgets.static_html.page import error_box, safe, style_tag
from rai_widgets.views import fairness as fairness_model
from rai_widgets.views.fairness import BlindSpotsModel, GroupsModel
from rai_widgets.views.groupings import default_fairness_grouping, fairness_columns
from rai_widgets.views.thresholds import thresholds_apply
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property
from rai_widgets.widgets.progressive import ProgressiveView
from rai_widgets.widgets.threshold_panel import ThresholdPanel

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["FairnessView"]

MAX_SPOTS = fairness_model.MAX_SPOTS
OVERLAP = fairness_model.OVERLAP


class FairnessView(StaticFallbackMixin, ProgressiveView, widgets.VBox):
    """Per-group quality with bounds, disparities, and blind spots.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        Grouping column (default: the first sensitive feature).
    metric : str, optional
        Metric shown in the disparity chart (default "accuracy" or "mae").
    progressive : bool, "auto" or "later", default "auto"
        Show the view at once and fill it in while the model's answers are computed in the
        background ("auto": when predicting every row would keep you waiting). See
        :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": show the controls now and
        draw the panes when :meth:`fill_in` is called.

    Attributes
    ----------
    by, metric, intersections, selected_slice : traitlets
        The view's state; ``selected_slice`` is the label of the group other views follow
        (None, or one of the labels of the current grouping).
    selected_spot : traitlets.Any
        The ``{column: value}`` of the blind spot the user chose to follow (None: none).
    reference : traitlets.Any
        The group the disparity chart compares with (None: the largest group); back to None
        when the grouping changes. The Dashboard sets it to the most-selected group when a
        four-fifths finding is followed, so the chart shows the ratio's two groups.
    group_columns : list
        The columns the view can group by (the choices of ``by``).
    blind_spots : list of dict
        The ``{column: value}`` of each blind spot listed, strongest first.
    disparity_display : DisparityDisplay
        The data and chart behind the disparity chart.
    threshold_panel : ThresholdPanel or None
        Per-group decision thresholds (binary tasks with y), following ``by``.
    slice_picker, spot_picker : ipywidgets.Dropdown
        The "Follow group" and "Follow a blind spot" controls (picking one sets
        ``selected_slice`` / ``selected_spot``).
    table_html, chart_html, blind_spots_html : str
        What each pane shows now (read-only properties).
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    by = traitlets.Any(None, allow_none=True)
    metric = traitlets.Unicode("")
    reference = traitlets.Any(None, allow_none=True)
    intersections = traitlets.Bool(False)
    selected_slice = traitlets.Any(None, allow_none=True)
    selected_spot = traitlets.Any(None, allow_none=True)

    def __init__(
        self,
        session: ModelSession,
        *,
        by: Any = None,
        metric: str = "",
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        self.session = session
        choices = fairness_columns(session.core)
        if by is not None and by not in choices:
            session.core.column(by)  # an unknown column raises ColumnNotFoundError, naming it
            raise ValidationError(
                f"by={by!r} cannot group this view; choose one of {[str(c) for c in choices]}."
            )
        metrics = static.headline_metrics(session)
        if metric and metric not in metrics:
            raise ValidationError(f"metric={metric!r} is not shown here; choose from {metrics}.")
        self.group_columns = list(choices)
        self._by_picker = widgets.Dropdown(
            options=[(str(c), c) for c in choices], description="Group by"
        )
        self._metric_picker = widgets.Dropdown(
            options=[
                (formatting_metrics.metric_name(m), m) for m in static.headline_metrics(session)
            ],
            description="Metric",
        )
        self._intersections_box = widgets.Checkbox(
            description="Intersections with the next group column", indent=False
        )
        self.slice_picker = widgets.Dropdown(
            options=[("none", "")],  # the groups come with the model's answers
            value="",
            description="Follow group",
            style={"description_width": "initial"},
        )
        self.blind_spots: list[dict] = []
        self.spot_picker = widgets.Dropdown(
            options=[("none", -1)],
            description="Follow a blind spot",
            style={"description_width": "initial"},
            layout={"width": "560px"},
        )
        self.spot_picker.add_class("rai-spot-picker")
        self.spot_picker.layout.display = "none"  # shown when there are blind spots to follow
        self._naming_spot = False  # show_spot() names a spot: nothing to follow from it
        self.spot_picker.observe(
            lambda c: (
                None
                if self._naming_spot
                else setattr(
                    self, "selected_spot", None if c["new"] < 0 else self.blind_spots[c["new"]]
                )
            ),
            names="value",
        )
        self._table = html_pane("rai-fairness-table")
        self._chart = html_pane("rai-disparity")
        self._weak = html_pane("rai-weak-slices")
        controls = widgets.HBox([self._by_picker, self._metric_picker])
        super().__init__(
            [
                widgets.HTML(style_tag()),
                controls,
                widgets.HBox([self._intersections_box, self.slice_picker]),
                self._table,
                self._chart,
                self._weak,
                self.spot_picker,
            ]
        )
        self.threshold_panel: ThresholdPanel | None = None
        self.add_class("rai-view")
        self.add_class("rai-fairness-view")
        self._by_picker.observe(lambda c: setattr(self, "by", c["new"]), names="value")
        self._metric_picker.observe(lambda c: setattr(self, "metric", c["new"]), names="value")
        self._intersections_box.observe(
            lambda c: setattr(self, "intersections", c["new"]), names="value"
        )
        self.slice_picker.observe(
            lambda c: setattr(self, "selected_slice", None if c["new"] == "" else c["new"]),
            names="value",
        )
        with self.hold_trait_notifications():
            self.metric = metric or static.default_metric(session)
            self.by = by if by is not None else default_fairness_grouping(session.core)
        self.start_filling_in(
            [session],
            [self._render_groups, self._render_weak, self._add_threshold_panel],
            [self._table, self._weak],
            progressive=progressive,
            title="Fairness by group",
        )

    def grouping(self) -> Any:
        """The grouping shown now: ``by``, or ``[by, next column]`` with ``intersections``.

        Returns
        -------
        column name or list of column names
            What the labels of ``selected_slice`` are values of (a tuple of values for a
            list).
        """
        return static.grouping(
            self.by, intersections=self.intersections, choices=self.group_columns
        )

    @traitlets.validate("reference")
    def _check_reference(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is None or self.by is None or not self.draws_now():
            return value  # while computing: checked when the view fills in
        groups = list(self.session.slice_metrics(by=self.grouping(), metrics=[self.metric]).index)
        if value not in groups:
            raise traitlets.TraitError(
                f"reference must be None (the largest group) or a group of "
                f"{self.grouping()!r}: one of {groups}; got {value!r}."
            )
        return value

    @traitlets.observe("by", "metric", "intersections", "reference")
    def _changed(self, change: dict) -> None:
        if change["name"] in ("by", "intersections") and self.reference is not None:
            self.reference = None  # a group of the old grouping; renders once, below
        if change["name"] == "by" and self._by_picker.value != change["new"]:
            self._by_picker.value = change["new"]
        panel = getattr(self, "threshold_panel", None)
        if change["name"] == "by" and panel is not None and panel.by != change["new"]:
            panel.by = change["new"]
        if change["name"] == "metric" and self._metric_picker.value != change["new"]:
            self._metric_picker.value = change["new"]
        if change["name"] == "intersections" and self._intersections_box.value != change["new"]:
            self._intersections_box.value = change["new"]
        if self.metric and self.by is not None and self.draws_now():
            self._render()

    @traitlets.validate("selected_slice")
    def _check_selected_slice(self, proposal: dict) -> Any:
        value = proposal["value"]
        picker = getattr(self, "slice_picker", None)
        if value is None or picker is None or not self.draws_now():
            return value  # while computing: the groups are not known yet
        labels = [v for _, v in picker.options if v != ""]
        if value not in labels:
            raise traitlets.TraitError(
                f"selected_slice must be None or a group of {self.grouping()!r}: one of "
                f"{labels}; got {value!r}."
            )
        return value

    @traitlets.observe("selected_slice")
    def _selected_slice_changed(self, change: dict) -> None:
        value = "" if change["new"] is None else change["new"]
        if self.slice_picker.value != value:
            self.slice_picker.value = value

    def _render(self) -> None:
        try:
            model = GroupsModel.from_session(
                self.session, by=self.grouping(), metric=self.metric, reference=self.reference
            )
        except RaiWidgetsError as err:
            self._table.value = error_box(err)
            self._chart.value = ""
            return
        labels = [formatting.label(k) for k in model.groups]
        followed = self.selected_slice
        keep = followed is not None and followed in model.groups
        self.slice_picker.options = [("none", ""), *list(zip(labels, model.groups, strict=True))]
        self.slice_picker.value = followed if keep else ""  # shows "none", not a blank
        self._table.value = static.groups_table_html(
            model.table, by=model.grouping, metric=model.metric, unit=model.unit
        )
        self.disparity_display = DisparityDisplay(model.disparities, metric=model.metric)
        self._chart.value = self.disparity_display.to_svg()

    def _render_groups(self) -> None:
        if self.metric and self.by is not None:
            self._render()

    def _add_threshold_panel(self) -> None:
        s = self.session
        if self.threshold_panel is None and thresholds_apply(s) and self.by is not None:
            self.threshold_panel = ThresholdPanel(s, by=self.by)
            self.children = (*self.children, self.threshold_panel)

    def _render_weak(self) -> None:
        try:
            model = BlindSpotsModel.from_session(self.session)
        except RaiWidgetsError as err:
            self._weak.value = error_box(err)
            return
        self.blind_spots = model.slices
        self.spot_picker.options = [("none", -1)] + [
            (row["slice"], i) for i, row in enumerate(model.spots)
        ]
        self.spot_picker.layout.display = None if model.spots else "none"
        self._weak.value = safe(lambda: static.blind_spots_html(model))

    def show_spot(self, slice_: dict | None) -> None:
        """Name ``slice_`` in "Follow a blind spot" when it is one of the blind spots listed,
        and "none" otherwise (a slice followed from elsewhere, e.g. a clicked finding).

        Parameters
        ----------
        slice_ : dict or None
            The slice every view follows.
        """
        index = self.blind_spots.index(slice_) if slice_ in self.blind_spots else -1
        if self.spot_picker.value != index and index in dict(self.spot_picker.options).values():
            self._naming_spot = True
            try:
                self.spot_picker.value = index
            finally:
                self._naming_spot = False

    table_html = pane_property("_table", "The table of the metric per group (or the error box).")

    chart_html = pane_property("_chart", "The disparity chart (SVG).")

    blind_spots_html = pane_property("_weak", "The blind spots listed under the chart.")

    def static_body(self) -> str:
        """The current state as HTML, without the stylesheet (``static_html()`` adds it once);
        "still computing" before it is ready."""
        pending = self.computing_picture()
        if pending is not None:
            return pending
        panel = "" if self.threshold_panel is None else self.threshold_panel.static_html()
        return self._table.value + self._chart.value + self._weak.value + panel
