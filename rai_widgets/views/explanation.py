"""What the explanation charts take from a session: one row's explanation of the class it
is about, the dependence of the predicted class, and how contributions are written.

The Displays' ``from_session`` hand the session to these functions and draw what comes back,
so the explanation charts ask the session in one place.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> rows, subject = row_explanation(s, 0, method="shap")
>>> subject, sorted(rows["feature"])
('prediction', ['age', 'year'])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.core.validation import is_numeric
from rai_widgets.formatting import number, percent, points

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "case_effect_feature",
    "contribution_formats",
    "dependence_of_predicted_class",
    "row_explanation",
]

Format = Callable[[float], str]


def contribution_formats(task: str, output: str = "probability") -> tuple[Format, Format, str]:
    """How contributions and levels of an explained output are written, and their unit.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
        The session's task.
    output : str, default "probability"
        What is explained: a classifier's probability (in percentage points) or anything else.

    Returns
    -------
    contribution, level : callable
        Formats of a contribution and of a level (the base value, a prediction).
    unit : str
        The unit of a contribution, in words.

    Examples
    --------
    >>> contribution, level, unit = contribution_formats("binary")
    >>> unit, level(0.25)
    ('percentage points', '25%')
    """
    if task != "regression" and output == "probability":
        return points, (lambda v: percent(v, 0)), "percentage points"
    return (
        (lambda v: number(v, 3, signed=True)),
        (lambda v: number(v, 4)),
        "units of the prediction",
    )


def row_explanation(
    session: ModelSession,
    row: Hashable,
    *,
    method: str,
    class_: Any = None,
    random_state: int | None = None,
) -> tuple[pd.DataFrame, str]:
    """One row's explanation, of one class, and what it explains in words.

    Parameters
    ----------
    session : ModelSession
        The session.
    row : label
        A row label of X.
    method : {"shap", "lime"}
        The explainer.
    class_ : label, optional
        Multiclass: the class explained (default the predicted one). Binary: the positive
        class always.
    random_state : int, optional
        Seed of the explainer.

    Returns
    -------
    rows : pandas.DataFrame
        ``ModelSession.explain`` rows of that row and class.
    subject : str
        What is explained: "prediction" (with its unit) or "chance of <class>".
    """
    explanation = session.explain([row], method=method, random_state=random_state)
    if "class" in explanation.columns:
        if class_ is None:
            position = session.core.positions_of([row])[0]
            class_ = session.predictions()["y_pred"].iloc[position]
        explanation = explanation[explanation["class"] == class_]
    elif session.task_ == "binary":
        class_ = session.pos_label_
    if session.task_ == "regression":
        unit = session.target_unit
        subject = f"prediction, in {unit}" if unit else "prediction"
    else:
        subject = f"chance of {session.core.class_description(class_)}"
    return explanation.reset_index(drop=True), subject


def dependence_of_predicted_class(
    session: ModelSession,
    feature: Hashable,
    *,
    color_by: Hashable | None = None,
    max_rows: int = 300,
    random_state: int | None = None,
) -> pd.DataFrame:
    """The SHAP dependence of ``feature`` (``ModelSession.effects(kind="shap")``), for each
    row the class it is predicted.

    Parameters
    ----------
    session : ModelSession
        The session.
    feature, color_by, max_rows, random_state
        As ``ModelSession.effects(feature, kind="shap", by=color_by, n_ice=max_rows)`` takes
        them.

    Returns
    -------
    pandas.DataFrame
        One row per explained row (multiclass: its predicted class only).
    """
    frame = session.effects(
        feature, kind="shap", by=color_by, n_ice=max_rows, random_state=random_state
    )
    if "class" in frame.columns:
        predicted = session.predictions()["y_pred"]
        positions = session.core.positions_of(frame["row"].tolist())
        frame = frame[frame["class"].to_numpy() == predicted.to_numpy()[positions]]
    return frame


def case_effect_feature(
    session: ModelSession, row: Hashable, *, random_state: int | None = None
) -> Hashable | None:
    """The feature whose effect a case's detail pane draws: the numeric feature that moves
    this case's answer most (its largest SHAP contribution), or None when the case's
    explanation has no numeric feature.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label
        The case.
    random_state : int, optional
        Seed of the explanation.

    Returns
    -------
    column name or None
    """
    explanation, _ = row_explanation(session, row, method="shap", random_state=random_state)
    frame = session.core.frame
    numeric = [
        f for f in explanation["feature"]
        if f in frame.columns and is_numeric(frame[f]) and frame[f].nunique() > 2
    ]  # fmt: skip
    if not numeric:
        return None
    shown = explanation[explanation["feature"].isin(numeric)]
    return shown.loc[shown["contribution"].abs().idxmax(), "feature"]
