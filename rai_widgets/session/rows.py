"""Which rows a slice spec like ``{"race": "Black", "age": "17–28"}`` names.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_diabetes
>>> from sklearn.linear_model import Ridge
>>> X, y = load_diabetes(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
>>> int(value_mask(s.core, "sex", X["sex"].iloc[0]).sum())
207
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import RaiWidgetsError, RowNotFoundError, ValidationError
from rai_widgets.core.validation import align_to_rows, is_numeric, plain_label

__all__ = ["row_positions", "spec_mask", "value_mask"]


def value_mask(core: Any, column: Hashable, value: Any) -> np.ndarray:
    """Rows whose ``column`` holds ``value``: a category, a missing value, a numeric bin's
    label ("17–28", as ``slice_metrics`` shows it) or a ``pandas.Interval``.

    Parameters
    ----------
    core : SessionCore
        The session; its public interface only.
    column : hashable
        A column of X or a sensitive feature.
    value : object
        The value.

    Returns
    -------
    numpy.ndarray
        A boolean mask over the session's rows.
    """
    values = core.column(column)
    if isinstance(value, str) and is_numeric(values):
        # a bin's label ("17–28") from slice_metrics and the views' group pickers
        bins = core.slices(column)
        if value in set(bins.labels):
            return bins.codes == bins.labels.get_loc(value)
    if isinstance(value, pd.Interval):  # a bin of a numeric column
        inside = (values > value.left) if value.open_left else (values >= value.left)
        inside &= (values < value.right) if value.open_right else (values <= value.right)
        return inside.to_numpy(dtype=bool, na_value=False)
    if pd.isna(value):
        return values.isna().to_numpy()
    if not is_numeric(values):  # a category: compare the cached integer codes, not the text
        try:
            groups = core.slices(column)
        except RaiWidgetsError:  # too many values to group: compare the text below
            groups = None
        position = -1 if groups is None else groups.labels.get_indexer([value])[0]
        if groups is not None and position >= 0:
            return groups.codes == position
    return (values == value).to_numpy(dtype=bool, na_value=False)


def row_positions(index: pd.Index, rows: Any, *, argument: str = "rows") -> np.ndarray:
    """Positions in ``index`` of row labels (a label, a list of labels, or None for all rows).

    Parameters
    ----------
    index : pandas.Index
        X's index.
    rows : label, list of labels or None
        A tuple is one label (of a MultiIndex).
    argument : str, default "rows"
        The caller's argument, named in the error.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    RowNotFoundError
        A label is not in the index (named, with examples of labels that are).
    """
    if rows is None:
        return np.arange(len(index))
    single = isinstance(rows, tuple) or not pd.api.types.is_list_like(rows)
    labels = [rows] if single else list(rows)
    if not labels:
        raise ValidationError("rows is empty; pass row labels of X (or None for all rows).")
    if not index.is_unique:
        raise ValidationError("X's index has duplicate labels; make it unique to pick rows.")
    positions = index.get_indexer(labels)
    missing = [plain_label(x) for x, p in zip(labels, positions, strict=True) if p < 0]
    if missing:
        raise RowNotFoundError(
            f"{argument}: row label(s) {missing[:5]} are not in X's index "
            f"(e.g. {[plain_label(x) for x in index[:3]]}). "
            "Pass labels of X's index, not positions."
        )
    return np.asarray(positions)


def spec_mask(core: Any, spec: Any) -> np.ndarray:
    """Boolean mask of a slice: None (all rows), a mask aligned with X, or {column: value}.

    Parameters
    ----------
    core : SessionCore
        The session; its public interface only.
    spec : None, mapping or mask
        The slice.

    Returns
    -------
    numpy.ndarray
    """
    n = len(core.frame)
    if spec is None:
        return np.ones(n, dtype=bool)
    if isinstance(spec, Mapping):
        mask = np.ones(n, dtype=bool)
        for column, value in spec.items():
            mask &= value_mask(core, column, value)
        return mask
    aligned = align_to_rows(spec, core.frame.index, argument="slice")
    if not pd.api.types.is_bool_dtype(aligned.dtype):
        raise ValidationError(
            "slice must be None, a boolean mask aligned with X, or a dict such as "
            "{'sex': 'Female'}."
        )
    return aligned.to_numpy(dtype=bool)
