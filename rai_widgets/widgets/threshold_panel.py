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

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.display.fairness import RATE_NAMES, RATE_SHORT, ThresholdDisplay, group_label

__all__ = ["MAX_SLIDERS", "ThresholdPanel"]

MAX_SLIDERS = 12  # more groups than this: choose a coarser grouping
FEW_CASES = 30  # a rate measured on fewer rows than this is greyed out as unreliable

_RATE_CHOICES = [
    ("share selected (demographic parity)", "selection_rate"),
    ("true positive rate (equal opportunity)", "tpr"),
    ("false positive rate", "fpr"),
]


def _pct(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.1%}"


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
    """

    by = traitlets.Any(None, allow_none=True)
    thresholds = traitlets.Dict()
    rate = traitlets.Unicode("selection_rate")

    def __init__(self, session: Any, *, by: Any, rate: str = "selection_rate") -> None:
        if session.task_ != "binary":
            raise ValidationError("Per-group thresholds apply to binary tasks.")
        self.session = session
        self._sliders: dict[Any, widgets.FloatSlider] = {}
        self._syncing = False
        self.counts_ = pd.DataFrame()
        self._rate_picker = widgets.Dropdown(
            options=_RATE_CHOICES, description="Compare", layout={"width": "380px"}
        )
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
                widgets.HBox([self._rate_picker, self._equalize_button, self._reset_button]),
                widgets.HBox([self._slider_box, self._chart]),
                self._table,
            ]
        )
        self.add_class("rai-threshold-panel")
        self._rate_picker.observe(lambda c: setattr(self, "rate", c["new"]), names="value")
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
        table = self.session.equalizing_thresholds(self.by, rate=self.rate)
        chosen = {k: float(v) for k, v in table["threshold"].items() if np.isfinite(v)}
        self.thresholds = {**{k: 0.5 for k in self.thresholds}, **chosen}

    def reset(self) -> None:
        """One threshold of 0.5 for every group."""
        self.thresholds = {k: 0.5 for k in self.thresholds}

    @traitlets.observe("by")
    def _by_changed(self, change: dict) -> None:
        try:
            labels = list(self.session.slices(self.by).labels)
        except RaiWidgetsError as err:
            self._error(err)
            return
        self._sliders = {}
        if len(labels) <= MAX_SLIDERS:
            for label in labels:
                slider = widgets.FloatSlider(
                    value=0.5,
                    min=0.0,
                    max=1.0,
                    step=0.001,
                    readout_format=".3f",
                    continuous_update=False,
                    description=group_label(label),
                    style={"description_width": "140px"},
                    layout={"width": "340px"},
                )
                slider.add_class("rai-threshold")
                slider.observe(self._slider_moved(label), names="value")
                self._sliders[label] = slider
            self._slider_box.children = list(self._sliders.values())
        else:
            self._slider_box.children = [
                widgets.HTML(
                    f"{len(labels)} groups: too many for one slider each (at most "
                    f"{MAX_SLIDERS}); group by a column with fewer values."
                )
            ]
        self.thresholds = {label: 0.5 for label in labels}

    def _slider_moved(self, label: Any):
        def moved(change: dict) -> None:
            if not self._syncing:
                self.thresholds = {**self.thresholds, label: float(change["new"])}

        return moved

    @traitlets.observe("thresholds", "rate")
    def _changed(self, change: dict) -> None:
        if change["name"] == "rate" and self._rate_picker.value != change["new"]:
            self._rate_picker.value = change["new"]
        self._syncing = True
        try:
            for label, slider in self._sliders.items():
                slider.value = float(self.thresholds.get(label, 0.5))
        finally:
            self._syncing = False
        self._render()

    def _error(self, err: Exception) -> None:
        self._table.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
        self._chart.value = ""

    def _render(self) -> None:
        if not self.thresholds or self.by is None:
            return
        s = self.session
        try:
            counts = s.confusion_at_thresholds(self.by, self.thresholds)
            uniform = s.confusion_at_thresholds(self.by, 0.5)
            self.threshold_display = ThresholdDisplay(
                s.threshold_tradeoffs(self.by), counts, rate=self.rate
            )
        except RaiWidgetsError as err:
            self._error(err)
            return
        spread = counts[self.rate].max() - counts[self.rate].min()
        counts["gap"] = counts[self.rate] - s.confusion_at_thresholds(None, 0.5)[self.rate].iloc[0]
        self.counts_ = counts
        self._chart.value = self.threshold_display.to_svg()
        self._table.value = self._table_html(counts, uniform, spread)

    def _table_html(self, counts: pd.DataFrame, uniform: pd.DataFrame, spread: float) -> str:
        positive = self.session.class_description(self.session.pos_label_)
        measured_on = {
            "selection_rate": counts["n"],
            "tpr": counts["tp"] + counts["fn"],
            "fpr": counts["fp"] + counts["tn"],
        }[self.rate]
        few = measured_on < FEW_CASES
        rows = []
        for label, row in counts.iterrows():
            css = ' class="rai-low"' if few[label] else ""
            note = f" ({int(measured_on[label])} cases)" if few[label] else ""
            cells = [
                row["threshold"],
                row["n"],
                row["tp"] + row["fp"],
                *row[["tp", "fp", "fn", "tn"]],
            ]
            rows.append(
                f"<tr{css}><td>{html.escape(group_label(label))}{note}</td>"
                f"<td>{cells[0]:.3f}</td>"
                + "".join(f"<td>{int(c):,}</td>" for c in cells[1:])
                + f"<td><b>{_pct(row[self.rate])}</b></td><td>{_pct(row['accuracy'])}</td></tr>"
            )
        total = counts[["n", "tp", "tn"]].sum()
        accuracy = (total["tp"] + total["tn"]) / total["n"]
        before = uniform[["n", "tp", "tn"]].sum()
        accuracy_before = (before["tp"] + before["tn"]) / before["n"]
        return (
            '<div class="rai-fair rai-compact"><table><tr><th>group</th><th>threshold</th>'
            "<th>rows</th>"
            "<th>selected</th><th>right picks<br>(TP)</th><th>wrong picks<br>(FP)</th>"
            "<th>missed<br>(FN)</th><th>right passes<br>(TN)</th>"
            f"<th>{html.escape(RATE_SHORT[self.rate])}</th><th>accuracy</th></tr>{''.join(rows)}"
            "</table>"
            f'<div class="rai-note">Selected = the model predicts {html.escape(positive)}. '
            f"The {html.escape(RATE_NAMES[self.rate])} differs by "
            f"{spread * 100:.1f} points between groups. At these thresholds the model is right "
            f"for {accuracy:.1%} of rows ({accuracy_before:.1%} with 0.5 for everybody). "
            "Equalising one rate moves the others: which to equalise is a policy decision, "
            f"not a technical one. Grey rows: the rate rests on fewer than {FEW_CASES} cases "
            "(the number in brackets)."
            "</div></div>"
        )

    def static_html(self) -> str:
        """The current state as HTML (chart and table)."""
        return self._chart.value + self._table.value
