"""ThresholdPanel: move a decision threshold per group and watch each group's confusion counts.

Part of the FairnessView for binary tasks, usable on its own. One slider per group; a rate
picker with a button that sets the thresholds equalising that rate across groups (exactly, from
every distinct score); a table of confusion counts per group and the accuracy cost of the
choice against one threshold of 0.5 for everybody. State in traitlets: ``by``, ``thresholds``,
``rate``.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.widgets.threshold_panel import ThresholdPanel
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> panel = ThresholdPanel(s, by="large")
>>> panel.thresholds = {True: 0.3, False: 0.5}
>>> int(panel.counts_.loc[True, "threshold"] * 10)
3
>>> panel.equalize("selection_rate")
>>> bool(panel.counts_["gap"].abs().max() < 0.01)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rai_widgets import formatting
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.static_html import threshold as static
from rai_widgets.static_html.page import error_box
from rai_widgets.views.thresholds import ThresholdModel, equalized_thresholds
from rai_widgets.widgets.panes import pane_property

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["MAX_SLIDERS", "ThresholdPanel"]

MAX_SLIDERS = static.MAX_SLIDERS
FEW_CASES = static.FEW_CASES


class ThresholdPanel(widgets.VBox):
    """Per-group decision thresholds for a binary model, with the trade-offs in plain view.

    Parameters
    ----------
    session : ModelSession
        A binary task with ``y``.
    by : column name
        The groups (at most ``MAX_SLIDERS``).
    rate : {"selection_rate", "tpr", "fpr"}, default "selection_rate"
        The rate compared across groups (and equalised by :meth:`equalize`).

    Attributes
    ----------
    by, thresholds, rate : traitlets
        ``thresholds`` maps each group label to its threshold on the probability of the
        positive class (a row is selected when its probability is at least that).
    counts_ : pandas.DataFrame
        Confusion counts and rates per group at the current thresholds.
    threshold_display : ThresholdDisplay
        The data and chart behind the curves.
    sliders : dict
        One ``ipywidgets.FloatSlider`` per group label (empty for more than ``MAX_SLIDERS``
        groups); moving one sets that group's threshold.
    rate_picker : ipywidgets.Dropdown
        The "Compare" control of ``rate``.
    table_html, slider_note : str
        The table of counts, and what the panel says instead of sliders (read-only).
    """

    by = traitlets.Any(None, allow_none=True)
    thresholds = traitlets.Dict()
    rate = traitlets.Unicode("selection_rate")

    def __init__(self, session: ModelSession, *, by: Any, rate: str = "selection_rate") -> None:
        if session.task_ != "binary":
            raise ValidationError("Per-group thresholds apply to binary tasks.")
        self.session = session
        self.sliders: dict[Any, widgets.FloatSlider] = {}
        self._syncing = False
        self.counts_ = pd.DataFrame()
        self.rate_picker = widgets.Dropdown(
            options=static.RATE_CHOICES, description="Compare", layout={"width": "auto"}
        )
        self.rate_picker.add_class("rai-rate-picker")  # as wide as its longest choice
        self._equalize_button = widgets.Button(
            description="Equalise it across groups", layout={"width": "220px"}
        )
        self._reset_button = widgets.Button(
            description="Back to 0.5 for all", layout={"width": "180px"}
        )
        self._equalize_button.add_class("rai-equalize")
        self._reset_button.add_class("rai-reset-thresholds")
        self._slider_box = widgets.VBox(layout={"min_width": "350px"})
        self._slider_box.add_class("rai-threshold-sliders")
        self._table = widgets.HTML()
        self._table.add_class("rai-threshold-table")
        self._chart = widgets.HTML()
        self._chart.add_class("rai-threshold-chart")
        super().__init__(
            [
                widgets.HTML(
                    "<b>Decision thresholds per group</b> — drag a slider to change who the "
                    "model selects in that group."
                ),
                widgets.HBox([self.rate_picker, self._equalize_button, self._reset_button]),
                widgets.HBox([self._slider_box, self._chart]),
                self._table,
            ]
        )
        self.add_class("rai-threshold-panel")
        self.rate_picker.observe(lambda c: setattr(self, "rate", c["new"]), names="value")
        self._equalize_button.on_click(lambda _: self.equalize())
        self._reset_button.on_click(lambda _: self.reset())
        with self.hold_trait_notifications():
            self.rate = rate
            self.by = by

    def equalize(self, rate: str | None = None) -> None:
        """Set every group's threshold to the one that brings ``rate`` closest to the overall
        rate at 0.5."""
        if rate is not None:
            self.rate = rate
        self.thresholds = equalized_thresholds(self.session, self.by, self.rate, self.thresholds)

    def reset(self) -> None:
        """One threshold of 0.5 for every group."""
        self.thresholds = {k: 0.5 for k in self.thresholds}

    @traitlets.observe("by")
    def _by_changed(self, change: dict) -> None:
        try:
            labels = list(self.session.core.slices(self.by).labels)
        except RaiWidgetsError as err:
            self._error(err)
            return
        self.sliders = {}
        if len(labels) <= MAX_SLIDERS:
            for label in labels:
                slider = widgets.FloatSlider(
                    value=0.5,
                    min=0.0,
                    max=1.0,
                    step=0.001,
                    readout_format=".3f",
                    continuous_update=False,
                    description=formatting.label(label),
                    style={"description_width": "140px"},
                    layout={"width": "340px"},
                )
                slider.add_class("rai-threshold")
                slider.observe(self._slider_moved(label), names="value")
                self.sliders[label] = slider
            self._slider_box.children = list(self.sliders.values())
        else:
            self._slider_box.children = [widgets.HTML(static.too_many_groups_html(len(labels)))]
        self.thresholds = {label: 0.5 for label in labels}

    def _slider_moved(self, label: Any):
        def moved(change: dict) -> None:
            if not self._syncing:
                self.thresholds = {**self.thresholds, label: float(change["new"])}

        return moved

    @traitlets.observe("thresholds", "rate")
    def _changed(self, change: dict) -> None:
        if change["name"] == "rate" and self.rate_picker.value != change["new"]:
            self.rate_picker.value = change["new"]
        self._syncing = True
        try:
            for label, slider in self.sliders.items():
                slider.value = float(self.thresholds.get(label, 0.5))
        finally:
            self._syncing = False
        self._render()

    def _error(self, err: Exception) -> None:
        self._table.value = error_box(err)
        self._chart.value = ""

    def _render(self) -> None:
        if not self.thresholds or self.by is None:
            return
        s = self.session
        try:
            model = ThresholdModel.from_session(s, self.by, self.thresholds, rate=self.rate)
        except RaiWidgetsError as err:
            self._error(err)
            return
        self.model = model
        self.threshold_display = display = static.chart(model)
        self.counts_ = model.counts
        self._chart.value = display.to_svg()
        self._table.value = static.table_html(s, model.counts, model.uniform, rate=self.rate)

    table_html = pane_property(
        "_table", "The table of confusion counts per group (or the error box)."
    )

    @property
    def slider_note(self) -> str:
        """What the panel says instead of sliders ("" when every group has its slider)."""
        if self.sliders:
            return ""
        return "".join(getattr(w, "value", "") for w in self._slider_box.children)

    def static_html(self) -> str:
        """The current state as HTML (chart and table)."""
        return self._chart.value + self._table.value
