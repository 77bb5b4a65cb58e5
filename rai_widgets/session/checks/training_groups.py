"""The groups of the training rows and of the evaluation rows, named alike.

A sensitive feature's groups are the evaluation data's slices ("age = 17-28"); the training
rows are put in the same slices, so that every lifecycle check compares like with like.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = LinearRegression().fit(X[:2000], data.target[:2000])
>>> s = rw.ModelSession(model, X[2000:], data.target[2000:], sensitive_features=["age"],
...                     train=(X[:2000], data.target[:2000]))
>>> trained, evaluated = training_groups(s, "age")
>>> len(trained), len(evaluated), set(trained.dropna()) <= set(evaluated.dropna())
(2000, 1000, True)
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

import pandas as pd

from rai_widgets.core.slices import labels_like

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["training_groups"]


def training_groups(session: ModelSession, by: Hashable) -> tuple[pd.Series, pd.Series] | None:
    """The group of every training row and every evaluation row of a sensitive feature, as
    the evaluation data's slices name them (None when the training rows do not hold it).

    Parameters
    ----------
    session : ModelSession
        A session with training rows.
    by : column name
        A sensitive feature that is a column of X.

    Returns
    -------
    (pandas.Series, pandas.Series) or None
        The training rows' groups, then the evaluation rows'.
    """
    training = session.core.training
    if training is None or training.column(by) is None:
        return None
    reference = session.core.column(by)
    train_values = training.column(by)
    assert train_values is not None
    return labels_like(train_values, reference), labels_like(reference, reference)
