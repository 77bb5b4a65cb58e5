"""Split conformal prediction: sets for classifiers, intervals for regressors, with coverage.

Scores are the standard ones: ``1 - p(true class)`` (LAC) for classification; for regression
``|y - y_pred| / sigma(x)`` (method "normalized", the default: the width adapts to the case, see
:mod:`~rai_widgets.compute.conformal_adaptive`) or ``|y - y_pred|`` (method "absolute": one width
for every case). The threshold is the ``ceil((n + 1) * level)``-th smallest
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
from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.core.validation import closest_names

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
    group_frame : pandas.DataFrame
        Grouping columns of every row of the data (the session's snapshot, not a copy).
    positions : numpy.ndarray
        Positions of the evaluation rows in ``group_frame``: :attr:`groups` and
        ``frame(by=...)`` take only these rows, and only the columns asked, when asked (a copy
        of half of a 10,000,000-row frame is about 1 GB).
    thresholds : dict
        The threshold per group ("overall" without Mondrian).
    method : str
        The method that made it: "lac" (classification), "normalized" or "absolute".
    scale : numpy.ndarray or None
        ``sigma(x)`` of each evaluation row (regression; all ones for "absolute"): the
        interval is ``y_pred +/- threshold * scale``.
    scale_model : ResidualScale or None
        The fitted ``sigma(x)`` ("normalized" only), for cases outside the evaluation rows.
    calibration_residuals : numpy.ndarray or None
        Signed residuals ``(y - y_pred) / sigma(x)`` of the calibration rows that set the
        threshold (regression): a case's likely outcomes are ``y_pred + scale * these``.
    n_calibration : int
        How many calibration rows set the threshold(s).
    mondrian_by : column name or None
        The column whose groups got one threshold each (Mondrian), if any.
    """

    confidence_level: float
    index: pd.Index
    covered: np.ndarray
    size: np.ndarray
    sets: np.ndarray | None
    lower: np.ndarray | None
    upper: np.ndarray | None
    classes: np.ndarray | None
    group_frame: pd.DataFrame
    positions: np.ndarray
    thresholds: dict
    method: str = "lac"
    scale: np.ndarray | None = None
    scale_model: Any = None
    calibration_residuals: np.ndarray | None = None
    n_calibration: int = 0
    mondrian_by: Any = None

    @property
    def groups(self) -> pd.DataFrame:
        """Grouping columns of the evaluation rows, aligned with ``covered`` and ``size``."""
        return self.group_frame.iloc[self.positions]

    @property
    def adaptive(self) -> bool:
        """Whether the interval width really depends on the case (regression): the method is
        "normalized" and the evaluation widths differ by more than 1% of their median."""
        if self.method != "normalized" or self.scale is None or not len(self.scale):
            return False
        width = self.scale[np.isfinite(self.scale)]
        return bool(len(width) and np.ptp(width) > 0.01 * np.median(width))

    def threshold_for(self, group: Any = None) -> float:
        """The threshold of ``group`` (Mondrian), or the overall one."""
        if "overall" in self.thresholds and (group is None or group not in self.thresholds):
            return float(self.thresholds["overall"])
        if group not in self.thresholds:
            raise ValidationError(
                f"group {group!r} has no threshold; the groups are {list(self.thresholds)}."
            )
        return float(self.thresholds[group])

    def scale_for(self, features: pd.DataFrame) -> np.ndarray:
        """``sigma(x)`` for the rows of ``features`` (the session's raw columns); ones for the
        absolute method.

        Parameters
        ----------
        features : pandas.DataFrame
            The rows' raw features.

        Returns
        -------
        numpy.ndarray
        """
        if self.scale_model is None:
            return np.ones(len(features))
        return self.scale_model.predict(features)

    def interval_for(
        self, features: pd.DataFrame, y_pred: Any, *, group: Any = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The prediction interval of any cases (regression): ``y_pred +/- q * sigma(x)``.

        Parameters
        ----------
        features : pandas.DataFrame
            The cases' raw features.
        y_pred : array-like
            Their predictions.
        group : optional
            Their Mondrian group (default: the overall threshold).

        Returns
        -------
        lower, upper : numpy.ndarray
        """
        if self.sets is not None:
            raise ValidationError("interval_for is for regression; use prediction_set.")
        half = self.threshold_for(group) * self.scale_for(features)
        y_pred = np.asarray(y_pred, dtype=float)
        return y_pred - half, y_pred + half

    def outcomes_for(self, features: pd.DataFrame, y_pred: float, *, n: int = 20) -> np.ndarray:
        """``n`` equally likely outcomes of one case (regression), on its own scale: see
        :func:`outcome_quantiles`.

        Parameters
        ----------
        features : pandas.DataFrame
            The case's raw features (one row).
        y_pred : float
            Its prediction.
        n : int, default 20
            Number of outcomes.

        Returns
        -------
        numpy.ndarray
        """
        if self.calibration_residuals is None:
            raise ValidationError("outcomes_for is for regression.")
        scale = float(self.scale_for(features)[0])
        return outcome_quantiles(float(y_pred), self.calibration_residuals, n, scale=scale)

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
            columns = self.group_frame.columns
            unknown = [k for k in keys if k not in columns]
            if unknown:
                raise ColumnNotFoundError(
                    f"by: {unknown[0]!r} is not a column this result can group by."
                    f"{closest_names(unknown[0], columns)} Choose from "
                    f"{list(columns)[:30]}."
                )
            rows = self.group_frame[keys].iloc[self.positions]
            grouped = data.join(rows).groupby(keys, dropna=False, observed=True)
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
            classes = self.classes
            if classes is None:  # set together with sets, for classification
                raise TypeError("Prediction sets need the classes they are sets of.")
            labels = [tuple(classes[row]) for row in self.sets]
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


def outcome_quantiles(
    prediction: float, residuals: np.ndarray, n: int = 20, *, scale: float = 1.0
) -> np.ndarray:
    """``n`` equally likely outcomes for a regression case: the prediction plus ``scale``
    times the ``(i + 0.5) / n`` quantiles of the residuals (true minus predicted).

    With normalised residuals ``(y - y_pred) / sigma(x)`` and ``scale = sigma(case)``, the
    outcomes spread as far as the misses of cases like this one, as the adaptive interval does.

    Parameters
    ----------
    prediction : float
        The model's prediction for the case.
    residuals : numpy.ndarray
        Residuals of the rows with a true value (NaN ignored).
    n : int, default 20
        Number of outcomes (the dots of a quantile dotplot).
    scale : float, default 1.0
        The case's residual scale ``sigma(x)`` (1 for raw residuals).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> outcome_quantiles(10.0, np.array([-1.0, 0.0, 1.0]), n=2).tolist()
    [9.5, 10.5]
    >>> outcome_quantiles(10.0, np.array([-1.0, 0.0, 1.0]), n=2, scale=2.0).tolist()
    [9.0, 11.0]
    """
    residuals = np.asarray(residuals, dtype=float)
    residuals = residuals[~np.isnan(residuals)]
    return prediction + scale * np.quantile(residuals, (np.arange(n) + 0.5) / n)
