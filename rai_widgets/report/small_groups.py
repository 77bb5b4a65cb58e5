"""Groups too small to report: shared by the model card and the HTML export.

A group with fewer than ``min_group_size`` rows is named with its size, and reads "too few to
report" instead of its metrics: a rate over five people is noise, and published next to a
name it can say something about those five people. Small groups are flagged, never hidden.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"n": [500, 4], "accuracy": [0.8, 1.0], "accuracy_lo": [0.76, 0.5],
...                       "accuracy_hi": [0.83, 1.0]}, index=["a", "b"])
>>> masked = mask_small_groups(table, min_group_size=10)
>>> masked["too_few"].tolist(), masked["accuracy"].isna().tolist()
([False, True], [False, True])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rai_widgets.core.validation import check_int

__all__ = ["DEFAULT_MIN_GROUP_SIZE", "TOO_FEW", "mask_small_groups"]

DEFAULT_MIN_GROUP_SIZE = 10
TOO_FEW = "too few to report"

_KEEP = ("n", "low_support", "too_few", "reference")


def mask_small_groups(table: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """A copy of a per-group table whose groups under ``min_group_size`` rows keep their
    name and ``n`` but lose every other number, with a ``too_few`` flag.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group with an ``n`` column (as ``ModelSession.slice_metrics``).
    min_group_size : int
        Smallest group whose numbers are reported.

    Returns
    -------
    pandas.DataFrame
    """
    check_int(min_group_size, argument="min_group_size", minimum=1)
    out = table.copy()
    too_few = out["n"].to_numpy() < min_group_size
    numbers = [
        c
        for c in out.columns
        if c not in _KEEP
        and pd.api.types.is_numeric_dtype(out[c].dtype)
        and not pd.api.types.is_bool_dtype(out[c].dtype)
    ]
    for column in numbers:
        out[column] = np.where(too_few, np.nan, out[column].to_numpy(dtype=float))
    out["too_few"] = too_few
    return out
