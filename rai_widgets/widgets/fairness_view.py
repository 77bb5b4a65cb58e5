"""FairnessView: how the model does for each group, how far groups differ, and where it fails.

A slice-metrics table with n and 95% bounds (low-support slices marked, not hidden), a disparity
chart against a reference group with MOVER bounds, the blind spots found by ``weak_slices``
(Benjamini-Hochberg controlled), and for binary tasks a threshold per group with the thresholds
that equalise a chosen rate. State in traitlets: ``by``, ``metric``,
``intersections``, ``selected_slice``.

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
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from rai_widgets.compute.explain_text import format_value
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.display.fairness import DisparityDisplay, group_label
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.threshold_panel import ThresholdPanel

__all__ = ["FairnessView"]

MAX_SPOTS = 6  # blind spots listed in the view (all are in weak_slices())
CANDIDATES = 150  # strongest blind spots screened for repeats
OVERLAP = 0.8  # a blind spot sharing more of its rows with a listed one is the same finding

_STYLE = """<style>
.rai-fair { font: 13px system-ui, -apple-system, 'Segoe UI', sans-serif; }
.rai-fair table { border-collapse: collapse; margin: 6px 0; }
.rai-fair th, .rai-fair td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: right; }
.rai-fair th:first-child, .rai-fair td:first-child { text-align: left; }
.rai-fair td + td { white-space: nowrap; }
.rai-fair.rai-compact td:first-child { white-space: nowrap; }
.rai-fair.rai-compact th, .rai-fair.rai-compact td { padding: 3px 6px; }
.rai-fair .rai-note { max-width: 820px; }
.rai-fair tr.rai-low td { color: #888; font-style: italic; }
.rai-fair .rai-note { color: #666; font-size: 12px; }
.rai-error { color: #8a1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
</style>"""


def _fmt(value: float) -> str:
    return "–" if not np.isfinite(value) else f"{value:.2f}"


class FairnessView(StaticFallbackMixin, widgets.VBox):
    """Per-group quality with bounds, disparities, and blind spots.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        Grouping column (default: the first sensitive feature).
    metric : str, optional
        Metric shown in the disparity chart (default "accuracy" or "mae").

    Attributes
    ----------
    by, metric, intersections, selected_slice : traitlets
        The view's state; ``selected_slice`` is the label of the group other views follow.
    selected_spot : traitlets.Any
        The ``{column: value}`` of the blind spot the user chose to follow (None: none).
    disparity_display : DisparityDisplay
        The data and chart behind the disparity chart.
    threshold_panel : ThresholdPanel or None
        Per-group decision thresholds (binary tasks with y), following ``by``.
    """

    by = traitlets.Any(None, allow_none=True)
    metric = traitlets.Unicode("")
    intersections = traitlets.Bool(False)
    selected_slice = traitlets.Any(None, allow_none=True)
    selected_spot = traitlets.Any(None, allow_none=True)

    def __init__(self, session: Any, *, by: Any = None, metric: str = "") -> None:
        self.session = session
        sensitive = list(session.sensitive_features_)
        choices = sensitive or [c for c in session.X.columns if session.X[c].nunique() <= 20]
        self._by_picker = widgets.Dropdown(
            options=[(str(c), c) for c in choices], description="Group by"
        )
        names = session.metric_names()
        headline = [
            m
            for m in names
            if not m.startswith(("selection_rate_", "tpr_", "fpr_", "fnr_", "precision_"))
            or m.startswith("macro_")
        ]
        self._metric_picker = widgets.Dropdown(options=headline, description="Metric")
        self._intersections_box = widgets.Checkbox(
            description="Intersections with the next group column", indent=False
        )
        self._slice_picker = widgets.Dropdown(
            description="Follow group", style={"description_width": "initial"}
        )
        self._table = widgets.HTML()
        self._chart = widgets.HTML()
        self._weak = widgets.HTML()
        self._spots: list[dict] = []
        self._spot_picker = widgets.Dropdown(
            options=[("none", -1)],
            description="Follow a blind spot",
            style={"description_width": "initial"},
            layout={"width": "560px"},
        )
        self._spot_picker.add_class("rai-spot-picker")
        self._spot_picker.observe(
            lambda c: setattr(
                self, "selected_spot", None if c["new"] < 0 else self._spots[c["new"]]
            ),
            names="value",
        )
        for w, css in (
            (self._table, "rai-fairness-table"),
            (self._chart, "rai-disparity"),
            (self._weak, "rai-weak-slices"),
        ):
            w.add_class(css)
        controls = widgets.HBox([self._by_picker, self._metric_picker])
        super().__init__(
            [
                widgets.HTML(_STYLE),
                controls,
                widgets.HBox([self._intersections_box, self._slice_picker]),
                self._table,
                self._chart,
                self._weak,
                self._spot_picker,
            ]
        )
        self.threshold_panel = None
        if session.task_ == "binary" and session._y is not None and choices:
            self.threshold_panel = ThresholdPanel(session, by=by if by is not None else choices[0])
            self.children = (*self.children, self.threshold_panel)
        self.add_class("rai-view")
        self.add_class("rai-fairness-view")
        self._by_picker.observe(lambda c: setattr(self, "by", c["new"]), names="value")
        self._metric_picker.observe(lambda c: setattr(self, "metric", c["new"]), names="value")
        self._intersections_box.observe(
            lambda c: setattr(self, "intersections", c["new"]), names="value"
        )
        self._slice_picker.observe(
            lambda c: setattr(self, "selected_slice", None if c["new"] == "" else c["new"]),
            names="value",
        )
        with self.hold_trait_notifications():
            self.metric = metric or ("mae" if session.task_ == "regression" else "accuracy")
            self.by = by if by is not None else (choices[0] if choices else None)
        self._render()
        self._render_weak()

    def _grouping(self) -> Any:
        if not self.intersections:
            return self.by
        options = [o[1] for o in self._by_picker.options]
        others = [o for o in options if o != self.by]
        return [self.by, others[0]] if others else self.by

    @traitlets.observe("by", "metric", "intersections")
    def _changed(self, change: dict) -> None:
        if change["name"] == "by" and self._by_picker.value != change["new"]:
            self._by_picker.value = change["new"]
        panel = getattr(self, "threshold_panel", None)
        if change["name"] == "by" and panel is not None and panel.by != change["new"]:
            panel.by = change["new"]
        if change["name"] == "metric" and self._metric_picker.value != change["new"]:
            self._metric_picker.value = change["new"]
        if getattr(self, "_table", None) is not None and self.metric and self.by is not None:
            self._render()

    def _render(self) -> None:
        s = self.session
        try:
            by = self._grouping()
            table = s.slice_metrics(by=by, metrics=[self.metric])
            gaps = s.disparities(by, metric=self.metric)
        except RaiWidgetsError as err:
            self._table.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
            self._chart.value = ""
            return
        labels = [group_label(k) for k in table.index]
        followed = self.selected_slice
        self._slice_picker.options = [("none", ""), *list(zip(labels, table.index, strict=True))]
        keep = followed is not None and followed in list(table.index)
        self._slice_picker.value = followed if keep else ""  # shows "none", not a blank
        m = self.metric
        rows = []
        for label, (_, row) in zip(labels, table.iterrows(), strict=True):
            css = ' class="rai-low"' if row["low_support"] else ""
            note = " (few rows: read with care)" if row["low_support"] else ""
            rows.append(
                f"<tr{css}><td>{html.escape(label)}{note}</td><td>{int(row['n']):,}</td>"
                f"<td>{_fmt(row[m])}</td><td>{_fmt(row[m + '_lo'])} – {_fmt(row[m + '_hi'])}"
                "</td></tr>"
            )
        self._table.value = (
            f'<div class="rai-fair"><table><tr><th>{html.escape(str(by))}</th><th>rows</th>'
            f"<th>{html.escape(m)}</th><th>95% bounds</th></tr>{''.join(rows)}</table>"
            '<div class="rai-note">Bounds: Wilson for rates, bootstrap otherwise. Grey rows '
            "hold too few cases to say much.</div></div>"
        )
        self.disparity_display = DisparityDisplay(gaps, metric=m)
        self._chart.value = self.disparity_display.to_svg()

    def _distinct_spots(self, found: Any) -> tuple[list[dict], int]:
        """The strongest blind spots, leaving out any that shares more than ``OVERLAP`` of the
        smaller one's rows with an already listed one: "married" and "married & husband" are
        one finding."""
        kept: list[tuple[Any, np.ndarray]] = []
        hidden = 0
        for _, row in found.iterrows():
            mask = self.session._slice_mask(row["spec"])
            if any((mask & m).sum() / min(mask.sum(), m.sum()) > OVERLAP for _, m in kept):
                hidden += 1
                continue
            kept.append((row, mask))
            if len(kept) == MAX_SPOTS:
                break
        return [row for row, _ in kept], hidden

    def _render_weak(self) -> None:
        try:
            found = self.session.weak_slices(max_order=2)
        except RaiWidgetsError as err:
            self._weak.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
            return
        found = found[found["significant"]]
        n_found = len(found)
        spots, hidden = self._distinct_spots(found.head(CANDIDATES))
        self._spots = [dict(row["spec"]) for row in spots]
        self._spot_picker.options = [("none", -1)] + [
            (row["slice"], i) for i, row in enumerate(spots)
        ]
        self._spot_picker.layout.display = None if spots else "none"
        if not spots:
            self._weak.value = (
                '<div class="rai-fair"><b>Blind spots:</b> no slice of one or '
                "two columns does significantly worse (5% false discovery "
                "rate).</div>"
            )
            return
        regression = self.session.task_ == "regression"

        def level(v: float) -> str:
            return format_value(v) if regression else f"{v:.0%}"

        def gap(v: float) -> str:
            return f"{v:+,.3g}" if regression else f"{v * 100:+.0f} pts"

        rows = "".join(
            f"<tr><td>{html.escape(r['slice'])}</td><td>{int(r['n']):,}</td>"
            f"<td>{level(r['metric'])}</td><td>{level(r['rest'])}</td>"
            f"<td>{gap(r['gap'])} ({gap(r['gap_lo'])} to {gap(r['gap_hi'])})</td>"
            '<td class="rai-technical">'
            f"{'< 0.001' if r['q_value'] < 0.001 else format(r['q_value'], '.3f')}</td></tr>"
            for r in spots
        )
        metric = "mean absolute error" if regression else "error rate"
        more = n_found - len(spots)
        note = (
            f'<div class="rai-note">{n_found:,} slices are significantly worse; shown: the '
            f"strongest that do not repeat each other ({hidden:,} sharing more than "
            f"{OVERLAP:.0%} of their rows with a listed one left out, {more - hidden:,} weaker "
            "ones not shown; all are in <code>weak_slices()</code>).</div>"
            if more > 0
            else ""
        )
        self._weak.value = (
            '<div class="rai-fair"><b>Blind spots</b> — slices where the model does '
            f"significantly worse than on the rest ({metric}; Benjamini-Hochberg, 5% false "
            "discovery rate):<table><tr><th>slice</th><th>rows</th><th>in the slice</th>"
            "<th>elsewhere</th>"
            f'<th>gap (95%)</th><th class="rai-technical">q-value</th></tr>{rows}</table>'
            f"{note}</div>"
        )

    def static_html(self) -> str:
        """The current state as self-contained HTML."""
        panel = "" if self.threshold_panel is None else self.threshold_panel.static_html()
        return _STYLE + self._table.value + self._chart.value + self._weak.value + panel
