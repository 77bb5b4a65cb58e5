"""What a view shows for a classifier that gives labels only: one note, not an error per pane.

A model with ``predict`` alone has no scores, so how sure it is (per case, its calibration, its
prediction sets, the threshold chart) and its explanations (in probability) cannot be shown.
The uncertainty and explanation views say so once, in plain words with no code (presenter mode
shows the same note), with what still works; the audit's notes give the remedy in code.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> g = rw.datasets.load_german_credit()
>>> X = g.data[["duration_in_month", "credit_amount"]]
>>> fitted = LogisticRegression(max_iter=1000).fit(X, g.target)
>>> class LabelsOnly:
...     classes_ = fitted.classes_
...     def predict(self, X):
...         return fitted.predict(X)
>>> s = rw.ModelSession(LabelsOnly(), X, g.target, task="binary")
>>> without_scores(s, "how sure it is").startswith("This model gives only yes/no answers")
True
>>> without_scores(rw.ModelSession(fitted, X, g.target), "how sure it is") is None
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rai_widgets.core.errors import ModelError
from rai_widgets.readings.labels_only import labels_only_sentence

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["without_scores"]


def without_scores(session: ModelSession, what: str) -> str | None:
    """The one sentence a view shows instead of ``what`` for a classifier without
    probabilities, or None when the model has them (or is a regression).

    Parameters
    ----------
    session : ModelSession
        The session.
    what : str
        What cannot be shown, as the subject of the sentence ("how sure it is").

    Returns
    -------
    str or None
    """
    try:
        session.core.require_probabilities(what)
    except ModelError:
        return labels_only_sentence(what)
    return None
