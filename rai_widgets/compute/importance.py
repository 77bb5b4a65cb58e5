"""Global feature importance per slice: mean absolute contribution, with bootstrap bounds.

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"row": [0, 0, 1, 1], "feature": ["a", "b", "a", "b"],
...                   "contribution": [0.2, -0.1, -0.4, 0.0]})
>>> codes = pd.Series([0, 0], index=[0, 1])
>>> t = grouped_importance(e, codes, pd.Index(["overall"]), ci=0.9, random_state=0)
>>> t[["feature", "importance"]].values.tolist()
[['a', 0.30000000000000004], ['b', 0.05]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["grouped_importance"]

N_BOOT = 200


def grouped_importance(
    explanation: pd.DataFrame,
    codes: pd.Series,
    labels: pd.Index,
    *,
    ci: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Mean |contribution| per (slice, [class,] feature) with percentile bootstrap bounds.

    Parameters
    ----------
    explanation : pandas.DataFrame
        Output of ``ModelSession.explain``.
    codes : pandas.Series
        Slice code of every explained row, indexed by row label.
    labels : pandas.Index
        Slice labels (a code is a position in it).
    ci : float
        Coverage of the bounds.
    random_state : int, optional
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        Columns: the slice name(s), ``class`` (multiclass), ``feature``, ``n``, ``importance``,
        ``importance_lo``, ``importance_hi``; sorted by importance within each slice.
    """
    keys = ["class", "feature"] if "class" in explanation.columns else ["feature"]
    wide = explanation.assign(abs_contribution=explanation["contribution"].abs()).pivot_table(
        index="row", columns=keys, values="abs_contribution", sort=False
    )
    wide = wide.loc[[r for r in codes.index if r in wide.index]]
    row_codes = codes.loc[wide.index].to_numpy()
    values = wide.to_numpy(dtype=float)
    rng = np.random.default_rng(random_state)
    tail = (1.0 - ci) / 2.0
    names = [n if n is not None else "slice" for n in labels.names]
    records = []
    for code in np.unique(row_codes):
        rows = values[row_codes == code]
        mean = rows.mean(axis=0)
        if len(rows) > 1:
            picks = rng.integers(0, len(rows), size=(N_BOOT, len(rows)))
            boot = rows[picks].mean(axis=1)
            lo, hi = np.quantile(boot, [tail, 1.0 - tail], axis=0)
        else:
            lo = hi = np.full_like(mean, np.nan)
        label = labels[code]
        label = label if isinstance(label, tuple) else (label,)
        for j, column in enumerate(wide.columns):
            column = column if isinstance(column, tuple) else (column,)
            records.append((*label, *column, len(rows), mean[j], lo[j], hi[j]))
    columns = [*names, *keys, "n", "importance", "importance_lo", "importance_hi"]
    table = pd.DataFrame.from_records(records, columns=columns)
    order = [*names, *keys[:-1]]
    table = table.sort_values(
        [*order, "importance"], ascending=[True] * len(order) + [False], kind="stable"
    )
    return table.reset_index(drop=True)
