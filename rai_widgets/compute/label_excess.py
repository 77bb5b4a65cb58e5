"""Suspect labels per group beyond what the group's own uncertainty explains.

Confident learning flags more labels where the answer is uncertain: a group with more cases
near the boundary has more suspects even when nobody labelled it carelessly (on Adult, men's
labels are suspect twice as often as women's, because more men are near the 50K line). So a
group is compared with what its scores predict: the rows are put into strata of the
out-of-fold scores (the predicted class and twenty quantile bins of its probability), each
stratum's suspect rate over all rows is the expectation for a row in it, and a group's excess
is its observed rate minus the mean expectation of its rows (indirect standardisation). Labels
flipped in one group raise its excess; a group that is merely harder does not.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> proba = rng.uniform(size=(4000, 1)); proba = np.hstack([1 - proba, proba])
>>> groups = np.repeat(["a", "b"], 2000)
>>> suspect = rng.uniform(size=4000) < np.where(groups == "a", 0.25, 0.05)
>>> table = excess_suspect_rates(suspect, proba, groups)
>>> bool(table.loc["a", "significant"]), bool(table.loc["b", "significant"])
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.weak_slices import benjamini_hochberg

__all__ = ["EXCESS_COLUMNS", "excess_suspect_rates", "score_strata"]

#: The columns of :func:`excess_suspect_rates`' table.
EXCESS_COLUMNS = (
    "n",
    "suspects",
    "rate",
    "rate_lo",
    "rate_hi",
    "expected",
    "excess",
    "excess_lo",
    "excess_hi",
    "p_value",
    "q_value",
    "significant",
)


def score_strata(proba: np.ndarray, n_bins: int = 20) -> np.ndarray:
    """A stratum per row: its predicted class, and a quantile bin of that class' probability.

    Parameters
    ----------
    proba : numpy.ndarray
        Shape (n_rows, n_classes): out-of-fold probabilities.
    n_bins : int, default 20
        Quantile bins of the probability.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> score_strata(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), n_bins=2).tolist()
    [1, 5, 0]
    """
    top = proba.argmax(axis=1)
    p = proba.max(axis=1)
    edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, n_bins + 1)))
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    return top * (len(edges) + 1) + bins


def excess_suspect_rates(
    suspect: np.ndarray,
    proba: np.ndarray,
    groups: np.ndarray | pd.Series | Sequence[object],
    *,
    confidence: float = 0.95,
    min_rows: int = 30,
    n_bins: int = 20,
) -> pd.DataFrame:
    """Per group, its rate of suspect labels against the rate its scores predict.

    Parameters
    ----------
    suspect : numpy.ndarray of bool
        Per row, whether its label is suspect.
    proba : numpy.ndarray
        Per row, out-of-fold probabilities (rows aligned with ``suspect``).
    groups : array-like
        Per row, its group; missing values form no group.
    confidence : float, default 0.95
        Coverage of the bounds; ``1 - confidence`` is the false discovery rate.
    min_rows : int, default 30
        Smaller groups are listed but not tested.
    n_bins : int, default 20
        Quantile bins of the scores (see :func:`score_strata`).

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted), :data:`EXCESS_COLUMNS`: ``rate`` with Wilson bounds,
        ``expected`` (the mean of its rows' stratum rates), ``excess`` = rate - expected with
        normal bounds (the variance of a sum of independent Bernoulli rows at their stratum
        rates), the one-sided p-value of a positive excess, its Benjamini-Hochberg
        ``q_value`` and ``significant``: q at most ``1 - confidence`` and ``excess_lo > 0``.
    """
    suspect = np.asarray(suspect, dtype=bool)
    values = pd.Series(np.asarray(groups, dtype=object))
    strata = score_strata(np.asarray(proba, dtype=float), n_bins)
    _, codes = np.unique(strata, return_inverse=True)
    rate_of = np.bincount(codes, weights=suspect) / np.bincount(codes)
    expected_row = rate_of[codes]
    present = values.notna().to_numpy()
    labels = sorted(values[present].unique(), key=str)
    rows = []
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    for label in labels:
        member = present & (values == label).to_numpy()
        n = int(member.sum())
        k = int(suspect[member].sum())
        expected = float(expected_row[member].mean())
        spread = float(np.sqrt((expected_row[member] * (1 - expected_row[member])).sum()) / n)
        excess = k / n - expected
        p_value = float(stats.norm.sf(excess / spread)) if spread > 0 and n >= min_rows else np.nan
        lo, hi = wilson_interval(np.array([k]), np.array([n]), confidence)
        rows.append((n, k, k / n, float(lo[0]), float(hi[0]), expected, excess,
                     excess - z * spread, excess + z * spread, p_value))  # fmt: skip
    table = pd.DataFrame(rows, columns=list(EXCESS_COLUMNS[:-2]), index=pd.Index(labels))
    tested = table["p_value"].notna()
    table["q_value"] = np.nan
    if tested.any():
        table.loc[tested, "q_value"] = benjamini_hochberg(table.loc[tested, "p_value"].to_numpy())
    table["significant"] = (table["q_value"] <= 1 - confidence) & (table["excess_lo"] > 0)
    return table
