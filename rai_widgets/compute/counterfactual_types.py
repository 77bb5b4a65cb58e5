"""The data of a counterfactual search: what may change (:class:`Constraints`) and what was
found for one case (:class:`Found`), as
:func:`~rai_widgets.compute.counterfactuals.search_counterfactuals` takes and returns them.

Examples
--------
>>> Constraints.free(2).direction.tolist()
[0, 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Constraints", "Found", "whole_columns"]


@dataclass(frozen=True)
class Constraints:
    """What a counterfactual may change, per coded column.

    Attributes
    ----------
    mutable : numpy.ndarray of bool
        Columns that may change.
    direction : numpy.ndarray of int
        +1: may only increase; -1: may only decrease; 0: either way.
    low, high : numpy.ndarray of float
        Bounds of each numeric column (-inf / inf when unbounded).
    whole : numpy.ndarray of bool
        Numeric columns whose values are whole numbers (a shrunk value is rounded).
    max_changes : int or None
        Most columns one answer may change.
    """

    mutable: np.ndarray
    direction: np.ndarray
    low: np.ndarray
    high: np.ndarray
    whole: np.ndarray
    max_changes: int | None = None

    @classmethod
    def free(cls, n_columns: int) -> Constraints:
        """Every column may change, either way, without bounds.

        Examples
        --------
        >>> Constraints.free(3).mutable.tolist()
        [True, True, True]
        """
        return cls(
            mutable=np.ones(n_columns, bool),
            direction=np.zeros(n_columns, int),
            low=np.full(n_columns, -np.inf),
            high=np.full(n_columns, np.inf),
            whole=np.zeros(n_columns, bool),
        )


@dataclass(frozen=True)
class Found:
    """The answers for one case, best first (empty when none was found).

    Attributes
    ----------
    Z : numpy.ndarray
        The answers, coded, shape (n_answers, n_columns).
    n_changed : numpy.ndarray
        Columns each answer changes.
    distance : numpy.ndarray
        Gower distance of each answer to the case (0: the same; 1: different everywhere).
    score : numpy.ndarray
        The model's score of each answer (see :data:`Judge`).
    start : numpy.ndarray
        Position (in the pool) of the real case each answer started from.
    reason : str
        Why no answer was found ("" when some were).
    plausible : numpy.ndarray of bool
        Whether each answer lies within the plausibility radius
        (:func:`~rai_widgets.compute.plausibility.plausibility_radius`) of a real case with
        the target.
    judged : numpy.ndarray of int
        Each answer's position among the rows of the search's last call of its ``judge``,
        the call that checked every answer (what the model said of it is there).
    """

    Z: np.ndarray
    n_changed: np.ndarray
    distance: np.ndarray
    score: np.ndarray
    start: np.ndarray
    reason: str = ""
    plausible: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    judged: np.ndarray = field(default_factory=lambda: np.zeros(0, int))


def whole_columns(Z: np.ndarray, categorical: np.ndarray) -> np.ndarray:
    """Which numeric columns of a coded matrix hold only whole numbers (missing values aside).

    One column at a time: the extra memory is a few copies of one column, never of ``Z``
    (on 10,000,000 rows of 14 columns a copy of ``Z`` is 1.1 GB).

    Parameters
    ----------
    Z : numpy.ndarray
        Coded rows, shape (n_rows, n_columns), NaN for missing.
    categorical : numpy.ndarray of bool
        The coded (categorical) columns: never "whole".

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> Z = np.array([[1.0, 0.5, 2.0], [np.nan, 1.0, 3.0]])
    >>> whole_columns(Z, np.array([False, False, True])).tolist()
    [True, False, False]
    """
    whole = np.zeros(Z.shape[1], dtype=bool)
    for j in np.flatnonzero(~np.asarray(categorical, dtype=bool)):
        column = Z[:, j]
        present = column[~np.isnan(column)]
        whole[j] = bool(np.all(present == np.round(present)))
    return whole
