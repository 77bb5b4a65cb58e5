"""Does the model widen a gap the actual outcomes already have? The words for it.

A ratio of selection rates is read beside the same ratio in the labels: "the model selects
1.8% of age = 17–28 against 32.8% of 38–48 (ratio 0.06); in the actual outcomes 4.1% against
36.5% (ratio 0.11)". Their quotient, with bounds from a paired bootstrap, says whether the
model widens that gap (under 1, for a group the labels already favour less), keeps it, or
narrows it. A gap in the labels is not a licence: it may itself come from how the labels were
made; the sentence says only what the model adds.

Examples
--------
>>> words = label_gap_clause(
...     label_rate_group=0.041, label_rate_reference=0.365, label_ratio=0.112,
...     amplification=0.53, lo=0.43, hi=0.63, verdict="widens")
>>> print(words)
In the actual outcomes the rates are 4.1% against 36.5% (ratio 0.11): the model widens the gap
the data already has, multiplying that ratio by 0.53 (95% bounds 0.43 to 0.63).
"""

from __future__ import annotations

from rai_widgets import formatting
from rai_widgets.readings.groups import bounds_words

__all__ = ["VERDICTS", "amplification_sentence", "label_gap_clause", "verdict_of"]

#: What the model does to the labels' own gap.
VERDICTS = ("widens", "narrows", "reverses", "keeps", "unclear")


def verdict_of(
    amplification: float,
    lo: float,
    hi: float,
    label_ratio: float,
    *,
    tolerance: float,
    model_lo: float = float("nan"),
    model_hi: float = float("nan"),
) -> str:
    """Whether the model widens, narrows or keeps the labels' gap, or the data cannot tell.

    The model's ratio of selection rates divided by the labels' is ``amplification``. Against
    a group the labels favour less (label ratio under 1), bounds wholly under 1 mean the model
    widens the gap and wholly over 1 that it narrows it (the reverse for a ratio over 1). It
    keeps the gap when the bounds stay within ``tolerance`` of 1. It reverses it when the
    model's own ratio is measurably on the other side of 1 than the labels' (the labels favour
    the group a little, the model selects it less often).

    Parameters
    ----------
    amplification, lo, hi : float
        The quotient of the two ratios and its bounds.
    label_ratio : float
        The labels' ratio of rates.
    tolerance : float
        How far from 1 the quotient may be and still count as keeping the gap.

    model_lo, model_hi : float, optional
        The bounds of the model's own ratio (to tell a reversal).

    Returns
    -------
    str
        One of :data:`VERDICTS`.

    Examples
    --------
    >>> verdict_of(0.53, 0.43, 0.63, 0.11, tolerance=0.05)
    'widens'
    >>> verdict_of(1.0, 0.97, 1.03, 0.5, tolerance=0.05)
    'keeps'
    >>> verdict_of(0.75, 0.6, 0.9, 1.03, tolerance=0.05, model_lo=0.7, model_hi=0.86)
    'reverses'
    """
    if any(v != v for v in (amplification, lo, hi, label_ratio)):  # NaN
        return "unclear"
    if (label_ratio > 1.0 and model_hi < 1.0) or (label_ratio < 1.0 and model_lo > 1.0):
        return "reverses"
    below, above = hi < 1.0, lo > 1.0
    if label_ratio > 1.0:
        below, above = above, below
    if below:
        return "widens"
    if above:
        return "narrows"
    if lo >= 1.0 - tolerance and hi <= 1.0 + tolerance:
        return "keeps"
    return "unclear"


_DOES = {
    "widens": "the model widens the gap the data already has, multiplying that ratio by",
    "narrows": "the model narrows the gap the data already has, multiplying that ratio by",
    "reverses": "the model turns that the other way round, multiplying that ratio by",
    "keeps": "the model keeps about the gap the data already has, multiplying that ratio by",
    "unclear": "the data cannot tell yet whether the model widens that gap; it multiplies "
    "that ratio by",
}


def label_gap_clause(
    *,
    label_rate_group: float,
    label_rate_reference: float,
    label_ratio: float,
    amplification: float,
    lo: float,
    hi: float,
    verdict: str,
    level: float = 0.95,
    n_comparisons: int = 1,
) -> str:
    """The sentence that puts the labels' own gap beside a model's ratio of selection rates.

    Parameters
    ----------
    label_rate_group, label_rate_reference, label_ratio : float
        How often each group has the favourable outcome in the labels, and their ratio.
    amplification, lo, hi : float
        The model's ratio divided by the labels', and its bounds.
    verdict : str
        From :func:`verdict_of`.
    level : float, default 0.95
        The bounds' coverage.
    n_comparisons : int, default 1
        Groups compared (the correction that widened the bounds is named above 1).

    Returns
    -------
    str
    """
    return (
        f"In the actual outcomes the rates are {formatting.percent(label_rate_group)} against "
        f"{formatting.percent(label_rate_reference)} (ratio {formatting.number(label_ratio, 2)}"
        f"): {_DOES[verdict]} {formatting.number(amplification, 2)} "
        f"({bounds_words(level, n_comparisons)} {formatting.bounds(lo, hi, digits=2)})."
    )


def amplification_sentence(
    *,
    group: str,
    reference: str,
    model_rate_group: float,
    model_rate_reference: float,
    model_ratio: float,
    clause: str,
) -> str:
    """The amplification finding: the model's rates and ratio, then the labels' (the clause).

    Parameters
    ----------
    group, reference : str
        The group ("age = 17–28") and the group it is compared with ("38–48").
    model_rate_group, model_rate_reference, model_ratio : float
        How often the model selects each, and their ratio.
    clause : str
        :func:`label_gap_clause`.

    Returns
    -------
    str

    Examples
    --------
    >>> print(amplification_sentence(group="sex = Female", reference="Male",
    ...     model_rate_group=0.08, model_rate_reference=0.25, model_ratio=0.32,
    ...     clause="In the actual outcomes ..."))
    The model selects 8.0% of sex = Female against 25.0% of Male (ratio 0.32). In the actual
    outcomes ...
    """
    return (
        f"The model selects {formatting.percent(model_rate_group)} of {group} against "
        f"{formatting.percent(model_rate_reference)} of {reference} (ratio "
        f"{formatting.number(model_ratio, 2)}). {clause}"
    )
