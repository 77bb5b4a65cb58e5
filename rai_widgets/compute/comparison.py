"""Two models on the same rows: paired differences per group, and where their answers differ.

A paired comparison: both models answer the same rows, so the difference of a per-row quantity
(right or wrong, selected or not, absolute error) is averaged over the group's rows, with a
normal-approximation 95% interval on that mean (it accounts for the correlation of the two
models' errors, which two separate intervals would ignore).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from rai_widgets.core.slices import SliceSet
>>> groups = SliceSet.from_codes(np.array([0, 0, 1, 1]), pd.Index(["a", "b"], name="g"))
>>> table = paired_differences(np.array([1., 0, 1, 1]), np.array([1., 1, 1, 0]), groups)
>>> table[["n", "a", "b", "difference"]].to_numpy().tolist()
[[2.0, 0.5, 1.0, 0.5], [2.0, 1.0, 0.5, -0.5]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from rai_widgets.core.slices import SliceSet

__all__ = ["paired_differences"]


def paired_differences(
    values_a: np.ndarray,
    values_b: np.ndarray,
    slices: SliceSet,
    *,
    confidence: float = 0.95,
    min_support: int = 30,
) -> pd.DataFrame:
    """Per group: the mean of a per-row quantity under model A and B, and B minus A with bounds.

    Parameters
    ----------
    values_a, values_b : numpy.ndarray
        The per-row quantity (e.g. 1.0 when the model is right) for each model, same rows.
    slices : SliceSet
        The groups.
    confidence : float, default 0.95
        Level of the interval of the difference.
    min_support : int, default 30
        Groups with fewer rows are flagged ``low_support``.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``n``, ``a``, ``b``, ``difference`` (b - a), ``difference_lo``,
        ``difference_hi``, ``low_support``.
    """
    diff = np.asarray(values_b, dtype=float) - np.asarray(values_a, dtype=float)
    k = len(slices.labels)
    n = np.bincount(slices.codes, minlength=k).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_a = np.bincount(slices.codes, weights=values_a, minlength=k) / n
        mean_b = np.bincount(slices.codes, weights=values_b, minlength=k) / n
        mean_d = np.bincount(slices.codes, weights=diff, minlength=k) / n
        square = np.bincount(slices.codes, weights=diff**2, minlength=k) / n
        variance = np.maximum(square - mean_d**2, 0.0) * n / np.maximum(n - 1, 1)
        half = norm.ppf(0.5 + confidence / 2) * np.sqrt(variance / n)
    half = np.where(n > 1, half, np.nan)
    return pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "a": mean_a,
            "b": mean_b,
            "difference": mean_d,
            "difference_lo": mean_d - half,
            "difference_hi": mean_d + half,
            "low_support": n < min_support,
        },
        index=slices.labels,
    )
