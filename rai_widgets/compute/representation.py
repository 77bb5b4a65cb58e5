"""Is each group in the training data as much as it is evaluated on?

:func:`group_shares` compares, group by group, the share of the training rows with the share of
the evaluation rows (and optionally of a reference population): Wilson bounds on each share,
MOVER bounds on their ratio, a one-sided two-proportion test that the training share is lower
and Benjamini-Hochberg control across the groups. A group is ``under``-represented when the
upper bound of its ratio is below ``ratio_floor`` and its q-value is small: it was trained on
measurably less than that fraction of its evaluation share.

Missing group values (None, NaN, pandas NA) form one group of their own, labelled NaN as in
:mod:`rai_widgets.core.slices`.

Examples
--------
>>> train = ["a"] * 90 + ["b"] * 10
>>> evaluation = ["a"] * 50 + ["b"] * 50
>>> table = group_shares(train, evaluation)
>>> table[["train_share", "eval_share", "ratio", "under"]]
   train_share  eval_share  ratio  under
a          0.9         0.5    1.8  False
b          0.1         0.5    0.2   True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd
from scipy.stats import norm

from rai_widgets.compute.intervals import mover_ratio, wilson_interval
from rai_widgets.compute.weak_slices import benjamini_hochberg
from rai_widgets.core.errors import ValidationError
from rai_widgets.formatting import is_missing

__all__ = ["POPULATION_COLUMNS", "SHARE_COLUMNS", "group_shares"]

#: The columns of :func:`group_shares`' table.
SHARE_COLUMNS = (
    "train_n",
    "train_share",
    "train_lo",
    "train_hi",
    "eval_n",
    "eval_share",
    "eval_lo",
    "eval_hi",
    "ratio",
    "ratio_lo",
    "ratio_hi",
    "p_value",
    "q_value",
    "under",
)
#: The columns :func:`group_shares` adds when given a ``population``.
POPULATION_COLUMNS = (
    "population_share",
    "population_ratio",
    "population_ratio_lo",
    "population_ratio_hi",
    "under_population",
)

GroupValues: TypeAlias = Sequence[Hashable] | np.ndarray | pd.Series | pd.Index
_SUM_TOLERANCE = 1e-6


def _values(groups: GroupValues, argument: str) -> np.ndarray:
    """The group of every row as a 1-D object array."""
    if isinstance(groups, (pd.Series, pd.Index)):
        values = groups.to_numpy(dtype=object)
    else:
        values = np.asarray(groups, dtype=object)
    if values.ndim != 1:
        raise ValidationError(
            f"{argument}= must hold one group per row (1-D); got shape {values.shape}. "
            "Pass one column, e.g. X['race']."
        )
    if len(values) == 0:
        raise ValidationError(f"{argument}= has no rows; pass the group of every row.")
    return values


def _factorize(values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes and labels (sorted when the labels sort), missing values last under a NaN label."""
    try:
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    except TypeError:  # labels of types that do not sort together
        codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=True)
    labels = pd.Index(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = labels.append(pd.Index([np.nan]))
    return codes.astype(np.int64), labels


def _ratio_bounds(
    a: np.ndarray,
    a_lo: np.ndarray,
    a_hi: np.ndarray,
    b: np.ndarray,
    b_lo: np.ndarray,
    b_hi: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER-R bounds of ``a / b`` per group (``b`` = 0: the lower bound of the same formula)."""
    lo = np.empty(len(a))
    hi = np.empty(len(a))
    for g in range(len(a)):
        one_lo, one_hi = mover_ratio(
            a[g : g + 1],
            a_lo[g : g + 1],
            a_hi[g : g + 1],
            float(b[g]),
            float(b_lo[g]),
            float(b_hi[g]),
        )
        lo[g], hi[g] = one_lo[0], one_hi[0]
    absent = b == 0  # evaluated on nothing: the ratio is infinite, its lower bound is not
    with np.errstate(all="ignore"):
        lo[absent] = np.sqrt(a_lo[absent] * (2 * a[absent] - a_lo[absent])) / b_hi[absent]
    return lo + 0.0, hi  # + 0.0: no "-0.0" lower bound for a group absent from training


def _lower_share_p(
    k_train: np.ndarray, n_train: int, k_eval: np.ndarray, n_eval: int
) -> np.ndarray:
    """One-sided pooled two-proportion z-test p-values: is the training share lower?"""
    pooled = (k_train + k_eval) / (n_train + n_eval)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n_train + 1.0 / n_eval))
    with np.errstate(all="ignore"):
        z = (k_train / n_train - k_eval / n_eval) / se
    return np.where(se > 0, norm.cdf(z), 1.0)


def _population_shares(population: Mapping[Hashable, float], labels: pd.Index) -> np.ndarray:
    """Each label's population share (NaN when ``population`` does not list it), validated."""
    if not isinstance(population, Mapping):
        raise ValidationError(
            "population= must be a mapping group -> share (a dict); got "
            f"{type(population).__name__}."
        )
    positions: dict[Hashable, int] = {}
    missing_at = None
    for i, label in enumerate(labels):
        if is_missing(label):
            missing_at = i
        else:
            positions[label] = i
    shares = np.full(len(labels), np.nan)
    unknown = []
    total = 0.0
    for key, value in population.items():
        try:
            share = float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                f"population= gives group {key!r} the share {value!r}; give a number in [0, 1]."
            ) from None
        if not 0.0 <= share <= 1.0:  # also refuses NaN
            raise ValidationError(
                f"population= gives group {key!r} the share {share!r}; every share must be "
                "between 0 and 1 (a fraction of the population, not a percentage or a count)."
            )
        total += share
        at = missing_at if is_missing(key) else positions.get(key)
        if at is None:
            unknown.append(key)
        else:
            shares[at] = share
    if unknown:
        known = [label for label in labels if not is_missing(label)][:30]
        raise ValidationError(
            f"population= names {len(unknown)} group(s) found in neither the training nor the "
            f"evaluation groups: {unknown[:10]}. Use the groups' own values {known}, or drop "
            "those groups and give the shares of the others."
        )
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ValidationError(
            f"population= shares sum to {total:.6g}, not 1. Give every group's share of the "
            "population as a fraction, so that they add up to 1 (divide each by their sum if "
            "they are counts or percentages, or add the groups that are left out)."
        )
    return shares


def group_shares(
    train_groups: GroupValues,
    eval_groups: GroupValues,
    *,
    population: Mapping[Hashable, float] | None = None,
    confidence: float = 0.95,
    ratio_floor: float = 0.5,
) -> pd.DataFrame:
    """Per group, its share of the training rows against its share of the evaluation rows.

    Parameters
    ----------
    train_groups, eval_groups : array-like
        The group of every training and every evaluation row (a column such as ``X["race"]``;
        a list, numpy array, Series or Index). Missing values form one group, labelled NaN.
    population : mapping, optional
        Group -> its share of a reference population (e.g. census shares). The shares must be
        in [0, 1] and sum to 1; groups it does not list get a NaN population share.
    confidence : float, default 0.95
        Coverage of every bound; ``1 - confidence`` is also the false discovery rate of
        ``under``.
    ratio_floor : float, default 0.5
        A group is under-represented when it was trained on measurably less than this fraction
        of its evaluation (or population) share.

    Returns
    -------
    pandas.DataFrame
        One row per group present in either set, largest evaluation share first (ties: larger
        training share first, then by label), columns :data:`SHARE_COLUMNS`: row counts,
        shares with Wilson bounds, ``ratio`` = train share / evaluation share with MOVER
        bounds (0 with an upper bound for a group absent from training, infinite for a group
        absent from evaluation), the one-sided two-proportion p-value that the training share
        is lower, its Benjamini-Hochberg ``q_value``, and ``under``: ``ratio_hi <
        ratio_floor`` and ``q_value <= 1 - confidence``. With ``population``, also
        :data:`POPULATION_COLUMNS`: ``population_ratio`` = train share / population share with
        bounds from the training share's bounds alone, and ``under_population``:
        ``population_ratio_hi < ratio_floor``.

    Raises
    ------
    ValidationError
        Empty or 2-D groups, a ``confidence`` outside (0, 1), a ``ratio_floor`` not above 0, or a
        ``population`` with shares outside [0, 1], not summing to 1, or naming unknown groups.

    Examples
    --------
    >>> train = ["F"] * 30 + ["M"] * 70
    >>> evaluation = ["F"] * 50 + ["M"] * 48 + [None] * 2
    >>> table = group_shares(train, evaluation, population={"F": 0.5, "M": 0.5})
    >>> table[["train_n", "eval_n", "ratio", "population_ratio"]].round(2)
         train_n  eval_n  ratio  population_ratio
    F         30      50   0.60               0.6
    M         70      48   1.46               1.4
    NaN        0       2   0.00               NaN
    >>> round(float(table.loc["F", "ratio_hi"]), 2), bool(table.loc["F", "under"])
    (0.85, False)
    """
    if not 0.0 < confidence < 1.0:
        raise ValidationError(f"confidence= must be in (0, 1), e.g. 0.95; got {confidence!r}.")
    if not ratio_floor > 0:
        raise ValidationError(f"ratio_floor= must be above 0, e.g. 0.5; got {ratio_floor!r}.")
    train = _values(train_groups, "train_groups")
    evaluation = _values(eval_groups, "eval_groups")
    codes, labels = _factorize(np.concatenate([train, evaluation]))
    n_train, n_eval = len(train), len(evaluation)
    train_n = np.bincount(codes[:n_train], minlength=len(labels))
    eval_n = np.bincount(codes[n_train:], minlength=len(labels))

    train_share, eval_share = train_n / n_train, eval_n / n_eval
    train_lo, train_hi = wilson_interval(train_n, np.full(len(labels), n_train), confidence)
    eval_lo, eval_hi = wilson_interval(eval_n, np.full(len(labels), n_eval), confidence)
    with np.errstate(divide="ignore"):
        ratio = train_share / eval_share  # a group absent from evaluation: infinite
    ratio_lo, ratio_hi = _ratio_bounds(
        train_share, train_lo, train_hi, eval_share, eval_lo, eval_hi
    )
    p_value = _lower_share_p(train_n, n_train, eval_n, n_eval)
    q_value = benjamini_hochberg(p_value)
    name = getattr(train_groups, "name", None)
    table = pd.DataFrame(
        {
            "train_n": train_n,
            "train_share": train_share,
            "train_lo": train_lo,
            "train_hi": train_hi,
            "eval_n": eval_n,
            "eval_share": eval_share,
            "eval_lo": eval_lo,
            "eval_hi": eval_hi,
            "ratio": ratio,
            "ratio_lo": ratio_lo,
            "ratio_hi": ratio_hi,
            "p_value": p_value,
            "q_value": q_value,
            "under": (ratio_hi < ratio_floor) & (q_value <= 1.0 - confidence),
        },
        index=labels.rename(name if name is not None else getattr(eval_groups, "name", None)),
    )
    if population is not None:
        shares = _population_shares(population, labels)
        with np.errstate(divide="ignore", invalid="ignore"):
            table["population_share"] = shares
            table["population_ratio"] = train_share / shares
            table["population_ratio_lo"] = train_lo / shares
            table["population_ratio_hi"] = train_hi / shares
        table["under_population"] = table["population_ratio_hi"].to_numpy() < ratio_floor
    return table.iloc[np.lexsort((-train_n, -eval_n))]
