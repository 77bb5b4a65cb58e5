"""Confidence intervals: Wilson for proportions, a grouped percentile bootstrap, and MOVER.

* :func:`wilson_interval` — the Wilson score interval for a proportion k/n; it stays inside
  [0, 1] and behaves at 0/n and n/n, where the normal approximation collapses to a point.
* :func:`grouped_bootstrap` — a seeded percentile bootstrap of any vectorised statistic, run
  within every slice at once (rows are resampled inside their own slice). For slices larger than
  ``max_resample`` rows it draws ``max_resample`` rows per replicate and rescales the deviations
  by sqrt(m/n) (the m-out-of-n bootstrap), which keeps the cost flat for big data and is
  asymptotically equivalent for the smooth statistics used here.
* :func:`mover_difference`, :func:`mover_ratio` — Newcombe/Zou's MOVER intervals for the
  difference and ratio of two independent estimates, built from each one's own interval.

Examples
--------
>>> lo, hi = wilson_interval(np.array([8]), np.array([10]), 0.95)
>>> round(float(lo[0]), 3), round(float(hi[0]), 3)
(0.49, 0.943)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.stats import norm

__all__ = [
    "DEFAULT_MAX_RESAMPLE",
    "DEFAULT_N_BOOT",
    "grouped_bootstrap",
    "mover_difference",
    "mover_ratio",
    "wilson_interval",
]

DEFAULT_N_BOOT = 200
DEFAULT_MAX_RESAMPLE = 2000


def _z(confidence: float) -> float:
    return float(norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``successes / trials``, element-wise.

    Parameters
    ----------
    successes, trials : numpy.ndarray
        Counts; where ``trials`` is 0 the bounds are NaN.
    confidence : float
        Coverage in (0, 1), e.g. 0.95.

    Returns
    -------
    lo, hi : numpy.ndarray

    Examples
    --------
    >>> lo, hi = wilson_interval(np.array([0]), np.array([20]), 0.95)
    >>> float(lo[0]), round(float(hi[0]), 3)
    (0.0, 0.161)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1.0 + z * z / n
        center = (p + z * z / (2.0 * n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    lo = np.where(n > 0, np.clip(center - half, 0.0, 1.0), np.nan)
    hi = np.where(n > 0, np.clip(center + half, 0.0, 1.0), np.nan)
    # exact at the boundaries (floating error otherwise leaves 1e-17 instead of 0)
    lo = np.where((n > 0) & (k == 0), 0.0, lo)
    hi = np.where((n > 0) & (k == n), 1.0, hi)
    return lo, hi


def grouped_bootstrap(
    statistic: Callable[..., np.ndarray],
    arrays: Sequence[np.ndarray],
    order: np.ndarray,
    bounds: np.ndarray,
    point: np.ndarray,
    *,
    confidence: float,
    n_boot: int = DEFAULT_N_BOOT,
    random_state: int | np.random.Generator | None = None,
    max_resample: int = DEFAULT_MAX_RESAMPLE,
    sort_draws: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap bounds of a statistic within every group.

    Parameters
    ----------
    statistic : callable
        ``statistic(*resampled_arrays)`` where each resampled array has shape
        (n_boot, m, ...); returns shape (n_boot, n_stats). NaN marks an undefined replicate.
    arrays : sequence of numpy.ndarray
        Per-row inputs of the statistic.
    order, bounds : numpy.ndarray
        Rows sorted by group and the group boundaries in ``order`` (from a SliceSet).
    point : numpy.ndarray
        The statistics on the full data, shape (n_groups, n_stats): the centre of the
        m-out-of-n rescaling.
    confidence : float
        Interval coverage in (0, 1).
    n_boot : int, default 200
        Bootstrap replicates.
    random_state : int, Generator or None
        Seed; the same seed gives the same bounds.
    max_resample : int, default 2000
        Largest resample drawn per replicate (see the module docstring).
    sort_draws : bool, default False
        Sort each resample's positions into ``order``: with ``order`` sorted by a score inside
        each group, the resampled scores come out sorted (rank statistics then need no sort).
        The resample is the same multiset, so order-free statistics are unchanged.

    Returns
    -------
    lo, hi : numpy.ndarray
        Shape (n_groups, n_stats); NaN for groups with fewer than 2 rows.
    """
    rng = np.random.default_rng(random_state)
    n_groups, n_stats = point.shape
    lo = np.full((n_groups, n_stats), np.nan)
    hi = np.full((n_groups, n_stats), np.nan)
    tail = (1.0 - confidence) / 2.0
    for g in range(n_groups):
        rows = order[bounds[g] : bounds[g + 1]]
        n = len(rows)
        if n < 2:
            continue
        m = min(n, max_resample)
        draws = rng.integers(0, n, size=(n_boot, m))
        if sort_draws:
            draws.sort(axis=1)
        picks = rows[draws]
        replicates = np.asarray(statistic(*(a[picks] for a in arrays)), dtype=float)
        if m < n:
            replicates = point[g] + (replicates - point[g]) * np.sqrt(m / n)
        with np.errstate(all="ignore"):
            valid = np.isfinite(replicates).sum(axis=0) >= max(2, n_boot // 2)
            if not valid.any():
                continue
            q = np.nanquantile(replicates[:, valid], [tail, 1.0 - tail], axis=0)
        lo[g, valid], hi[g, valid] = q[0], q[1]
    return lo, hi


def mover_difference(
    a: np.ndarray,
    a_lo: np.ndarray,
    a_hi: np.ndarray,
    b: float | np.ndarray,
    b_lo: float | np.ndarray,
    b_hi: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER interval of ``a - b`` for independent estimates with their own intervals
    (``b`` one estimate, or one per element of ``a``).

    Examples
    --------
    >>> lo, hi = mover_difference(np.array([0.5]), np.array([0.4]), np.array([0.6]), 0.3, 0.2, 0.4)
    >>> round(float(lo[0]), 4), round(float(hi[0]), 4)
    (0.0586, 0.3414)
    """
    d = a - b
    lo = d - np.sqrt((a - a_lo) ** 2 + (b_hi - b) ** 2)
    hi = d + np.sqrt((a_hi - a) ** 2 + (b - b_lo) ** 2)
    return lo, hi


def mover_ratio(
    a: np.ndarray, a_lo: np.ndarray, a_hi: np.ndarray, b: float, b_lo: float, b_hi: float
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER-R interval of ``a / b`` (Donner & Zou, 2012) for non-negative estimates.

    The upper bound is infinite when ``b``'s interval reaches 0.

    Examples
    --------
    >>> lo, hi = mover_ratio(np.array([0.5]), np.array([0.4]), np.array([0.6]), 0.25, 0.2, 0.3)
    >>> round(float(lo[0]), 3), round(float(hi[0]), 3)
    (1.5, 2.667)
    """
    with np.errstate(all="ignore"):
        ab = a * b
        lo_root = np.sqrt(np.maximum(ab**2 - a_lo * b_hi * (2 * a - a_lo) * (2 * b - b_hi), 0.0))
        hi_root = np.sqrt(np.maximum(ab**2 - a_hi * b_lo * (2 * a - a_hi) * (2 * b - b_lo), 0.0))
        lo = (ab - lo_root) / (b_hi * (2 * b - b_hi))
        hi = (ab + hi_root) / (b_lo * (2 * b - b_lo))
    hi = np.where(b_lo > 0, hi, np.inf)
    lo = np.where(b > 0, lo, np.nan)
    return lo, hi
