"""Blind-spot search: one- and two-feature slices where the model does significantly worse.

Every slice is compared with the rest of the data: a one-sided two-proportion z-test for error
rates (classification) or Welch's t-test for absolute errors (regression). With hundreds of
slices tested, some look bad by chance, so p-values are adjusted by Benjamini-Hochberg: a slice
is reported as significant when its q-value is below ``alpha``, which bounds the expected share
of false discoveries among the reported slices.

Examples
--------
>>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5])).round(3).tolist()
[0.04, 0.053, 0.053, 0.5]
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import norm
from scipy.stats import t as student_t

from rai_widgets.compute.intervals import mover_difference, wilson_interval
from rai_widgets.formatting import slice_description

__all__ = ["benjamini_hochberg", "search_weak_slices"]


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def _cells(codes_list: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, int]:
    combined = np.zeros(len(codes_list[0]), dtype=np.int64)
    total = 1
    for codes, size in zip(codes_list, sizes, strict=True):
        combined = combined * size + codes
        total *= size
    return combined, total


def search_weak_slices(
    columns: dict[str, tuple[np.ndarray, pd.Index]],
    loss: np.ndarray,
    *,
    binary_loss: bool,
    max_order: int = 2,
    min_support: int = 30,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Test every slice of one or two columns against the rest.

    Parameters
    ----------
    columns : dict
        Column name -> (codes per row, labels).
    loss : numpy.ndarray
        Per-row loss: 1 for an error (classification) or the absolute error (regression).
    binary_loss : bool
        True for error indicators (z-test on proportions), False for continuous losses.
    max_order : {1, 2}
        Largest number of columns combined.
    min_support : int
        Slices (and their complements) smaller than this are not tested.
    alpha : float
        False discovery rate.

    Returns
    -------
    pandas.DataFrame
        One row per tested slice, worst evidence first.
    """
    n_all = len(loss)
    total_loss = loss.sum()
    squared = loss if binary_loss else loss**2  # an error indicator is its own square
    total_sq = squared.sum()
    rows = []
    names = [c for c in columns if len(columns[c][1]) > 1]  # one level: no slice to compare
    single_n = {c: np.bincount(columns[c][0], minlength=len(columns[c][1])) for c in names}
    for order in range(1, max_order + 1):
        for combo in combinations(names, order):
            codes_list = [columns[c][0] for c in combo]
            sizes = [len(columns[c][1]) for c in combo]
            cell, total = _cells(codes_list, sizes)
            n = np.bincount(cell, minlength=total)
            s = np.bincount(cell, weights=loss, minlength=total)
            sq = s if binary_loss else np.bincount(cell, weights=squared, minlength=total)
            for k in np.flatnonzero((n >= min_support) & (n_all - n >= min_support)):
                parts, remainder = [], k
                for size in reversed(sizes):
                    parts.append(remainder % size)
                    remainder //= size
                parts.reverse()
                if order > 1 and any(
                    single_n[c][p] == n[k] for c, p in zip(combo, parts, strict=True)
                ):
                    continue  # the same rows as a one-column slice: nothing new to report
                labels = [columns[c][1][p] for c, p in zip(combo, parts, strict=True)]
                rows.append((combo, labels, n[k], s[k], sq[k]))
    if not rows:
        return pd.DataFrame(
            columns=[
                "slice",
                "spec",
                "order",
                "n",
                "metric",
                "rest",
                "gap",
                "gap_lo",
                "gap_hi",
                "p_value",
                "q_value",
                "significant",
            ]
        )
    n = np.array([r[2] for r in rows], dtype=float)
    s = np.array([r[3] for r in rows])
    sq = np.array([r[4] for r in rows])
    n_rest = n_all - n
    mean, rest = s / n, (total_loss - s) / n_rest
    if binary_loss:
        pooled = total_loss / n_all
        se = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_rest))
        with np.errstate(invalid="ignore", divide="ignore"):
            p_values = norm.sf((mean - rest) / se)
        lo_s, hi_s = wilson_interval(s, n, 0.95)
        lo_r, hi_r = wilson_interval(total_loss - s, n_rest, 0.95)
        gap_lo, gap_hi = mover_difference(mean, lo_s, hi_s, rest, lo_r, hi_r)
    else:
        var_s = np.maximum(sq / n - mean**2, 0) * n / np.maximum(n - 1, 1)
        var_r = (
            np.maximum((total_sq - sq) / n_rest - rest**2, 0) * n_rest / np.maximum(n_rest - 1, 1)
        )
        se = np.sqrt(var_s / n + var_r / n_rest)
        with np.errstate(invalid="ignore", divide="ignore"):  # no spread: no test (p = 1)
            dof = se**4 / (
                (var_s / n) ** 2 / np.maximum(n - 1, 1)
                + (var_r / n_rest) ** 2 / np.maximum(n_rest - 1, 1)
            )
            p_values = student_t.sf((mean - rest) / se, dof)
            half = student_t.ppf(0.975, dof) * se
        gap_lo, gap_hi = mean - rest - half, mean - rest + half
    p_values = np.nan_to_num(p_values, nan=1.0)
    q_values = benjamini_hochberg(p_values)
    specs = [dict(zip(r[0], r[1], strict=True)) for r in rows]
    table = pd.DataFrame(
        {
            "slice": [slice_description(spec) for spec in specs],
            "spec": specs,
            "order": [len(r[0]) for r in rows],
            "n": n.astype(int),
            "metric": mean,
            "rest": rest,
            "gap": mean - rest,
            "gap_lo": gap_lo,
            "gap_hi": gap_hi,
            "p_value": p_values,
            "q_value": q_values,
            "significant": q_values <= alpha,
        }
    )
    return table.sort_values(["q_value", "p_value"], kind="stable").reset_index(drop=True)
