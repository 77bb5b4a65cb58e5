"""ExplanationView: why the model said what it said, for one case and across slices.

A thin ipywidgets layer over the explanation tab's view model
(:class:`~rai_widgets.views.explanation_tab.ExplanationModel`, :attr:`ExplanationView.model`):
a change of state recomputes the part it concerns, and the panes and the static picture draw
the model (``static_html.explanation``). State lives in traitlets (``row``, ``slice_by``,
``feature``, ``color_by``), so other views can link to them and tests can drive the view from
Python. Charts are inline SVG in ``ipywidgets.HTML``: they render in JupyterLab,
Notebook 7, VS Code, Colab and Voila with no extra JavaScript, and the same SVG is the static
``text/html`` fallback a saved notebook shows without a kernel.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X, y = data.data[["year", "age"]], data.target
>>> s = rw.ModelSession(RandomForestRegressor(n_estimators=20, random_state=0).fit(X, y), X, y,
...                     random_state=0)
>>> view = rw.ExplanationView(s, row=5)
>>> view.row, "The model predicts" in view.reading
(5, True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from typing import TYPE_CHECKING

import ipywidgets as widgets
import traitlets

from rai_widgets.core.arguments import check_int
from rai_widgets.session.model_session import check_session
from rai_widgets.static_html import explanation as static
from rai_widgets.static_html.page import error_box, style_tag
from rai_widgets.views.explanation_tab import (
    ExplanationModel,
    case_part,
    explanation_choices,
    feature_part,
    importance_part,
    view_seed,
)
from rai_widgets.views.parts import attempt
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import pane_property
from rai_widgets.widgets.progressive import ProgressiveView

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ExplanationView"]

TABS = ("This case", "Across slices", "One feature")


class ExplanationView(StaticFallbackMixin, ProgressiveView, widgets.VBox):
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
    progressive : bool, "auto" or "later", default "auto"
        Show the view at once and fill it in while the model's answers are computed in the
        background ("auto": when predicting every row would keep you waiting). See
        :attr:`status`, :meth:`wait` and :meth:`cancel`. "later": show the controls now and
        draw the panes when :meth:`fill_in` is called.

    Attributes
    ----------
    row, slice_by, feature, color_by : traitlets
        The view's state; set them from Python or link them to other views.
    reading : str
        The plain-language reading of the current case (read-only).
    seed : int
        The seed every part of the view shares.
    model : ExplanationModel
        What the view shows now: the parts computed so far (a global part when its tab is
        first opened).
    row_picker : ipywidgets.Text
        The "Case (row label)" box; typing a label sets ``row``.
    slice_picker, feature_picker, color_picker : ipywidgets.Dropdown
        The controls of ``slice_by``, ``feature`` and ``color_by``.
    case_html, agreement_html, recourse_html, importance_html, dependence_html, row_message_html
    : str
        What each pane shows now (read-only properties).
    status : str
        "computing", "ready" or "error" (read-only); :meth:`wait` blocks until it is not
        "computing".
    """

    row = traitlets.Any(allow_none=True)
    slice_by = traitlets.Any("")
    feature = traitlets.Any("")
    color_by = traitlets.Any("")
    reading = traitlets.Unicode("", read_only=True)

    def __init__(
        self,
        session: ModelSession,
        *,
        row: Hashable | None = None,
        slice_by: str = "",
        feature: str = "",
        color_by: str | None = None,
        max_rows: int = 300,
        progressive: bool | str = "auto",
    ) -> None:
        check_session(session)
        check_int(max_rows, argument="max_rows", minimum=1)
        if row is not None:
            session.core.positions_of([row])  # an unknown label raises RowNotFoundError, naming it
        self.session = session
        self.max_rows = max_rows
        sensitive = list(session.sensitive_features_)
        # one seed for every part of the view, so they all tell the same story
        self.seed = view_seed(session)
        choices = explanation_choices(session)
        first_row = session.X.index[0] if row is None else row
        self.model = ExplanationModel(seed=self.seed, row=first_row, choices=choices)
        self._quiet = False  # set while the view itself names the feature it drew
        self._reading = widgets.HTML(layout=widgets.Layout(width="100%"))
        self._case = widgets.HTML()
        self._agreement = widgets.HTML()
        self._recourse = widgets.HTML()
        self._importance = widgets.HTML()
        self._dependence = widgets.HTML()
        self._effects = widgets.HTML()
        self.row_picker = widgets.Text(
            description="Case (row label)",
            style={"description_width": "initial"},
            continuous_update=False,
            layout=widgets.Layout(width="280px"),
        )
        self._row_message = widgets.HTML()
        self.slice_picker = widgets.Dropdown(
            options=choices.slices,
            description="Compare slices of",
            style={"description_width": "initial"},
        )
        self.feature_picker = widgets.Dropdown(
            options=choices.features,
            description="Feature",
            style={"description_width": "initial"},
        )
        self.color_picker = widgets.Dropdown(
            options=choices.colours,
            description="Colour by",
            style={"description_width": "initial"},
        )
        case_tab = widgets.VBox(
            [
                widgets.HBox([self.row_picker, self._row_message]),
                self._case,
                self._agreement,
                self._recourse,
            ]
        )
        slice_tab = widgets.VBox([self.slice_picker, self._importance])
        feature_tab = widgets.VBox(
            [
                widgets.HBox([self.feature_picker, self.color_picker]),
                self._dependence,
                self._effects,
            ]
        )
        self._tabs = widgets.Tab(children=[case_tab, slice_tab, feature_tab])
        for i, title in enumerate(TABS):
            self._tabs.set_title(i, title)
        super().__init__([widgets.HTML(style_tag()), self._reading, self._tabs])
        self.add_class("rai-view")
        self.add_class("rai-explanation-view")
        self._reading.add_class("rai-explanation-reading")
        self._tabs.add_class("rai-explanation-tabs")
        self.row_picker.add_class("rai-row-picker")
        self._case.add_class("rai-waterfall")
        self._agreement.add_class("rai-agreement")
        self._recourse.add_class("rai-recourse-pane")
        self._importance.add_class("rai-importance")
        self._dependence.add_class("rai-dependence")
        self._effects.add_class("rai-effects-pane")
        self._rendered: set[str] = set()

        self.row_picker.observe(self._on_row_text, names="value")
        self.slice_picker.observe(lambda c: setattr(self, "slice_by", c["new"]), names="value")
        self.feature_picker.observe(lambda c: setattr(self, "feature", c["new"]), names="value")
        self.color_picker.observe(lambda c: setattr(self, "color_by", c["new"]), names="value")
        self._tabs.observe(self._on_tab, names="selected_index")

        self.slice_by = slice_by
        self.color_by = sensitive[0] if color_by is None and sensitive else (color_by or "")
        self.feature = feature
        self.row = first_row
        self.start_filling_in(
            [session],
            [self._render_case, self._render_open_tabs],
            [self._reading, self._case],
            progressive=progressive,
            title="Explanations",
        )

    # -- state changes ---------------------------------------------------------------------
    def _on_row_text(self, change: dict) -> None:
        text = change["new"].strip()
        if not text or text == str(self.row):
            return
        index = self.session.X.index
        matches = [label for label in index[: 10**6] if str(label) == text]
        if not matches:
            self._row_message.value = error_box(f"No row labelled {text}")
            return
        self.row = matches[0]

    @traitlets.observe("row")
    def _row_changed(self, change: dict) -> None:
        self._row_message.value = ""
        if str(self.row_picker.value) != str(change["new"]):
            self.row_picker.value = str(change["new"])
        if self.draws_now():
            self._render_case()

    @traitlets.observe("slice_by")
    def _slice_changed(self, change: dict) -> None:
        if self.slice_picker.value != change["new"]:
            self.slice_picker.value = change["new"]
        if "importance" in self._rendered and self.draws_now():
            self._render_importance()

    @traitlets.observe("feature", "color_by")
    def _feature_changed(self, change: dict) -> None:
        if (
            change["name"] == "feature"
            and change["new"]
            and (self.feature_picker.value != change["new"])
        ):
            self.feature_picker.value = change["new"]
        if change["name"] == "color_by" and self.color_picker.value != change["new"]:
            self.color_picker.value = change["new"]
        if "dependence" in self._rendered and self.draws_now() and not self._quiet:
            self._render_dependence()

    def _on_tab(self, change: dict) -> None:
        if not self.draws_now():
            return  # drawn when the view fills in
        if change["new"] == 1 and "importance" not in self._rendered:
            self._render_importance()
        if change["new"] == 2 and "dependence" not in self._rendered:
            self._render_dependence()

    # -- rendering ---------------------------------------------------------------------------
    def _render_case(self) -> None:
        s, row, seed = self.session, self.row, self.seed
        case = attempt(lambda: case_part(s, row, random_state=seed))
        self.model = dataclasses.replace(self.model, row=row, case=case)
        reading = getattr(case, "reading", None)
        if isinstance(reading, str):
            self.set_trait("reading", reading)
        panes = static.case_panes(case)
        for target, html in zip(
            (self._reading, self._case, self._agreement, self._recourse), panes, strict=True
        ):
            target.value = html
        self._rendered.add("case")

    def _render_open_tabs(self) -> None:
        """The tab on screen, and those drawn before (they follow the state too)."""
        index = self._tabs.selected_index
        if index == 1 or "importance" in self._rendered:
            self._render_importance()
        if index == 2 or "dependence" in self._rendered:
            self._render_dependence()

    def _render_importance(self) -> None:
        part = importance_part(
            self.session, self.slice_by, max_rows=self.max_rows, random_state=self.seed
        )
        self.model = dataclasses.replace(self.model, importance=part)
        self._importance.value = static.importance_pane(part)
        self._rendered.add("importance")

    def _render_dependence(self) -> None:
        part = feature_part(
            self.session,
            self.feature,
            color_by=self.color_by,
            max_rows=self.max_rows,
            random_state=self.seed,
        )
        self.model = dataclasses.replace(self.model, feature=part)
        self._dependence.value, self._effects.value = static.feature_panes(part)
        self._rendered.add("dependence")
        if part.feature is not None and part.feature != self.feature:
            self._quiet = True  # the feature drawn (the most important one) shows in its picker
            try:
                self.feature = part.feature
            finally:
                self._quiet = False

    case_html = pane_property("_case", "The waterfall of the current case (SVG), or its error box.")

    agreement_html = pane_property(
        "_agreement", 'The SHAP-against-LIME chart of the current case ("" when it does not apply).'
    )

    recourse_html = pane_property(
        "_recourse",
        "What would change the current case's answer: its counterfactuals, or why there are none.",
    )

    importance_html = pane_property(
        "_importance", 'The importance chart across slices ("" until its tab is first opened).'
    )

    dependence_html = pane_property(
        "_dependence", 'The dependence plot of ``feature`` ("" until its tab is first opened).'
    )

    effects_html = pane_property(
        "_effects",
        "How the answer moves as ``feature`` moves, per group of ``color_by`` with bands "
        '("" until its tab is first opened).',
    )

    row_message_html = pane_property(
        "_row_message", 'The message next to the row picker (a label that is not a row), or "".'
    )

    def select_tab(self, name: str) -> None:
        """Show one of the tabs ("This case", "Across slices", "One feature")."""
        self._tabs.selected_index = TABS.index(name)

    def show_feature(self, feature: Hashable, *, color_by: Hashable | None = None) -> None:
        """Open the One feature tab on ``feature``, coloured by ``color_by`` when given (the
        evidence of a proxy or a leak: how the feature moves predictions, by group).

        Parameters
        ----------
        feature : column name
            A column of X.
        color_by : column name, optional
            A sensitive feature or a column of X; None keeps the current colouring.
        """
        if color_by is not None:
            self.color_by = color_by
        self.feature = feature
        self.select_tab("One feature")

    # -- static fallback ---------------------------------------------------------------------
    def static_body(self) -> str:
        """The current state as HTML, without the stylesheet (``static_html()`` adds it once;
        shown where widgets cannot run); "still computing" before it is ready."""
        pending = self.computing_picture()
        if pending is not None:
            return pending
        return static.model_html(self.model)
