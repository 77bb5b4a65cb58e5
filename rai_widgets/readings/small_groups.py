"""What a shared output says in place of a small group's numbers.

Examples
--------
>>> not_shown_sentence({"tiny": 6, "other": 3}, min_group_size=10)
'Too few to report (under 10 rows), so not drawn: tiny (6 rows), other (3 rows).'
>>> not_shown_sentence({}, min_group_size=10)
''
>>> import pandas as pd
>>> frame = pd.DataFrame({"check": ["disparity"], "severity": ["ok"],
...     "finding": ["Accuracy for g = a: 100% against 80%"], "estimate": [0.2], "lo": [0.1],
...     "hi": [0.3], "n": [6], "slice": [{"g": "a"}], "feature": ["g"], "view": ["fairness"]})
>>> mask_small_findings(frame, min_group_size=10)["finding"].iloc[0]
'g = a has 6 rows: too few to report its numbers in a shared file.'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from rai_widgets import formatting

__all__ = ["SIZE_ONLY_CHECKS", "TOO_FEW", "mask_small_findings", "not_shown_sentence"]

TOO_FEW = "too few to report"
"""What a shared output writes in place of a number about a group under its minimum size."""


def not_shown_sentence(
    too_few: Mapping, *, min_group_size: int, what: str = "drawn", rows: str = "rows"
) -> str:
    """The sentence naming the groups left out of a chart for being too small ("" for none).

    Parameters
    ----------
    too_few : mapping
        ``{group: rows}`` (as :func:`rai_widgets.compute.small_groups.split_small_groups`).
    min_group_size : int
        The smallest group reported.
    what : str, default "drawn"
        What was not done with them ("drawn", "listed").
    rows : str, default "rows"
        What the counts count ("held-out rows" where a number rests on part of a group).

    Returns
    -------
    str
        Plain text (escape it where it meets HTML).
    """
    if not too_few:
        return ""
    groups = ", ".join(
        f"{formatting.label(g)} ({formatting.count(n)} {rows[:-1] if n == 1 else rows})"
        for g, n in too_few.items()
    )
    return (
        f"{TOO_FEW.capitalize()} (under {formatting.count(min_group_size)} rows), "
        f"so not {what}: {groups}."
    )


SIZE_ONLY_CHECKS = ("data_gap",)
"""Audit checks whose only number is a group's size, which a shared file may show."""


def _is_number(value: Any) -> bool:
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def mask_small_findings(frame: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """An audit frame for a shared file: a finding with numbers about a group under
    ``min_group_size`` rows keeps its check, severity, group and size, and says "too few to
    report" in place of its sentence and numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()`` (``finding``, ``estimate``, ``lo``, ``hi``, ``n``, ``slice``).
    min_group_size : int
        The smallest group whose numbers are reported.

    Returns
    -------
    pandas.DataFrame
        A copy; a finding without numbers, or whose only number is the group's size (the
        checks of :data:`SIZE_ONLY_CHECKS`), is kept as it is.
    """
    out = frame.copy()
    for position in range(len(out)):
        row = out.iloc[position]
        where = row.get("slice")
        numbers = any(_is_number(row.get(c)) for c in ("estimate", "lo", "hi"))
        if row.get("check") in SIZE_ONLY_CHECKS:
            continue
        if not isinstance(where, dict) or not where or not numbers or not _is_number(row["n"]):
            continue
        n = int(float(row["n"]))
        if n >= min_group_size:
            continue
        group = " & ".join(f"{k} = {formatting.label(v)}" for k, v in where.items())
        rows = f"{formatting.count(n)} {'row' if n == 1 else 'rows'}"
        index = out.index[position]
        out.loc[index, "finding"] = f"{group} has {rows}: {TOO_FEW} its numbers in a shared file."
        for column in ("estimate", "lo", "hi"):
            if column in out.columns:
                out.loc[index, column] = math.nan
    return out
