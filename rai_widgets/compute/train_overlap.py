"""Evaluation rows that also occur in training: exact copies and near-duplicates.

* :func:`exact_overlap` — per evaluation row, whether an identical row occurs in training, by
  value (3 equals 3.0, NaN equals NaN): rows are hashed on a canonical form and every hash match
  is verified column by column, so a hash collision cannot make a match.
* :func:`near_overlap` — per sampled evaluation row, the Gower distance to its nearest training
  row, found exactly: a KD-tree (Manhattan) over the rows sharing its categories, then, only
  for rows far from all of those, the rows differing in 1, 2, ... categories.

Examples
--------
>>> import pandas as pd
>>> train = pd.DataFrame({"age": [25, 40, 61], "job": ["a", "b", "c"]})
>>> evaluation = pd.DataFrame({"age": [40.0, 41.0, 70.0], "job": ["b", "b", "a"]})
>>> exact_overlap(train, evaluation)
array([ True, False, False])
>>> near = near_overlap(train, evaluation, max_distance=0.05)
>>> near.distance.round(3), near.near
(array([0.   , 0.014, 0.625]), array([ True,  True, False]))
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.neighbors import KDTree

from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.core.validation import check_finite, closest_names

__all__ = ["NearOverlap", "exact_overlap", "near_overlap"]

_NAN_BITS = int(np.array([np.nan]).view(np.int64)[0])
# NaNs with other payloads: an integer beyond 2**53 that no float equals, one per frame
_TRAIN_ONLY, _EVAL_ONLY = _NAN_BITS + 1, _NAN_BITS + 2


@dataclass(frozen=True)
class NearOverlap:
    """Near-duplicates of sampled evaluation rows in the training data.

    Attributes
    ----------
    distance, nearest : numpy.ndarray
        Per sampled row, the Gower distance to its nearest training row and that row's position.
    rows : numpy.ndarray
        The positions of the sampled rows in the evaluation frame, ascending.
    near : numpy.ndarray
        Per sampled row, ``distance <= max_distance``.
    rate, rate_lo, rate_hi : float
        The share of sampled rows that are near, with Wilson bounds (NaN if none was sampled).
    n_sampled : int
        How many evaluation rows were sampled.
    max_distance : float
        The distance at or below which a row is a near-duplicate.
    """

    distance: np.ndarray
    nearest: np.ndarray
    rows: np.ndarray
    near: np.ndarray
    rate: float
    rate_lo: float
    rate_hi: float
    n_sampled: int
    max_distance: float


def _columns(
    train: pd.DataFrame, evaluation: pd.DataFrame, columns: Sequence[Hashable] | None
) -> list[Hashable]:
    """The columns to compare, after checking both frames have them."""
    frames = (("train", train), ("evaluation", evaluation))
    for name, frame in frames:
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(
                f"{name}= must be a pandas DataFrame; got {type(frame).__name__}. Wrap an array "
                "with pd.DataFrame(array, columns=[...]), with the same names for both frames."
            )
        if frame.columns.has_duplicates:
            dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
            raise ValidationError(f"{name}= has duplicated column names {dupes}; make them unique.")
    if columns is None:
        missing = [c for c in evaluation.columns if c not in train.columns][:10]
        extra = [c for c in train.columns if c not in evaluation.columns][:10]
        shared = [c for c in evaluation.columns if c in train.columns]
        if missing or extra or not shared:
            todo = f"pass columns= naming the {len(shared)} shared ones" if shared else "add them"
            found = [f"lacks {missing} of evaluation="] * bool(missing)
            found += [f"has {extra}, which evaluation= lacks"] * bool(extra)
            raise ColumnNotFoundError(
                f"train= and evaluation= must have the same columns; train= "
                f"{' and '.join(found) or 'has none'}. Give both frames the model's features, or "
                f"{todo}."
            )
        return shared
    chosen = list(columns)
    if not chosen or len(set(chosen)) != len(chosen):
        raise ValidationError(
            f"columns= must name columns of both train= and evaluation=, each once; got {chosen}. "
            "Pass None to compare on all of them."
        )
    for name, frame in frames:
        unknown = [c for c in chosen if c not in frame.columns]
        if unknown:
            raise ColumnNotFoundError(
                f"columns= names {unknown[:10]}, not columns of {name}=."
                f"{closest_names(unknown[0], frame.columns)} Name columns both frames have."
            )
    return chosen


def _factorize_values(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and the distinct values, as objects."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), values.cat.categories.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _float_bits(values: pd.Series, unmatched: int) -> np.ndarray:
    """The float64 bits of numbers, one zero and one NaN, integers no float equals: unmatched."""
    floats = values.to_numpy(dtype=np.float64, na_value=np.nan) + 0.0  # -0.0 becomes 0.0
    bits = floats.view(np.int64)
    bits[np.isnan(floats)] = _NAN_BITS
    if values.dtype.kind in "iu":
        big = np.flatnonzero(np.abs(floats) >= 2.0**53)
        for at, value in zip(big, values.iloc[big], strict=True):
            if not pd.isna(value) and float(value) != int(value):
                bits[at] = unmatched
    return bits


def _canonical(train: pd.Series, evaluation: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Int64 arrays for one column of both frames, equal exactly where the values are."""
    numeric = pd.api.types.is_numeric_dtype
    if numeric(train.dtype) and numeric(evaluation.dtype):
        plain = [
            isinstance(d, np.dtype) and d.kind in "iu" and d != np.uint64
            for d in (train.dtype, evaluation.dtype)
        ]
        if all(plain):
            return train.to_numpy(np.int64), evaluation.to_numpy(np.int64)
        return _float_bits(train, _TRAIN_ONLY), _float_bits(evaluation, _EVAL_ONLY)
    codes_t, uniques_t = _factorize_values(train)
    codes_e, uniques_e = _factorize_values(evaluation)
    joint, _ = pd.factorize(np.concatenate([uniques_t, uniques_e]), use_na_sentinel=True)
    missing = np.array([-1])  # code -1 picks the appended -1: missing equals missing
    return (
        np.concatenate([joint[: len(uniques_t)], missing])[codes_t],
        np.concatenate([joint[len(uniques_t) :], missing])[codes_e],
    )


def _row_hashes(columns: list[np.ndarray]) -> np.ndarray:
    """A uint64 hash of every row of canonical columns."""
    frame = pd.DataFrame(dict(enumerate(columns)), copy=False)
    return pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)


def _equal(
    train: list[np.ndarray], at_train: np.ndarray, evaluation: list[np.ndarray], at_eval: np.ndarray
) -> np.ndarray:
    """Whether training row ``at_train[i]`` equals evaluation row ``at_eval[i]``, per i."""
    same = np.ones(len(at_eval), dtype=bool)
    for t, e in zip(train, evaluation, strict=True):
        same &= t[at_train] == e[at_eval]
    return same


def _runs(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] .. starts[i] + lengths[i] - 1`` of every i, concatenated."""
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


def exact_overlap(
    train: pd.DataFrame,
    evaluation: pd.DataFrame,
    *,
    columns: Sequence[Hashable] | None = None,
) -> np.ndarray:
    """For each evaluation row, whether an identical row occurs in the training data.

    Parameters
    ----------
    train, evaluation : pandas.DataFrame
        The training and evaluation features. Columns are matched by name.
    columns : sequence of column names, optional
        The columns to compare on. None: all of them, and both frames must have the same ones.

    Returns
    -------
    numpy.ndarray of bool
        One per evaluation row, in order.

    Raises
    ------
    ColumnNotFoundError
        The frames' columns differ (the message names those missing and extra), or
        ``columns`` names a column one frame lacks.
    ValidationError
        A frame is not a DataFrame or has duplicated column names.

    Notes
    -----
    Numbers compare by value whatever their dtype (int 3 equals float 3.0, -0.0 equals 0.0),
    missing values (NaN, None, pd.NA) equal each other, other values compare by value; a
    number never equals its text ("3" is not 3).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> train = pd.DataFrame({"x": [1, 2, 3], "c": ["a", None, "b"]})
    >>> evaluation = pd.DataFrame({"c": ["a", np.nan, "b"], "x": [1.0, 2.0, 4.0]})
    >>> exact_overlap(train, evaluation)
    array([ True,  True, False])
    >>> exact_overlap(train, evaluation, columns=["c"])
    array([ True,  True,  True])
    """
    chosen = _columns(train, evaluation, columns)
    pairs = [_canonical(train[c], evaluation[c]) for c in chosen]
    train_cols, eval_cols = [p[0] for p in pairs], [p[1] for p in pairs]
    found = np.zeros(len(evaluation), dtype=bool)
    if len(train) == 0 or len(evaluation) == 0:
        return found
    train_hash, eval_hash = _row_hashes(train_cols), _row_hashes(eval_cols)
    order = np.argsort(train_hash, kind="stable")
    ordered = train_hash[order]
    start = np.searchsorted(ordered, eval_hash, side="left")
    hit = np.flatnonzero(ordered[np.minimum(start, len(ordered) - 1)] == eval_hash)
    # verify against the first training row of the same hash ...
    same = _equal(train_cols, order[start[hit]], eval_cols, hit)
    found[hit[same]] = True
    # ... and, where that one differs (a collision), against every other row of that hash
    rest = hit[~same]
    if len(rest):
        stop = np.searchsorted(ordered, eval_hash[rest], side="right")
        lengths = stop - start[rest] - 1
        at_eval = np.repeat(rest, lengths)
        at_train = order[_runs(start[rest] + 1, lengths)]
        found[at_eval[_equal(train_cols, at_train, eval_cols, at_eval)]] = True
    return found


def _gower_parts(
    train: pd.DataFrame, evaluation: pd.DataFrame, chosen: list[Hashable]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Numeric columns scaled by the training range (train, evaluation; NaN kept) and the codes
    of the columns compared as categories (over train then evaluation rows), where each numeric
    column with missing values adds its "is missing" flag."""
    numbers: list[tuple[np.ndarray, np.ndarray]] = []
    codes: list[np.ndarray] = []
    for column in chosen:
        a, b = train[column], evaluation[column]
        numeric = pd.api.types.is_numeric_dtype
        if numeric(a.dtype) and numeric(b.dtype):
            fa = a.to_numpy(dtype=np.float64, na_value=np.nan)
            fb = b.to_numpy(dtype=np.float64, na_value=np.nan)
            present = fa[~np.isnan(fa)]
            low, high = (present.min(), present.max()) if len(present) else (0.0, 0.0)
            if high > low:
                numbers.append(((fa - low) / (high - low), (fb - low) / (high - low)))
                missing = np.concatenate([np.isnan(fa), np.isnan(fb)])
                if missing.any():
                    codes.append(missing.astype(np.int64))
                continue
        codes.append(np.concatenate(_canonical(a, b)))
    if not numbers:
        return np.empty((len(train), 0)), np.empty((len(evaluation), 0)), codes
    return np.column_stack([n[0] for n in numbers]), np.column_stack([n[1] for n in numbers]), codes


def _groups(codes: list[np.ndarray], n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The group (combination of codes) of every row, and the dense codes as a matrix."""
    dense = np.empty((n_rows, len(codes)), dtype=np.int64)
    group = np.zeros(n_rows, dtype=np.int64)
    for j, column in enumerate(codes):
        dense[:, j], uniques = pd.factorize(column)
        group, _ = pd.factorize(group * len(uniques) + dense[:, j])
    return group.astype(np.int64), dense


def _sums(train_num: np.ndarray, at: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Sum of |train - point| over the numeric columns of training rows ``at`` (NaN counts 0:
    a missing value's term is carried by its "is missing" code)."""
    return np.nansum(np.abs(train_num[at] - point), axis=-1)


def _nearest(
    train_num: np.ndarray, eval_num: np.ndarray, codes: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Per evaluation row, the smallest sum of Gower terms to a training row, and that row."""
    n_train, n_eval = len(train_num), len(eval_num)
    group, dense = _groups(codes, n_train + n_eval)
    train_group, eval_group = group[:n_train], group[n_train:]
    best = np.full(n_eval, np.inf)
    nearest = np.zeros(n_eval, dtype=np.int64)
    # 1. the nearest row of the same group: a KD-tree on the numbers and the group's id times
    # a spacing larger than any distance within a group, so it never crosses groups
    spacing = 1.0 + np.nansum(1.0 + np.abs(eval_num).max(axis=0, initial=0.0))
    tree = KDTree(
        np.column_stack([np.nan_to_num(train_num), train_group * spacing]), metric="manhattan"
    )
    mine = np.flatnonzero(np.isin(eval_group, train_group))
    if len(mine):
        query = np.column_stack([np.nan_to_num(eval_num[mine]), eval_group[mine] * spacing])
        at = tree.query(query, k=1, return_distance=False)[:, 0]
        nearest[mine] = at
        best[mine] = _sums(train_num, at, eval_num[mine])
    # 2. rows farther than 1 from their own group: groups m columns away add m, m = 1, 2, ...
    far = np.flatnonzero(best > 1.0)
    if len(far) and codes:
        order = np.argsort(train_group, kind="stable")
        sizes = np.bincount(train_group, minlength=group.max() + 1)
        starts = np.cumsum(sizes) - sizes
        present = np.flatnonzero(sizes)
        values = dense[order[starts[present]]]
        for i in far:
            apart = (values != dense[n_train + i]).sum(axis=1)
            for m in range(1, len(codes) + 1):
                if best[i] <= m:
                    break
                picked = present[apart == m]
                if not len(picked):
                    continue
                rows = order[_runs(starts[picked], sizes[picked])]
                sums = _sums(train_num, rows, eval_num[i]) + m
                j = int(np.argmin(sums))
                if sums[j] < best[i]:
                    best[i], nearest[i] = sums[j], rows[j]
    return best, nearest


def near_overlap(
    train: pd.DataFrame,
    evaluation: pd.DataFrame,
    *,
    max_distance: float = 0.01,
    sample: int | None = 5000,
    random_state: int | None = 0,
    columns: Sequence[Hashable] | None = None,
    confidence: float = 0.95,
) -> NearOverlap:
    """For sampled evaluation rows, the Gower distance to the nearest training row.

    Parameters
    ----------
    train, evaluation : pandas.DataFrame
        The training and evaluation features, matched by column name.
    max_distance : float, default 0.01
        A row is a near-duplicate when its distance is at or below this (0.01: on average 1% of
        each numeric column's training range, with every category equal).
    sample : int or None, default 5000
        How many evaluation rows to sample without replacement; None (or at least the number of
        evaluation rows): every row.
    random_state : int or None, default 0
        Seed of the sample.
    columns : sequence of column names, optional
        The columns to compare on. None: all of them, and both frames must have the same ones.
    confidence : float, default 0.95
        Coverage of the Wilson bounds of the rate.

    Returns
    -------
    NearOverlap

    Raises
    ------
    ColumnNotFoundError
        The frames' columns differ, or ``columns`` names a column one frame lacks.
    ValidationError
        ``train`` has no rows, a numeric column holds an infinity, or an argument is out of
        range.

    Notes
    -----
    The distance is the mean of one term per column: ``|x - y| / (max - min)`` (the training
    range, not clipped) for a numeric column, a 0/1 mismatch for any other column (and for a
    numeric column constant in training); 0 between two missing values, 1 between a missing and
    a present one. The search is exact: a KD-tree over the numbers of the training rows sharing
    the row's categories (and missing numbers), then, only for rows at least 1/n_columns from
    all of those, a scan of the rows differing in 1, 2, ... categories (each adds 1/n_columns).
    A column with a value per row (an identifier) makes that scan slow: leave it out with
    ``columns=``.

    Examples
    --------
    >>> import pandas as pd
    >>> train = pd.DataFrame({"hours": [20, 40, 60], "job": ["a", "b", "b"]})
    >>> evaluation = pd.DataFrame({"hours": [40, 40, 20], "job": ["b", "a", "b"]})
    >>> result = near_overlap(train, evaluation, max_distance=0.1)
    >>> result.distance, result.nearest, result.near
    (array([0.  , 0.25, 0.25]), array([1, 0, 1]), array([ True, False, False]))
    >>> result.rate, result.n_sampled
    (0.333..., 3)
    """
    if not max_distance >= 0:
        raise ValidationError(f"max_distance= must be 0 or more, e.g. 0.01; got {max_distance!r}.")
    if sample is not None and (
        isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or sample < 1
    ):
        raise ValidationError(f"sample= must be a positive number of rows or None; got {sample!r}.")
    if not 0.0 < confidence < 1.0:
        raise ValidationError(f"confidence= must be in (0, 1), e.g. 0.95; got {confidence!r}.")
    chosen = _columns(train, evaluation, columns)
    if len(train) == 0:
        raise ValidationError("train= has no rows; pass the rows the model was trained on.")
    check_finite(train[chosen], argument="train=")
    check_finite(evaluation[chosen], argument="evaluation=")
    n_eval = len(evaluation)
    if sample is None or sample >= n_eval:
        rows = np.arange(n_eval)
    else:
        rng = np.random.default_rng(random_state)
        rows = np.sort(rng.choice(n_eval, size=sample, replace=False))
    train_num, eval_num, codes = _gower_parts(train, evaluation.iloc[rows], chosen)
    sums, nearest = _nearest(train_num, eval_num, codes)
    distance = sums / len(chosen)
    near = distance <= max_distance
    lo, hi = wilson_interval(np.array([near.sum()]), np.array([len(rows)]), confidence)
    return NearOverlap(
        distance=distance,
        nearest=nearest,
        rows=rows,
        near=near,
        rate=float(near.mean()) if len(rows) else float("nan"),
        rate_lo=float(lo[0]),
        rate_hi=float(hi[0]),
        n_sampled=len(rows),
        max_distance=float(max_distance),
    )
