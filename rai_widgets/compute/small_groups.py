"""Groups too small to report, in any table that has one row per group and its ``n``.

An export or a model card is read by people who were not in the room: a rate over five people
is noise, and published next to a group's name it says something about those five people.
So wherever a shared output writes a number about a group, a group whose number rests on fewer
than ``min_group_size`` rows keeps its name and its size and loses every other number. Two
forms: :func:`mask_small_groups` keeps the row with its numbers blanked (tables), and
:func:`split_small_groups` takes the row out and says which were taken (charts, which cannot
draw a blank). Small groups are flagged, never hidden: their names and sizes stay.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"n": [500, 4], "accuracy": [0.8, 1.0], "accuracy_lo": [0.76, 0.5],
...                       "accuracy_hi": [0.83, 1.0]}, index=["a", "b"])
>>> masked = mask_small_groups(table, min_group_size=10)
>>> masked["too_few"].tolist(), masked["accuracy"].isna().tolist()
([False, True], [False, True])
>>> kept, too_few = split_small_groups(table, min_group_size=10)
>>> kept.index.tolist(), too_few
(['a'], {'b': 4})
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from rai_widgets.core.arguments import check_int

__all__ = ["DEFAULT_MIN_GROUP_SIZE", "mask_small_groups", "split_small_groups"]

DEFAULT_MIN_GROUP_SIZE = 10
"""Exports and model cards report no number resting on fewer rows than this."""

_KEEP = ("n", "low_support", "too_few", "reference")


def _too_few(table: pd.DataFrame, min_group_size: int, n_column: str) -> np.ndarray:
    check_int(min_group_size, argument="min_group_size", minimum=1)
    if n_column not in table.columns:
        raise ValueError(f"the table has no {n_column!r} column to count its groups by.")
    n = pd.to_numeric(table[n_column], errors="coerce").to_numpy(dtype=float)
    return ~(n >= min_group_size)  # a missing count is not a large group


def mask_small_groups(
    table: pd.DataFrame, *, min_group_size: int, n_column: str = "n"
) -> pd.DataFrame:
    """A copy of a per-group table whose groups under ``min_group_size`` rows keep their
    name and ``n`` but lose every other number, with a ``too_few`` flag.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group with an ``n`` column (as ``ModelSession.slice_metrics``); text
        columns (a group's name in a long table) are kept.
    min_group_size : int
        Smallest group whose numbers are reported.
    n_column : str, default "n"
        The column holding the rows each number rests on.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group": ["a", "b"], "n": [3, 30], "ece": [0.2, 0.05]})
    >>> mask_small_groups(t, min_group_size=10)["ece"].tolist()
    [nan, 0.05]
    """
    out = table.copy()
    too_few = _too_few(out, min_group_size, n_column)
    numbers = [
        c
        for c in out.columns
        if c not in _KEEP
        and c != n_column
        and pd.api.types.is_numeric_dtype(out[c].dtype)
        and not pd.api.types.is_bool_dtype(out[c].dtype)
    ]
    for column in numbers:
        out[column] = np.where(too_few, np.nan, out[column].to_numpy(dtype=float))
    out["too_few"] = too_few
    return out


def split_small_groups(
    table: pd.DataFrame,
    *,
    min_group_size: int | None,
    n_column: str = "n",
    group_column: Hashable | None = None,
) -> tuple[pd.DataFrame, dict]:
    """The rows of the groups large enough to report, and the others' names and sizes.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per group (the group is the index, or ``group_column``).
    min_group_size : int or None
        Smallest group whose numbers are reported; None keeps every row (a live view, seen by
        the person who has the data anyway).
    n_column : str, default "n"
        The column holding the rows each number rests on.
    group_column : column name, optional
        Where the group's name is, when it is not the index.

    Returns
    -------
    kept : pandas.DataFrame
        The rows of groups with at least ``min_group_size`` rows.
    too_few : dict
        ``{group: n}`` of the rows taken out, in the table's order.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": [800, 6]}, index=pd.Index(["big", "tiny"], name="grp"))
    >>> split_small_groups(t, min_group_size=10)[1]
    {'tiny': 6}
    >>> len(split_small_groups(t, min_group_size=None)[0])
    2
    """
    if min_group_size is None:
        return table, {}
    too_few = _too_few(table, min_group_size, n_column)
    dropped = table[too_few]
    names = dropped.index if group_column is None else dropped[group_column]
    sizes = pd.to_numeric(dropped[n_column], errors="coerce")
    out: dict = {}
    for name, n in zip(names, sizes, strict=True):
        out.setdefault(name, int(n) if np.isfinite(n) else 0)
    return table[~too_few], out
