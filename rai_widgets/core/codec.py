"""Integer-code raw tabular data for perturbation, and decode it back for the model.

Perturbation explainers (permutation SHAP, LIME) mix values of different rows column by column.
They work on a float matrix: numeric columns as numbers, text and categorical columns as integer
codes into their categories (NaN for missing). The model never sees codes: :meth:`TabularCodec.
decode` rebuilds a DataFrame (or array) with the user's column names and dtypes, so a Pipeline
with a ColumnTransformer on raw string columns gets exactly the kind of input it was fitted on.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"age": [25, 40], "sex": ["F", None]})
>>> codec = TabularCodec.fit(X)
>>> Z = codec.encode(X)
>>> Z.tolist()
[[25.0, 0.0], [40.0, nan]]
>>> codec.decode(Z)["sex"].tolist()
['F', nan]
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.validation import is_numeric

__all__ = ["TabularCodec"]


@dataclass(frozen=True)
class _Column:
    name: Hashable
    dtype: Any
    categories: np.ndarray | None  # None for numeric columns

    @property
    def is_categorical(self) -> bool:
        return self.categories is not None

    @cached_property
    def lookup(self) -> np.ndarray:
        """The categories followed by NaN, so that code -1 (missing) decodes to NaN.

        NaN is ``np.nan`` itself, the object pandas gives for a missing text value: encoders
        that look values up in a dict (scikit-learn's) find that very object at once, where
        any other NaN misses and takes their slow path.
        """
        categories = self.categories
        if categories is None:
            raise TypeError(f"column {self.name!r} is numeric: it has no categories to look up")
        lookup = np.empty(len(categories) + 1, dtype=object)
        lookup[:-1] = categories
        lookup[-1] = np.nan
        return lookup

    @cached_property
    def index(self) -> pd.Index:
        """The categories as an index (its hash table built once, for every encode)."""
        return pd.Index(self.categories)


@dataclass(frozen=True)
class TabularCodec:
    """Encoder of raw columns to a float matrix and back.

    Attributes
    ----------
    columns : tuple
        One entry per column: name, original dtype and categories (None if numeric).
    as_array : bool
        Decode to a numpy array (for models fitted on arrays) instead of a DataFrame.
    """

    columns: tuple[_Column, ...]
    as_array: bool = False

    @classmethod
    def fit(cls, X: pd.DataFrame, *, as_array: bool = False) -> TabularCodec:
        """Learn each column's kind and categories from X.

        Parameters
        ----------
        X : pandas.DataFrame
            The raw data.
        as_array : bool, default False
            Decode to an ndarray (the model was fitted on an array).

        Returns
        -------
        TabularCodec
        """
        columns = []
        for name in X.columns:
            values = X[name]
            if is_numeric(values):
                columns.append(_Column(name, values.dtype, None))
            elif isinstance(values.dtype, pd.CategoricalDtype):
                categories = np.asarray(values.dtype.categories, dtype=object)
                columns.append(_Column(name, values.dtype, categories))
            else:
                # unique values first, in the column's own dtype: no object copy of every row
                uniques = values.unique()  # missing dropped from the few uniques, not the rows
                categories = np.asarray(uniques[~pd.isna(uniques)], dtype=object)
                categories = np.sort(categories) if _sortable(categories) else categories
                columns.append(_Column(name, values.dtype, np.asarray(categories, dtype=object)))
        return cls(columns=tuple(columns), as_array=as_array)

    @property
    def names(self) -> list[Hashable]:
        """Column names, in order."""
        return [c.name for c in self.columns]

    @property
    def categorical(self) -> np.ndarray:
        """Boolean mask of the coded (text / categorical) columns."""
        return np.array([c.is_categorical for c in self.columns], dtype=bool)

    def encode(self, X: pd.DataFrame) -> np.ndarray:
        """Encode rows of X to a float matrix (codes for categorical columns, NaN for missing).

        Values never seen by :meth:`fit` are coded NaN.
        """
        Z = np.empty((len(X), len(self.columns)), dtype=float)
        for j, column in enumerate(self.columns):
            values = X[column.name]
            if column.is_categorical:
                # factorize in the column's own dtype, then look up only its distinct values
                # (10x faster than looking up every row as an object on 48,842 Adult rows)
                row_codes, uniques = pd.factorize(values)
                lookup = column.index.get_indexer(np.asarray(uniques, dtype=object))
                codes = np.append(lookup, -1)[row_codes]  # missing (-1) stays -1
                Z[:, j] = np.where(codes < 0, np.nan, codes)
            else:
                Z[:, j] = values.to_numpy(dtype=float, na_value=np.nan)
        return Z

    def decode(self, Z: np.ndarray, index: pd.Index | None = None) -> Any:
        """Decode a float matrix into model input with the original names and dtypes.

        Parameters
        ----------
        Z : numpy.ndarray
            Shape (n_rows, n_columns), as from :meth:`encode`.
        index : pandas.Index, optional
            Index of the decoded DataFrame.

        Returns
        -------
        pandas.DataFrame or numpy.ndarray
        """
        if self.as_array and not self.categorical.any():
            return np.array(Z, dtype=float)
        data = {}
        for j, column in enumerate(self.columns):
            values = Z[:, j]
            if column.is_categorical:
                codes = np.fmax(values, -1.0).astype(np.intp)  # missing (NaN) -> -1
                if isinstance(column.dtype, pd.CategoricalDtype):
                    data[column.name] = pd.Categorical.from_codes(codes, dtype=column.dtype)
                    continue
                # text as an object array: what scikit-learn's encoders work on internally,
                # and far cheaper to build than a string array; missing as NaN, as pandas has
                # it (code -1 takes the NaN after the categories)
                decoded = column.lookup[codes]
                # an explicit object dtype: pandas 3 would otherwise convert to Arrow strings,
                # which scikit-learn converts straight back
                data[column.name] = _restore(pd.Series(decoded, dtype=object, copy=False), column)
            elif isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
                data[column.name] = _numeric_extension(values, column.dtype)
            elif pd.api.types.is_integer_dtype(column.dtype) and _whole(values):
                data[column.name] = values.astype(column.dtype)
            else:
                data[column.name] = values.copy()  # the model may edit its input: not Z's
        frame = pd.DataFrame(data, copy=False)  # every column is this call's own: no 2nd copy
        if index is not None:
            frame.index = index
        if self.as_array:  # an array with text columns: object dtype, as the model was fitted
            return frame.to_numpy(dtype=object)
        frame.columns = pd.Index(self.names)
        return frame


def _restore(decoded: pd.Series, column: _Column) -> pd.Series:
    """Give decoded values of a coded non-text column (bool, nullable boolean, datetime,
    timedelta, period) their original dtype back, so the model sees what it was fitted on."""
    dtype = column.dtype
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        return decoded
    try:
        return decoded.astype(dtype)
    except (TypeError, ValueError):  # e.g. a missing value in a plain bool column
        return decoded


def _numeric_extension(values: np.ndarray, dtype: Any) -> Any:
    """Floats back into a nullable numeric dtype (Int64, Float64 ...); NaN becomes NA.
    Always a copy: the model may edit what it is given."""
    whole = np.isnan(values) | (values == np.round(values))
    if pd.api.types.is_integer_dtype(dtype) and not whole.all():
        return values.copy()  # a perturbed integer column took non-whole values: keep them
    try:
        return pd.array(values, dtype=dtype, copy=True)
    except (TypeError, ValueError):  # a dtype that takes no floats: keep the numbers
        return values.copy()


def _whole(values: np.ndarray) -> bool:
    """Whether every value is a whole number (none missing). Perturbed numbers rarely are:
    a look at the first values usually settles it without a pass over all of them."""
    for part in (values[:256], values):
        if np.isnan(part).any() or not np.array_equal(part, np.round(part)):
            return False
    return True


def _sortable(values: np.ndarray) -> bool:
    try:
        np.sort(values)
    except TypeError:
        return False
    return True
