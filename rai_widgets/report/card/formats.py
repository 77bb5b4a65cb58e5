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

_FAMILIES = ("selection_rate", "tpr", "fpr", "fnr", "precision")
_REASONS = {
    "accuracy": "The share of rows predicted right: the plainest measure of how often the "
    "model is right.",
    "selection_rate": "The share of rows predicted as the positive class: compared across "
    "groups, it shows whether some are selected more often (demographic parity, the "
    "four-fifths rule).",
    "tpr": "Of the rows truly in the class, the share the model finds (recall): compared "
    "across groups, whether some are missed more often (equal opportunity).",
    "fpr": "Of the rows truly not in the class, the share wrongly predicted in it: with the "
    "true positive rate, the two error rates of equalized odds.",
    "fnr": "Of the rows truly in the class, the share the model misses.",
    "precision": "Of the rows predicted in the class, the share truly in it.",
    "auc": "How well the scores rank the rows of the positive class above the others, at every "
    "threshold (0.5 is chance, 1 is perfect).",
    "brier": "The mean squared error of the predicted probabilities: how right and how well "
    "calibrated they are together.",
    "macro_tpr": "Balanced accuracy: the recall of each class averaged, so that a rare class "
    "counts as much as a common one.",
    "macro_fpr": "The false positive rate of each class (one-vs-rest), averaged over classes.",
    "macro_fnr": "The false negative rate of each class (one-vs-rest), averaged over classes.",
    "macro_precision": "The precision of each class averaged, so that a rare class counts as "
    "much as a common one.",
    "mae": "How far the predictions are from the truth on average, in the target's units.",
    "rmse": "Like the mean absolute error, but large misses weigh more: it shows the worst errors.",
    "mean_residual": "The mean of true minus predicted value: above zero the model predicts "
    "too low on average, below zero too high (a bias; per group, a group's bias).",
    "mean_prediction": "The average prediction: compared across groups, whether some are "
    "predicted higher than others.",
}


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


def _family(metric: str) -> tuple[str, str | None]:
    """A metric's family and, for a one-vs-rest rate of a multiclass task, its class."""
    if metric in _REASONS:
        return metric, None
    for base in _FAMILIES:
        if metric.startswith(base + "_"):
            return base, metric[len(base) + 1 :]
    return metric, None


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
    base, klass = _family(metric)
    reason = _REASONS.get(base, "Chosen by whoever generated the card.")
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
    base, _ = _family(metric)
    if base in ("accuracy", *_FAMILIES):
        return "Wilson score interval"
    return f"percentile bootstrap within each group ({DEFAULT_N_BOOT} resamples, seeded)"
