"""Split conformal prediction: sets for classifiers, intervals for regressors, with coverage.

Scores are the standard ones: ``1 - p(true class)`` (LAC) for classification and
``|y - y_pred|`` for regression. The threshold is the ``ceil((n + 1) * level)``-th smallest
calibration score (the split-conformal order statistic, as MAPIE computes it), which guarantees
coverage of at least ``level`` on exchangeable data. The group-conditional (Mondrian) variant
computes one threshold per group, so each group gets the promised coverage.

Examples
--------
>>> import numpy as np
>>> conformal_threshold(np.arange(1, 11) / 10, 0.8)
np.float64(0.9)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.intervals import wilson_interval

__all__ = ["ConformalResult", "conformal_threshold", "outcome_quantiles", "prediction_set"]


def conformal_threshold(scores: np.ndarray, level: float) -> float:
    """The ``ceil((n + 1) * level)``-th smallest score; infinite when there are too few."""
    scores = np.sort(np.asarray(scores, dtype=float))
    k = int(np.ceil((len(scores) + 1) * level))
    return float("inf") if k > len(scores) or k < 1 else scores[k - 1]


@dataclass(frozen=True)
class ConformalResult:
    """Prediction sets or intervals on the evaluation rows, and their coverage.

    Attributes
    ----------
    confidence_level : float
        The promised coverage.
    index : pandas.Index
        Labels of the evaluation rows (not used for calibration).
    covered : numpy.ndarray
        Whether each evaluation row's set or interval holds its true value.
    size : numpy.ndarray
        Set size (classification) or interval width (regression) per evaluation row.
    sets : numpy.ndarray or None
        Membership matrix (rows x classes) for classification.
    lower, upper : numpy.ndarray or None
        Interval bounds for regression.
    classes : numpy.ndarray or None
    groups : pandas.DataFrame
        Grouping columns of the evaluation rows (for ``frame(by=...)``).
    thresholds : dict
        The threshold per group ("overall" without Mondrian).
    """

    confidence_level: float
    index: pd.Index
    covered: np.ndarray
    size: np.ndarray
    sets: np.ndarray | None
    lower: np.ndarray | None
    upper: np.ndarray | None
    classes: np.ndarray | None
    groups: pd.DataFrame
    thresholds: dict

    def frame(self, by: str | list | None = None) -> pd.DataFrame:
        """Coverage per group: ``n``, ``coverage`` (with Wilson bounds), and ``mean_set_size``
        or ``mean_width``.

        Parameters
        ----------
        by : column name or list of names, optional
            Columns among the session's features and sensitive features; None: one row
            "overall".

        Returns
        -------
        pandas.DataFrame
        """
        name = "mean_width" if self.sets is None else "mean_set_size"
        data = pd.DataFrame({"covered": self.covered, name: self.size}, index=self.index)
        if by is None:
            grouped = data.assign(group="overall").groupby("group")
        else:
            keys = [by] if not isinstance(by, list) else by
            grouped = data.join(self.groups[keys]).groupby(keys, dropna=False, observed=True)
        out = grouped.agg(
            n=("covered", "size"), covered=("covered", "sum"), **{name: (name, "mean")}
        )
        out["coverage"] = out["covered"] / out["n"]
        lo, hi = wilson_interval(out["covered"].to_numpy(), out["n"].to_numpy(), 0.95)
        out["coverage_lo"], out["coverage_hi"] = lo, hi
        out.index.name = None if by is None else out.index.name
        return out[["n", "coverage", "coverage_lo", "coverage_hi", name]]

    def predictions(self) -> pd.DataFrame:
        """Each evaluation row's set ("could be A or B") or interval, and whether it covers."""
        if self.sets is not None:
            labels = [tuple(self.classes[row]) for row in self.sets]
            return pd.DataFrame(
                {"set": labels, "set_size": self.size, "covered": self.covered}, index=self.index
            )
        return pd.DataFrame(
            {"lower": self.lower, "upper": self.upper, "width": self.size, "covered": self.covered},
            index=self.index,
        )


def prediction_set(proba: Mapping[Any, float], threshold: float) -> list:
    """The classes in a row's conformal prediction set: those whose score ``1 - p`` is at most
    the conformal ``threshold`` (LAC), in the order of ``proba``.

    Parameters
    ----------
    proba : mapping
        Each class's predicted probability for the row.
    threshold : float
        The conformal threshold (``ConformalResult.thresholds["overall"]``).

    Returns
    -------
    list
        The classes in the set (possibly none).

    Examples
    --------
    >>> prediction_set({"a": 0.6, "b": 0.35, "c": 0.05}, 0.7)
    ['a', 'b']
    """
    return [c for c, p in proba.items() if 1 - p <= threshold]


def outcome_quantiles(prediction: float, residuals: np.ndarray, n: int = 20) -> np.ndarray:
    """``n`` equally likely outcomes for a regression case: the prediction plus the
    ``(i + 0.5) / n`` quantiles of the residuals (true minus predicted).

    Parameters
    ----------
    prediction : float
        The model's prediction for the case.
    residuals : numpy.ndarray
        Residuals of the rows with a true value (NaN ignored).
    n : int, default 20
        Number of outcomes (the dots of a quantile dotplot).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> outcome_quantiles(10.0, np.array([-1.0, 0.0, 1.0]), n=2).tolist()
    [9.5, 10.5]
    """
    residuals = np.asarray(residuals, dtype=float)
    residuals = residuals[~np.isnan(residuals)]
    return prediction + np.quantile(residuals, (np.arange(n) + 0.5) / n)
