"""What the "What would change it?" section shows for one case: its counterfactuals as a small
before/after table and one sentence, computed once from the session.

The explanation tab, the example browser's detail pane, the static picture and the export all
draw this one object (:func:`~rai_widgets.static_html.recourse.recourse_html`).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> data = rw.datasets.load_german_credit()
>>> X = data.data[["duration_in_month", "credit_amount", "age_in_years"]]
>>> s = rw.ModelSession(LogisticRegression(max_iter=1000).fit(X, data.target), X,
...                     data.target, random_state=0)
>>> model = recourse_model(s, 1)
>>> model.sentence.startswith("If "), model.headers[:2]
(True, ('Feature', 'This case'))
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rai_widgets import formatting
from rai_widgets.formatting_kinds import column_kind

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["RecourseModel", "recourse_model"]

#: Counterfactuals shown per case.
SHOWN = 3


@dataclass(frozen=True)
class RecourseModel:
    """One case's counterfactuals, as the views show them.

    Attributes
    ----------
    sentence : str
        The best counterfactual as a sentence, or why there is none.
    headers : tuple of str
        "Feature", "This case", then "Change 1" ... (empty when there is no counterfactual).
    rows : tuple of tuple of str
        Per feature changed by any counterfactual shown: its name, the case's value, and each
        counterfactual's value ("" where it keeps the case's).
    answers : tuple of str
        The last row: what the model says of the case and of each counterfactual.
    plausible : tuple of bool
        Per counterfactual, whether it lies where real cases with that answer lie.
    """

    sentence: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    answers: tuple[str, ...] = ()
    plausible: tuple[bool, ...] = ()


def recourse_model(
    session: ModelSession, row: Hashable, *, n: int = SHOWN, random_state: int | None = None
) -> RecourseModel:
    """The "What would change it?" section of one case.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    n : int, default 3
        Counterfactuals shown.
    random_state : int, optional
        Seed of the search (default: the session's).

    Returns
    -------
    RecourseModel
    """
    target = None
    if session.task_ == "binary" and session.favorable_ is not None:
        position = session.core.positions_of([row])[0]
        predicted = session.core.outputs().y_pred[position]
        if predicted != session.favorable_:  # refused: what gets the favourable outcome
            target = session.favorable_
    found = session.counterfactuals([row], n=n, target=target, random_state=random_state)
    summary = found.summary()
    sentence = str(summary["reading"].iloc[0])
    cases = found.cases()
    if cases.empty:
        return RecourseModel(sentence)
    changes = found.frame()
    features = list(dict.fromkeys(changes["feature"]))
    ranks = list(cases.index.get_level_values("rank"))
    position = session.core.positions_of([row])[0]
    case = session.core.frame.iloc[position]
    rows = []
    for feature in features:
        kind = column_kind(feature, session.core.column(feature))
        cells = [str(feature), formatting.value(case[feature], kind)]
        for rank in ranks:
            moved = changes[(changes["rank"] == rank) & (changes["feature"] == feature)]
            cells.append("" if moved.empty else formatting.value(moved["after"].iloc[0], kind))
        rows.append(tuple(cells))
    scored = session.task_ == "binary" and cases["score_after"].notna().all()
    lead = "The model says"
    if scored:  # every bracket is the chance of the answer sought, the case's own included
        wanted = cases["prediction_after"].iloc[0]
        lead += f" (chance of {session.core.class_description(wanted)})"
    before = float(cases["score_before"].iloc[0]) if scored else None
    answers = [lead, _said(session, summary["prediction"].iloc[0], before)]
    for _, answer in cases.iterrows():
        answers.append(_said(session, answer["prediction_after"], answer["score_after"]))
    return RecourseModel(
        sentence,
        headers=("Feature", "This case", *(f"Change {rank}" for rank in ranks)),
        rows=tuple(rows),
        answers=tuple(answers),
        plausible=tuple(bool(p) for p in cases["plausible"]),
    )


def _said(session: ModelSession, prediction: Any, score: float | None = None) -> str:
    if session.task_ == "regression":
        return formatting.number(float(prediction), 4) + (
            f" {session.target_unit}" if session.target_unit else ""
        )
    words = session.core.class_description(prediction)
    if score is not None and score == score and session.task_ == "binary":
        return f"{words} ({formatting.chance(float(score))})"
    return words
