"""UncertaintyView: how far to trust the model's numbers, per slice and for one case.

A reliability diagram per slice (what the model said against what happened, with bounds), the
conformal coverage per group against the promise, and for the selected case a non-definitive
reading: frequency framing ("of 100 cases like this ..."), the prediction set read as "could be
A or B" (or why it is empty), the top classes with their scores, or for regression an interval
read as the method made it and a quantile dotplot marking the prediction and the interval.
Coverage per group is read against its promise with its bounds; every technical term has its
explanation on hover and its plain words in presenter mode.

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

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets.core.arguments import check_fraction
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import uncertainty as static
from rai_widgets.static_html.page import error_box, note_box, style_tag
from rai_widgets.views.groupings import default_grouping
from rai_widgets.views.scores import without_scores
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property
from rai_widgets.widgets.progressive import ProgressiveView

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["UncertaintyView"]


class UncertaintyView(StaticFallbackMixin, ProgressiveView, widgets.VBox):
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
    progressive : bool, "auto" or "later", default "auto"
        Show the view at once and fill it in while the model's answers are computed in the
        background ("auto": when predicting every row would keep you waiting). See
        :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": show the controls now and
        draw the panes when :meth:`fill_in` is called.

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
    case_html, reliability_html, coverage_html : str
        What each pane shows now (read-only properties).
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    row = traitlets.Any(None, allow_none=True)
    by = traitlets.Any(None, allow_none=True)
    confidence_level = traitlets.Float(0.9)
    reading = traitlets.Unicode("", read_only=True)

    def __init__(
        self,
        session: ModelSession,
        *,
        row: Any = None,
        by: Any = None,
        confidence_level: float = 0.9,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        check_fraction(confidence_level, argument="confidence_level")
        self.session = session
        self._reliability = html_pane("rai-reliability")
        self._coverage = html_pane("rai-coverage")
        self._case = html_pane("rai-case-uncertainty")
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._case,
                # side by side where there is room, one under the other where there is not
                widgets.HBox([self._reliability, self._coverage], layout={"flex_flow": "row wrap"}),
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-uncertainty-view")
        with self.hold_trait_notifications():
            self.confidence_level = confidence_level
            self.by = by if by is not None else default_grouping(session.core)
            self.row = session.X.index[0] if row is None else row
        self.start_filling_in(
            [session],
            # the case first (the conformal step it needs is shared with the coverage chart)
            [self._render_case, self._render_reliability, self._render_coverage],
            [self._case, self._reliability, self._coverage],
            progressive=progressive,
            title="Uncertainty",
        )

    @traitlets.observe("row")
    def _row_changed(self, change: dict) -> None:
        if self.draws_now():
            self._render_case()

    @traitlets.observe("by", "confidence_level")
    def _global_changed(self, change: dict) -> None:
        self._conformal = None
        if self.draws_now():
            self._render_coverage()
            self._render_reliability()
            self._render_case()

    def _conformal_result(self):
        if getattr(self, "_conformal", None) is None:
            self._conformal = self.session.conformal(
                confidence_level=self.confidence_level, calibration=0.5
            )
        return self._conformal

    def _labels_only(self) -> bool:
        """A model without scores: one note where the case would be, the charts left empty."""
        what = "how sure it is of each answer" + (
            " and the threshold chart" if self.session.task_ == "binary" else ""
        )
        note = without_scores(self.session, what)
        if note is None:
            return False
        self._case.value = note_box(note)
        self._reliability.value = self._coverage.value = ""
        self.coverage_display = self.reliability_display = None
        return True

    def _render_coverage(self) -> None:
        if self._labels_only():
            return
        try:
            self.coverage_display, self._coverage.value = static.coverage_pane(
                self._conformal_result(), self.by, unit=self.session.target_unit
            )
        except RaiWidgetsError as err:
            self.coverage_display = None
            self._coverage.value = error_box(err)

    def _render_reliability(self) -> None:
        if self._labels_only():
            return
        try:
            self.reliability_display, self._reliability.value = static.reliability_pane(
                self.session, self.by
            )
        except RaiWidgetsError as err:
            self.reliability_display = None
            self._reliability.value = error_box(err)

    def _render_case(self) -> None:
        if self._labels_only():
            return
        try:
            text, html = static.case_pane(
                self.session, self.row, conformal=self._conformal_result()
            )
        except RaiWidgetsError as err:
            self._case.value = error_box(err)
            return
        self.set_trait("reading", text)
        self._case.value = html

    case_html = pane_property(
        "_case", "The reading of the current case and its chart (or the error box)."
    )

    reliability_html = pane_property(
        "_reliability", 'The reliability diagram and its note ("" for regression).'
    )

    coverage_html = pane_property(
        "_coverage", "The coverage chart and its reading against the promise (or the error box)."
    )

    def static_body(self) -> str:
        """The current state as HTML, without the stylesheet (``static_html()`` adds it once);
        "still computing" before it is ready."""
        pending = self.computing_picture()
        if pending is not None:
            return pending
        return self._case.value + self._reliability.value + self._coverage.value
