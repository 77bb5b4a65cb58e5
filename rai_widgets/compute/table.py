"""Paging, sorting and filtering over all rows, never truncated, without copying the data.

A :class:`RowOrder` is the ordered set of row positions a table shows: the rows of a slice (a
boolean mask) and of a query (ranked positions), sorted by a column. Pages are slices of it.
Sorting uses sortable keys prepared once per column (numbers as floats, text as the code of its
value in sorted order, missing last), so a sort costs one ``argsort`` of the filtered rows,
whatever the column's type.

Examples
--------
>>> import numpy as np
>>> keys = np.array([3.0, 1.0, np.nan, 2.0])
>>> order = sorted_positions(np.arange(4), keys, ascending=True)
>>> order.tolist()
[1, 3, 0, 2]
>>> page_of(order, page=1, page_size=3).tolist()
[2]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["page_count", "page_of", "sort_keys", "sorted_positions"]


def sorted_positions(positions: np.ndarray, keys: np.ndarray, *, ascending: bool) -> np.ndarray:
    """``positions`` ordered by ``keys[positions]`` (stable; missing keys last either way).

    Parameters
    ----------
    positions : numpy.ndarray
        Row positions (already filtered).
    keys : numpy.ndarray
        Sortable float key of every row of the data (NaN for missing).
    ascending : bool
        Direction.

    Returns
    -------
    numpy.ndarray
    """
    values = keys[positions]
    if not ascending:
        values = -values
    order = np.argsort(values, kind="stable")  # NaN sorts last in numpy
    return positions[order]


def page_of(order: np.ndarray, *, page: int, page_size: int) -> np.ndarray:
    """Positions shown on ``page`` (0-based); empty past the end."""
    start = page * page_size
    return order[start : start + page_size]


def page_count(n_rows: int, page_size: int) -> int:
    """Number of pages (at least 1)."""
    return max(1, -(-n_rows // page_size))


def sort_keys(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sort keys of a column, ascending and descending: integers where the column allows it
    (numpy sorts them fastest), floats otherwise; missing values sort last either way.

    Parameters
    ----------
    values : pandas.Series
        One column of every row.

    Returns
    -------
    up, down : numpy.ndarray
        Keys for ascending and for descending order (both sorted ascending by
        :func:`sorted_positions`).

    Examples
    --------
    >>> import pandas as pd
    >>> up, down = sort_keys(pd.Series(["b", None, "a"]))
    >>> up.tolist(), down.tolist()
    ([1, 2, 0], [0, 2, 1])
    """
    if pd.api.types.is_integer_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        up = values.to_numpy(dtype=np.int64)
        return up, -up
    if pd.api.types.is_numeric_dtype(values.dtype):
        up = values.to_numpy(dtype=float, na_value=np.nan)
        return up, -up  # NaN stays NaN: last in both directions
    codes, uniques = pd.factorize(values, sort=True)
    top = len(uniques)
    up = np.where(codes < 0, top, codes).astype(np.int32)
    down = np.where(codes < 0, top, top - 1 - codes).astype(np.int32)
    return up, down
