"""The explanation view as static HTML: one case's reading, waterfall, SHAP/LIME agreement and
what would change its answer, importance across slices, and how one feature moves predictions.

Every part takes the same seed, so the reading, the waterfall and the global views tell one
story (:func:`view_seed` picks it).

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

import numpy as np

from rai_widgets.display.effects import EffectsDisplay
from rai_widgets.display.explanation import (
    AgreementDisplay,
    DependenceDisplay,
    ImportanceDisplay,
    WaterfallDisplay,
)
from rai_widgets.static_html.page import escape, safe
from rai_widgets.static_html.recourse import recourse_html
from rai_widgets.views.explanation import CaseExplanation, case_explanation
from rai_widgets.views.groupings import default_grouping
from rai_widgets.views.recourse import recourse_model

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "AGREEMENT_NOTE",
    "PARTS",
    "agreement_html",
    "case_html",
    "change_html",
    "dependence_html",
    "effects_html",
    "importance_html",
    "most_important_feature",
    "reading_html",
    "view_html",
    "view_seed",
]

#: The line under the title of the SHAP-against-LIME chart (the reading below it says more).
AGREEMENT_NOTE = "SHAP and LIME: what each says moved this prediction."

#: The parts of the view, in the order of its tabs.
PARTS = ("case", "importance", "dependence")


def view_seed(session: ModelSession) -> int:
    """The seed every part of a view shares: the session's ``random_state`` when it is an int,
    else a fresh one (so one view still tells one story)."""
    seed = session.core.random_state
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        seed = int(np.random.SeedSequence().generate_state(1)[0] % (2**31 - 1))
    return int(seed)


def reading_html(text: str) -> str:
    """The plain-language reading of a case (``ModelSession.explain_text``) in its box."""
    return f'<div class="rai-reading">{escape(text)}</div>'


def case_html(case: CaseExplanation) -> str:
    """The waterfall of one explained case (``views.explanation.case_explanation``): what
    pushed its prediction up and down."""
    return WaterfallDisplay.from_explanation(case).to_svg()


def agreement_html(session: ModelSession, row: Hashable, *, random_state: int) -> str:
    """Do SHAP and LIME agree on this case? The chart, then how far they agree and, when
    LIME's fit is weak, the warning (``rai-lime-warning``), as HTML that wraps with the
    technical terms explained on hover. "" for a model without ``predict_proba``."""
    if session.task_ != "regression" and not callable(
        getattr(session.model, "predict_proba", None)
    ):
        return ""
    display = AgreementDisplay.from_session(session, row, random_state=random_state)
    return display.to_svg(note=AGREEMENT_NOTE) + display.reading_html()


def change_html(session: ModelSession, row: Hashable, *, random_state: int) -> str:
    """The "What would change it?" section of one case (its counterfactuals)."""
    return recourse_html(recourse_model(session, row, random_state=random_state))


def importance_html(
    session: ModelSession, slice_by: Hashable | None, *, max_rows: int = 300, random_state: int
) -> str:
    """What the model relies on, per slice of ``slice_by`` (None: the whole data)."""
    display = ImportanceDisplay.from_session(
        session, slice_by, max_rows=max_rows, random_state=random_state
    )
    return display.to_svg()


def most_important_feature(
    session: ModelSession, *, max_rows: int = 300, random_state: int
) -> Hashable:
    """The feature with the largest mean importance (the dependence plot's default)."""
    table = session.feature_importance(max_rows=max_rows, random_state=random_state)
    return table.groupby("feature")["importance"].mean().idxmax()


def dependence_html(
    session: ModelSession,
    feature: Hashable,
    *,
    color_by: Hashable | None = None,
    max_rows: int = 300,
    random_state: int,
) -> str:
    """How ``feature`` moves predictions, coloured by ``color_by``."""
    display = DependenceDisplay.from_session(
        session, feature, color_by=color_by, max_rows=max_rows, random_state=random_state
    )
    return display.to_svg()


def effects_html(
    session: ModelSession,
    feature: Hashable,
    *,
    by: Hashable | None = None,
    kind: str = "average",
    random_state: int,
) -> str:
    """How the model's answer moves as ``feature`` moves (partial dependence, or ``kind="ale"``
    accumulated local effects), one curve per group of ``by`` with its band, and the reading."""
    display = EffectsDisplay.from_session(
        session, feature, by=by, kind=kind, grid_resolution=12, random_state=random_state
    )
    reading = f'<p class="rai-reading">{escape(display.reading)}</p>' if display.reading else ""
    return f'<div class="rai-effects">{display.to_svg()}{reading}</div>'


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
    """The explanation view as static HTML.

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
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"parts must be among {PARTS}; got {unknown}.")
    seed = view_seed(session) if random_state is None else random_state
    row = session.core.frame.index[0] if row is None else row
    if color_by is None:
        first = default_grouping(session.core)
        color_by = "" if first is None else first
    html = ['<div class="rai-view">']
    if "case" in parts:
        html.append(safe(lambda: reading_html(session.explain_text(row, random_state=seed))))
        html.append(safe(lambda: case_html(case_explanation(session, row, random_state=seed))))
        html.append(safe(lambda: agreement_html(session, row, random_state=seed)))
        html.append(safe(lambda: change_html(session, row, random_state=seed)))
    if "importance" in parts:
        by = None if slice_by == "" else slice_by
        html.append(
            safe(lambda: importance_html(session, by, max_rows=max_rows, random_state=seed))
        )
    if "dependence" in parts:

        def shown() -> Hashable:
            if feature == "" or feature is None:
                return most_important_feature(session, max_rows=max_rows, random_state=seed)
            return feature

        colour = None if color_by == "" else color_by
        html.append(
            safe(
                lambda: dependence_html(
                    session, shown(), color_by=colour, max_rows=max_rows, random_state=seed
                )
            )
        )
        html.append(safe(lambda: effects_html(session, shown(), by=colour, random_state=seed)))
    html.append("</div>")
    return "".join(html)
