"""What a model says about every row, and the checks its outputs must pass before any number
is computed from them.

Examples
--------
>>> import numpy as np
>>> out = ModelOutputs(y_pred=np.array(["a", "b"]), proba=np.array([[0.9, 0.1], [0.4, 0.5]]))
>>> check_outputs(out, np.zeros((2, 1)), 0, task="binary", classes=np.array(["a", "b"]),
...               model_name="Model")
Traceback (most recent call last):
...
rai_widgets.core.errors.ModelError: Model.predict_proba returned probabilities that do not ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ModelError
from rai_widgets.core.validation import plain_label

__all__ = ["PROBA_TOLERANCE", "ModelOutputs", "check_outputs"]

PROBA_TOLERANCE = 1e-4  # float32 models (LightGBM, XGBoost) sum to 1 within ~1e-7


@dataclass(frozen=True)
class ModelOutputs:
    """Everything the model says about every row, computed once.

    Attributes
    ----------
    y_pred : numpy.ndarray
        The model's own ``predict``.
    proba : numpy.ndarray or None
        ``predict_proba``, shape (n_rows, n_classes), columns in ``classes`` order.
    decision : numpy.ndarray or None
        ``decision_function`` when the model has no ``predict_proba``.
    """

    y_pred: np.ndarray
    proba: np.ndarray | None = None
    decision: np.ndarray | None = None


def check_outputs(
    outputs: ModelOutputs,
    X: Any,
    offset: int,
    *,
    task: str,
    classes: np.ndarray | None,
    model_name: str,
) -> ModelOutputs:
    """Refuse outputs that would turn into wrong numbers further on.

    Regression predictions must be finite; labels must be among ``classes``; probabilities
    finite, within [0, 1] and summing to 1 (within :data:`PROBA_TOLERANCE`); decision values
    finite.

    Parameters
    ----------
    outputs : ModelOutputs
        One chunk's outputs.
    X : DataFrame or array
        The whole data (for the offending row's label).
    offset : int
        Position of the chunk's first row in ``X``.
    task : str
        "binary", "multiclass" or "regression".
    classes : numpy.ndarray or None
        The model's classes.
    model_name : str
        Named in the error.

    Returns
    -------
    ModelOutputs
        ``outputs`` unchanged.

    Raises
    ------
    ModelError
        Naming the method and the first offending row (label and position).
    """

    def fail(method: str, bad: np.ndarray, what: str) -> None:
        position = offset + int(np.flatnonzero(bad)[0])
        label = X.index[position] if isinstance(X, (pd.DataFrame, pd.Series)) else position
        label = plain_label(label)
        raise ModelError(
            f"{model_name}.{method} returned {what} for {int(bad.sum())} "
            f"row(s), the first at row {label!r} (position {position}). rai_widgets cannot "
            "show trustworthy numbers from such outputs; check the model and the data."
        )

    if task == "regression":
        bad = ~np.isfinite(outputs.y_pred)
        if bad.any():
            fail("predict", bad, "a non-finite value (NaN or infinity)")
        return outputs
    if classes is None:  # set for every classification task; pd.Index(None) raised TypeError
        raise TypeError(f"check_outputs needs the classes of a {task} model; got None.")
    known = pd.Index(classes)
    bad = known.get_indexer(outputs.y_pred) < 0
    if bad.any():
        first = outputs.y_pred[np.flatnonzero(bad)[0]]
        fail(
            "predict",
            bad,
            f"a label that is not one of its classes ({first!r} not in {classes.tolist()})",
        )
    if outputs.proba is not None:
        proba = outputs.proba
        bad = ~np.isfinite(proba).all(axis=1)
        if bad.any():
            fail("predict_proba", bad, "a non-finite probability (NaN or infinity)")
        bad = ((proba < -PROBA_TOLERANCE) | (proba > 1 + PROBA_TOLERANCE)).any(axis=1)
        if bad.any():
            fail("predict_proba", bad, "a probability outside [0, 1]")
        bad = np.abs(proba.sum(axis=1) - 1.0) > PROBA_TOLERANCE
        if bad.any():
            fail("predict_proba", bad, "probabilities that do not sum to 1")
    if outputs.decision is not None:
        bad = ~np.isfinite(outputs.decision.reshape(len(outputs.decision), -1)).all(axis=1)
        if bad.any():
            fail("decision_function", bad, "a non-finite score (NaN or infinity)")
    return outputs
