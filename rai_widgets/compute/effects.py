"""Feature effects over coded rows: partial dependence, individual (ICE) curves and accumulated
local effects (ALE), per group, with bootstrap bounds from the same predictions.

Rows are coded as :class:`~rai_widgets.core.codec.TabularCodec` codes them (numbers as they
are, categories as codes, missing as NaN); the model is reached only through ``predict``, a
function of coded rows that returns one number per row (a class's probability, or the
prediction). Grid values go to the model a chunk at a time, every row of a chunk's grid values
in one call.

* :func:`effect_grid`: the grid of a feature: its quantiles, or every value when it has few (a
  text column's categories), and missing as its own point when the feature has missing values.
* :func:`grid_predictions`: the model's answer for every row at every grid value.
* :func:`average_effects`: the mean answer per grid value (partial dependence), per group,
  with percentile bootstrap bounds over rows (rows resampled within each group).
* :func:`ale_grid` and :func:`ale_effects`: accumulated local effects (Apley and Zhu), with the
  grid and centring of R's ALEPlot and PyALE (type-1 quantiles, a size-weighted moving average
  of two taken off), bounds by resampling rows.

Examples
--------
>>> import numpy as np
>>> Z = np.array([[0.0], [1.0], [2.0], [3.0]])
>>> grid = effect_grid(Z[:, 0], categorical=False, resolution=20)
>>> P = grid_predictions(Z, 0, grid, lambda Zc: 2 * Zc[:, 0])
>>> average_effects(P, n_boot=50)["effect"].tolist()
[0.0, 2.0, 4.0, 6.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CHUNK_ROWS",
    "ale_effects",
    "ale_grid",
    "average_effects",
    "effect_grid",
    "grid_predictions",
    "quantile_type1",
]

#: Rows per model call: grid values are batched so one call holds about this many rows.
CHUNK_ROWS = 50_000

Predict = Callable[[np.ndarray], np.ndarray]


def quantile_type1(values: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles as the inverse of the empirical distribution (R's type 1, as PyALE takes
    them), with the minimum at 0 and the maximum at 1.

    Examples
    --------
    >>> quantile_type1(np.array([3.0, 1.0, 2.0, 4.0]), np.array([0, 0.5, 1])).tolist()
    [1.0, 2.0, 4.0]
    """
    x = np.sort(values)
    n = len(x) - 1
    j = (n * q).astype(int)
    exact = (n * q - j) == 0
    below = np.where(j > 0, x[np.maximum(j - 1, 0)], 0.0)
    out = np.where(exact, below, x[j])
    out = np.where(q == 0, x[0], out)
    return np.where(q == 1, x[-1], out)


def effect_grid(
    values: np.ndarray,
    *,
    categorical: bool,
    resolution: int,
    grid: np.ndarray | None = None,
) -> np.ndarray:
    """The grid of one coded feature.

    Parameters
    ----------
    values : numpy.ndarray
        The feature's coded values on every row (NaN: missing).
    categorical : bool
        Whether the codes are categories.
    resolution : int
        Most grid points of a numeric feature (its quantiles); a feature with this many
        distinct values or fewer gets them all, as does a categorical one.
    grid : numpy.ndarray, optional
        Coded grid values given by the user (kept as given, sorted, without duplicates).

    Returns
    -------
    numpy.ndarray
        Coded grid values, NaN last when the feature has missing values (and no grid given).

    Examples
    --------
    >>> effect_grid(np.array([1.0, 2.0, np.nan, 2.0]), categorical=False, resolution=20)
    array([ 1.,  2., nan])
    """
    present = values[~np.isnan(values)]
    if grid is not None:
        out = np.unique(np.asarray(grid, dtype=float))
        return out
    distinct = np.unique(present)
    if categorical or len(distinct) <= resolution:
        out = distinct
    else:
        out = np.unique(np.quantile(present, np.linspace(0, 1, resolution)))
    if len(present) < len(values):
        out = np.append(out, np.nan)
    return out


def grid_predictions(
    Z: np.ndarray,
    column: int | tuple[int, ...],
    grid: np.ndarray,
    predict: Callable[[Any], np.ndarray],
    *,
    chunk_rows: int = CHUNK_ROWS,
    inputs: Callable[[np.ndarray], Any] | None = None,
    n_jobs: int | None = None,
) -> np.ndarray:
    """The model's answer for every row with ``column`` set to each grid value.

    Parameters
    ----------
    Z : numpy.ndarray
        Coded rows.
    column : int or tuple of int
        The feature's position (positions, for a grid of several features).
    grid : numpy.ndarray
        Coded grid values: shape (n_grid,), or (n_grid, n_columns) for several features.
    predict : callable
        Rows (as ``inputs`` gives them) -> one number per row.
    chunk_rows : int, default 50,000
        About how many rows go to the model in one call.
    inputs : callable, optional
        Grid points (shape (k, n_columns), coded) -> every row at the first point, then every
        row at the second...: the rows in the form ``predict`` takes. Default: coded rows,
        ``Z`` repeated with the columns set.
    n_jobs : int, optional
        Chunks of grid values run in this many threads (joblib ``n_jobs``; None or 1: one
        after the other). Each thread runs the model's own thread pools (OpenMP, BLAS) on one
        thread: the chunks share the cores instead of every model call fighting for them.

    Returns
    -------
    numpy.ndarray
        Shape (n_rows, n_grid).
    """
    columns = list(column) if isinstance(column, tuple) else [column]
    points = np.asarray(grid, dtype=float).reshape(len(grid), len(columns))
    n = len(Z)

    def coded(values: np.ndarray) -> np.ndarray:
        block = np.repeat(Z[None, :, :], len(values), axis=0)
        for c, j in enumerate(columns):
            block[:, :, j] = values[:, c][:, None]
        return block.reshape(-1, Z.shape[1])

    rows_at = coded if inputs is None else inputs
    out = np.empty((n, len(points)))
    per_call = max(1, chunk_rows // max(1, n))
    begins = list(range(0, len(points), per_call))

    def answer(begin: int) -> None:
        values = points[begin : begin + per_call]
        answers = np.asarray(predict(rows_at(values)), dtype=float)
        out[:, begin : begin + len(values)] = answers.reshape(len(values), n).T

    if n_jobs is None or n_jobs == 1 or len(begins) == 1:
        for begin in begins:
            answer(begin)
        return out
    from joblib import Parallel, delayed
    from threadpoolctl import threadpool_limits

    def limited(begin: int) -> None:
        with threadpool_limits(1):  # the chunks are the parallel work
            answer(begin)

    with Parallel(n_jobs=n_jobs, prefer="threads") as parallel:
        parallel(delayed(limited)(begin) for begin in begins)
    return out


def _bootstrap_means(
    P: np.ndarray, n_boot: int, rng: np.random.Generator, cells: int = 2_000_000
) -> np.ndarray:
    """Means of ``P``'s columns over ``n_boot`` resamples of its rows: (n_boot, n_columns).

    Resamples are drawn a block at a time (about ``cells`` draws): each block's counts of
    every row come from one ``bincount`` and its means from one matrix product.
    """
    n = len(P)
    out = np.empty((n_boot, P.shape[1]))
    step = max(1, min(n_boot, cells // max(n, 1)))
    small = step * n < np.iinfo(np.int32).max
    for begin in range(0, n_boot, step):
        k = min(step, n_boot - begin)
        draws = rng.integers(0, n, (k, n), dtype=np.int32 if small else np.int64)
        draws += (np.arange(k, dtype=draws.dtype) * n)[:, None]  # resample b: b*n + row
        counts = np.bincount(draws.ravel(), minlength=k * n).reshape(k, n)
        out[begin : begin + k] = (counts.astype(float) @ P) / n
    return out


def average_effects(
    P: np.ndarray,
    *,
    groups: np.ndarray | None = None,
    labels: list | None = None,
    n_boot: int = 200,
    alpha: float = 0.05,
    rise_alpha: float | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Partial dependence per group with percentile bootstrap bounds.

    Parameters
    ----------
    P : numpy.ndarray
        :func:`grid_predictions` (rows x grid values).
    groups : numpy.ndarray of int, optional
        Each row's group code (-1: in no group); None: one group, all rows.
    labels : list, optional
        The groups' labels, by code.
    n_boot : int, default 200
        Bootstrap resamples (rows resampled within each group).
    alpha : float, default 0.05
        1 - the bounds' coverage.
    rise_alpha : float, optional
        1 - the coverage of the rise's bounds (default ``alpha``; smaller when rises are
        compared across several pairs of groups).
    random_state : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        ``group`` (None without groups), ``grid`` (the grid value's position), ``effect``,
        ``lo``, ``hi``, ``n``, ``rise``, ``rise_lo``, ``rise_hi`` (last grid value minus the
        first, with bounds; the same on every row of a group).
    """
    rng = np.random.default_rng(random_state)
    if groups is None:
        groups, labels = np.zeros(len(P), int), [None]
    labels = labels if labels is not None else list(range(int(groups.max()) + 1))
    frames = []
    for code, label in enumerate(labels):
        rows = P[groups == code]
        if len(rows) == 0:
            continue
        effect = rows.mean(axis=0)
        boot = _bootstrap_means(rows, n_boot, rng)
        lo, hi = np.percentile(boot, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        finite = np.flatnonzero(np.isfinite(effect))
        rise = rise_lo = rise_hi = np.nan
        numeric = [k for k in finite if k < P.shape[1]]
        if len(numeric) >= 2:
            first, last = numeric[0], numeric[-1]
            rises = boot[:, last] - boot[:, first]
            rise = effect[last] - effect[first]
            a = alpha if rise_alpha is None else rise_alpha
            rise_lo, rise_hi = np.percentile(rises, [100 * a / 2, 100 * (1 - a / 2)])
        frames.append(_group_frame(label, effect, lo, hi, len(rows), (rise, rise_lo, rise_hi)))
    return pd.concat(frames, ignore_index=True)


def _group_frame(
    label: object,
    effect: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    n: int | np.ndarray,
    rise: tuple[float, float, float],
) -> pd.DataFrame:
    """One group's rows of an effects table: every grid value, and the group's rise."""
    return pd.DataFrame(
        {
            "group": [label] * len(effect),
            "grid": np.arange(len(effect)),
            "effect": effect,
            "lo": lo,
            "hi": hi,
            "n": n,
            "rise": rise[0],
            "rise_lo": rise[1],
            "rise_hi": rise[2],
        }
    )


def ale_grid(values: np.ndarray, resolution: int) -> np.ndarray:
    """The bin edges of ALE: the minimum and the type-1 quantiles at ``resolution`` + 1 evenly
    spaced probabilities, without duplicates (as PyALE and R's ALEPlot)."""
    present = values[~np.isnan(values)]
    q = np.linspace(0, 1, resolution + 1)
    return np.unique(np.concatenate([[present.min()], quantile_type1(present, q)]))


def ale_effects(
    Z: np.ndarray,
    column: int,
    edges: np.ndarray,
    predict: Predict,
    *,
    groups: np.ndarray | None = None,
    labels: list | None = None,
    n_boot: int = 200,
    alpha: float = 0.05,
    rise_alpha: float | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Accumulated local effects of a numeric feature, per group, with bootstrap bounds.

    Each row with a value in the bin ``(edges[k-1], edges[k]]`` (the first bin includes its
    lower edge) contributes the change of the model's answer from the bin's lower to its upper
    edge; the bin's mean change is accumulated over the bins, and the curve is centred by the
    size-weighted mean of its moving average of two. Rows with a missing value are left out.
    Two model calls over the rows, whatever the number of bins.

    Parameters
    ----------
    Z, column, predict
        As :func:`grid_predictions`.
    edges : numpy.ndarray
        :func:`ale_grid`.
    groups, labels, n_boot, alpha, rise_alpha, random_state
        As :func:`average_effects`.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``grid`` (the edge's position), ``effect``, ``lo``, ``hi``, ``n`` (rows in
        the bin that ends at the edge), ``rise``, ``rise_lo``, ``rise_hi``.
    """
    present = np.flatnonzero(~np.isnan(Z[:, column]))
    x = Z[present, column]
    k = np.clip(np.searchsorted(edges, x, side="left"), 1, len(edges) - 1)  # bin (e[k-1], e[k]]
    low, high = Z[present].copy(), Z[present].copy()
    low[:, column], high[:, column] = edges[k - 1], edges[k]
    delta = np.asarray(predict(np.concatenate([high, low])), dtype=float)
    delta = delta[: len(present)] - delta[len(present) :]
    if groups is None:
        codes, labels = np.zeros(len(present), int), [None]
    else:
        codes = groups[present]
        labels = labels if labels is not None else list(range(int(groups.max()) + 1))
    rng = np.random.default_rng(random_state)
    frames = []
    for code, label in enumerate(labels):
        mine = np.flatnonzero(codes == code)
        if len(mine) == 0:
            continue
        curve, sizes = _ale_curve(delta[mine], k[mine], len(edges))
        boot = np.empty((n_boot, len(edges)))
        for b in range(n_boot):
            take = mine[rng.integers(0, len(mine), len(mine))]
            boot[b] = _ale_curve(delta[take], k[take], len(edges))[0]
        lo, hi = np.percentile(boot, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
        rises = boot[:, -1] - boot[:, 0]
        a = alpha if rise_alpha is None else rise_alpha
        rise = (
            curve[-1] - curve[0],
            np.percentile(rises, 100 * a / 2),
            np.percentile(rises, 100 * (1 - a / 2)),
        )
        frames.append(_group_frame(label, curve, lo, hi, sizes, rise))
    return pd.concat(frames, ignore_index=True)


def _ale_curve(delta: np.ndarray, k: np.ndarray, n_edges: int) -> tuple[np.ndarray, np.ndarray]:
    """The centred ALE at every edge, and the rows per bin (0 for the first edge)."""
    sizes = np.bincount(k, minlength=n_edges).astype(float)
    sums = np.bincount(k, weights=delta, minlength=n_edges)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(sizes > 0, sums / sizes, 0.0)
    curve = np.cumsum(means)
    curve[0] = 0.0
    moving = (curve + np.concatenate([[0.0], curve[:-1]])) / 2
    total = sizes.sum()
    centre = (moving * sizes).sum() / total if total > 0 else 0.0
    return curve - centre, sizes.astype(int)
