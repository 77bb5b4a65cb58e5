"""What one case's detail pane shows (the example browser's, and its static picture's):
the verdict, the plain reading and the waterfall, how its answer moves with the feature that
moves it most, what would change it, and similar real cases; computed once from the session.

A part that cannot be computed (a model that fails on perturbed rows, a search that finds
nothing it can use) is kept as :class:`~rai_widgets.views.parts.Failed`, so the pane shows that
part's error in place and the rest of the case.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> data = rw.datasets.load_german_credit()
>>> X = data.data[["duration_in_month", "credit_amount", "age_in_years"]]
>>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, data.target), X,
...                     data.target, random_state=0)
>>> case = case_model(s, 3)
>>> case.title, case.verdict.startswith("Predicted "), len(case.similar.frame)
('Row 3', True, 5)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from rai_widgets import formatting
from rai_widgets.readings.case import class_verdict, regression_verdict, similar_order_note
from rai_widgets.views.effects import EffectsData, effects_data
from rai_widgets.views.explanation import (
    CaseExplanation,
    case_effect_feature,
    case_explanation,
)
from rai_widgets.views.parts import Failed, attempt
from rai_widgets.views.recourse import RecourseModel, recourse_model

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "SHOWN_IN_DETAIL",
    "SIMILAR",
    "CaseModel",
    "SimilarCases",
    "case_model",
    "similar_cases",
]

#: Counterfactuals in a row's detail pane (the explanation tab shows three).
SHOWN_IN_DETAIL = 2
#: Similar real cases in a row's detail pane.
SIMILAR = 5
#: The model's answer columns of a similar case, shown before its features.
_ANSWER = ("y_pred", "y_true", "confidence", "distance")


@dataclass(frozen=True)
class SimilarCases:
    """The real rows most like a case.

    Attributes
    ----------
    summary : str
        How often they had each outcome, and what the model said of them.
    frame : pandas.DataFrame
        One row per similar case: the model's answer and the distance, then X's columns, those
        that drove the case's prediction first.
    note : str
        How the columns are ordered.
    """

    summary: str
    frame: pd.DataFrame
    note: str


@dataclass(frozen=True)
class CaseModel:
    """One case's detail pane.

    Attributes
    ----------
    row : label of X's index
        The case.
    title : str
        "Row 12".
    verdict : str
        What the model said of it, and whether it was right.
    wrong : bool
        Whether the model's answer is not the true one.
    reading : str, Failed or None
        The explanation in plain words (None: a classifier without scores is not explained).
    explanation : CaseExplanation, Failed or None
        The explanation the waterfall draws (None as for ``reading``).
    effect : EffectsData, Failed or None
        How the case's answer moves with the numeric feature that moves it most (None: no
        such feature, or nothing explained).
    recourse : RecourseModel or Failed
        What would change the model's answer.
    similar : SimilarCases or Failed
        Similar real cases.
    """

    row: Hashable
    title: str
    verdict: str
    wrong: bool
    reading: str | Failed | None
    explanation: CaseExplanation | Failed | None
    effect: EffectsData | Failed | None
    recourse: RecourseModel | Failed
    similar: SimilarCases | Failed


def case_model(
    session: ModelSession, row: Hashable, *, random_state: int | None = None
) -> CaseModel:
    """Compute one case's detail pane.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    random_state : int, optional
        Seed of the explanation and the counterfactual search (default: the session's).

    Returns
    -------
    CaseModel
    """
    s = session
    position = s.core.positions_of([row])[0]
    answer = s.predictions().iloc[position]
    wrong = "correct" in answer and not bool(answer["correct"])
    if s.task_ == "regression":
        actual = float(answer["y_true"]) if "y_true" in answer else None
        verdict = regression_verdict(float(answer["y_pred"]), actual, s.target_unit)
    else:
        verdict = class_verdict(
            s.core.class_description(answer["y_pred"]),
            confidence=formatting.chance(answer["confidence"]) if "confidence" in answer else None,
            actual=s.core.class_description(answer["y_true"]) if "y_true" in answer else None,
            wrong=wrong,
        )
    explained = s.task_ == "regression" or callable(getattr(s.model, "predict_proba", None))
    reading: str | Failed | None = None
    explanation: CaseExplanation | Failed | None = None
    effect: EffectsData | Failed | None = None
    if explained:
        reading = attempt(lambda: s.explain_text(row, random_state=random_state))
        explanation = attempt(lambda: case_explanation(s, row, random_state=random_state))
        effect = attempt(lambda: _case_effect(s, row, random_state))
    return CaseModel(
        row=row,
        title=f"Row {formatting.row_label(row)}",
        verdict=verdict,
        wrong=wrong,
        reading=reading,
        explanation=explanation,
        effect=effect,
        recourse=attempt(
            lambda: recourse_model(s, row, n=SHOWN_IN_DETAIL, random_state=random_state)
        ),
        similar=attempt(lambda: similar_cases(s, row)),
    )


def _case_effect(
    session: ModelSession, row: Hashable, random_state: int | None
) -> EffectsData | None:
    feature = case_effect_feature(session, row, random_state=random_state)
    if feature is None:
        return None
    return effects_data(
        session, feature, grid_resolution=12, n_ice=20, row=row, random_state=random_state
    )


def similar_cases(session: ModelSession, row: Hashable, *, n: int = SIMILAR) -> SimilarCases:
    """The real rows most like ``row`` (``ModelSession.similar``), columns in the order the
    detail pane shows them.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    n : int, default 5
        How many.

    Returns
    -------
    SimilarCases
    """
    found = session.similar(row, n=n)
    answer = [c for c in _ANSWER if c in found.columns]
    columns = answer + list(found.attrs["columns_by_influence"])
    return SimilarCases(
        summary=str(found.attrs["summary"]),
        frame=found[columns],
        note=similar_order_note(str(found.attrs["ordered_by"])),
    )
