"""Decision thresholds per group: confusion counts, rate curves, thresholds that equalise a rate.

All functions work on a binary task's cached scores (the probability of the positive class) and
the actual outcomes; a row is selected when ``score >= threshold``. Nothing calls the model.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from rai_widgets.core.slices import SliceSet
>>> score = np.array([0.9, 0.6, 0.2, 0.8, 0.3, 0.1])
>>> actual = np.array([True, False, False, True, True, False])
>>> groups = SliceSet.from_codes(np.array([0, 0, 0, 1, 1, 1]), pd.Index(["a", "b"], name="g"))
>>> confusion_at(score, actual, groups, {"a": 0.5, "b": 0.25})[["tp", "fp", "fn", "tn"]].values
array([[1, 1, 0, 1],
       [2, 0, 0, 1]])
>>> equalizing_thresholds(score, actual, groups, rate="selection_rate", target=1 / 3)["threshold"]
g
a    0.9
b    0.8
Name: threshold, dtype: float64
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import SliceSet

__all__ = ["RATES", "add_rates", "confusion_at", "equalizing_thresholds", "threshold_curves"]

#: Rates a threshold can equalise, and which rows each is measured on.
RATES = {
    "selection_rate": "all rows",
    "tpr": "rows whose actual outcome is positive",
    "fpr": "rows whose actual outcome is negative",
}

_COUNTS = ["n", "tp", "fp", "fn", "tn"]


def add_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``selection_rate``, ``tpr``, ``fpr``, ``fnr`` and ``accuracy`` from the counts."""
    with np.errstate(invalid="ignore", divide="ignore"):
        table["selection_rate"] = (table["tp"] + table["fp"]) / table["n"]
        table["tpr"] = table["tp"] / (table["tp"] + table["fn"])
        table["fpr"] = table["fp"] / (table["fp"] + table["tn"])
        table["fnr"] = 1 - table["tpr"]
        table["accuracy"] = (table["tp"] + table["tn"]) / table["n"]
    return table


def threshold_curves(
    score: np.ndarray, actual: np.ndarray, slices: SliceSet, grid: Sequence[float] | np.ndarray
) -> pd.DataFrame:
    """Confusion counts and rates per group at every threshold of ``grid`` (long format).

    Per group, the scores are sorted once and every threshold is a binary search, so the cost
    is O(n log n + groups x thresholds x log n).
    """
    points = np.asarray(grid, dtype=float)
    records: list[tuple[object, ...]] = []
    for label, positions in slices:
        s, a = score[positions], actual[positions]
        pos_sorted, neg_sorted = np.sort(s[a]), np.sort(s[~a])
        tp = len(pos_sorted) - np.searchsorted(pos_sorted, points, side="left")
        fp = len(neg_sorted) - np.searchsorted(neg_sorted, points, side="left")
        fn, tn = len(pos_sorted) - tp, len(neg_sorted) - fp
        records.extend(
            (label, t, len(positions), *c) for t, *c in zip(points, tp, fp, fn, tn, strict=True)
        )
    name = slices.labels.name if slices.labels.name is not None else "slice"
    table = pd.DataFrame(records, columns=[name, "threshold", *_COUNTS])
    return add_rates(table)


def _per_group(thresholds: Mapping | float, slices: SliceSet) -> np.ndarray:
    # numpy types isscalar as TypeIs[generic | complex | str | bytes | memoryview]: mypy then
    # reads the float as that union in the first branch and keeps it in the second
    if np.isscalar(thresholds):
        return np.full(len(slices.labels), float(cast(float, thresholds)))
    thresholds = cast(Mapping, thresholds)  # not a scalar: one threshold per group
    unknown = [k for k in thresholds if k not in set(slices.labels)]
    if unknown:
        raise ValidationError(
            f"thresholds names groups that do not exist: {unknown[:5]!r}; the groups are "
            f"{list(slices.labels)[:10]!r}."
        )
    values = np.array([float(thresholds.get(label, 0.5)) for label in slices.labels])
    if not np.all((values >= 0) & (values <= 1)):
        raise ValidationError("thresholds must be between 0 and 1.")
    return values


def confusion_at(
    score: np.ndarray,
    actual: np.ndarray,
    slices: SliceSet,
    thresholds: Mapping | float,
) -> pd.DataFrame:
    """Confusion counts and rates per group, each group at its own threshold.

    Parameters
    ----------
    score, actual : numpy.ndarray
        Probability of the positive class and whether the outcome was positive, per row.
    slices : SliceSet
        The groups.
    thresholds : float or mapping of group label to float
        One threshold for all, or one per group (groups left out use 0.5).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``threshold``, ``n``, ``tp``, ``fp``, ``fn``, ``tn`` and the rates.
    """
    per_group = _per_group(thresholds, slices)
    chosen = score >= per_group[slices.codes]
    counts = np.stack(
        [
            np.bincount(slices.codes, weights=w, minlength=len(slices.labels))
            for w in (
                np.ones_like(score),
                chosen & actual,
                chosen & ~actual,
                ~chosen & actual,
                ~chosen & ~actual,
            )
        ],
        axis=1,
    ).astype(np.int64)
    table = pd.DataFrame(counts, index=slices.labels, columns=_COUNTS)
    table.insert(0, "threshold", per_group)
    return add_rates(table)


def equalizing_thresholds(
    score: np.ndarray,
    actual: np.ndarray,
    slices: SliceSet,
    *,
    rate: str = "selection_rate",
    target: float,
) -> pd.DataFrame:
    """Per group, the threshold whose ``rate`` comes closest to ``target``.

    Exact: every distinct score of the group is a candidate threshold (and one above the
    largest, selecting nobody), so no grid hides a closer one. Ties go to the higher threshold.

    Parameters
    ----------
    score, actual, slices
        As in :func:`confusion_at`.
    rate : {"selection_rate", "tpr", "fpr"}
        The rate to equalise.
    target : float
        The value every group should reach.

    Returns
    -------
    pandas.DataFrame
        As :func:`confusion_at` at the chosen thresholds, plus ``target`` and ``gap`` (achieved
        rate minus target). A group without any row the rate is measured on gets NaN.
    """
    if rate not in RATES:
        raise ValidationError(f"rate must be one of {sorted(RATES)}; got {rate!r}.")
    if not 0 <= target <= 1:
        raise ValidationError(f"target must be between 0 and 1; got {target!r}.")
    chosen = {}
    for label, positions in slices:
        s, a = score[positions], actual[positions]
        measured = s if rate == "selection_rate" else (s[a] if rate == "tpr" else s[~a])
        if len(measured) == 0:
            chosen[label] = np.nan
            continue
        candidates = np.unique(measured)[::-1]  # descending: rates increase along it
        ordered = np.sort(measured)
        rates = (len(ordered) - np.searchsorted(ordered, candidates, side="left")) / len(ordered)
        candidates = np.concatenate([[np.nextafter(candidates[0], np.inf)], candidates])
        rates = np.concatenate([[0.0], rates])
        chosen[label] = float(candidates[np.argmin(np.abs(rates - target))])
    usable = {k: v for k, v in chosen.items() if np.isfinite(v)}
    table = confusion_at(score, actual, slices, usable)
    table.loc[[k for k, v in chosen.items() if not np.isfinite(v)], "threshold"] = np.nan
    table["target"] = target
    table["gap"] = table[rate] - target
    table.attrs["rate"] = rate
    return table
