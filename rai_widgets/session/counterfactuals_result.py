"""What ``ModelSession.counterfactuals`` returns and aims at: the :class:`Counterfactuals` result
(its cases, the tidy changes, one reading per case) and the :class:`Target` answer of a case.

Examples
--------
>>> import numpy as np
>>> Target("range", low=30.0).holds(np.array([10.0, 45.0])).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError

__all__ = ["Counterfactuals", "Target"]


@dataclass(frozen=True)
class Target:
    """The answer a case should get: a class, any class but one, or a range of predictions.

    Attributes
    ----------
    kind : {"class", "not", "range"}
    label : object
        The class (``"class"``), or the class to leave (``"not"``).
    low, high : float
        The range of a regression's prediction (``"range"``); -inf / inf when open.
    """

    kind: str
    label: Any = None
    low: float = -np.inf
    high: float = np.inf

    def holds(self, y_pred: np.ndarray) -> np.ndarray:
        """Whether each prediction gets this target."""
        if self.kind == "class":
            return y_pred == self.label
        if self.kind == "not":
            return y_pred != self.label
        values = y_pred.astype(float)
        return (values >= self.low) & (values <= self.high)


@dataclass(frozen=True)
class Counterfactuals:
    """Counterfactuals of some cases: the changes that get the model's other answer.

    Every counterfactual in :meth:`cases` got its target when the model was called on exactly
    its values. A case without one is in :meth:`summary` with the reason.

    Attributes
    ----------
    cases_frame : pandas.DataFrame
        See :meth:`cases`.
    changes_frame : pandas.DataFrame
        See :meth:`frame`.
    summary_frame : pandas.DataFrame
        See :meth:`summary`.
    """

    cases_frame: pd.DataFrame
    changes_frame: pd.DataFrame
    summary_frame: pd.DataFrame

    def cases(self) -> pd.DataFrame:
        """One row per counterfactual, indexed by ``(row, rank)`` (rank 1 is the best).

        Returns
        -------
        pandas.DataFrame
            Every column of X in its raw values and dtypes (so it can go to the model as is),
            then ``n_changed``, ``distance`` (Gower, 0 to 1), ``score_before`` and
            ``score_after`` (the target class's probability; the prediction for a
            regression), ``prediction_after`` and ``plausible`` (as close to a real case
            with the target as real cases with it lie to each other).
        """
        return self.cases_frame.copy()

    def frame(self) -> pd.DataFrame:
        """The tidy form: one row per changed feature (``row``, ``rank``, ``feature``,
        ``before``, ``after``)."""
        return self.changes_frame.copy()

    def summary(self) -> pd.DataFrame:
        """One row per case asked for, indexed by row: ``prediction``, ``target`` (as it
        reads), ``found`` (how many counterfactuals), ``reason`` (why none, else "") and
        ``reading`` (the best counterfactual as a sentence, or why there is none)."""
        return self.summary_frame.copy()

    def reading(self, row: Hashable) -> str:
        """The reading of one case (see :meth:`summary`).

        Raises
        ------
        ValidationError
            When ``row`` was not asked for.
        """
        if row not in self.summary_frame.index:
            raise ValidationError(
                f"row {row!r} was not among the rows asked for: "
                f"{list(self.summary_frame.index)[:10]}."
            )
        return str(self.summary_frame.loc[row, "reading"])
