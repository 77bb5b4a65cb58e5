"""The model in one line of text: Pipeline steps, a ColumnTransformer's parts, wrapped models.

Examples
--------
>>> import pandas as pd
>>> from sklearn.preprocessing import StandardScaler
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> X = pd.DataFrame({"b": [1.0, 2.0]})
>>> describe_model(make_pipeline(StandardScaler(), LogisticRegression()), X)
'StandardScaler -> LogisticRegression'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.validation import is_numeric

__all__ = ["describe_model", "final_estimator"]


def _column_names(columns: Any, names_in: list) -> list | None:
    """The column names a ColumnTransformer entry selects (None when it cannot tell)."""
    try:
        if isinstance(columns, (str, bytes)):
            return [columns]
        if isinstance(columns, (int, np.integer)):
            return [names_in[int(columns)]]
        if isinstance(columns, slice):
            return list(names_in[columns])
        if callable(columns):
            return None
        array = np.asarray(columns)
        if array.dtype == bool:
            return [name for name, keep in zip(names_in, array, strict=True) if keep]
        if array.dtype.kind in "iu":
            return [names_in[int(i)] for i in array]
        return list(array.tolist())
    except (IndexError, TypeError, ValueError):
        return None


def _count_columns(names: list, X: pd.DataFrame) -> str:
    n = len(names)
    known = [name for name in names if name in X.columns]
    if len(known) < n:
        return f"{n} column{'s' if n != 1 else ''}"
    numeric = sum(is_numeric(X[name]) for name in known)
    text = n - numeric
    if numeric == 0:
        return f"{n} text column{'s' if n != 1 else ''}"
    if text == 0:
        return f"{n} numeric column{'s' if n != 1 else ''}"
    return f"{n} columns ({text} text, {numeric} numeric)"


def _is_passthrough(transformer: Any) -> bool:
    return type(transformer).__name__ == "FunctionTransformer" and (
        getattr(transformer, "func", 0) is None
    )


def _describe(estimator: Any, X: pd.DataFrame, *, inner: bool = False) -> str:
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps and all(isinstance(s, tuple) for s in steps):
        parts = [
            _describe(step, X, inner=True)
            for _, step in steps
            if step is not None and step != "passthrough"
        ]
        text = " -> ".join(parts)
        return f"({text})" if inner and len(parts) > 1 else text
    fitted = getattr(estimator, "transformers_", None)
    if isinstance(fitted, list):
        names_in = list(getattr(estimator, "feature_names_in_", X.columns))
        parts = []
        for _, transformer, columns in fitted:
            names = _column_names(columns, names_in)
            if names is not None and not names:
                continue
            where = "some columns" if names is None else _count_columns(names, X)
            if _is_passthrough(transformer):  # sklearn fits "passthrough" as an identity
                transformer = "passthrough"
            if isinstance(transformer, str):
                parts.append(f"{transformer} {where}")
            else:
                parts.append(f"{_describe(transformer, X, inner=True)} on {where}")
        return f"{type(estimator).__name__}({'; '.join(parts)})"
    wrapped = getattr(estimator, "estimator", None)
    if wrapped is None:
        wrapped = getattr(estimator, "regressor", None)  # TransformedTargetRegressor
    # a wrapper (CalibratedClassifierCV ...), not an ensemble of copies (RandomForest ...)
    if hasattr(wrapped, "get_params") and not hasattr(estimator, "estimators_"):
        return f"{type(estimator).__name__}({_describe(wrapped, X, inner=True)})"
    return type(estimator).__name__


def describe_model(model: Any, X: pd.DataFrame) -> str:
    """The model in one line: Pipeline steps joined by "->", a ColumnTransformer's parts.

    Parameters
    ----------
    model : estimator
        A fitted model, Pipeline or wrapper; anything else reads as its class name.
    X : pandas.DataFrame
        The raw data, to tell text from numeric columns.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.compose import make_column_transformer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import OneHotEncoder
    >>> X = pd.DataFrame({"a": ["x", "y", "x", "y"], "b": [1.0, 2.0, 3.0, 4.0]})
    >>> pre = make_column_transformer((OneHotEncoder(), ["a"]), remainder="passthrough")
    >>> print(describe_model(make_pipeline(pre, LogisticRegression()).fit(X, [0, 1, 0, 1]), X))
    ColumnTransformer(OneHotEncoder on 1 text column; passthrough 1 numeric column) -> ...
    """
    try:
        return _describe(model, X)
    except Exception:  # a duck-typed model with odd attributes: its class name is enough
        return type(model).__name__


def final_estimator(model: Any) -> Any:
    """The last step of a Pipeline (the model itself otherwise).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> type(final_estimator(make_pipeline(StandardScaler(), LogisticRegression()))).__name__
    'LogisticRegression'
    """
    steps = getattr(model, "steps", None)
    if isinstance(steps, list) and steps and isinstance(steps[-1], tuple):
        return steps[-1][1]
    return model
