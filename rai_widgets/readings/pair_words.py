"""Two groups compared in plain words: which one the model serves worse, with both numbers.

A gap between groups is read from the side of the group it weighs on: "of the rows that really
are >50K, the model finds 71.0% of age = 38–48 but only 35.1% of age = 17–28", never "+35.9
pts for age = 38–48", which reads as a problem for the group the model serves better. A ratio
of selection rates is read beside the same ratio in the actual outcomes ("in the actual
outcomes ... 0.11 times as often; in the model's predictions 0.056 times as often: the model
roughly halves their share").

Examples
--------
>>> print(gap_clause("tpr", "age = 38–48", 0.71, "age = 17–28", 0.351, positive=">50K"))
of the rows that really are >50K, the model finds 71.0% of age = 38–48 but only 35.1% of age =
17–28
>>> share_change(0.53), share_change(0.84)
('roughly halves their share', 'cuts their share to 84% of that')
"""

from __future__ import annotations

import math
from typing import Any

from rai_widgets import formatting
from rai_widgets.core.metrics import metric_family, metric_info
from rai_widgets.formatting_metrics import metric_name, metric_value
from rai_widgets.readings.units import amount

__all__ = [
    "amplification_clause",
    "capitalized",
    "gap_clause",
    "ratio_text",
    "share_change",
    "weighs_on",
    "worse_side",
]


def capitalized(text: str) -> str:
    """The text with its first letter upper case (the rest as it is).

    Examples
    --------
    >>> capitalized("of the rows ..."), capitalized("")
    ('Of the rows ...', '')
    """
    return text[:1].upper() + text[1:]


def ratio_text(x: Any) -> str:
    """A ratio of rates: two decimals ("1.03", never a rounded "1"), two significant digits
    under 0.1 ("0.056").

    Examples
    --------
    >>> ratio_text(1.0312), ratio_text(0.0561), ratio_text(0.106), ratio_text(float("nan"))
    ('1.03', '0.056', '0.11', '–')
    """
    value = formatting.finite_number(x)
    if value is None:
        return formatting.NOT_AVAILABLE
    if abs(value) < 0.095:
        return formatting.number(value, 2)
    return f"{value:.2f}"


def worse_side(metric: str, value: float, reference_value: float) -> int:
    """Which side a gap weighs on: -1 the group (the first), +1 the group it is compared with,
    0 when the metric has no better direction or the two are equal.

    Parameters
    ----------
    metric : str
        The metric key (its direction comes from :mod:`rai_widgets.core.metrics`;
        ``selection_rate`` counts as better high: being selected is getting the favourable
        answer; a false positive rate has no side: more false alarms are more undeserved
        favourable answers).
    value, reference_value : float
        The group's and the other group's value.

    Returns
    -------
    int

    Examples
    --------
    >>> worse_side("mae", 19.2, 26.2), worse_side("accuracy", 0.82, 0.97)
    (1, -1)
    >>> worse_side("fpr", 0.1, 0.0)
    0
    """
    family, _ = metric_family(metric)
    info = metric_info(metric)
    direction = 1 if family == "selection_rate" else (info.direction if info else 0)
    if family == "fpr":
        direction = 0
    if direction == 0 or not (value == value and reference_value == reference_value):
        return 0
    if value == reference_value:
        return 0
    group_better = (value > reference_value) == (direction > 0)
    return 1 if group_better else -1


def weighs_on(metric: str, value: float, reference_value: float, reference: str) -> str:
    """The words a gap's sentence ends with when its group is the one served better: the gap
    weighs on the group it is compared with ("" otherwise, or when the metric has no side).

    Examples
    --------
    >>> weighs_on("mae", 19.2, 26.2, "age = 35–43")
    '; it weighs on age = 35–43'
    >>> weighs_on("accuracy", 0.82, 0.97, "age = 17–28")
    ''
    """
    if worse_side(metric, value, reference_value) <= 0:
        return ""
    return f"; it weighs on {reference}"


def gap_clause(
    metric: str,
    group: str,
    value: float,
    reference: str,
    reference_value: float,
    *,
    unit: str | None = None,
    positive: str | None = None,
    negative: str | None = None,
) -> str:
    """A gap between two groups in plain words, the group it weighs on named with "only" (a
    clause: it starts lower case; :func:`capitalized` starts a sentence with it).

    Parameters
    ----------
    metric : str
        The metric key.
    group, reference : str
        The two groups as they read ("age = 38–48").
    value, reference_value : float
        Their values of the metric.
    unit : str, optional
        The regression target's unit.
    positive, negative : str, optional
        A binary task's classes as they read (the class a true positive rate finds).

    Returns
    -------
    str

    Examples
    --------
    >>> print(gap_clause("mae", "age = 18–34", 19.3, "age = 52–76", 27.2, unit="years"))
    the model is off by 27.2 years on average for age = 52–76 against 19.3 years for age = 18–34
    >>> print(gap_clause("selection_rate", "sex = Female", 0.081, "sex = Male", 0.253,
    ...                  positive=">50K"))
    the model answers >50K for 25.3% of sex = Male but only 8.1% of sex = Female
    """
    side = worse_side(metric, value, reference_value)
    family, _ = metric_family(metric)
    info = metric_info(metric)
    # the better-served group first, the one the gap weighs on second (as given when neither)
    if side >= 0:
        better, better_value, worse, worse_value = group, value, reference, reference_value
    else:
        better, better_value, worse, worse_value = reference, reference_value, group, value

    def show(x: float) -> str:
        if info is not None and info.reads_as == "target":  # three significant digits
            return amount(x, unit, digits=3)
        return metric_value(metric, x, unit=unit)

    if family == "accuracy":
        return (
            f"the model is right for {show(better_value)} of {better} but only "
            f"{show(worse_value)} of {worse}"
        )
    if family == "tpr" and positive:
        return (
            f"of the rows that really are {positive}, the model finds {show(better_value)} of "
            f"{better} but only {show(worse_value)} of {worse}"
        )
    if family == "fpr" and positive and negative:
        return (
            f"of the rows that really are {negative}, the model wrongly answers {positive} for "
            f"{show(value)} of {group} against {show(reference_value)} of {reference}"
        )
    if family == "selection_rate" and positive:
        joint = "but only" if side != 0 else "against"
        return (
            f"the model answers {positive} for {show(better_value)} of {better} {joint} "
            f"{show(worse_value)} of {worse}"
        )
    if family == "mae":
        return (
            f"the model is off by {show(worse_value)} on average for {worse} against "
            f"{show(better_value)} for {better}"
        )
    name = metric_name(metric)
    return (
        f"{name[:1].lower() + name[1:]} is {show(value)} for {group} against "
        f"{show(reference_value)} for {reference}"
    )


def share_change(amplification: float) -> str:
    """What the model does to a group's share of the favourable answer, beside the actual
    outcomes: the model's ratio of selection rates is ``amplification`` times the labels'.

    Examples
    --------
    >>> share_change(0.48), share_change(0.3)
    ('roughly halves their share', 'cuts their share to 30% of that')
    >>> share_change(1.3)
    'raises their share 1.3 times'
    """
    if not math.isfinite(amplification):
        return "changes their share by an amount the data cannot give"
    if 0.45 <= amplification <= 0.55:
        return "roughly halves their share"
    if amplification < 1:
        return f"cuts their share to {formatting.percent(amplification, 0)} of that"
    return f"raises their share {formatting.number(amplification, 2)} times"


def amplification_clause(
    group: str,
    reference: str,
    *,
    wanted: str,
    label_ratio: float,
    model_ratio: float,
    amplification: float,
) -> str:
    """A group's share of the favourable answer in the actual outcomes and in the model's
    predictions, each against the group it is compared with, and what the model does to it.

    Parameters
    ----------
    group, reference : str
        The two groups as they read.
    wanted : str
        The favourable answer (">50K").
    label_ratio, model_ratio : float
        How often the group has it against the reference, in the labels and in the answers.
    amplification : float
        ``model_ratio / label_ratio``.

    Returns
    -------
    str
        A sentence (no final full stop, so that a caller can add to it).

    Examples
    --------
    >>> print(amplification_clause("age = 17–28", "age = 38–48", wanted=">50K",
    ...       label_ratio=0.106, model_ratio=0.056, amplification=0.53))
    In the actual outcomes, age = 17–28 gets >50K 0.11 times as often as age = 38–48; in the
    model's predictions 0.056 times as often: the model roughly halves their share
    """
    start = (
        f"In the actual outcomes, {group} gets {wanted} {ratio_text(label_ratio)} times as "
        f"often as {reference}; in the model's predictions {ratio_text(model_ratio)} times as "
        "often"
    )
    if label_ratio > 1 and model_ratio < 1:
        return start + ": the model turns the gap against them"
    if label_ratio < 1 and model_ratio > 1:
        return start + ": the model turns the gap in their favour"
    return f"{start}: the model {share_change(amplification)}"
