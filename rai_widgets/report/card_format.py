"""What the model card needs beyond :mod:`rai_widgets.formatting`: metric direction, name lists.

Numbers, percentages, points, bounds, counts and labels are written by
:mod:`rai_widgets.formatting`, as everywhere else in rai_widgets; this module adds whether a
metric is better high or low, lists of column names, and values in the target's units.

Examples
--------
>>> direction("fpr"), label_list(["a", "b", "c"], limit=2), target_value(23.456)
(-1, 'a, b and 1 more', '23.46')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from rai_widgets.formatting import metric_value

__all__ = ["HIGHER_IS_BETTER", "LOWER_IS_BETTER", "direction", "label_list", "target_value"]

HIGHER_IS_BETTER = {"accuracy", "tpr", "precision", "auc", "macro_tpr", "macro_precision"}
"""Metrics (families) where a higher value is better."""
LOWER_IS_BETTER = {"fpr", "fnr", "brier", "mae", "rmse", "macro_fpr", "macro_fnr"}
"""Metrics (families) where a lower value is better."""
_FAMILIES = ("selection_rate", "tpr", "fpr", "fnr", "precision")


def direction(metric: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 when neither (a rate of choices).

    One-vs-rest rates of a multiclass task ("tpr_setosa") follow their family ("tpr").

    Parameters
    ----------
    metric : str
        A metric key of ``ModelSession.slice_metrics``.

    Returns
    -------
    int

    Examples
    --------
    >>> direction("accuracy"), direction("fnr_setosa"), direction("selection_rate")
    (1, -1, 0)
    """
    base = metric
    if metric not in HIGHER_IS_BETTER | LOWER_IS_BETTER:
        base = next((b for b in _FAMILIES if metric.startswith(b + "_")), metric)
    return 1 if base in HIGHER_IS_BETTER else -1 if base in LOWER_IS_BETTER else 0


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
    names = [str(n) for n in names]
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)
