"""Metric inputs and slices from arrays a user already has: no model, no session.

What a Display's ``from_predictions`` is built on: the true values, the model's answers and,
optionally, its scores and the groups, checked once and turned into the same
:class:`~rai_widgets.compute.slice_metrics.MetricInputs` and
:class:`~rai_widgets.core.slices.SliceSet` a session would compute.

Examples
--------
>>> import numpy as np
>>> inputs = metric_inputs_from_predictions(["a", "b", "b"], ["a", "b", "a"], task="binary")
>>> inputs.task, inputs.pos_label
('binary', 'b')
>>> slices = slices_from_values(np.array(["x", "y", "x"]), n_rows=3, argument="sensitive_features")
>>> slices.sizes.tolist()
[2, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.slice_metrics import MetricInputs
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import DEFAULT_MAX_GROUPS, SliceSet, resolve_slices

__all__ = [
    "metric_inputs_from_predictions",
    "one_dimensional",
    "slices_from_values",
]


def one_dimensional(values: Any, *, argument: str, n_rows: int | None = None) -> pd.Series:
    """``values`` as a Series of one value per row, checked for shape, length and gaps.

    Parameters
    ----------
    values : array-like
        A list, array or Series (its name is kept).
    argument : str
        The argument's name, for the error.
    n_rows : int, optional
        The length it must have.

    Returns
    -------
    pandas.Series
        With a fresh RangeIndex.

    Raises
    ------
    ValidationError
        If ``values`` is not one-dimensional, has the wrong length or a missing value.

    Examples
    --------
    >>> one_dimensional([1, 2], argument="y_true").tolist()
    [1, 2]
    """
    name = getattr(values, "name", None)
    array = values.array if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if getattr(array, "ndim", 1) != 1:
        raise ValidationError(
            f"{argument} must hold one value per row (one-dimensional); got shape "
            f"{np.shape(array)}."
        )
    series = pd.Series(array, name=name)
    if n_rows is not None and len(series) != n_rows:
        raise ValidationError(
            f"{argument} has {len(series)} values but y_true has {n_rows}: give one per row."
        )
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValidationError(
            f"{argument} has {int(missing.sum())} missing values (first at position "
            f"{int(np.flatnonzero(missing)[0])}): drop those rows or fill them first."
        )
    return series


def _scores(y_score: Any, n_rows: int) -> np.ndarray:
    series = one_dimensional(y_score, argument="y_score", n_rows=n_rows)
    try:
        scores = series.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(
            "y_score must be numbers (the positive class's probability or score)."
        ) from None
    if not np.isfinite(scores).all():
        raise ValidationError("y_score has infinite values: give finite scores.")
    return scores


def metric_inputs_from_predictions(
    y_true: Any,
    y_pred: Any,
    *,
    task: str | None = None,
    y_score: Any = None,
    pos_label: Any = None,
) -> MetricInputs:
    """The per-row arrays slice metrics are computed from, built from a user's own arrays.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_rows,)
        True and predicted labels (classification) or values (regression).
    task : {"binary", "multiclass", "regression"}, optional
        What the predictions are; default a classification, binary when there are at most
        two labels.
    y_score : array-like of shape (n_rows,), optional
        Binary only: the positive class's probability (or any score, for AUC).
    pos_label : label, optional
        Binary only: the positive class; default the last of the two labels in sorted order.

    Returns
    -------
    MetricInputs

    Raises
    ------
    ValidationError
        If the arrays differ in length or hold missing values, a binary task has more than two
        labels, ``pos_label`` is not one of them, or ``y_score`` is given for another task.

    Examples
    --------
    >>> inputs = metric_inputs_from_predictions([0, 1, 1], [0, 1, 0], task="binary",
    ...                                         y_score=[0.2, 0.9, 0.4])
    >>> inputs.pos_label, inputs.score_is_probability
    (1, True)
    """
    truth = one_dimensional(y_true, argument="y_true")
    answer = one_dimensional(y_pred, argument="y_pred", n_rows=len(truth))
    if task == "regression":
        if y_score is not None:
            raise ValidationError("y_score applies to binary classification, not regression.")
        try:
            return MetricInputs(
                "regression", truth.to_numpy(dtype=float), answer.to_numpy(dtype=float)
            )
        except (TypeError, ValueError):
            raise ValidationError(
                "A regression metric needs numbers in y_true and y_pred; got "
                f"{truth.dtype} and {answer.dtype}."
            ) from None
    classes = np.asarray(pd.unique(pd.concat([truth, answer], ignore_index=True)), dtype=object)
    try:
        classes = np.sort(classes)
    except TypeError:
        pass  # labels of mixed types keep the order they are first seen in
    if task is None:
        task = "binary" if len(classes) <= 2 else "multiclass"
    if task not in ("binary", "multiclass"):
        raise ValidationError(f"task must be 'binary', 'multiclass' or 'regression'; got {task!r}.")
    if task == "binary":
        if len(classes) > 2:
            raise ValidationError(
                f"y_true and y_pred hold {len(classes)} labels; a binary task has at most two "
                "(use a multiclass metric, e.g. accuracy, for more)."
            )
        if pos_label is None:
            pos_label = classes[-1]
        elif pos_label not in list(classes):
            raise ValidationError(
                f"pos_label {pos_label!r} is not among the labels {list(classes)}."
            )
    elif pos_label is not None or y_score is not None:
        raise ValidationError("pos_label and y_score apply to binary classification only.")
    score = None if y_score is None else _scores(y_score, len(truth))
    return MetricInputs(
        task,
        truth.to_numpy(dtype=object),
        answer.to_numpy(dtype=object),
        score=score,
        classes=classes,
        pos_label=pos_label,
        score_is_probability=score is not None and bool(((score >= 0) & (score <= 1)).all()),
    )


def _no_columns(name: Any) -> pd.Series:
    raise ValidationError(
        f"sensitive_features={name!r} looks like a column name, but there is no data frame to "
        "take it from: give the values (a Series, an array, or a DataFrame of several)."
    )


def slices_from_values(
    values: Any, *, n_rows: int, argument: str, max_groups: int = DEFAULT_MAX_GROUPS
) -> SliceSet:
    """The groups of the rows, from the values that name each row's group.

    Parameters
    ----------
    values : Series, array, DataFrame or None
        One value per row (a DataFrame: the intersections of its columns); None: one group.
        Numeric values with more than 10 distinct values are cut into quartiles, as in a
        session.
    n_rows : int
        The number of rows.
    argument : str
        The argument's name, for the error.
    max_groups : int, default 250
        More groups than this raise :class:`~rai_widgets.core.errors.TooManyGroupsError`.

    Returns
    -------
    SliceSet

    Examples
    --------
    >>> import pandas as pd
    >>> slices_from_values(pd.Series(["a", "b", "a"], name="g"), n_rows=3,
    ...                    argument="sensitive_features").labels.tolist()
    ['a', 'b']
    """
    index = pd.RangeIndex(n_rows)
    if values is None:
        return resolve_slices(None, _no_columns, index, max_groups=max_groups)
    parts: Any
    if isinstance(values, pd.DataFrame):
        if len(values) != n_rows:
            raise ValidationError(
                f"{argument} has {len(values)} rows but y_true has {n_rows}: give one per row."
            )
        parts = [values[c].set_axis(index).rename(c) for c in values.columns]
    elif isinstance(values, (str, int)) and not isinstance(values, bool):
        _no_columns(values)
        raise AssertionError  # unreachable: _no_columns raises
    else:
        if np.ndim(values) != 1 or len(values) != n_rows:
            raise ValidationError(
                f"{argument} must hold one value per row: {n_rows} values, as y_true; got shape "
                f"{np.shape(values)}."
            )
        series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
        parts = series.set_axis(index)
    return resolve_slices(parts, _no_columns, index, max_groups=max_groups)
