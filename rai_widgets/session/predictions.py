"""The predictions table of a session, built from its cached model outputs.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_iris
>>> from sklearn.tree import DecisionTreeClassifier
>>> X, y = load_iris(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(DecisionTreeClassifier(random_state=0).fit(X, y), X, y)
>>> predictions_frame(s.core).columns.tolist()[:3]
['y_true', 'y_pred', 'proba_0']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["predictions_frame"]


def predictions_frame(core: Any) -> pd.DataFrame:
    """Every row's prediction, scores and outcome (see ``ModelSession.predictions``).

    Parameters
    ----------
    core : SessionCore
        The session; its public interface only.

    Returns
    -------
    pandas.DataFrame
    """
    outputs = core.outputs()
    columns: dict[str, Any] = {}
    if core.y_values is not None:
        columns["y_true"] = core.y_values.array  # the user's dtype (and its memory layout)
    columns["y_pred"] = outputs.y_pred
    if core.task_ != "regression":
        if outputs.proba is not None:
            for j, cls in enumerate(core.classes_):
                columns[f"proba_{cls}"] = outputs.proba[:, j]
        score = core.adapter.positive_score(outputs)
        if score is not None:
            columns["score"] = score
        if outputs.proba is not None:
            pred_idx = pd.Index(core.classes_).get_indexer(outputs.y_pred)
            safe = np.where(pred_idx < 0, 0, pred_idx)
            confidence = outputs.proba[np.arange(len(safe)), safe]
            columns["confidence"] = np.where(pred_idx < 0, np.nan, confidence)
        if core.y_values is not None:
            true_idx, pred_idx = core.metric_inputs().class_indices
            columns["correct"] = (true_idx == pred_idx) & (true_idx >= 0)
    elif core.y_values is not None:
        columns["residual"] = core.y_values.to_numpy(dtype=float) - outputs.y_pred
    # no copy: the columns are the cached outputs' own arrays (read through views) or new
    # ones made here; callers get a copy-on-write copy of this frame, never the frame itself
    return pd.DataFrame(columns, index=core.frame.index, copy=False)
