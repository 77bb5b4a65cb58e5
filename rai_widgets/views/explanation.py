"""What the explanation charts take from a session: one row's explanation of the class it
is about (the waterfall), SHAP against LIME on it, feature importance per slice, the
dependence of the predicted class, and how contributions are written.

Each chart's data is a data-only object (:class:`CaseExplanation`, :class:`AgreementData`,
:class:`ImportanceData`, :class:`DependenceData`) that its Display draws (``from_data``); the
Displays' ``from_session`` compute it here, so the explanation charts ask the session in one
place. The explanation tab's view model (:mod:`rai_widgets.views.explanation_tab`) holds them.

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

import numpy as np
import pandas as pd

from rai_widgets.core.validation import is_numeric
from rai_widgets.formatting import number, percent, points
from rai_widgets.readings.explanation import contribution_decimals

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "AgreementData",
    "CaseExplanation",
    "DependenceData",
    "ImportanceData",
    "agreement_data",
    "case_effect_feature",
    "case_explanation",
    "contribution_formats",
    "dependence_data",
    "dependence_of_predicted_class",
    "importance_data",
    "most_important_feature",
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


@dataclass(frozen=True)
class AgreementData:
    """One case explained by SHAP and by LIME, of the same class: what the side-by-side chart
    and its reading compare.

    Attributes
    ----------
    shap_rows, lime_rows : pandas.DataFrame
        ``ModelSession.explain`` rows of the case by each explainer.
    task : str
        The session's task (how contributions are written).
    unit : str or None
        A regression target's unit, added to the numbers of the reading.
    """

    shap_rows: pd.DataFrame
    lime_rows: pd.DataFrame
    task: str
    unit: str | None

    def format(self) -> Format:
        """How a contribution of either explainer is written: one precision for both."""
        both = [*self.shap_rows["contribution"], *self.lime_rows["contribution"]]
        fmt, _, _ = contribution_formats(self.task, contributions=both)
        return fmt


def agreement_data(
    session: ModelSession, row: Hashable, *, class_: Any = None, random_state: int | None = None
) -> AgreementData:
    """Explain ``row`` with SHAP, then with LIME the class SHAP explained.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    class_, random_state
        As in :func:`row_explanation`.

    Returns
    -------
    AgreementData
    """
    shap_rows, _ = row_explanation(
        session, row, method="shap", class_=class_, random_state=random_state
    )
    if "class" in shap_rows.columns and len(shap_rows):
        class_ = shap_rows["class"].iloc[0]  # the class SHAP explained: LIME explains it too
    lime_rows, _ = row_explanation(
        session, row, method="lime", class_=class_, random_state=random_state
    )
    unit = session.target_unit if session.task_ == "regression" else None
    return AgreementData(shap_rows=shap_rows, lime_rows=lime_rows, task=session.task_, unit=unit)


#: Columns of a feature-importance table that are not a slice's key.
_IMPORTANCE_COLUMNS = ("class", "n", "importance", "importance_lo", "importance_hi")


@dataclass(frozen=True)
class ImportanceData:
    """What the model relies on, per slice: ``ModelSession.feature_importance`` with, for a
    multiclass model, the mean over classes (whose per-class bounds do not carry over to it:
    NaN).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (slice, feature): ``n``, ``importance`` and its 95% bounds.
    by_name : str or None
        The slicing column's name (None: the whole data).
    task : str
        The session's task (a classifier's importance reads in percentage points).
    """

    table: pd.DataFrame
    by_name: str | None
    task: str


def importance_data(
    session: ModelSession,
    by: Hashable | None = None,
    *,
    method: str = "shap",
    max_rows: int = 300,
    random_state: int | None = None,
) -> ImportanceData:
    """Feature importance per slice of ``by`` (``ModelSession.feature_importance``).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : column name, optional
        The slices (None: the whole data).
    method, max_rows, random_state
        As ``ModelSession.feature_importance`` takes them.

    Returns
    -------
    ImportanceData
    """
    table = session.feature_importance(
        by, method=method, max_rows=max_rows, random_state=random_state
    )
    if "class" in table.columns:  # multiclass: the mean over classes
        keys = [c for c in table.columns if c not in _IMPORTANCE_COLUMNS]
        table = (
            table.groupby(keys, sort=False, dropna=False)
            .agg(n=("n", "first"), importance=("importance", "mean"))
            .reset_index()
        )
        table["importance_lo"] = np.nan
        table["importance_hi"] = np.nan
    return ImportanceData(
        table=table.reset_index(drop=True),
        by_name=None if by is None else str(by),
        task=session.task_,
    )


def most_important_feature(
    session: ModelSession, *, max_rows: int = 300, random_state: int | None = None
) -> Hashable:
    """The feature with the largest mean importance over the whole data (the "One feature"
    part's default).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    max_rows, random_state
        As ``ModelSession.feature_importance`` takes them.

    Returns
    -------
    column name
    """
    table = session.feature_importance(max_rows=max_rows, random_state=random_state)
    return table.groupby("feature")["importance"].mean().idxmax()


@dataclass(frozen=True)
class DependenceData:
    """One feature's SHAP contribution against its value, row by row, as the dependence plot
    draws it.

    Attributes
    ----------
    frame : pandas.DataFrame
        :func:`dependence_of_predicted_class`: ``value``, ``contribution`` and, when coloured,
        ``color``.
    feature : str
        The feature's name.
    color_by : str or None
        The colouring column's name.
    task : str
        The session's task (how a contribution is written).
    """

    frame: pd.DataFrame
    feature: str
    color_by: str | None
    task: str


def dependence_data(
    session: ModelSession,
    feature: Hashable,
    *,
    color_by: Hashable | None = None,
    max_rows: int = 300,
    random_state: int | None = None,
) -> DependenceData:
    """The dependence plot's data of ``feature`` (:func:`dependence_of_predicted_class`).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    feature, color_by, max_rows, random_state
        As in :func:`dependence_of_predicted_class`.

    Returns
    -------
    DependenceData
    """
    frame = dependence_of_predicted_class(
        session, feature, color_by=color_by, max_rows=max_rows, random_state=random_state
    )
    return DependenceData(
        frame=frame.reset_index(drop=True),
        feature=str(feature),
        color_by=None if color_by is None else str(color_by),
        task=session.task_,
    )
