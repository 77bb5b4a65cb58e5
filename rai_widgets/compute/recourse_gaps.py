"""The cost of recourse per group: how large a change the people a model refuses must make to
be accepted, compared between groups with bounds and a false discovery rate.

:func:`recourse_gaps` takes, per refused person, the size of their smallest valid change (the
number of features and the Gower distance of the counterfactual) and their group, and tests
each group against the other refused people: bootstrap bounds on each mean and on the gap, a
one-sided Welch test (does this group need a larger change?) and Benjamini-Hochberg control
across every group compared.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> groups = np.repeat(["a", "b"], 60)
>>> distance = np.where(groups == "a", 0.20, 0.10) + rng.normal(0, 0.03, 120)
>>> features = np.where(groups == "a", 2, 1)
>>> table = recourse_gaps(features, distance, groups, random_state=0)
>>> bool(table.loc["a", "significant"]), bool(table.loc["b", "significant"])
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from rai_widgets.compute.weak_slices import benjamini_hochberg

__all__ = ["RECOURSE_COLUMNS", "recourse_gaps"]

#: The columns of :func:`recourse_gaps`' table.
RECOURSE_COLUMNS = (
    "n",
    "features",
    "features_lo",
    "features_hi",
    "distance",
    "distance_lo",
    "distance_hi",
    "rest_n",
    "rest_features",
    "rest_distance",
    "rest_distance_lo",
    "rest_distance_hi",
    "gap",
    "gap_lo",
    "gap_hi",
    "p_value",
    "q_value",
    "significant",
)


def _bootstrap_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` resamples of ``values``."""
    take = rng.integers(0, len(values), size=(n_boot, len(values)))
    return values[take].mean(axis=1)


def recourse_gaps(
    features: Sequence[float] | np.ndarray,
    distance: Sequence[float] | np.ndarray,
    groups: Sequence[object] | np.ndarray,
    *,
    alpha: float = 0.05,
    n_boot: int = 1000,
    min_people: int = 20,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per group, the mean size of the smallest change its refused people need, against the
    other refused people.

    Parameters
    ----------
    features : array-like
        Per person, the number of features their smallest valid change changes.
    distance : array-like
        Per person, the Gower distance (0 to 1) of that change: the tested size.
    groups : array-like
        Per person, their group.
    alpha : float, default 0.05
        1 - the bounds' coverage, and the false discovery rate across groups.
    n_boot : int, default 1000
        Bootstrap resamples.
    min_people : int, default 20
        Groups with fewer people (or fewer other people) are not tested.
    random_state : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per group tested, columns :data:`RECOURSE_COLUMNS`: the group's means with
        bootstrap bounds, the rest's, the gap in distance (group minus rest) with bounds, the
        one-sided Welch p-value, its Benjamini-Hochberg q-value and ``significant`` (q at most
        ``alpha`` and the gap's lower bound above zero).
    """
    features = np.asarray(features, dtype=float)
    distance = np.asarray(distance, dtype=float)
    groups = np.asarray(groups, dtype=object)
    rng = np.random.default_rng(random_state)
    low, high = 100 * alpha / 2, 100 * (1 - alpha / 2)
    rows = {}
    for group in pd.unique(groups):
        mine = groups == group
        if mine.sum() < min_people or (~mine).sum() < min_people:
            continue
        d_in, d_out = distance[mine], distance[~mine]
        boot_in = _bootstrap_means(d_in, n_boot, rng)
        boot_out = _bootstrap_means(d_out, n_boot, rng)
        boot_features = _bootstrap_means(features[mine], n_boot, rng)
        gap = boot_in - boot_out
        if d_in.std() == 0 and d_out.std() == 0:
            p = 0.0 if d_in.mean() > d_out.mean() else 1.0
        else:
            p = float(stats.ttest_ind(d_in, d_out, equal_var=False, alternative="greater").pvalue)
        rows[group] = {
            "n": int(mine.sum()),
            "features": features[mine].mean(),
            "features_lo": np.percentile(boot_features, low),
            "features_hi": np.percentile(boot_features, high),
            "distance": d_in.mean(),
            "distance_lo": np.percentile(boot_in, low),
            "distance_hi": np.percentile(boot_in, high),
            "rest_n": int((~mine).sum()),
            "rest_features": features[~mine].mean(),
            "rest_distance": d_out.mean(),
            "rest_distance_lo": np.percentile(boot_out, low),
            "rest_distance_hi": np.percentile(boot_out, high),
            "gap": d_in.mean() - d_out.mean(),
            "gap_lo": np.percentile(gap, low),
            "gap_hi": np.percentile(gap, high),
            "p_value": p,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if table.empty:
        return pd.DataFrame(columns=list(RECOURSE_COLUMNS))
    table["q_value"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["significant"] = (table["q_value"] <= alpha) & (table["gap_lo"] > 0)
    return table[list(RECOURSE_COLUMNS)]
