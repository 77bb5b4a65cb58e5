"""Which way is better for each metric, so a colour or a word keeps one meaning.

A chart of differences colours a bar by whether it is *better* or *worse* (never by its sign),
and a sentence says "better" or "worse" the same way, whichever metric it shows: a higher
accuracy and a lower error rate are both "better".

Examples
--------
>>> direction("accuracy"), direction("mae"), direction("selection_rate")
(1, -1, 0)
>>> judged("fnr", 0.05), judged("auc", 0.05), judged("selection_rate", 0.05)
('worse', 'better', '')
"""

from __future__ import annotations

from rai_widgets.core.metrics import METRICS, metric_info

__all__ = ["HIGHER_IS_BETTER", "LOWER_IS_BETTER", "direction", "judged"]

#: Metrics (families) where a higher value is better.
HIGHER_IS_BETTER = frozenset(k for k, m in METRICS.items() if m.direction > 0)
#: Metrics (families) where a lower value is better.
LOWER_IS_BETTER = frozenset(k for k, m in METRICS.items() if m.direction < 0)


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
    info = metric_info(metric)
    return 0 if info is None else info.direction


def judged(metric: str, difference: float) -> str:
    """ "better", "worse" or "" (no direction, or no difference) for a change of ``metric``.

    Parameters
    ----------
    metric : str
        The metric.
    difference : float
        The change (new minus reference).

    Returns
    -------
    str

    Examples
    --------
    >>> judged("mae", -1.5), judged("accuracy", 0.0)
    ('better', '')
    """
    sign = direction(metric) * (difference > 0) - direction(metric) * (difference < 0)
    return "better" if sign > 0 else "worse" if sign < 0 else ""
