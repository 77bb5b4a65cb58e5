"""Exact SHAP values for tree ensembles and linear models, summed back to raw columns.

* Trees (scikit-learn forests and boosting, HistGradientBoosting without native categorical
  splits, xgboost, lightgbm): shap's TreeExplainer, interventional, on the features the final
  estimator sees, against the same background rows as the model-agnostic path, so the base
  value means the same thing ("the model's average over the rows").
* Linear models (regression, or binary logistic models explained in log-odds): contributions
  are ``coef * (x - mean(background))`` on the transformed features, exactly additive.

Transformed features are summed back to their raw columns with
:func:`~rai_widgets.compute.feature_map.raw_feature_map`. Every result is checked against the
model's own output; when the check fails (shap issue #3436: HistGradientBoosting with native
categorical splits), the caller falls back to the model-agnostic explainer. A path that does not
apply returns None.

Examples
--------
>>> import pandas as pd
>>> from sklearn.linear_model import LinearRegression
>>> X = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 0.0, 1.0]})
>>> model = LinearRegression().fit(X, [1.0, 2.0, 4.0])
>>> phi, base = linear_shap(model, X.iloc[:1], X, task="regression", output="probability")
>>> round(float(phi[0, :, 0].sum() + base[0]), 6) == round(float(model.predict(X.iloc[:1])[0]), 6)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from rai_widgets.compute.feature_map import raw_feature_map, split_pipeline

__all__ = ["linear_shap", "tree_shap"]

ADDITIVITY_TOLERANCE = 1e-6
_FLOAT32_TREES = ("sklearn.tree", "sklearn.ensemble._forest", "sklearn.ensemble._gb", "xgboost")


def _dense(X: Any) -> np.ndarray:
    if sp.issparse(X):
        return np.asarray(X.toarray(), dtype=float)
    return np.asarray(X, dtype=float)


def _transformed(pre: Any, rows: Any, background: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """Rows and background as the final step sees them, as floats; None when they are not
    numbers there (raw text or category columns fed to a model that encodes them itself, as
    LightGBM and XGBoost do with pandas categoricals): the exact path does not apply."""
    try:
        rows_t = _dense(rows if pre is None else pre.transform(rows))
        bg_t = _dense(background if pre is None else pre.transform(background))
    except (ValueError, TypeError):
        return None
    return rows_t, bg_t


def _to_raw(phi_t: np.ndarray, mapping: np.ndarray, n_raw: int) -> np.ndarray:
    """Sum transformed-feature contributions (R, M_t, K) into raw columns (R, M, K)."""
    out = np.zeros((phi_t.shape[0], n_raw, phi_t.shape[2]))
    # numpy's stubs type ufunc.at's indices as one integer array; a tuple works at runtime
    np.add.at(out, (slice(None), mapping), phi_t)  # type: ignore[arg-type]
    return out


def _has_native_categorical_splits(final: Any) -> bool:
    flags = getattr(final, "is_categorical_", None)
    return flags is not None and bool(np.any(flags))


def tree_shap(
    model: Any,
    rows: Any,
    background: Any,
    *,
    task: str,
    output: str,
    class_indices: Sequence[int] | None,
    perturbation: str = "interventional",
) -> tuple[np.ndarray, np.ndarray] | None:
    """TreeSHAP in raw columns, or None if it does not apply.

    Parameters
    ----------
    model : fitted estimator or Pipeline
        Its final step must be a tree model shap supports.
    rows, background : model input (DataFrame or array)
        Rows to explain and background rows, in the model's own input form.
    task : str
        "binary", "multiclass" or "regression".
    output : str
        Only "probability" (classifiers) is explained exactly here.
    class_indices : sequence of int, optional
        Explained classes.
    perturbation : {"interventional", "tree_path_dependent"}
        Interventional (against ``background``) by default. The path-dependent algorithm (the
        training data's own cover as reference) applies to regression only; it is the
        fallback when shap's interventional sums drift for large outputs.

    Returns
    -------
    (phi, base) or None
        ``phi`` (R, M, K) in raw columns and ``base`` (K,).
    """
    if task != "regression" and output != "probability":
        return None
    if perturbation != "interventional" and task != "regression":
        return None
    pre, final = split_pipeline(model)
    if _has_native_categorical_splits(final):
        return None  # shap returns wrong values for these (shap issue #3436)
    n_raw = rows.shape[1]
    mapping = raw_feature_map(pre, n_raw=n_raw, columns=getattr(rows, "columns", None))
    if mapping is None:
        return None
    try:
        import shap
    except ImportError:
        return None
    dense = _transformed(pre, rows, background)
    if dense is None:
        return None
    rows_t, bg_t = dense
    if rows_t.shape[1] != len(mapping):
        return None
    kind = "raw" if task == "regression" else "probability"
    if getattr(final, "__module__", "").startswith(_FLOAT32_TREES):
        # these trees compare float32 features with float32 thresholds: give shap the same
        # values, or a value next to a threshold goes down the other branch
        rows_t = rows_t.astype(np.float32).astype(float)
        bg_t = bg_t.astype(np.float32).astype(float)
    try:
        explainer = shap.TreeExplainer(
            final,
            data=bg_t if perturbation == "interventional" else None,
            model_output=kind,
            feature_perturbation=perturbation,
        )
        values = np.asarray(explainer.shap_values(rows_t, check_additivity=False), dtype=float)
    except Exception:  # a model shap's TreeExplainer does not take
        return None
    base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
    if values.ndim == 2:
        values = values[:, :, None]
    elif values.ndim == 3 and values.shape[0] != rows_t.shape[0]:  # (K, R, M) layout
        values = np.transpose(values, (1, 2, 0))
    if task != "regression":
        if class_indices is None:
            raise TypeError(f"tree_shap needs class_indices for a {task} task; got None.")
        if values.shape[2] == 1 and task == "binary":  # only classes_[1] reported
            if list(class_indices) == [0]:
                values, base = -values, 1.0 - base
        else:
            values = values[:, :, list(class_indices)]
            base = base[list(class_indices)]
    return _to_raw(values, mapping, n_raw), base


def linear_shap(
    model: Any,
    rows: Any,
    background: Any,
    *,
    task: str,
    output: str,
    class_indices: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Exact SHAP values of a linear final step, in raw columns, or None if it does not apply.

    Applies to regressors with ``coef_`` and to binary classifiers explained in log-odds.

    Returns
    -------
    (phi, base) or None
        ``phi`` (R, M, 1) and ``base`` (1,).
    """
    pre, final = split_pipeline(model)
    coef = getattr(final, "coef_", None)
    intercept = getattr(final, "intercept_", None)
    if coef is None or intercept is None:
        return None
    coef = np.asarray(coef, dtype=float)
    if task == "regression":
        if coef.ndim != 1 and coef.shape[0] != 1:
            return None
    elif task == "binary" and output == "log_odds" and coef.shape[0] == 1:
        pass
    else:
        return None
    mapping = raw_feature_map(pre, n_raw=rows.shape[1], columns=getattr(rows, "columns", None))
    if mapping is None:
        return None
    dense = _transformed(pre, rows, background)
    if dense is None:
        return None
    rows_t, bg_t = dense
    weights = coef.ravel()
    if rows_t.shape[1] != len(weights) or len(mapping) != len(weights):
        return None
    offset = float(np.ravel(intercept)[0])
    if task == "binary" and class_indices is not None and list(class_indices) == [0]:
        weights, offset = -weights, -offset  # log-odds of classes_[0] is minus the margin
    center = bg_t.mean(axis=0)
    phi_t = (rows_t - center) * weights
    base = np.array([offset + float(center @ weights)])
    return _to_raw(phi_t[:, :, None], mapping, rows.shape[1]), base
