"""A sample of rows spread evenly over the model's answers: the background of SHAP.

SHAP's base value is the model's average over its background rows. A simple random sample of
50 rows puts it several points from the model's average over the data (the standard error of a
mean of 50); one row from each of 50 equal strata of the rows sorted by the model's answer
puts it within about a point, at the same cost. With several answers per row (a multiclass
model's probabilities) no one order keeps every mean: the rows are then chosen one by one,
each the row that brings the background's means closest to the data's.

Examples
--------
>>> import numpy as np
>>> score = np.random.default_rng(0).uniform(size=10_000)
>>> rows = stratified_positions([score], 50, np.random.default_rng(1))
>>> len(rows), bool(abs(score[rows].mean() - score.mean()) < 0.01)
(50, True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["background_positions", "mean_matching_positions", "stratified_positions"]

#: Rows a mean-matching background is chosen from (a seeded sample of them on larger data).
POOL = 20_000


def stratified_positions(
    keys: Sequence[np.ndarray], size: int, rng: np.random.Generator
) -> np.ndarray:
    """One row from each of ``size`` equal strata of the rows sorted by ``keys``.

    Parameters
    ----------
    keys : sequence of numpy.ndarray
        What to sort the rows by, most significant first (e.g. the predicted class, then the
        confidence), each of one value per row.
    size : int
        Rows wanted; all rows when there are no more than ``size``.
    rng : numpy.random.Generator
        Picks the row within each stratum.

    Returns
    -------
    numpy.ndarray
        Sorted row positions.
    """
    n = len(keys[0])
    if size >= n:
        return np.arange(n)
    order = np.lexsort(tuple(reversed(keys)))
    edges = np.linspace(0, n, size + 1).astype(int)
    picks = edges[:-1] + (rng.random(size) * np.diff(edges)).astype(int)
    return np.sort(order[picks])


def mean_matching_positions(
    values: np.ndarray, size: int, rng: np.random.Generator, *, pool: int = POOL
) -> np.ndarray:
    """``size`` rows whose mean of ``values`` is as close as can be to the mean over all rows,
    chosen greedily (kernel herding on the mean) from a seeded pool of rows.

    Parameters
    ----------
    values : numpy.ndarray of shape (n_rows, k)
        The model's answers per row (e.g. one probability per class).
    size : int
        Rows wanted; all rows when there are no more than ``size``.
    rng : numpy.random.Generator
        Draws the pool on larger data.
    pool : int, default 20,000
        Rows the background is chosen from.

    Returns
    -------
    numpy.ndarray
        Sorted row positions.

    Examples
    --------
    >>> import numpy as np
    >>> proba = np.random.default_rng(0).dirichlet([1, 2, 5], size=5_000)
    >>> rows = mean_matching_positions(proba, 50, np.random.default_rng(1))
    >>> bool(np.abs(proba[rows].mean(0) - proba.mean(0)).max() < 0.005)
    True
    """
    n = len(values)
    if size >= n:
        return np.arange(n)
    target = values.mean(axis=0)
    candidates = np.arange(n) if n <= pool else np.sort(rng.choice(n, pool, replace=False))
    pool_values = values[candidates]
    taken = np.zeros(len(candidates), dtype=bool)
    total = np.zeros(values.shape[1])
    chosen = []
    for t in range(1, size + 1):
        gap = ((total + pool_values) / t - target) ** 2
        distance = gap.sum(axis=1)
        distance[taken] = np.inf
        best = int(np.argmin(distance))
        taken[best] = True
        total += pool_values[best]
        chosen.append(candidates[best])
    return np.sort(np.asarray(chosen))


def background_positions(preds: pd.DataFrame, size: int, seed: int | None) -> np.ndarray:
    """SHAP's background rows, chosen so the base value is the model's average to about a
    point: stratified by its answer, or mean-matched over a multiclass model's probabilities.

    Parameters
    ----------
    preds : pandas.DataFrame
        ``ModelSession.predictions()``: ``score`` (binary), ``proba_<class>`` or ``y_pred``.
    size : int
        Rows wanted.
    seed : int or None
        The seed.

    Returns
    -------
    numpy.ndarray
        Sorted row positions.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> preds = pd.DataFrame({"y_pred": np.linspace(0, 1, 1000)})
    >>> rows = background_positions(preds, 50, seed=0)
    >>> round(float(preds["y_pred"].iloc[rows].mean()), 2)
    0.5
    """
    rng = np.random.default_rng(seed)
    proba = [c for c in preds.columns if str(c).startswith("proba_")]
    if "score" not in preds and len(proba) > 2:  # multiclass: every class's mean kept
        return mean_matching_positions(preds[proba].to_numpy(dtype=float), size, rng)
    if "score" in preds:
        keys = [preds["score"].to_numpy(dtype=float)]
    elif pd.api.types.is_numeric_dtype(preds["y_pred"]):
        keys = [preds["y_pred"].to_numpy(dtype=float)]  # a regression (or numeric labels)
    else:
        keys = [pd.factorize(preds["y_pred"], sort=True)[0]]  # labels without probabilities
    return stratified_positions(keys, size, rng)
