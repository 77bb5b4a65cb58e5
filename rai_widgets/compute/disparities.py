"""Disparities: each slice's metric against a reference slice, as a difference and a ratio.

Slices are disjoint sets of rows, so their estimates are independent and the bounds of a
difference or ratio follow from each slice's own bounds by MOVER (Newcombe 1998; Donner & Zou
2012): Wilson-based for proportions, bootstrap-based otherwise.

Examples
--------
>>> import numpy as np, pandas as pd
>>> table = pd.DataFrame(
...     {"n": [100, 50], "accuracy": [0.9, 0.8], "accuracy_lo": [0.83, 0.67],
...      "accuracy_hi": [0.95, 0.89], "low_support": [False, False]},
...     index=pd.Index(["a", "b"], name="g"))
>>> compute_disparities(table, metric="accuracy")["difference"].round(2).tolist()
[0.0, -0.1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.intervals import mover_difference, mover_ratio
from rai_widgets.core.errors import ValidationError

__all__ = ["compute_disparities"]


def compute_disparities(table: pd.DataFrame, *, metric: str, reference: Any = None) -> pd.DataFrame:
    """Difference and ratio of ``metric`` for every slice against a reference slice.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of ``slice_metrics`` (``n``, ``metric``, optionally ``metric_lo``/``_hi``).
    metric : str
        A metric column of ``table``.
    reference : label, optional
        The reference slice; default the largest one.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table``: ``n``, ``<metric>``, ``reference`` (bool), ``difference``,
        ``difference_lo``, ``difference_hi``, ``ratio``, ``ratio_lo``, ``ratio_hi``,
        ``low_support``. The reference row has difference 0 and ratio 1 exactly.
    """
    if metric not in table.columns or metric in ("n", "low_support"):
        allowed = [c for c in table.columns if not c.endswith(("_lo", "_hi"))]
        allowed = [c for c in allowed if c not in ("n", "low_support")]
        raise ValidationError(f"metric {metric!r} is not one of {allowed}.")
    if reference is None:
        ref_pos = int(np.argmax(table["n"].to_numpy()))
    else:
        try:
            ref_pos = table.index.get_loc(reference)
        except (KeyError, TypeError):
            ref_pos = None
        if not isinstance(ref_pos, (int, np.integer)):
            raise ValidationError(
                f"reference {reference!r} is not a slice; slices are {table.index.tolist()[:20]}."
            )
    value = table[metric].to_numpy(dtype=float)
    has_bounds = f"{metric}_lo" in table.columns
    lo = table[f"{metric}_lo"].to_numpy(dtype=float) if has_bounds else np.full_like(value, np.nan)
    hi = table[f"{metric}_hi"].to_numpy(dtype=float) if has_bounds else np.full_like(value, np.nan)
    b, b_lo, b_hi = value[ref_pos], lo[ref_pos], hi[ref_pos]
    with np.errstate(invalid="ignore", divide="ignore"):
        difference = value - b
        ratio = value / b
    d_lo, d_hi = mover_difference(value, lo, hi, b, b_lo, b_hi)
    if np.nanmin(np.concatenate([value, lo, [0.0]])) >= 0:
        r_lo, r_hi = mover_ratio(value, lo, hi, b, b_lo, b_hi)
    else:  # a ratio of signed quantities (e.g. mean residual) has no sensible bounds
        r_lo = r_hi = np.full_like(value, np.nan)
    is_ref = np.arange(len(value)) == ref_pos
    out = pd.DataFrame(
        {
            "n": table["n"].to_numpy(),
            metric: value,
            "reference": is_ref,
            "difference": np.where(is_ref, 0.0, difference),
            "difference_lo": np.where(is_ref, 0.0, d_lo),
            "difference_hi": np.where(is_ref, 0.0, d_hi),
            "ratio": np.where(is_ref, 1.0, ratio),
            "ratio_lo": np.where(is_ref, 1.0, r_lo),
            "ratio_hi": np.where(is_ref, 1.0, r_hi),
            "low_support": table["low_support"].to_numpy(),
        },
        index=table.index,
    )
    out.attrs["reference"] = table.index[ref_pos]
    out.attrs["metric"] = metric
    return out
