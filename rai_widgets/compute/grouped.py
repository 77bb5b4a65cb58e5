"""Vectorised per-slice statistics over cached arrays: counts, means and rank-based AUC.

Every function takes per-row arrays and a :class:`~rai_widgets.core.slices.SliceSet` and
returns one value per slice, in a single pass (``numpy.bincount`` and one sort); none of them
loops over slices or calls a model.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from rai_widgets.core.slices import SliceSet, small_int_codes
>>> s = SliceSet.from_codes(np.array([0, 0, 1, 1]), pd.Index(["a", "b"]))
>>> grouped_sum(s, np.array([1.0, 2.0, 3.0, 4.0])).tolist()
[3.0, 7.0]
>>> grouped_auc(s, np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.2, 0.8])).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

from rai_widgets.core.slices import SliceSet, small_int_codes

__all__ = [
    "batched_auc",
    "grouped_auc",
    "grouped_mean",
    "grouped_sum",
    "presorted_batched_auc",
    "score_sorted_order",
]


def grouped_sum(slices: SliceSet, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per slice (float64)."""
    return np.bincount(slices.codes, weights=np.asarray(values, dtype=float), minlength=len(slices))


def grouped_mean(slices: SliceSet, values: np.ndarray) -> np.ndarray:
    """Mean of ``values`` per slice; NaN for an empty slice."""
    counts = np.bincount(slices.codes, minlength=len(slices))
    with np.errstate(invalid="ignore", divide="ignore"):
        return grouped_sum(slices, values) / counts


def grouped_auc(
    slices: SliceSet,
    positive: np.ndarray,
    score: np.ndarray,
    *,
    order: np.ndarray | None = None,
) -> np.ndarray:
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
    order : numpy.ndarray, optional
        :func:`score_sorted_order` of these slices and scores, if already computed.

    Returns
    -------
    numpy.ndarray
        One AUC per slice; NaN where a slice lacks positives or negatives.
    """
    positive = np.asarray(positive, dtype=bool)
    score = np.asarray(score, dtype=float)
    n_groups = len(slices)
    if order is None:
        order = score_sorted_order(slices, score)
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


def presorted_batched_auc(positive: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC of each row of a batch whose scores are already sorted along axis 1.

    The bootstrap draws resamples in score order (see :func:`score_sorted_order`), so the AUC
    needs no sort: for each positive, count the negatives before its block of tied scores plus
    half the negatives tied with it, from one cumulative sum. Same value as :func:`batched_auc`.

    Parameters
    ----------
    positive : numpy.ndarray of bool, shape (batch, m)
        True for rows of the positive class.
    score : numpy.ndarray of float, shape (batch, m)
        Scores, non-decreasing along axis 1.

    Returns
    -------
    numpy.ndarray
        Shape (batch,); NaN where a resample lacks positives or negatives.
    """
    positive = np.asarray(positive, dtype=bool)
    batch, m = positive.shape
    negative = ~positive
    cum_neg = np.cumsum(negative, axis=1, dtype=np.int32)
    n_pos = positive.sum(axis=1).astype(float)
    n_neg = m - n_pos
    mixed_ties = (score[:, 1:] == score[:, :-1]) & (positive[:, 1:] != positive[:, :-1])
    if not mixed_ties.any():
        # no positive shares a score with a negative: the negatives before a positive are
        # exactly the ones it beats
        wins = (cum_neg * positive).sum(axis=1, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            auc = wins / (n_pos * n_neg)
        return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan)
    starts = np.ones((batch, m), dtype=bool)
    starts[:, 1:] = score[:, 1:] != score[:, :-1]
    ends = np.ones((batch, m), dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    position = np.arange(m)
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, position, m - 1)[:, ::-1], axis=1)[:, ::-1]
    rows = np.arange(batch)[:, None]
    below = cum_neg[rows, first] - negative[rows, first]
    tied = cum_neg[rows, last] - below
    wins = np.where(positive, below + 0.5 * tied, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = wins / (n_pos * n_neg)
    return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan)


def score_sorted_order(
    slices: SliceSet, score: np.ndarray, *, score_order: np.ndarray | None = None
) -> np.ndarray:
    """Row positions sorted by slice, and by score within each slice.

    Drop-in for a SliceSet's own order (same slice boundaries), for bootstraps that want their
    resamples in score order. With the global score order given, this is one stable radix sort
    of small integer codes: linear in the rows.
    """
    by_score = np.argsort(score, kind="stable") if score_order is None else score_order
    codes = small_int_codes(slices.codes[by_score], len(slices))
    return by_score[np.argsort(codes, kind="stable")]
