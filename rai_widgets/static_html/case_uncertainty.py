"""How sure the model is of one case, read from the case's own answer: the uncertainty view's
case reading (:func:`rai_widgets.static_html.uncertainty.case_reading`) for a row of X, and the
single page's what-if for a case edited from one (an answer the session never predicted for X).

The case is given by its raw features and the model's answer to them (its prediction and, for a
classifier, its probability of each class); the conformal result sets the answer set or the
interval. Every sentence comes from :mod:`rai_widgets.readings.uncertainty`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> model = LogisticRegression(max_iter=5000).fit(X, y)
>>> s = rw.ModelSession(model, X, y, random_state=0)
>>> result = s.conformal(confidence_level=0.9, calibration=0.5)
>>> proba = dict(zip(model.classes_, model.predict_proba(X.iloc[[3]])[0]))
>>> text, chart = outcome_reading(s, X.iloc[[3]], y_pred=0, proba=proba, conformal=result)
>>> text.startswith("Of 100 cases the model scores like this one, about 69"), chart
(True, '')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.conformal import ConformalResult, prediction_set
from rai_widgets.core.errors import ValidationError
from rai_widgets.display.svg import bar_chart
from rai_widgets.display.uncertainty import OutcomeDisplay
from rai_widgets.readings.uncertainty import case_score_sentence, interval_sentence, set_sentence
from rai_widgets.readings.uncertainty_limits import wide_interval_sentence
from rai_widgets.views.uncertainty import right_when_over_99, target_quartiles

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["case_group", "outcome_reading"]


def case_group(session: ModelSession, position: int, conformal: ConformalResult) -> Any:
    """The Mondrian group of the row at ``position`` (None when the result has one cut-off).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    position : int
        The row's position in X.
    conformal : ConformalResult
        The result whose groups are asked for.

    Returns
    -------
    object
        The row's value of ``conformal.mondrian_by``, or None.
    """
    if conformal.mondrian_by is None:
        return None
    return session.core.column(conformal.mondrian_by).iloc[position]


def outcome_reading(
    session: ModelSession,
    features: pd.DataFrame,
    *,
    y_pred: Any,
    proba: Mapping[Any, float] | None,
    conformal: ConformalResult,
    group: Any = None,
) -> tuple[str, str]:
    """The plain-language reading of one case's answer, and its chart.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : pandas.DataFrame
        The case's raw features (one row; a regression interval's width can depend on them).
    y_pred : object
        The model's prediction for the case.
    proba : mapping or None
        Its probability of each class (classifiers), in the session's class order.
    conformal : ConformalResult
        ``session.conformal(...)``: its threshold makes the answer set or interval.
    group : object, optional
        The case's Mondrian group (:func:`case_group`).

    Returns
    -------
    text : str
        "Of 100 cases the model scores like this one, ..." (a score over 99% set against how
        often such scores came true) and the conformal set, or why it is empty
        (classification); the best guess and its interval, read as adaptive ("for cases like
        this one") only when its width depends on the case, and called too wide to act on when
        it is wider than the middle half of the true values (regression).
    chart : str
        The likeliest classes (multiclass), a quantile dotplot marking the prediction and
        the interval (regression), or "".
    """
    s = session
    level = conformal.confidence_level
    if s.task_ == "regression":
        y_value = float(y_pred)
        display = OutcomeDisplay.from_conformal(conformal, features, y_value, unit=s.target_unit)
        if group is not None:  # the dotplot's band and the sentence use the case's group
            lower, upper = conformal.interval_for(features, [y_value], group=group)
            display.lower, display.upper = float(lower[0]), float(upper[0])
        text = interval_sentence(
            y_value,
            display.lower,
            display.upper,
            level,
            adaptive=conformal.adaptive,
            unit=s.target_unit,
        )
        quartiles = target_quartiles(s)
        if quartiles is not None and np.isfinite(display.lower) and np.isfinite(display.upper):
            wide = wide_interval_sentence(
                display.lower,
                display.upper,
                *quartiles,
                unit=s.target_unit,
                target=s.core.target_name_,
            )
            text = f"{text} {wide}" if wide else text
        return text, display.to_svg()
    if proba is None:
        raise ValidationError("proba: a classifier's case is read from its class probabilities.")
    top = sorted(proba.items(), key=lambda kv: -kv[1])
    label, p = top[0]
    checked = right_when_over_99(s) if p > 0.99 else None
    sentences = [case_score_sentence(s.core.class_description(label), p, checked=checked)]
    threshold = conformal.threshold_for(group)
    in_set = prediction_set(proba, threshold)
    members = [s.core.class_description(c) for c in in_set]
    sentences.append(
        set_sentence(
            members,
            level,
            best=s.core.class_description(label),
            best_p=p,
            cutoff=max(0.0, 1.0 - threshold),
            set_p=sum(proba[c] for c in in_set),
            n_classes=len(proba),
        )
    )
    chart = ""
    if s.task_ == "multiclass":
        shown = top[:3]
        chart = bar_chart(
            [s.core.class_description(c) for c, _ in shown],
            [v for _, v in shown],
            title="The likeliest classes",
            fmt=lambda v: formatting.percent(v, 0),
            signed_colors=False,
            width=520,
        )
    return " ".join(sentences), chart
