"""EffectsView: how the model's answer moves as one feature moves, and whether it moves alike
for every group; pick the feature, the grouping and the kind of effect.

The chart and its reading are ``static_html.explanation.effects_html`` (the explanation tab's
One feature tab draws the same); ``kind="individual"`` draws the ICE curves of ``n_ice`` rows.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import Ridge
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(Ridge().fit(X, data.target), X, data.target, random_state=0)
>>> view = rw.EffectsView(s, feature="age")
>>> "How the prediction moves with age" in view.chart_html
True
>>> view.kind = "ale"
>>> "Between age" in view.chart_html
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets.static_html.explanation import effects_data_html, effects_html, view_seed
from rai_widgets.static_html.page import safe, style_tag
from rai_widgets.views.effects import effects_data
from rai_widgets.views.groupings import default_grouping
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["EffectsView"]

_KINDS = {"Average (partial dependence)": "average", "Accumulated (ALE)": "ale"}
_NO_GROUPS = "(everyone)"

#: Most grid points of a numeric feature, as ``effects_html`` draws them.
GRID_RESOLUTION = 12


class EffectsView(StaticFallbackMixin, widgets.VBox):
    """One feature's effect on the model's answer, one curve per group with its band.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    feature : column name, optional
        The feature (default: the first column of X).
    by : column name, optional
        The grouping (default: the first sensitive feature; "" for everyone).
    kind : {"average", "ale"}, default "average"
        Partial dependence, or accumulated local effects (numeric features).
    grid : sequence, optional
        The values of ``feature`` to set (as in ``ModelSession.effects``), while that feature
        is shown; values beyond the data's are drawn in a grey part of the chart and named in
        the reading.

    Attributes
    ----------
    feature, by, kind : traitlets
        What is shown; the pickers follow them.
    chart_html : str
        The chart and its reading, or the error box of what went wrong (read-only).
    """

    feature = traitlets.Any()
    by = traitlets.Any("")
    kind = traitlets.Unicode("average")

    def __init__(
        self,
        session: ModelSession,
        *,
        feature: Hashable | None = None,
        by: Hashable | None = None,
        kind: str = "average",
        grid: Sequence[Any] | None = None,
    ) -> None:
        self.session = session
        self.seed = view_seed(session)
        columns = list(session.core.frame.columns)
        groupings = list(dict.fromkeys([*session.sensitive_features_, *columns]))
        self.feature_picker = widgets.Dropdown(
            options=[(str(c), c) for c in columns], description="Feature"
        )
        self.by_picker = widgets.Dropdown(
            options=[(_NO_GROUPS, ""), *((str(g), g) for g in groupings)], description="Groups"
        )
        self.kind_toggle = widgets.ToggleButtons(options=list(_KINDS.items()))
        for control, css in (
            (self.feature_picker, "rai-effects-feature"),
            (self.by_picker, "rai-effects-by"),
            (self.kind_toggle, "rai-effects-kind"),
        ):
            control.add_class(css)
        self._chart = html_pane("rai-effects-pane")
        super().__init__(
            [
                widgets.HTML(style_tag()),
                widgets.HBox([self.feature_picker, self.by_picker]),
                self.kind_toggle,
                self._chart,
            ]
        )
        self.add_class("rai-view")
        self.add_class("rai-effects-view")
        first = default_grouping(session.core)
        self._grids = {} if grid is None else {(columns[0] if feature is None else feature): grid}
        self._ready = False
        self.feature = columns[0] if feature is None else feature
        self.by = ("" if first is None else first) if by is None else by
        self.kind = kind
        traitlets.link((self, "feature"), (self.feature_picker, "value"))
        traitlets.link((self, "by"), (self.by_picker, "value"))
        traitlets.link((self, "kind"), (self.kind_toggle, "value"))
        self._ready = True
        self._render()

    @traitlets.validate("kind")
    def _check_kind(self, proposal: dict) -> str:
        if proposal["value"] not in _KINDS.values():
            raise traitlets.TraitError(
                f"kind must be one of {list(_KINDS.values())}; got {proposal['value']!r}."
            )
        return proposal["value"]

    @traitlets.observe("feature", "by", "kind")
    def _changed(self, change: dict) -> None:
        if self._ready:
            self._render()

    def _render(self) -> None:
        feature, by, kind = self.feature, self.by, self.kind
        grid = self._grids.get(feature)
        if grid is None:
            self._chart.value = safe(
                lambda: effects_html(
                    self.session,
                    feature,
                    by=None if by == "" else by,
                    kind=kind,
                    random_state=self.seed,
                )
            )
            return
        self._chart.value = safe(
            lambda: effects_data_html(
                effects_data(
                    self.session,
                    feature,
                    by=None if by == "" else by,
                    kind=kind,
                    grid=grid,
                    grid_resolution=GRID_RESOLUTION,
                    random_state=self.seed,
                )
            )
        )

    def wait(self, timeout: float | None = None) -> EffectsView:
        """Return at once: the view draws when its state changes, in the same call.

        Parameters
        ----------
        timeout : float, optional
            Unused; as the other views' ``wait`` takes it.

        Returns
        -------
        EffectsView
        """
        return self

    chart_html = pane_property("_chart", "The chart and its reading (or the error box).")

    def static_body(self) -> str:
        """What is shown, without the stylesheet."""
        return f'<div class="rai-view">{self.chart_html}</div>'
