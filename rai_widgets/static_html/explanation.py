"""The explanation view as static HTML, drawn from its view model
(:class:`~rai_widgets.views.explanation_tab.ExplanationModel`): one case's reading, waterfall,
SHAP/LIME agreement and what would change its answer, importance across slices, and how one
feature moves predictions. A part that failed shows its own error box; the others are drawn.

The live widget draws its panes with the same functions, and the export draws
:func:`model_html`; none of them asks the session what to show.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import explanation
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X, y = data.data[["year", "age"]], data.target
>>> s = rw.ModelSession(RandomForestRegressor(n_estimators=20, random_state=0).fit(X, y), X, y,
...                     random_state=0)
>>> page = explanation.view_html(s, row=5, parts=("case", "importance"))
>>> "The model predicts" in page and page.count("<svg") == 3
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

from rai_widgets.display.effects import EffectsDisplay
from rai_widgets.display.explanation import (
    AgreementDisplay,
    DependenceDisplay,
    ImportanceDisplay,
    WaterfallDisplay,
)
from rai_widgets.readings.explanation import AGREEMENT_NOTE
from rai_widgets.static_html.page import error_box, escape, note_box, part_html
from rai_widgets.static_html.recourse import recourse_html
from rai_widgets.views.effects import EffectsData, effects_data
from rai_widgets.views.explanation import (
    AgreementData,
    CaseExplanation,
    DependenceData,
    ImportanceData,
)
from rai_widgets.views.explanation_tab import (
    PARTS,
    CasePart,
    ExplanationModel,
    FeaturePart,
    explanation_model,
    view_seed,
)
from rai_widgets.views.parts import Failed

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "AGREEMENT_NOTE",
    "PARTS",
    "agreement_html",
    "case_html",
    "case_panes",
    "dependence_html",
    "effects_data_html",
    "effects_html",
    "feature_panes",
    "importance_html",
    "importance_pane",
    "model_html",
    "reading_html",
    "view_html",
    "view_seed",
]


def reading_html(text: str) -> str:
    """The plain-language reading of a case (``ModelSession.explain_text``) in its box."""
    return f'<div class="rai-reading">{escape(text)}</div>'


def case_html(case: CaseExplanation) -> str:
    """The waterfall of one explained case (``views.explanation.case_explanation``): what
    pushed its prediction up and down."""
    return WaterfallDisplay.from_explanation(case).to_svg()


def agreement_html(data: AgreementData) -> str:
    """Do SHAP and LIME agree on this case (``views.explanation.agreement_data``)? The chart,
    then how far they agree and, when LIME's fit is weak, the warning (``rai-lime-warning``),
    as HTML that wraps with the technical terms explained on hover."""
    display = AgreementDisplay.from_data(data)
    return display.to_svg(note=AGREEMENT_NOTE) + display.reading_html()


def importance_html(data: ImportanceData) -> str:
    """What the model relies on, per slice (``views.explanation.importance_data``)."""
    return ImportanceDisplay.from_data(data).to_svg()


def dependence_html(data: DependenceData) -> str:
    """How a feature moves predictions, row by row (``views.explanation.dependence_data``)."""
    return DependenceDisplay.from_data(data).to_svg()


def effects_data_html(data: EffectsData) -> str:
    """How the model's answer moves as a feature moves (``views.effects.effects_data``), one
    curve per group with its band, and the reading."""
    display = EffectsDisplay.from_data(data)
    reading = f'<p class="rai-reading">{escape(display.reading)}</p>' if display.reading else ""
    return f'<div class="rai-effects">{display.to_svg()}{reading}</div>'


def effects_html(
    session: ModelSession,
    feature: Hashable,
    *,
    by: Hashable | None = None,
    kind: str = "average",
    random_state: int,
) -> str:
    """:func:`effects_data_html` of ``feature`` computed from ``session`` (partial dependence,
    or ``kind="ale"`` accumulated local effects), one curve per group of ``by``."""
    data = effects_data(
        session, feature, by=by, kind=kind, grid_resolution=12, random_state=random_state
    )
    return effects_data_html(data)


def case_panes(case: CasePart | Failed) -> tuple[str, str, str, str]:
    """The "This case" part's panes: the reading (or the note of a model without scores), the
    waterfall, SHAP against LIME, and what would change the answer; a part that failed is its
    error box, a part that does not apply is "" (the whole part failed: its error box first).

    Parameters
    ----------
    case : CasePart or Failed
        The part, computed.

    Returns
    -------
    reading, waterfall, agreement, recourse : str
    """
    if isinstance(case, Failed):
        return error_box(case.message), "", "", ""
    reading = (
        note_box(case.note) if case.note is not None else part_html(case.reading, reading_html)
    )
    return (
        reading,
        part_html(case.explanation, case_html),
        part_html(case.agreement, agreement_html),
        part_html(case.recourse, recourse_html),
    )


def importance_pane(part: ImportanceData | Failed | None) -> str:
    """The "Across slices" part's pane: the importance chart, its error box, or "" when it is
    not computed.

    Parameters
    ----------
    part : ImportanceData, Failed or None
        The part (``ExplanationModel.importance``).

    Returns
    -------
    str
    """
    return part_html(part, importance_html)


def feature_panes(part: FeaturePart) -> tuple[str, str]:
    """The "One feature" part's panes: the dependence plot and the effects per group, each its
    error box when it failed.

    Parameters
    ----------
    part : FeaturePart
        The part, computed.

    Returns
    -------
    dependence, effects : str
    """
    return part_html(part.dependence, dependence_html), part_html(part.effects, effects_data_html)


def model_html(model: ExplanationModel) -> str:
    """The explanation view's static picture: the parts the model holds, in the order of its
    tabs.

    Parameters
    ----------
    model : ExplanationModel
        The view, computed (:func:`~rai_widgets.views.explanation_tab.explanation_model`).

    Returns
    -------
    str
    """
    html = ['<div class="rai-view">']
    if model.case is not None:
        html.extend(case_panes(model.case))
    html.append(importance_pane(model.importance))
    if model.feature is not None:
        html.extend(feature_panes(model.feature))
    html.append("</div>")
    return "".join(html)


def view_html(
    session: ModelSession,
    *,
    row: Hashable | None = None,
    slice_by: Hashable = "",
    feature: Hashable = "",
    color_by: Hashable | None = None,
    max_rows: int = 300,
    random_state: int | None = None,
    parts: Sequence[str] = ("case",),
) -> str:
    """The explanation view as static HTML: :func:`model_html` of the view model
    (:func:`~rai_widgets.views.explanation_tab.explanation_model`, which takes the same
    arguments).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case (default: the first row).
    slice_by : column name, default ""
        Slices of the importance chart ("" for the whole data).
    feature : column name, default ""
        Feature of the dependence plot ("" for the most important one).
    color_by : column name, optional
        Colouring of the dependence plot (default: the first sensitive feature; "" for none).
    max_rows : int, default 300
        Rows explained for the global parts.
    random_state : int, optional
        The seed of every part (default: :func:`view_seed`).
    parts : sequence of {"case", "importance", "dependence"}, default ("case",)
        The parts drawn; the widget draws a global part when its tab is first opened, so the
        default is what ``ExplanationView(session).static_html()`` shows.

    Returns
    -------
    str
        A part that fails shows its error box; the others are still drawn.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> page = view_html(s, row=3, parts=PARTS, max_rows=50)
    >>> page.count("<svg"), 'class="rai-error"' in page
    (5, False)
    """
    model = explanation_model(
        session,
        row=row,
        slice_by=slice_by,
        feature=feature,
        color_by=color_by,
        max_rows=max_rows,
        random_state=random_state,
        parts=parts,
    )
    return model_html(model)
