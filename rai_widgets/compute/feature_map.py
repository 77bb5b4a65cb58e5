"""Trace a Pipeline's transformed features back to the raw columns they come from.

Exact explainers (TreeSHAP, linear) work on the features the final estimator sees: one-hot
columns, scaled numbers. Contributions are additive, so summing the contributions of all
transformed features that come from one raw column gives that column's contribution. This module
finds that mapping for the common, traceable cases: a ColumnTransformer whose transformers are
column-wise (one-hot encoding, ordinal encoding, scaling, imputation without indicators), each
possibly inside a Pipeline, followed by column-wise steps. Anything else returns None, and the
caller falls back to a model-agnostic explainer.

Examples
--------
>>> import pandas as pd
>>> from sklearn.compose import make_column_transformer
>>> from sklearn.preprocessing import OneHotEncoder, StandardScaler
>>> X = pd.DataFrame({"sex": ["F", "M", "F"], "age": [20.0, 30.0, 40.0]})
>>> ct = make_column_transformer((OneHotEncoder(), ["sex"]), (StandardScaler(), ["age"])).fit(X)
>>> raw_feature_map(ct, n_raw=2, columns=X.columns).tolist()
[0, 0, 1]
>>> raw_feature_map(ct, n_raw=3, columns=["id", "age", "sex"]).tolist()  # other order, more
[2, 2, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn import impute, preprocessing
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

__all__ = ["raw_feature_map", "split_pipeline"]

_ONE_TO_ONE = (
    preprocessing.StandardScaler,
    preprocessing.MinMaxScaler,
    preprocessing.MaxAbsScaler,
    preprocessing.RobustScaler,
    preprocessing.OrdinalEncoder,
    preprocessing.FunctionTransformer,  # only when it keeps the width; checked below
    impute.SimpleImputer,
)


def split_pipeline(model: Any) -> tuple[Any | None, Any]:
    """Split a Pipeline into (preprocessing, final estimator); (None, model) otherwise."""
    if isinstance(model, Pipeline) and len(model.steps) > 1:
        return model[:-1], model[-1]
    if isinstance(model, Pipeline):
        return None, model[-1]
    return None, model


def _n_out_per_input(transformer: Any, n_in: int) -> list[int] | None:
    """Outputs per input column of a column-wise transformer, or None if not column-wise."""
    if transformer == "passthrough" or transformer is None:
        return [1] * n_in
    if isinstance(transformer, preprocessing.OneHotEncoder):
        counts = getattr(transformer, "_n_features_outs", None)
        return list(counts) if counts is not None and len(counts) == n_in else None
    if isinstance(transformer, impute.SimpleImputer) and transformer.add_indicator:
        return None
    if isinstance(transformer, _ONE_TO_ONE):
        n_out = getattr(transformer, "n_features_in_", n_in)
        if isinstance(transformer, preprocessing.FunctionTransformer):
            try:
                n_out = len(transformer.get_feature_names_out())
            except Exception:
                return None
        return [1] * n_in if n_out == n_in else None
    return None


def _map_step(step: Any, n_in: int) -> np.ndarray | None:
    """For one fitted step: the input column of each of its output columns."""
    if isinstance(step, Pipeline):
        mapping = np.arange(n_in)
        for _, inner in step.steps:
            inner_map = _map_step(inner, len(mapping))
            if inner_map is None:
                return None
            mapping = mapping[inner_map]
        return mapping
    if isinstance(step, ColumnTransformer):
        return _map_column_transformer(step, n_in)
    counts = _n_out_per_input(step, n_in)
    if counts is None:
        return None
    return np.repeat(np.arange(n_in), counts)


def _map_column_transformer(ct: ColumnTransformer, n_in: int) -> np.ndarray | None:
    to_inputs = getattr(ct, "_transformer_to_input_indices", None)
    outputs = getattr(ct, "output_indices_", None)
    if to_inputs is None or outputs is None:
        return None
    n_out = max((s.stop for s in outputs.values()), default=0)
    mapping = np.full(n_out, -1)
    for name, transformer, _ in ct.transformers_:
        out = outputs.get(name)
        if out is None or out.stop == out.start or transformer == "drop":
            continue
        inputs = np.asarray(to_inputs[name])
        inner = _map_step(transformer, len(inputs))
        if inner is None or len(inner) != out.stop - out.start:
            return None
        mapping[out] = inputs[inner]
    return None if (mapping < 0).any() else mapping


def raw_feature_map(
    preprocessor: Any | None, *, n_raw: int, columns: Any = None
) -> np.ndarray | None:
    """Raw column position of every feature the final estimator sees.

    Parameters
    ----------
    preprocessor : fitted transformer or Pipeline, or None
        Everything before the final estimator.
    n_raw : int
        Number of raw columns.
    columns : sequence, optional
        The raw column names in the order of the data being explained. A fitted preprocessor
        knows its input columns by position at fit time; scikit-learn selects them by name at
        transform time, so X may hold them in another order or hold more. Positions are
        translated through the names; without names the orders must match.

    Returns
    -------
    numpy.ndarray or None
        ``mapping[k]`` is the raw column of transformed feature k; None when the preprocessing
        cannot be traced column by column.
    """
    if preprocessor is None:
        return np.arange(n_raw)
    fitted_names = getattr(preprocessor, "feature_names_in_", None)
    if fitted_names is None:
        return _map_step(preprocessor, n_raw)
    if columns is None:
        return None  # cannot tell whether the orders match
    names = list(columns)
    try:
        to_raw = np.array([names.index(name) for name in fitted_names])
    except ValueError:
        return None
    mapping = _map_step(preprocessor, len(fitted_names))
    return None if mapping is None else to_raw[mapping]
