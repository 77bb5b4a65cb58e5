"""ExplanationView: why the model said what it said, for one case and across slices.

A thin ipywidgets layer over the explanation displays. State lives in traitlets (``row``,
``slice_by``, ``feature``, ``color_by``), so other views can link to them and tests can drive the
view from Python. Charts are inline SVG in ``ipywidgets.HTML``: they render in JupyterLab,
Notebook 7, VS Code, Colab and Voila with no extra JavaScript, and the same SVG is the static
``text/html`` fallback a saved notebook shows without a kernel.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> view = rw.ExplanationView(s, row=5)
>>> view.row, "The model predicts" in view.reading
(5, True)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.display.explanation import (
    AgreementDisplay,
    DependenceDisplay,
    ImportanceDisplay,
    WaterfallDisplay,
)
from rai_widgets.widgets.fallback import StaticFallbackMixin

__all__ = ["ExplanationView"]

TABS = ("This case", "Across slices", "One feature")
_STYLE = """
<style>
.rai-view { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
.rai-reading { font-size: 16px; line-height: 1.5; padding: 10px 14px; margin: 4px 0 10px 0;
  background: #f6f8fa; border-left: 4px solid #0072b2; border-radius: 4px; max-width: 880px; }
.rai-error { color: #8a1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
.rai-muted { color: #666; font-size: 13px; }
</style>
"""


def _error_box(err: Exception) -> str:
    return f'<div class="rai-error">{html.escape(str(err))}</div>'


class ExplanationView(StaticFallbackMixin, widgets.VBox):
    """Explain one case (waterfall, SHAP vs LIME), and the model across slices.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case shown first (default: the first row).
    slice_by : str, optional
        Column whose slices the global importance compares ("" for the whole data).
    feature : str, optional
        Feature of the dependence plot (default: the most important one).
    color_by : str, optional
        Column colouring the dependence plot (default: the first sensitive feature).
    max_rows : int, default 300
        Rows explained for the global views.

    Attributes
    ----------
    row, slice_by, feature, color_by : traitlets
        The view's state; set them from Python or link them to other views.
    reading : str
        The plain-language reading of the current case (read-only).
    """

    row = traitlets.Any(allow_none=True)
    slice_by = traitlets.Any("")
    feature = traitlets.Any("")
    color_by = traitlets.Any("")
    reading = traitlets.Unicode("", read_only=True)

    def __init__(
        self,
        session: Any,
        *,
        row: Hashable | None = None,
        slice_by: str = "",
        feature: str = "",
        color_by: str | None = None,
        max_rows: int = 300,
    ) -> None:
        self.session = session
        self.max_rows = max_rows
        columns = list(session.X.columns)  # original names: a column may be called 3
        sensitive = list(session.sensitive_features_)
        # one seed for every part of the view, so they all tell the same story
        seed = session.random_state
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            seed = int(np.random.SeedSequence().generate_state(1)[0] % (2**31 - 1))
        self.seed = int(seed)
        self._reading = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._case = widgets.HTML()
        self._agreement = widgets.HTML()
        self._importance = widgets.HTML()
        self._dependence = widgets.HTML()
        self._row_picker = widgets.Text(
            description="Case (row label)",
            style={"description_width": "initial"},
            continuous_update=False,
            layout=widgets.Layout(width="280px"),
        )
        self._row_message = widgets.HTML()
        slice_options = [("whole data", "")] + [
            (str(c), c)
            for c in dict.fromkeys(sensitive + [c for c in columns if c not in sensitive])
        ]
        self._slice_picker = widgets.Dropdown(
            options=slice_options,
            description="Compare slices of",
            style={"description_width": "initial"},
        )
        self._feature_picker = widgets.Dropdown(
            options=[(str(c), c) for c in columns],
            description="Feature",
            style={"description_width": "initial"},
        )
        self._color_picker = widgets.Dropdown(
            options=[("nothing", "")] + [(str(c), c) for c in dict.fromkeys(sensitive + columns)],
            description="Colour by",
            style={"description_width": "initial"},
        )
        case_tab = widgets.VBox(
            [
                widgets.HBox([self._row_picker, self._row_message]),
                self._case,
                self._agreement,
            ]
        )
        slice_tab = widgets.VBox([self._slice_picker, self._importance])
        feature_tab = widgets.VBox(
            [
                widgets.HBox([self._feature_picker, self._color_picker]),
                self._dependence,
            ]
        )
        self._tabs = widgets.Tab(children=[case_tab, slice_tab, feature_tab])
        for i, title in enumerate(TABS):
            self._tabs.set_title(i, title)
        super().__init__([widgets.HTML(_STYLE), self._reading, self._tabs])
        self.add_class("rai-view")
        self.add_class("rai-explanation-view")
        self._reading.add_class("rai-explanation-reading")
        self._tabs.add_class("rai-explanation-tabs")
        self._row_picker.add_class("rai-row-picker")
        self._case.add_class("rai-waterfall")
        self._agreement.add_class("rai-agreement")
        self._importance.add_class("rai-importance")
        self._dependence.add_class("rai-dependence")
        self._rendered: set[str] = set()

        self._row_picker.observe(self._on_row_text, names="value")
        self._slice_picker.observe(lambda c: setattr(self, "slice_by", c["new"]), names="value")
        self._feature_picker.observe(lambda c: setattr(self, "feature", c["new"]), names="value")
        self._color_picker.observe(lambda c: setattr(self, "color_by", c["new"]), names="value")
        self._tabs.observe(self._on_tab, names="selected_index")

        self.slice_by = slice_by
        self.color_by = sensitive[0] if color_by is None and sensitive else (color_by or "")
        self.feature = feature
        self.row = session.X.index[0] if row is None else row

    # -- state changes ---------------------------------------------------------------------
    def _on_row_text(self, change: dict) -> None:
        text = change["new"].strip()
        if not text or text == str(self.row):
            return
        index = self.session.X.index
        matches = [label for label in index[: 10**6] if str(label) == text]
        if not matches:
            self._row_message.value = (
                f'<span class="rai-error">No row labelled {html.escape(text)}</span>'
            )
            return
        self.row = matches[0]

    @traitlets.observe("row")
    def _row_changed(self, change: dict) -> None:
        self._row_message.value = ""
        if str(self._row_picker.value) != str(change["new"]):
            self._row_picker.value = str(change["new"])
        self._render_case()

    @traitlets.observe("slice_by")
    def _slice_changed(self, change: dict) -> None:
        if self._slice_picker.value != change["new"]:
            self._slice_picker.value = change["new"]
        if "importance" in self._rendered:
            self._render_importance()

    @traitlets.observe("feature", "color_by")
    def _feature_changed(self, change: dict) -> None:
        if (
            change["name"] == "feature"
            and change["new"]
            and (self._feature_picker.value != change["new"])
        ):
            self._feature_picker.value = change["new"]
        if change["name"] == "color_by" and self._color_picker.value != change["new"]:
            self._color_picker.value = change["new"]
        if "dependence" in self._rendered:
            self._render_dependence()

    def _on_tab(self, change: dict) -> None:
        if change["new"] == 1 and "importance" not in self._rendered:
            self._render_importance()
        if change["new"] == 2 and "dependence" not in self._rendered:
            self._render_dependence()

    # -- rendering ---------------------------------------------------------------------------
    def _safe(self, target: widgets.HTML, make: Callable[[], str]) -> None:
        try:
            target.value = make()
        except RaiWidgetsError as err:
            target.value = _error_box(err)

    def _render_case(self) -> None:
        s, row = self.session, self.row

        def reading() -> str:
            text = s.explain_text(row, random_state=self.seed)
            self.set_trait("reading", text)
            return f'<div class="rai-reading">{html.escape(text)}</div>'

        self._safe(self._reading, reading)
        self._safe(
            self._case,
            lambda: WaterfallDisplay.from_session(s, row, random_state=self.seed).to_svg(),
        )
        if s.task_ == "regression" or callable(getattr(s.model, "predict_proba", None)):
            self._safe(
                self._agreement,
                lambda: AgreementDisplay.from_session(s, row, random_state=self.seed).to_svg(),
            )
        self._rendered.add("case")

    def _render_importance(self) -> None:
        by = None if self.slice_by == "" else self.slice_by
        self._safe(
            self._importance,
            lambda: ImportanceDisplay.from_session(
                self.session, by, max_rows=self.max_rows, random_state=self.seed
            ).to_svg(),
        )
        self._rendered.add("importance")

    def _render_dependence(self) -> None:
        if self.feature == "" or self.feature is None:
            self._rendered.add("dependence")
            self.feature = self._most_important_feature()  # its observer renders
            return
        feature = self.feature
        self._safe(
            self._dependence,
            lambda: DependenceDisplay.from_session(
                self.session,
                feature,
                color_by=self.color_by if self.color_by != "" else None,
                max_rows=self.max_rows,
                random_state=self.seed,
            ).to_svg(),
        )
        self._rendered.add("dependence")

    def _most_important_feature(self) -> Hashable:
        table = self.session.feature_importance(max_rows=self.max_rows, random_state=self.seed)
        return table.groupby("feature")["importance"].mean().idxmax()

    def select_tab(self, name: str) -> None:
        """Show one of the tabs ("This case", "Across slices", "One feature")."""
        self._tabs.selected_index = TABS.index(name)

    # -- static fallback ---------------------------------------------------------------------
    def static_html(self) -> str:
        """The current state as self-contained HTML (shown where widgets cannot run)."""
        parts = [
            _STYLE,
            '<div class="rai-view">',
            self._reading.value,
            self._case.value,
            self._agreement.value,
        ]
        for name, target in (("importance", self._importance), ("dependence", self._dependence)):
            if name in self._rendered:
                parts.append(target.value)
        parts.append("</div>")
        return "".join(parts)
