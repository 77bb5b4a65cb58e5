"""Paging, sorting and filtering over all rows, never truncated, without copying the data.

A row order is the ordered set of row positions a table shows: the rows of a slice (a boolean
mask) and of a query (ranked positions), sorted by a column. Pages are slices of it.

Sorting by a column goes through a :class:`ColumnOrder`, built once per column: a sortable key
(the smallest unsigned integers that keep the column's order where it allows it, so numpy sorts
them by radix; floats otherwise; missing values last), and the order of *all* rows in each
direction. The ascending order costs one stable ``argsort`` of the key; the descending one is
derived from it in linear time (tie groups reversed, each kept in row order); a slice of the
rows keeps the rows of the cached order that it contains. Either direction: ties in row order,
missing values last.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> column = ColumnOrder(pd.Series([3.0, 1.0, np.nan, 3.0]))
>>> column.order(ascending=True).tolist(), column.order(ascending=False).tolist()
([1, 0, 3, 2], [0, 3, 1, 2])
>>> column.rows(np.array([True, False, True, True]), ascending=False).tolist()
[0, 3, 2]
>>> order = column.order(ascending=True)
>>> page_of(order, page=1, page_size=3).tolist()
[2]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ColumnOrder", "page_count", "page_of", "sort_key", "sorted_positions"]

_SMALL = (np.dtype(bool), np.dtype(np.uint8), np.dtype(np.uint16))  # numpy radix-sorts these
_FEW_GROUPS = 1024  # up to this many distinct values, a descending order is copied by slices


def sorted_positions(positions: np.ndarray, keys: np.ndarray, *, ascending: bool) -> np.ndarray:
    """``positions`` ordered by ``keys[positions]`` (stable; NaN keys last either way).

    Parameters
    ----------
    positions : numpy.ndarray
        Row positions (already filtered), in the order ties keep.
    keys : numpy.ndarray
        Sortable key of every row of the data (float keys: NaN for missing).
    ascending : bool
        Direction (descending negates float keys).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> keys = np.array([3.0, 1.0, np.nan, 2.0])
    >>> sorted_positions(np.arange(4), keys, ascending=True).tolist()
    [1, 3, 0, 2]
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


def _smallest_unsigned(top: int) -> np.dtype:
    """The smallest unsigned dtype holding ``0..top`` (and ``top + 1`` for missing)."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if top < np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.uint64)


def sort_key(values: pd.Series) -> tuple[np.ndarray, int]:
    """An ascending sort key of a column (missing values largest) and how many are missing.

    Integers with a range under 65,536 and text with fewer distinct values become small
    unsigned integers (numpy sorts them by radix, several times faster); booleans stay
    booleans; other numbers become floats (NaN for missing); text becomes the code of its value
    in sorted order, missing coded as the largest value of the key's type.

    Parameters
    ----------
    values : pandas.Series
        One column of every row.

    Returns
    -------
    key : numpy.ndarray
        Sorts (stably, ascending) like the column, missing values last.
    n_missing : int
        Number of missing values.

    Examples
    --------
    >>> key, n_missing = sort_key(pd.Series(["b", None, "a"]))
    >>> key.tolist(), n_missing
    ([1, 255, 0], 1)
    >>> sort_key(pd.Series([1990, 2000, 1995]))[0].tolist()
    [0, 10, 5]
    """
    dtype = values.dtype
    # a numpy bool or integer column has no missing values: no need to look for them
    complete = isinstance(dtype, np.dtype) or not values.hasnans
    if pd.api.types.is_bool_dtype(dtype) and complete:
        return values.to_numpy(dtype=bool), 0
    if pd.api.types.is_integer_dtype(dtype) and complete:
        numbers = values.to_numpy(dtype=getattr(dtype, "numpy_dtype", dtype))
        if not len(numbers):
            return numbers, 0
        low, high = int(numbers.min()), int(numbers.max())
        if high - low < np.iinfo(np.uint16).max:
            return (numbers - numbers.dtype.type(low)).astype(_smallest_unsigned(high - low)), 0
        return numbers, 0
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        return numbers, int(np.count_nonzero(np.isnan(numbers)))
    codes, uniques = pd.factorize(values, sort=True)
    # -1 (missing) wraps to the type's largest value: last, above every code
    key = codes.astype(_smallest_unsigned(len(uniques)))
    return key, len(codes) - int(np.count_nonzero(codes >= 0))


def _positions_dtype(n_rows: int) -> np.dtype:
    """The smallest integer type that holds every row position (half the memory of intp for
    fewer than 2**31 rows)."""
    return np.dtype(np.int32 if n_rows < 2**31 else np.intp)


class ColumnOrder:
    """The orders of all rows by one column, built once and reused by every sort.

    Parameters
    ----------
    values : pandas.Series
        The column, one value per row of the data.

    Examples
    --------
    >>> column = ColumnOrder(pd.Series(["b", "a", None, "b", "a"]))
    >>> column.order(ascending=False).tolist()
    [0, 3, 1, 4, 2]
    >>> column.sort(np.array([3, 2, 1, 0]), ascending=True).tolist()
    [1, 3, 0, 2]
    """

    def __init__(self, values: pd.Series) -> None:
        self.key, self.n_missing = sort_key(values)
        self._orders: dict[bool, np.ndarray] = {}
        self._counts: np.ndarray | None = None
        self._down: np.ndarray | None = None

    @property
    def n_rows(self) -> int:
        """Number of rows of the column."""
        return len(self.key)

    def order(self, *, ascending: bool) -> np.ndarray:
        """Positions of all rows sorted by the column (read-only; computed once; 32-bit
        integers below 2**31 rows, half the memory of ``intp``).

        Ties keep row order and missing values come last, in both directions.
        """
        if ascending not in self._orders:
            other = self._orders.get(not ascending)
            dtype = _positions_dtype(self.n_rows)
            if self.key.dtype == bool:  # two groups: cheaper than any sort
                first, last = (~self.key, self.key) if ascending else (self.key, ~self.key)
                order = np.concatenate([np.flatnonzero(first), np.flatnonzero(last)], dtype=dtype)
            elif other is not None:  # linear time
                order = self._reversed(other, base_ascending=not ascending)
            elif self.key.dtype in _SMALL:  # radix sort
                order = np.argsort(self.key if ascending else self._flipped(), kind="stable")
            elif ascending:
                order = self._stable_argsort()
            else:
                order = self._reversed(self.order(ascending=True), base_ascending=True)
            order = order.astype(dtype, copy=False)  # cached: half the memory of intp
            order.flags.writeable = False
            self._orders[ascending] = order
        return self._orders[ascending]

    def rows(self, mask: np.ndarray | None, *, ascending: bool) -> np.ndarray:
        """Positions of the rows of ``mask`` (all rows for None), sorted by the column."""
        order = self.order(ascending=ascending)
        return order if mask is None else order[mask[order]]

    def sort(self, positions: np.ndarray, *, ascending: bool) -> np.ndarray:
        """``positions`` sorted by the column, ties in the order given, missing last."""
        if ascending:
            keys = self.key[positions]
        else:
            keys = self._descending_key()[positions]
        return positions[np.argsort(keys, kind="stable")]

    # -- building blocks ------------------------------------------------------------------
    def _flipped(self) -> np.ndarray:
        """A small key reversed, missing values still largest."""
        if not self.n_missing:
            return ~self.key  # MAX - x
        return np.where(self.key == np.iinfo(self.key.dtype).max, self.key, ~self.key - 1)

    def _stable_argsort(self) -> np.ndarray:
        """``argsort(key, kind="stable")``, faster: numpy's (vectorised) unstable sort, then
        each group of ties put in row order by one sort of ``group * n + row``, whose values
        are all distinct (so any sort is stable)."""
        n = self.n_rows
        if n >= 2**31:
            return np.argsort(self.key, kind="stable")
        order = np.argsort(self.key)  # missing values last, ties in any order
        ordered = self.key[order]
        n_valid = n - self.n_missing
        starts = np.zeros(n, dtype=bool)
        if n_valid > 1:
            np.not_equal(ordered[1:n_valid], ordered[: n_valid - 1], out=starts[1:n_valid])
        if self.n_missing and n_valid:
            starts[n_valid] = True  # missing values: one group, whatever NaN compares to
        group = np.cumsum(starts, dtype=np.int64)
        group *= n
        group += order
        group.sort()
        return np.remainder(group, n, out=group).astype(np.intp, copy=False)

    def _group_counts(self) -> np.ndarray:
        """Sizes of the groups of equal non-missing values, in ascending order."""
        if self._counts is None:
            n_valid = self.n_rows - self.n_missing
            if self.key.dtype in _SMALL:
                small = self.key.view(np.uint8) if self.key.dtype == bool else self.key
                counts = np.bincount(small)
                counts = counts[: len(counts) - 1] if self.n_missing else counts
                counts = counts[counts > 0]
            else:  # from whichever order is known (the first sort computed one)
                ascending = True in self._orders
                ordered = self.key[self.order(ascending=ascending)[:n_valid]]
                starts = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
                counts = np.diff(np.concatenate([[0], starts, [n_valid]])) if n_valid else starts
                counts = counts if ascending else counts[::-1]
            self._counts = counts
        return self._counts

    def _reversed(self, base: np.ndarray, *, base_ascending: bool) -> np.ndarray:
        """The order in the other direction from ``base``: groups of ties in reverse order,
        each kept in row order, missing values still last."""
        counts = self._group_counts()
        counts = counts if base_ascending else counts[::-1]
        n_valid = self.n_rows - self.n_missing
        starts = np.cumsum(counts) - counts
        if len(counts) <= _FEW_GROUPS:  # one copy of the groups' slices, in reverse
            groups = [base[a : a + c] for a, c in zip(starts[::-1], counts[::-1], strict=True)]
            return np.concatenate([*groups, base[n_valid:]])
        # group g starts at starts[g] in base and at n_valid - starts[g] - counts[g] in the result
        shift = np.repeat((2 * starts + counts - n_valid)[::-1], counts[::-1])
        source = np.arange(n_valid, dtype=np.intp)
        source += shift
        return np.concatenate([base[source], base[n_valid:]])

    def _descending_key(self) -> np.ndarray:
        """A key sorting (ascending) like the column in descending order, missing last."""
        if self._down is None:
            counts = self._group_counts()
            n_groups = len(counts)
            ranks = np.empty(self.n_rows, dtype=_smallest_unsigned(n_groups))
            order = self.order(ascending=True)
            n_valid = self.n_rows - self.n_missing
            ranks[order[:n_valid]] = np.repeat(
                np.arange(n_groups - 1, -1, -1, dtype=ranks.dtype), counts
            )
            ranks[order[n_valid:]] = n_groups
            self._down = ranks
        return self._down
