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

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.core.validation import is_numeric
from rai_widgets.formatting import number, percent, points
from rai_widgets.readings.explanation import contribution_decimals

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "CaseExplanation",
    "case_effect_feature",
    "case_explanation",
    "contribution_formats",
    "dependence_of_predicted_class",
    "row_explanation",
]

Format = Callable[[float], str]


def contribution_formats(
    task: str,
    output: str = "probability",
    *,
    contributions: Sequence[float] | None = None,
    unit: str | None = None,
) -> tuple[Format, Format, str]:
    """How contributions and levels of an explained output are written, and their unit.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
        The session's task.
    output : str, default "probability"
        What is explained: a classifier's probability (in percentage points) or anything else.
    contributions : sequence of float, optional
        The contributions shown together: a regression's then read with one precision
        (:func:`~rai_widgets.readings.explanation.contribution_decimals`), not "+5.1" beside
        "+4.57". Without them, three significant digits each.
    unit : str, optional
        The regression target's unit (``ModelSession.target_unit``): the unit returned.

    Returns
    -------
    contribution, level : callable
        Formats of a contribution and of a level (the base value, a prediction), bare (a
        chart's title or axis names the unit).
    unit : str
        The unit of a contribution, in words.

    Examples
    --------
    >>> contribution, level, unit = contribution_formats("binary")
    >>> unit, level(0.25)
    ('percentage points', '25%')
    >>> contribution, _, unit = contribution_formats(
    ...     "regression", contributions=[-17.3, 4.57, 0.842], unit="thousand dollars")
    >>> [contribution(v) for v in (-17.3, 4.57, 0.842)], unit
    (['-17.3', '+4.6', '+0.8'], 'thousand dollars')
    """
    if task != "regression" and output == "probability":
        return points, (lambda v: percent(v, 0)), "percentage points"
    words = unit or "units of the prediction"
    if contributions is None:
        return (lambda v: number(v, 3, signed=True)), (lambda v: number(v, 4)), words
    decimals = contribution_decimals(contributions)
    return (
        (lambda v: number(round(float(v), decimals) + 0.0, decimals=decimals, signed=True)),
        (lambda v: number(v, 4)),
        words,
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


@dataclass(frozen=True)
class CaseExplanation:
    """One case's explanation of the class it is about, as its waterfall draws it.

    Attributes
    ----------
    rows : pandas.DataFrame
        ``ModelSession.explain`` rows of the case and that class.
    subject : str
        What is explained ("P(>50K)", "prediction").
    task : str
        The session's task (how contributions are written).
    """

    rows: pd.DataFrame
    subject: str
    task: str

    def formats(self) -> tuple[Format, Format]:
        """How its contributions and its levels (base value, prediction) are written."""
        fmt, level_fmt, _ = contribution_formats(self.task, contributions=self.rows["contribution"])
        return fmt, level_fmt


def case_explanation(
    session: ModelSession,
    row: Hashable,
    *,
    method: str = "shap",
    class_: Any = None,
    random_state: int | None = None,
) -> CaseExplanation:
    """Explain one case (:func:`row_explanation`) for its waterfall.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    method, class_, random_state
        As in :func:`row_explanation`.

    Returns
    -------
    CaseExplanation
    """
    rows, subject = row_explanation(
        session, row, method=method, class_=class_, random_state=random_state
    )
    return CaseExplanation(rows=rows, subject=subject, task=session.task_)


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
