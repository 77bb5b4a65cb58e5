"""UncertaintyView: how far to trust the model's numbers, per slice and for one case.

A reliability diagram per slice (what the model said against what happened, with bounds), the
conformal coverage per group against the promise, and for the selected case a non-definitive
reading: frequency framing ("of 100 cases like this ..."), the prediction set read as "could be
A or B", the top classes with their scores, or for regression an interval and a quantile dotplot.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.UncertaintyView(s, row=3)
>>> "Of 100 cases" in view.reading
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from rai_widgets.compute.explain_text import format_value, percent
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.display.svg import COLORS, bar_chart
from rai_widgets.display.uncertainty import CoverageDisplay, ReliabilityDisplay
from rai_widgets.widgets.fallback import StaticFallbackMixin

__all__ = ["UncertaintyView"]

_STYLE = """<style>
.rai-unc { font: 14px system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 880px; }
.rai-unc .rai-reading { font-size: 16px; line-height: 1.5; padding: 10px 14px;
  background: #f6f8fa; border-left: 4px solid #0072b2; border-radius: 4px; }
.rai-error { color: #8a1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
</style>"""


def _dotplot(values: np.ndarray, *, title: str, width: int = 640) -> str:
    """A quantile dotplot: 20 dots, each one in 20 equally likely outcomes."""
    from rai_widgets.display.svg import _e, _frame, _Scale, nice_ticks

    left, right, base = 30, width - 30, 120
    scale = _Scale(float(values.min()), float(values.max()), left, right)
    body = []
    stacks: dict[int, int] = {}
    for v in values:
        column = round((scale(v) - left) / 12)
        level = stacks.get(column, 0)
        stacks[column] = level + 1
        x = left + column * 12
        body.append(
            f'<circle cx="{x:.1f}" cy="{base - 6 - level * 12}" r="5" '
            f'fill="{COLORS["series"][0]}"><title>{_e(format_value(v))}</title></circle>'
        )
    for t in nice_ticks(scale.lo, scale.hi, 5):
        body.append(
            f'<text x="{scale(t):.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="11" fill="{COLORS["muted"]}">{_e(format_value(t))}</text>'
        )
    body.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#999"/>')
    return _frame(
        width,
        base + 30,
        body,
        title,
        "Each dot is one of 20 equally likely outcomes for this case.",
    )


class UncertaintyView(StaticFallbackMixin, widgets.VBox):
    """Calibration per slice, conformal coverage per group, and one case read honestly.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case read at the bottom (default: the first row).
    by : column name, optional
        Slices of the reliability diagram and coverage chart (default: the first sensitive
        feature).
    confidence_level : float, default 0.9
        The coverage promised by the prediction sets or intervals.

    Attributes
    ----------
    row, by, confidence_level : traitlets
        The view's state.
    reading : str
        The plain-language reading of the case (read-only).
    reliability_display : ReliabilityDisplay or None
        The data and chart behind the reliability diagram (None for regression).
    coverage_display : CoverageDisplay or None
        The data and chart behind the coverage chart.
    """

    row = traitlets.Any(None, allow_none=True)
    by = traitlets.Any(None, allow_none=True)
    confidence_level = traitlets.Float(0.9)
    reading = traitlets.Unicode("", read_only=True)

    def __init__(
        self, session: Any, *, row: Any = None, by: Any = None, confidence_level: float = 0.9
    ) -> None:
        self.session = session
        self._reliability = widgets.HTML()
        self._coverage = widgets.HTML()
        self._case = widgets.HTML()
        for w, css in (
            (self._reliability, "rai-reliability"),
            (self._coverage, "rai-coverage"),
            (self._case, "rai-case-uncertainty"),
        ):
            w.add_class(css)
        super().__init__(
            [
                widgets.HTML(_STYLE),
                self._case,
                # side by side where there is room, one under the other where there is not
                widgets.HBox([self._reliability, self._coverage], layout={"flex_flow": "row wrap"}),
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-uncertainty-view")
        sensitive = list(session.sensitive_features_)
        with self.hold_trait_notifications():
            self.confidence_level = confidence_level
            self.by = by if by is not None else (sensitive[0] if sensitive else None)
            self.row = session.X.index[0] if row is None else row
        self._render_global()
        self._render_case()

    @traitlets.observe("row")
    def _row_changed(self, change: dict) -> None:
        if getattr(self, "_case", None) is not None:
            self._render_case()

    @traitlets.observe("by", "confidence_level")
    def _global_changed(self, change: dict) -> None:
        if getattr(self, "_case", None) is not None:
            self._conformal = None
            self._render_global()
            self._render_case()

    def _conformal_result(self):
        if getattr(self, "_conformal", None) is None:
            self._conformal = self.session.conformal(
                confidence_level=self.confidence_level, calibration=0.5
            )
        return self._conformal

    def _render_global(self) -> None:
        s = self.session
        try:
            self.coverage_display = CoverageDisplay.from_conformal(
                self._conformal_result(), self.by
            )
            self._coverage.value = self.coverage_display.to_svg()
        except RaiWidgetsError as err:
            self.coverage_display = None
            self._coverage.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
        self.reliability_display = None
        if s.task_ == "regression":
            self._reliability.value = ""
            return
        try:
            self.reliability_display = ReliabilityDisplay.from_session(s, self.by, n_bins=8)
            self._reliability.value = self.reliability_display.to_svg()
        except RaiWidgetsError as err:
            self._reliability.value = f'<div class="rai-error">{html.escape(str(err))}</div>'

    def _render_case(self) -> None:
        try:
            text, extra = self._case_reading(self.row)
        except RaiWidgetsError as err:
            self._case.value = f'<div class="rai-error">{html.escape(str(err))}</div>'
            return
        self.set_trait("reading", text)
        self._case.value = (
            f'<div class="rai-unc"><div class="rai-reading">{html.escape(text)}</div>{extra}</div>'
        )

    def _case_reading(self, row: Any) -> tuple[str, str]:
        s = self.session
        position = s._positions_of([row])[0]
        preds = s.predictions().iloc[position]
        result = self._conformal_result()
        level = f"{self.confidence_level:.0%}"
        if s.task_ == "regression":
            residuals = np.abs(s.predictions()["residual"].dropna().to_numpy())
            q = result.thresholds.get("overall", np.quantile(residuals, self.confidence_level))
            lo, hi = preds["y_pred"] - q, preds["y_pred"] + q
            text = (
                f"The model's best guess is {format_value(preds['y_pred'])}, but for cases "
                f"like this the truth lands between {format_value(lo)} and "
                f"{format_value(hi)} {level} of the time."
            )
            errors = np.quantile(
                s.predictions()["residual"].dropna(), np.linspace(0.025, 0.975, 20)
            )
            return text, _dotplot(preds["y_pred"] + errors, title="Likely outcomes for this case")
        proba = {c: float(preds[f"proba_{c}"]) for c in s.classes_}
        top = sorted(proba.items(), key=lambda kv: -kv[1])
        label, p = top[0]
        out_of_100 = round(p * 100)
        sentences = [
            f"Of 100 cases the model scores like this one, about {out_of_100} would "
            f"be {s.class_description(label)} ({percent(p)} by the model's score)."
        ]
        threshold = result.thresholds.get("overall")
        if threshold is not None:
            in_set = [c for c, v in proba.items() if 1 - v <= threshold]
            described = " or ".join(s.class_description(c) for c in in_set) or "nothing certain"
            sentences.append(f"To be right {level} of the time, it could be {described}.")
        extra = ""
        if s.task_ == "multiclass":
            shown = top[:3]
            extra = bar_chart(
                [s.class_description(c) for c, _ in shown],
                [v for _, v in shown],
                title="The likeliest classes",
                fmt=lambda v: f"{v:.0%}",
                signed_colors=False,
                width=520,
            )
        return " ".join(sentences), extra

    def static_html(self) -> str:
        """The current state as self-contained HTML."""
        return _STYLE + self._case.value + self._reliability.value + self._coverage.value
