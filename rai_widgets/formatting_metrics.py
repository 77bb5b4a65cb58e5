"""How a metric reads: its name, its value, its 95% bounds and a difference, by kind of metric.

Proportions (accuracy, rates, coverage) read as percentages and their differences in points;
AUC, Brier score and ECE to three decimals; errors in the target's units. A statistic that could
not be computed reads :data:`~rai_widgets.formatting.NOT_AVAILABLE`. Numbers themselves are
written by :mod:`rai_widgets.formatting`.

Examples
--------
>>> metric_value("accuracy", 0.8612), metric_bounds("accuracy", 0.858, 0.864)
('86.1%', '85.8% to 86.4%')
>>> metric_difference("tpr", -0.05), metric_name("tpr_setosa")
('-5.0 pts', 'True positive rate (setosa)')
"""

from __future__ import annotations

from typing import Any

from rai_widgets.core.metrics import METRICS, metric_family, metric_info
from rai_widgets.formatting import NOT_AVAILABLE, finite_number, number, percent, points

__all__ = [
    "is_proportion",
    "metric_bounds",
    "metric_difference",
    "metric_heading",
    "metric_name",
    "metric_value",
]


def is_proportion(metric: str) -> bool:
    """Whether a metric is a share of rows, shown as a percentage (its differences in points).

    Parameters
    ----------
    metric : str
        A metric key of ``ModelSession.slice_metrics`` (or "coverage").

    Returns
    -------
    bool

    Examples
    --------
    >>> is_proportion("accuracy"), is_proportion("tpr_setosa"), is_proportion("auc")
    (True, True, False)
    """
    info = metric_info(metric)
    return (info is not None and info.reads_as == "share") or metric.startswith("macro_")


def metric_name(metric: str) -> str:
    """A readable name of a metric key.

    Parameters
    ----------
    metric : str
        A metric key, such as "tpr" or "tpr_setosa".

    Returns
    -------
    str
        The key itself when it has no readable name.

    Examples
    --------
    >>> metric_name("fpr"), metric_name("tpr_setosa"), metric_name("custom")
    ('False positive rate', 'True positive rate (setosa)', 'custom')
    """
    family, class_name = metric_family(metric)
    if family not in METRICS:
        return metric
    name = METRICS[family].name
    return name if class_name is None else f"{name} ({class_name})"


def _reads_as_score(metric: str) -> bool:
    """AUC, Brier score, ECE: scores read to three decimals."""
    info = metric_info(metric)
    return info is not None and info.reads_as == "score"


def _plain(x: float, signed: bool = False) -> str:
    """A value in the target's units: two decimals, three significant digits below 0.1."""
    if x == 0 or abs(x) >= 0.1:
        return number(x, decimals=2, signed=signed)
    return number(x, 3, signed=signed)


def _with_unit(metric: str, text: str, unit: str | None) -> str:
    """A value in the target's units carries the unit (a share or a score has its own)."""
    info = metric_info(metric)
    if unit and info is not None and info.reads_as == "target" and text != NOT_AVAILABLE:
        return f"{text} {unit}"
    return text


def metric_value(metric: str, value: Any, *, unit: str | None = None) -> str:
    """A metric value: proportions as "86.1%", AUC, Brier and ECE to three decimals.

    Parameters
    ----------
    metric : str
        The metric key.
    value : float
        Its value.
    unit : str, optional
        The regression target's unit, written after a value in the target's units.

    Returns
    -------
    str
        :data:`NOT_AVAILABLE` when the value is missing or not finite.

    Examples
    --------
    >>> metric_value("accuracy", 0.8612), metric_value("mae", 23.456), metric_value("auc", 0.91234)
    ('86.1%', '23.46', '0.912')
    >>> metric_value("mae", 0.01234), metric_value("tpr", float("nan"))
    ('0.0123', '–')
    """
    x = finite_number(value)
    if x is None:
        return NOT_AVAILABLE
    if is_proportion(metric):
        return percent(x)
    if _reads_as_score(metric):
        return number(x, decimals=3)
    return _with_unit(metric, _plain(x), unit)


def metric_bounds(metric: str, lo: Any, hi: Any, *, sep: str = " to ") -> str:
    """A metric's 95% bounds: "85.8% to 86.4%".

    Parameters
    ----------
    metric : str
        The metric key.
    lo, hi : float
        The bounds.
    sep : str, default " to "
        Between the two bounds ("–" for a compact table cell).

    Returns
    -------
    str
        :data:`NOT_AVAILABLE` when either bound is missing or not finite.

    Examples
    --------
    >>> metric_bounds("accuracy", 0.858, 0.864), metric_bounds("mae", 1.5, None)
    ('85.8% to 86.4%', '–')
    >>> metric_bounds("auc", 0.81, 0.8345, sep="–")
    '0.810–0.835'
    """
    if finite_number(lo) is None or finite_number(hi) is None:
        return NOT_AVAILABLE
    return f"{metric_value(metric, lo)}{sep}{metric_value(metric, hi)}"


def metric_difference(metric: str, value: Any, *, unit: str | None = None) -> str:
    """A signed difference of a metric: percentage points for proportions ("+3.2 pts").

    Parameters
    ----------
    metric, value : str, float
        The metric key and the difference (:data:`NOT_AVAILABLE` when it is missing or not
        finite).
    unit : str, optional
        The regression target's unit, written after a difference in the target's units.

    Returns
    -------
    str

    Examples
    --------
    >>> metric_difference("accuracy", 0.032), metric_difference("auc", -0.0123)
    ('+3.2 pts', '-0.012')
    >>> metric_difference("mae", 1.5), metric_difference("mae", -0.05)
    ('+1.50', '-0.05')
    """
    x = finite_number(value)
    if x is None:
        return NOT_AVAILABLE
    if is_proportion(metric):
        return points(x)
    if _reads_as_score(metric):
        return number(x, decimals=3, signed=True)
    return _with_unit(metric, _plain(x, signed=True), unit)


def metric_heading(metric: str, unit: str | None) -> str:
    """A metric's name as a table heads it: with the target's unit when it reads in it.

    Parameters
    ----------
    metric : str
        A metric key.
    unit : str or None
        The regression target's unit (``ModelSession.target_unit``).

    Returns
    -------
    str

    Examples
    --------
    >>> metric_heading("mae", "thousand dollars"), metric_heading("accuracy", "years")
    ('Mean absolute error (thousand dollars)', 'Accuracy')
    """
    info = metric_info(metric)
    name = metric_name(metric)
    if unit and info is not None and info.reads_as == "target":
        return f"{name} ({unit})"
    return name
