"""The threshold panel's numbers: each group at its own decision threshold, indexed by group.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> counts_at(s, "large", {True: 0.3, False: 0.7})["threshold"].to_dict()
{False: 0.7, True: 0.3}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["counts_at"]


def counts_at(session: ModelSession, by: Any, thresholds: Mapping | float) -> pd.DataFrame:
    """Confusion counts and rates of each group at its own threshold, indexed by group
    (``session.threshold_tradeoffs(by, thresholds=...)``).

    Parameters
    ----------
    session : ModelSession
        A binary task with y and probabilities.
    by : grouping
        The groups (None: all rows, one row "overall").
    thresholds : float or dict
        One threshold for every group, or a dict from group label to threshold.

    Returns
    -------
    pandas.DataFrame
    """
    table = session.threshold_tradeoffs(by, thresholds=thresholds)
    return table.set_index(table.columns[0])
