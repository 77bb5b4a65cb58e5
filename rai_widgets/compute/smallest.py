"""The k smallest entries of each row, in the order a stable sort gives them, without sorting
every entry (the nearest real rows of many cases at once)."""

from __future__ import annotations

import numpy as np

__all__ = ["smallest_first"]


def smallest_first(values: np.ndarray, k: int) -> np.ndarray:
    """Per row of ``values``, the columns of its ``k`` smallest entries, smallest first, ties
    in column order: ``np.argsort(values, axis=1, kind="stable")[:, :k]``, without sorting
    every column (a partition finds the k-th value, then only the entries up to it are sorted).

    Parameters
    ----------
    values : numpy.ndarray
        Two dimensions, no NaN.
    k : int
        How many per row.

    Returns
    -------
    numpy.ndarray of int
        Shape ``(len(values), min(k, values.shape[1]))``.

    Examples
    --------
    >>> import numpy as np
    >>> smallest_first(np.array([[3.0, 1.0, 2.0, 1.0, 0.5]]), 3).tolist()
    [[4, 1, 3]]
    """
    width = values.shape[1]
    if k >= width:
        return np.argsort(values, axis=1, kind="stable")[:, :k]
    if k <= 0:
        return np.empty((len(values), 0), int)
    kth = np.partition(values, k - 1, axis=1)[:, k - 1]
    out = np.empty((len(values), k), int)
    for r in range(len(values)):
        near = np.flatnonzero(values[r] <= kth[r])  # k or more, in column order
        out[r] = near[np.argsort(values[r, near], kind="stable")[:k]]
    return out
