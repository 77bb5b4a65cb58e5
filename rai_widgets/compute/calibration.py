"""Calibration per slice: reliability bins with bounds, expected calibration error, and the
overconfidence gap (mean confidence minus accuracy).

Binary tasks check the probability of ``pos_label`` against how often it happens; multiclass
tasks check the confidence of the predicted class against how often it is right (top-label
calibration). Bins are shared by every slice (quantiles of the whole data by default), so
slices are compared on the same scale.

Examples
--------
>>> import numpy as np, pandas as pd
>>> p = np.array([0.1, 0.2, 0.8, 0.9]); hit = np.array([0, 0, 1, 1])
>>> bins, summary = calibration_tables(p, hit, p, hit.astype(bool), np.zeros(4, int),
...                                    pd.Index(["overall"]), n_bins=2, strategy="uniform")
>>> summary["ece"].round(3).tolist()
[0.15]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rai_widgets.compute.intervals import wilson_interval

__all__ = ["bin_edges", "calibration_tables"]


def bin_edges(predicted: np.ndarray, *, n_bins: int, strategy: str) -> np.ndarray:
    """Bin edges over [0, 1]: equal width ("uniform") or equal counts ("quantile")."""
    if strategy == "uniform":
        return np.linspace(0.0, 1.0, n_bins + 1)
    inner = np.quantile(predicted, np.linspace(0, 1, n_bins + 1)[1:-1])
    return np.unique(np.concatenate([[0.0], inner, [1.0]]))


def calibration_tables(
    predicted: np.ndarray,
    happened: np.ndarray,
    confidence: np.ndarray,
    correct: np.ndarray,
    codes: np.ndarray,
    labels: pd.Index,
    *,
    n_bins: int = 10,
    strategy: str = "quantile",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reliability bins per slice and a per-slice summary.

    Returns
    -------
    bins : pandas.DataFrame
        Per (slice, bin): ``bin_lo``, ``bin_hi``, ``n``, ``mean_predicted``, ``observed`` with
        Wilson bounds ``observed_lo`` / ``observed_hi``.
    summary : pandas.DataFrame
        Per slice: ``n``, ``ece``, ``mean_confidence``, ``accuracy``, ``overconfidence``.
    """
    edges = bin_edges(predicted, n_bins=n_bins, strategy=strategy)
    which = np.clip(np.searchsorted(edges, predicted, side="right") - 1, 0, len(edges) - 2)
    n_groups, n_b = len(labels), len(edges) - 1
    cell = codes * n_b + which
    count = np.bincount(cell, minlength=n_groups * n_b).reshape(n_groups, n_b)
    sum_p = np.bincount(cell, weights=predicted, minlength=n_groups * n_b).reshape(n_groups, n_b)
    sum_y = np.bincount(cell, weights=happened.astype(float), minlength=n_groups * n_b).reshape(
        n_groups, n_b
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p, observed = sum_p / count, sum_y / count
    lo, hi = wilson_interval(sum_y.ravel(), count.ravel(), 0.95)
    rows = []
    for g in range(n_groups):
        for b in range(n_b):
            if count[g, b]:
                rows.append(
                    (
                        labels[g],
                        edges[b],
                        edges[b + 1],
                        int(count[g, b]),
                        mean_p[g, b],
                        observed[g, b],
                        lo[g * n_b + b],
                        hi[g * n_b + b],
                    )
                )
    name = labels.name if labels.name is not None else "slice"
    bins = pd.DataFrame(
        rows,
        columns=[
            name,
            "bin_lo",
            "bin_hi",
            "n",
            "mean_predicted",
            "observed",
            "observed_lo",
            "observed_hi",
        ],
    )
    n = count.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ece = np.nansum(count * np.abs(np.nan_to_num(observed) - np.nan_to_num(mean_p)), axis=1) / n
        mean_conf = np.bincount(codes, weights=confidence, minlength=n_groups) / n
        accuracy = np.bincount(codes, weights=correct.astype(float), minlength=n_groups) / n
    summary = pd.DataFrame(
        {
            "n": n,
            "ece": ece,
            "mean_confidence": mean_conf,
            "accuracy": accuracy,
            "overconfidence": mean_conf - accuracy,
        },
        index=labels,
    )
    return bins, summary
