"""Data drift: which features differ between a reference and a current dataset, over all rows
and within each group, with a test, a false discovery rate and an effect size with bounds.

:func:`feature_drift` compares every column of two frames: a two-sample Kolmogorov-Smirnov
test for numeric columns, a chi-squared test of the category counts for the others, and the
total-variation distance of the two distributions (0 = identical, 1 = disjoint) as one effect
size for every kind of column, with seeded bootstrap bounds. Benjamini-Hochberg controls the
false discovery rate over the whole table; a feature is ``drifted`` only when it is significant
and its shift is measurably at least ``min_shift``, so a tiny change in a huge dataset is not
called drift.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> rng = np.random.default_rng(0)
>>> reference = pd.DataFrame({"x": rng.normal(0, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
>>> current = pd.DataFrame({"x": rng.normal(1, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
>>> table = feature_drift(reference, current)
>>> table[["feature", "group", "test", "drifted"]]
  feature  group  test  drifted
0       x  (all)    ks     True
1       c  (all)  chi2    False
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd
from scipy import stats

from rai_widgets.compute.weak_slices import benjamini_hochberg
from rai_widgets.core.errors import ValidationError

__all__ = ["ALL_ROWS", "DRIFT_COLUMNS", "feature_drift", "feature_drift_by"]

#: The ``group`` of the rows of :func:`feature_drift` that compare all rows of both frames.
ALL_ROWS = "(all)"

#: The columns of :func:`feature_drift`'s table, in order.
DRIFT_COLUMNS = (
    "feature",
    "group",
    "kind",
    "n_reference",
    "n_current",
    "test",
    "statistic",
    "p_value",
    "q_value",
    "shift",
    "shift_lo",
    "shift_hi",
    "detail",
    "detail_change",
    "detail_from",
    "detail_to",
    "sampled",
    "drifted",
)

_Groups: TypeAlias = "pd.Series | np.ndarray | Sequence[object]"


def _check_frames(reference: pd.DataFrame, current: pd.DataFrame) -> None:
    for name, frame in (("reference", reference), ("current", current)):
        if not isinstance(frame, pd.DataFrame):
            raise ValidationError(
                f"{name} must be a pandas DataFrame, not {type(frame).__name__}; "
                f"wrap it with pd.DataFrame(...)."
            )
        if len(frame) == 0:
            raise ValidationError(f"{name} has no rows; pass a frame with at least one row.")
    missing = [c for c in reference.columns if c not in current.columns]
    extra = [c for c in current.columns if c not in reference.columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"current lacks the reference columns {missing}")
        if extra:
            parts.append(f"current has columns {extra} that reference does not")
        raise ValidationError(
            "The columns of reference and current must match: "
            + " and ".join(parts)
            + "; pass the same columns, e.g. current[reference.columns]."
        )
    for name, frame in (("reference", reference), ("current", current)):
        if frame.columns.has_duplicates:
            raise ValidationError(f"{name} has duplicate column names; give each column one name.")


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _check_groups(
    groups: _Groups | None, frame: pd.DataFrame, name: str, frame_name: str
) -> np.ndarray | None:
    if groups is None:
        return None
    values = groups.to_numpy() if isinstance(groups, pd.Series) else np.asarray(groups)
    if values.ndim != 1 or len(values) != len(frame):
        raise ValidationError(
            f"{name} must have one group per row of {frame_name} ({len(frame)} rows), "
            f"not shape {values.shape}; pass a 1-D array or Series aligned by position."
        )
    if (pd.Series(values, dtype=object) == ALL_ROWS).any():
        raise ValidationError(
            f"{name} has a group named {ALL_ROWS!r}, which labels the rows over all data; "
            f"rename that group."
        )
    return values


def _sample(n: int, max_rows: int | None, rng: np.random.Generator) -> np.ndarray | None:
    if max_rows is None or n <= max_rows:
        return None
    return np.sort(rng.choice(n, size=max_rows, replace=False))


def _total_variation(ref: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Total-variation distance of count vectors along the last axis."""
    p = ref / ref.sum(axis=-1, keepdims=True)
    q = cur / cur.sum(axis=-1, keepdims=True)
    return 0.5 * np.abs(p - q).sum(axis=-1)


def _shift_bounds(
    counts_ref: np.ndarray,
    counts_cur: np.ndarray,
    n_boot: int,
    tail: float,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Percentile bootstrap bounds of the total-variation distance.

    Resampling n rows with replacement gives multinomial(n, observed shares) bin counts, so
    each side is drawn as one (n_boot, bins) multinomial array.
    """
    n_ref, n_cur = int(counts_ref.sum()), int(counts_cur.sum())
    boot_ref = rng.multinomial(n_ref, counts_ref / n_ref, size=n_boot)
    boot_cur = rng.multinomial(n_cur, counts_cur / n_cur, size=n_boot)
    tv = _total_variation(boot_ref.astype(float), boot_cur.astype(float))
    lo, hi = np.quantile(tv, [tail, 1.0 - tail])
    return float(lo), float(hi)


def _bin_codes(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Bin of each value: 2i for the open interval below ``edges[i]``, 2i + 1 for the value
    ``edges[i]`` itself, so a value filling several quantiles (a zero-inflated amount) is a
    bin of its own instead of merging with its neighbours."""
    return np.searchsorted(edges, values, side="left") + np.searchsorted(
        edges, values, side="right"
    )


def _numeric_row(
    ref: np.ndarray, cur: np.ndarray, n_bins: int
) -> tuple[dict[str, object], np.ndarray, np.ndarray] | None:
    ref = ref[~np.isnan(ref)]
    cur = cur[~np.isnan(cur)]
    if len(ref) == 0 or len(cur) == 0:
        return None
    result = stats.ks_2samp(ref, cur)
    pooled = np.concatenate([ref, cur])
    edges = np.unique(np.quantile(pooled, np.linspace(0.0, 1.0, n_bins + 1)[1:-1]))
    bins = 2 * len(edges) + 1
    counts_ref = np.bincount(_bin_codes(edges, ref), minlength=bins)
    counts_cur = np.bincount(_bin_codes(edges, cur), minlength=bins)
    row: dict[str, object] = {
        "kind": "numeric",
        "n_reference": len(ref),
        "n_current": len(cur),
        "test": "ks",
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
        "detail": float(np.median(cur) - np.median(ref)),
        "detail_change": np.nan,
        "detail_from": float(np.median(ref)),
        "detail_to": float(np.median(cur)),
    }
    return row, counts_ref, counts_cur


def _categorical_row(
    ref_codes: np.ndarray, cur_codes: np.ndarray, labels: np.ndarray
) -> tuple[dict[str, object], np.ndarray, np.ndarray]:
    size = len(labels)
    counts_ref = np.bincount(ref_codes, minlength=size)
    counts_cur = np.bincount(cur_codes, minlength=size)
    seen = (counts_ref + counts_cur) > 0
    counts_ref, counts_cur, labels = counts_ref[seen], counts_cur[seen], labels[seen]
    result = stats.chi2_contingency(np.vstack([counts_ref, counts_cur]))
    share_ref, share_cur = counts_ref / counts_ref.sum(), counts_cur / counts_cur.sum()
    change = share_cur - share_ref
    # the largest change; a tie (always, with two categories) goes to the category that grew
    largest = np.isclose(np.abs(change), np.abs(change).max(), rtol=1e-9, atol=1e-12)
    top = int(np.argmax(np.where(largest, change, -np.inf)))
    row: dict[str, object] = {
        "kind": "categorical",
        "n_reference": len(ref_codes),
        "n_current": len(cur_codes),
        "test": "chi2",
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
        "detail": labels[top],
        "detail_change": float(change[top]),
        "detail_from": float(share_ref[top]),
        "detail_to": float(share_cur[top]),
    }
    return row, counts_ref, counts_cur


def _category_codes(ref: pd.Series, cur: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Shared category codes of both columns (missing values the last code) and the labels."""
    both = pd.concat([ref.reset_index(drop=True), cur.reset_index(drop=True)], ignore_index=True)
    if isinstance(both.dtype, pd.CategoricalDtype):
        both = both.astype(object)
    codes, uniques = pd.factorize(both, use_na_sentinel=True)
    labels = np.empty(len(uniques) + 1, dtype=object)
    labels[: len(uniques)] = np.asarray(uniques, dtype=object)
    labels[-1] = np.nan
    codes = np.where(codes < 0, len(uniques), codes)
    return codes, labels


def _group_masks(
    g_ref: np.ndarray | None, g_cur: np.ndarray | None, min_rows: int
) -> list[tuple[object, np.ndarray | None, np.ndarray | None]]:
    masks: list[tuple[object, np.ndarray | None, np.ndarray | None]] = [(ALL_ROWS, None, None)]
    if g_ref is None or g_cur is None:
        return masks
    s_ref, s_cur = pd.Series(g_ref, dtype=object), pd.Series(g_cur, dtype=object)
    common = set(s_ref.dropna().unique()) & set(s_cur.dropna().unique())
    try:
        ordered = sorted(common)
    except TypeError:
        ordered = sorted(common, key=str)
    for group in ordered:
        in_ref, in_cur = (s_ref == group).to_numpy(), (s_cur == group).to_numpy()
        if in_ref.sum() >= min_rows and in_cur.sum() >= min_rows:
            masks.append((group, in_ref, in_cur))
    return masks


def feature_drift(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    groups_reference: _Groups | None = None,
    groups_current: _Groups | None = None,
    confidence: float = 0.95,
    min_shift: float = 0.05,
    max_rows: int | None = 200_000,
    random_state: int | None = 0,
    min_rows: int = 30,
    n_bins: int = 10,
    n_boot: int = 200,
) -> pd.DataFrame:
    """Test every feature for a difference between two datasets, over all rows and per group.

    Parameters
    ----------
    reference, current : pandas.DataFrame
        The two datasets, with the same columns (in any order). A column is numeric when
        pandas says it is numeric and it is not boolean; every other column (strings,
        ``category``, booleans, dates ...) is categorical.
    groups_reference, groups_current : Series or array, optional
        One group per row of ``reference`` / ``current`` (by position; missing = no group).
        Pass both or neither. Each group present in both frames with at least ``min_rows``
        rows on each side gets a row per feature.
    confidence : float, default 0.95
        Coverage of the shift's bounds; ``1 - confidence`` is the false discovery rate.
    min_shift : float, default 0.05
        Smallest total-variation distance called drift: ``drifted`` needs ``shift_lo`` at
        least this large.
    max_rows : int or None, default 200_000
        Each frame larger than this is sampled (without replacement, seeded) to ``max_rows``
        rows first; ``None`` uses every row.
    random_state : int or None, default 0
        Seed of the sampling and the bootstrap.
    min_rows : int, default 30
        Fewest rows a group needs on each side (after sampling) to be compared.
    n_bins : int, default 10
        Quantile bins of the pooled values of a numeric feature on which its shift is measured.
    n_boot : int, default 200
        Bootstrap replicates of the shift.

    Returns
    -------
    pandas.DataFrame
        One row per (feature, group), features in column order, :data:`ALL_ROWS` (the string
        ``"(all)"``) first, then the groups in sorted order; columns :data:`DRIFT_COLUMNS`:

        * ``kind``: ``"numeric"`` or ``"categorical"``; ``test``: ``"ks"`` (scipy's
          ``ks_2samp``) or ``"chi2"`` (scipy's ``chi2_contingency`` of the category counts,
          with its default Yates correction for two categories; categories absent from both
          sides dropped; missing values a category of their own).
        * ``n_reference``, ``n_current``: values compared (numeric: missing values are left
          out of the test and the shift; categorical: every row).
        * ``statistic``, ``p_value``; ``q_value``: Benjamini-Hochberg over every row of the
          table with a p-value (NaN when a numeric feature has no value on one side).
        * ``shift``, ``shift_lo``, ``shift_hi``: total-variation distance of the two
          distributions (numeric: on the ``n_bins`` quantile bins of the pooled values, each
          distinct quantile value also a bin of its own) with percentile bootstrap bounds
          (multinomial resamples of each side's counts). A sample estimate, it is biased up
          for small samples (about 0.56 * sqrt(bins / n) when nothing changed; the bounds
          then may lie above the estimate), hence the test too in ``drifted``.
        * ``detail``: numeric, the median of current minus that of reference; categorical,
          the category whose share changed most (the one that grew on a tie, as with two
          categories; NaN when it is the missing values), with ``detail_change`` its share in
          current minus in reference (NaN for numeric). ``detail_from`` and ``detail_to``:
          numeric, the median of reference and of current (in the feature's own values);
          categorical, that category's share of reference and of current.
        * ``sampled``: whether ``max_rows`` sampling was applied; ``drifted``: ``q_value`` at
          most ``1 - confidence`` and ``shift_lo`` at least ``min_shift``.

    Raises
    ------
    rai_widgets.core.errors.ValidationError
        If the frames' columns differ, a column is numeric in one frame and not in the other,
        or the groups do not fit the frames.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> sex = rng.choice(["F", "M"], 4000)
    >>> ref = pd.DataFrame({"hours": rng.normal(40, 5, 4000)})
    >>> cur = pd.DataFrame({"hours": rng.normal(40, 5, 4000) + np.where(sex == "F", 10, 0)})
    >>> table = feature_drift(ref, cur, groups_reference=sex, groups_current=sex)
    >>> table[["group", "shift", "drifted"]].round(2)
       group  shift  drifted
    0  (all)   0.34     True
    1      F   0.68     True
    2      M   0.03    False
    """
    _check_frames(reference, current)
    if (groups_reference is None) != (groups_current is None):
        raise ValidationError(
            "Pass both groups_reference and groups_current, or neither; only "
            + ("groups_reference" if groups_current is None else "groups_current")
            + " was given."
        )
    if not 0.0 < confidence < 1.0:
        raise ValidationError(f"confidence must lie in (0, 1), not {confidence}.")
    if max_rows is not None and max_rows < 1:
        raise ValidationError(f"max_rows must be a positive integer or None, not {max_rows}.")
    if n_bins < 2 or n_boot < 2:
        raise ValidationError(f"n_bins and n_boot must be at least 2, not {n_bins}, {n_boot}.")
    g_ref = _check_groups(groups_reference, reference, "groups_reference", "reference")
    g_cur = _check_groups(groups_current, current, "groups_current", "current")
    for column in reference.columns:
        if _is_numeric(reference[column]) != _is_numeric(current[column]):
            raise ValidationError(
                f"Column {column!r} is {reference[column].dtype} in reference but "
                f"{current[column].dtype} in current; convert both to the same kind."
            )

    rng = np.random.default_rng(random_state)
    take_ref = _sample(len(reference), max_rows, rng)
    take_cur = _sample(len(current), max_rows, rng)
    sampled = take_ref is not None or take_cur is not None
    if take_ref is not None:
        reference = reference.iloc[take_ref]
        g_ref = None if g_ref is None else g_ref[take_ref]
    if take_cur is not None:
        current = current.iloc[take_cur]
        g_cur = None if g_cur is None else g_cur[take_cur]
    masks = _group_masks(g_ref, g_cur, min_rows)
    tail = (1.0 - confidence) / 2.0

    rows: list[dict[str, object]] = []
    for column in reference.columns:
        numeric = _is_numeric(reference[column])
        if numeric:
            x_ref = reference[column].to_numpy(dtype=float, na_value=np.nan)
            x_cur = current[column].to_numpy(dtype=float, na_value=np.nan)
        else:
            codes, labels = _category_codes(reference[column], current[column])
            x_ref, x_cur = codes[: len(reference)], codes[len(reference) :]
        for group, in_ref, in_cur in masks:
            part_ref = x_ref if in_ref is None else x_ref[in_ref]
            part_cur = x_cur if in_cur is None else x_cur[in_cur]
            found = (
                _numeric_row(part_ref, part_cur, n_bins)
                if numeric
                else _categorical_row(part_ref, part_cur, labels)
            )
            row: dict[str, object] = {"feature": column, "group": group, "sampled": sampled}
            if found is None:  # a numeric feature with no value on one side
                row.update(kind="numeric", test="ks", detail=np.nan, detail_change=np.nan)
                row.update(detail_from=np.nan, detail_to=np.nan)
                row.update(n_reference=int((~np.isnan(part_ref)).sum()))
                row.update(n_current=int((~np.isnan(part_cur)).sum()))
                rows.append(row)
                continue
            values, counts_ref, counts_cur = found
            row.update(values)
            row["shift"] = float(_total_variation(counts_ref.astype(float), counts_cur))
            row["shift_lo"], row["shift_hi"] = _shift_bounds(
                counts_ref, counts_cur, n_boot, tail, rng
            )
            rows.append(row)

    table = pd.DataFrame(rows, columns=[c for c in DRIFT_COLUMNS if c not in ("q_value",)])
    p = table["p_value"].to_numpy(dtype=float)
    q = np.full(len(p), np.nan)
    known = ~np.isnan(p)
    q[known] = benjamini_hochberg(p[known])
    table["q_value"] = q
    table["n_reference"] = table["n_reference"].astype(np.int64)
    table["n_current"] = table["n_current"].astype(np.int64)
    table["detail"] = table["detail"].astype(object)
    table["sampled"] = table["sampled"].astype(bool)
    table["drifted"] = (table["q_value"] <= 1.0 - confidence) & (table["shift_lo"] >= min_shift)
    return table[list(DRIFT_COLUMNS)]


def feature_drift_by(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    groupings: Mapping[Hashable, tuple[np.ndarray, np.ndarray]],
    *,
    confidence: float = 0.95,
    min_shift: float = 0.05,
    max_rows: int | None = 200_000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """:func:`feature_drift` over all rows and within the groups of several groupings, with
    Benjamini-Hochberg control over every comparison of all of them.

    Parameters
    ----------
    reference, current : pandas.DataFrame
        The two datasets, with the same columns.
    groupings : mapping
        Grouping name -> (the group of every reference row, of every current row).
    confidence, min_shift, max_rows, random_state
        As in :func:`feature_drift`.

    Returns
    -------
    pandas.DataFrame
        :data:`DRIFT_COLUMNS` and ``grouping`` (None on the rows over all rows); ``q_value``
        and ``drifted`` are recomputed over the whole table.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = pd.DataFrame({"x": rng.normal(size=400), "g": np.repeat(["u", "v"], 200)})
    >>> b = a.assign(x=np.where(a["g"] == "v", a["x"] + 2, a["x"]))
    >>> table = feature_drift_by(a, b, {"g": (a["g"].to_numpy(), b["g"].to_numpy())})
    >>> table.loc[table["drifted"], ["feature", "grouping", "group"]].values.tolist()
    [['x', None, '(all)'], ['x', 'g', 'v']]
    """

    def drift(in_reference: np.ndarray | None, in_current: np.ndarray | None) -> pd.DataFrame:
        return feature_drift(
            reference, current, groups_reference=in_reference, groups_current=in_current,
            min_shift=min_shift, max_rows=max_rows, random_state=random_state,
        )  # fmt: skip

    tables = [drift(None, None).assign(grouping=None)]
    for name, (in_reference, in_current) in groupings.items():
        table = drift(in_reference, in_current)
        table = table[table["group"] != ALL_ROWS].copy()
        table["grouping"] = name
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table["grouping"] = table["grouping"].astype(object).where(table["grouping"].notna(), None)
    tested = table["p_value"].notna()
    table["q_value"] = np.nan
    table.loc[tested, "q_value"] = benjamini_hochberg(table.loc[tested, "p_value"].to_numpy())
    table["drifted"] = (table["q_value"] <= 1 - confidence) & (table["shift_lo"] >= min_shift)
    return table
