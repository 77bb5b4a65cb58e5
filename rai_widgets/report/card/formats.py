"""What the model card needs beyond :mod:`rai_widgets.formatting`: metric direction, name lists.

Numbers, percentages, points, bounds, counts and labels are written by
:mod:`rai_widgets.formatting`, as everywhere else in rai_widgets; this module adds whether a
metric is better high or low, why a metric is reported and how its bounds are computed, lists
of column names, and values in the target's units.

Examples
--------
>>> direction("fpr"), label_list(["a", "b", "c"], limit=2), target_value(23.456)
(-1, 'a, b and 1 more', '23.46')
>>> bounds_method("tpr"), bounds_method("auc")[:20]
('Wilson score interval', 'percentile bootstrap')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rai_widgets.compute.intervals import DEFAULT_N_BOOT
from rai_widgets.core.metrics import metric_family, metric_info
from rai_widgets.formatting_metrics import metric_value
from rai_widgets.readings.metrics import HIGHER_IS_BETTER, LOWER_IS_BETTER, direction

__all__ = [
    "HIGHER_IS_BETTER",
    "LOWER_IS_BETTER",
    "bounds_method",
    "direction",
    "label_list",
    "metric_reason",
    "target_value",
]


def target_value(value: Any) -> str:
    """A value in the target's units, as a mean absolute error reads ("–" when there is none).

    Parameters
    ----------
    value : float
        A value of the target (a mean, a quantile, an error).

    Returns
    -------
    str

    Examples
    --------
    >>> target_value(1234.5), target_value(0.01234), target_value(float("nan"))
    ('1,234.50', '0.0123', '–')
    """
    return metric_value("mae", value)


def label_list(names: Sequence[Hashable], limit: int = 30) -> str:
    """Names joined by commas, the rest counted ("a, b and 12 more").

    Parameters
    ----------
    names : list
        Column names (or any labels).
    limit : int, default 30
        Names listed before the rest is counted.

    Returns
    -------
    str
        "none" for no names.

    Examples
    --------
    >>> label_list(["a", "b", "c"], limit=2), label_list([])
    ('a, b and 1 more', 'none')
    """
    texts = [str(n) for n in names]
    if not texts:
        return "none"
    if len(texts) > limit:
        return ", ".join(texts[:limit]) + f" and {len(texts) - limit} more"
    return ", ".join(texts)


def metric_reason(metric: str) -> str:
    """Why a metric is on the card: what it measures and what comparing it across groups shows.

    Parameters
    ----------
    metric : str
        A metric key of ``ModelSession.slice_metrics``.

    Returns
    -------
    str

    Examples
    --------
    >>> metric_reason("tpr_setosa").endswith("(one-vs-rest, class setosa).")
    True
    """
    info, klass = metric_info(metric), metric_family(metric)[1]
    reason = info.reason if info is not None and info.reason else ""
    reason = reason or "Chosen by whoever generated the card."
    if klass is not None:
        reason = reason[:-1] + f" (one-vs-rest, class {klass})."
    return reason


def bounds_method(metric: str) -> str:
    """How the 95% bounds of a metric are computed (as ``ModelSession.slice_metrics`` does).

    Proportions (accuracy and the rates) get Wilson score intervals; every other metric (AUC,
    Brier score, macro averages, errors of a regression) a seeded percentile bootstrap within
    each group.

    Parameters
    ----------
    metric : str
        A metric key of ``ModelSession.slice_metrics``.

    Returns
    -------
    str

    Examples
    --------
    >>> bounds_method("accuracy"), bounds_method("fpr_setosa")
    ('Wilson score interval', 'Wilson score interval')
    >>> bounds_method("macro_tpr")
    'percentile bootstrap within each group (200 resamples, seeded)'
    """
    info = metric_info(metric)
    if info is not None and info.bounds == "wilson":
        return "Wilson score interval"
    return f"percentile bootstrap within each group ({DEFAULT_N_BOOT} resamples, seeded)"
