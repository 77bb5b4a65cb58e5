"""Vectorised per-slice statistics over cached arrays: counts, means and rank-based AUC.

Every function takes per-row arrays and a :class:`~rai_widgets.core.slices.SliceSet` and
returns one value per slice, in a single pass (``numpy.bincount`` and one sort); none of them
loops over slices or calls a model.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from rai_widgets.core.slices import SliceSet
>>> s = SliceSet.from_codes(np.array([0, 0, 1, 1]), pd.Index(["a", "b"]))
>>> grouped_sum(s, np.array([1.0, 2.0, 3.0, 4.0])).tolist()
[3.0, 7.0]
>>> grouped_auc(s, np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.2, 0.8])).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from rai_widgets.core.slices import SliceSet

__all__ = ["batched_auc", "grouped_auc", "grouped_mean", "grouped_sum"]


def grouped_sum(slices: SliceSet, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per slice (float64)."""
    return np.bincount(slices.codes, weights=np.asarray(values, dtype=float), minlength=len(slices))


def grouped_mean(slices: SliceSet, values: np.ndarray) -> np.ndarray:
    """Mean of ``values`` per slice; NaN for an empty slice."""
    counts = np.bincount(slices.codes, minlength=len(slices))
    with np.errstate(invalid="ignore", divide="ignore"):
        return grouped_sum(slices, values) / counts


def grouped_auc(slices: SliceSet, positive: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC of ``score`` for the binary labels ``positive`` within every slice.

    Computed as the Mann-Whitney statistic from average ranks (ties count one half), which is
    exactly :func:`sklearn.metrics.roc_auc_score`.

    Parameters
    ----------
    slices : SliceSet
        The partition of rows.
    positive : numpy.ndarray of bool or {0, 1}
        True for rows of the positive class.
    score : numpy.ndarray of float
        Higher means more likely positive.

    Returns
    -------
    numpy.ndarray
        One AUC per slice; NaN where a slice lacks positives or negatives.
    """
    positive = np.asarray(positive, dtype=bool)
    score = np.asarray(score, dtype=float)
    n_groups = len(slices)
    by_score = np.argsort(score, kind="stable")
    # Stable sort by slice code keeps the score order inside each slice.
    order = by_score[np.argsort(slices.codes[by_score], kind="stable")]
    codes = slices.codes[order]
    sorted_score = score[order]
    n = len(order)
    starts_block = np.ones(n, dtype=bool)
    starts_block[1:] = (codes[1:] != codes[:-1]) | (sorted_score[1:] != sorted_score[:-1])
    block = np.cumsum(starts_block) - 1
    counts = np.bincount(codes, minlength=n_groups)
    group_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(1, n + 1, dtype=float) - group_start[codes]
    block_rank = np.bincount(block, weights=rank) / np.bincount(block)
    is_pos = positive[order]
    rank_sum = np.bincount(codes, weights=block_rank[block] * is_pos, minlength=n_groups)
    n_pos = np.bincount(codes, weights=is_pos, minlength=n_groups)
    n_neg = counts - n_pos
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)
    return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan)


def batched_auc(positive: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC of each row of a batch: ``positive`` and ``score`` have shape (batch, m).

    Used by the bootstrap, where each row is one resample.

    Returns
    -------
    numpy.ndarray
        Shape (batch,); NaN where a resample lacks positives or negatives.
    """
    positive = np.asarray(positive, dtype=bool)
    ranks = rankdata(score, axis=1)
    n_pos = positive.sum(axis=1).astype(float)
    n_neg = positive.shape[1] - n_pos
    rank_sum = (ranks * positive).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)
    return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan)
