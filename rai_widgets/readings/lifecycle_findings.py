"""The lifecycle checks' remaining sentences, in words: a group the training rows cannot hold,
no group under-represented, the largest shift, the drift tests' samples, and the passing line
of the label-quality check.

The lifecycle checks (``representation``, ``drift``, ``label_quality``) compute the numbers;
these templates say them (the main sentences are in :mod:`rai_widgets.readings.lifecycle`).

Examples
--------
>>> print(representation_ok_sentence("race", "Other", ratio=0.71, lo=0.52, hi=0.97))
No group of race was trained on measurably less than half its share of the evaluation rows;
the least represented: Other, 0.71 times its share (95% bounds 0.52 to 0.97).
>>> largest_shift_clause("age", None, 0.031)
'age over all rows, 3.1%'
"""

from __future__ import annotations

from collections.abc import Hashable

from rai_widgets import formatting

__all__ = [
    "drift_sample_sentence",
    "label_quality_ok_sentence",
    "largest_shift_clause",
    "not_in_training_sentence",
    "representation_ok_sentence",
    "smaller_label_gaps_clause",
]


def not_in_training_sentence(by: Hashable) -> str:
    """The note of a sensitive feature given beside X, which the training rows do not hold.

    Parameters
    ----------
    by : hashable
        The sensitive feature.

    Returns
    -------
    str

    Examples
    --------
    >>> not_in_training_sentence("sex")[:40]
    'Not checked for sex: it was given as val'
    """
    return (
        f"Not checked for {by}: it was given as values beside X, so the training rows do "
        "not hold it. Make it a column of X and X_train to compare the groups."
    )


def representation_ok_sentence(
    by: Hashable, least: Hashable, *, ratio: float, lo: float, hi: float
) -> str:
    """The passing line of the representation check for one sensitive feature.

    Parameters
    ----------
    by : hashable
        The sensitive feature.
    least : hashable
        Its least represented group in training.
    ratio, lo, hi : float
        That group's share of the training rows over its share of the evaluation rows, and
        the bounds.

    Returns
    -------
    str

    Examples
    --------
    >>> representation_ok_sentence("sex", "Female", ratio=0.98, lo=0.9, hi=1.07)[-52:]
    'emale, 0.98 times its share (95% bounds 0.9 to 1.1).'
    """
    return (
        f"No group of {by} was trained on measurably less than half its share of the "
        f"evaluation rows; the least represented: {formatting.label(least)}, "
        f"{formatting.number(ratio, 2)} times its share (95% bounds "
        f"{formatting.bounds(lo, hi, digits=2)})."
    )


def largest_shift_clause(feature: Hashable, where: str | None, shift: float) -> str:
    """The largest shift between training and evaluation, for the no-drift sentence.

    Parameters
    ----------
    feature : hashable
        The feature that moved most.
    where : str or None
        The group it moved in, as it reads ("sex = Female"); None: over all rows.
    shift : float
        The total variation distance.

    Returns
    -------
    str

    Examples
    --------
    >>> largest_shift_clause("age", "sex = Female", 0.042)
    'age for sex = Female, 4.2%'
    """
    place = "over all rows" if where is None else f"for {where}"
    return f"{feature} {place}, {formatting.percent(shift)}"


def drift_sample_sentence(max_rows: int, n_reference: int, n_current: int) -> str:
    """How many rows a side the drift tests ran on, when they sampled.

    Parameters
    ----------
    max_rows : int
        Rows a side the tests use at most.
    n_reference, n_current : int
        The training and evaluation rows they used here.

    Returns
    -------
    str

    Examples
    --------
    >>> print(drift_sample_sentence(200_000, 200_000, 150_000))
    Tested on samples of at most 200,000 rows a side (200,000 training and 150,000 evaluation
    rows here).
    """
    return (
        f"Tested on samples of at most {formatting.count(max_rows)} rows a side "
        f"({formatting.count(n_reference)} training and "
        f"{formatting.count(n_current)} evaluation rows here)."
    )


def smaller_label_gaps_clause(n_groups: int, largest: str, excess: float) -> str:
    """The groups whose suspect labels exceed their scores beyond chance but under the
    tolerance, named in the passing line (with a leading space).

    Parameters
    ----------
    n_groups : int
        How many groups.
    largest : str
        The group with the largest excess, as it reads.
    excess : float
        Its excess of suspect labels.

    Returns
    -------
    str

    Examples
    --------
    >>> smaller_label_gaps_clause(2, "sex = Female", 0.031)
    ' Smaller gaps beyond chance: 2 groups, the largest sex = Female (+3.1 pts).'
    """
    return (
        f" Smaller gaps beyond chance: {n_groups} group"
        f"{'s' if n_groups != 1 else ''}, the largest "
        f"{largest} "
        f"({formatting.points(excess)})."
    )


def label_quality_ok_sentence(
    features: str, *, tolerance: float, n: int, rate: float, lo: float, hi: float
) -> str:
    """The passing line of the label-quality check.

    Parameters
    ----------
    features : str
        The sensitive features read, joined ("sex or race").
    tolerance : float
        The excess of suspect labels that matters.
    n : int
        Training rows read.
    rate, lo, hi : float
        The share of suspect labels over all of them, and its bounds.

    Returns
    -------
    str

    Examples
    --------
    >>> label_quality_ok_sentence("sex", tolerance=0.05, n=700, rate=0.1, lo=0.08, hi=0.12)[:61]
    'No group of sex has training labels that the data contradicts'
    """
    return (
        f"No group of {features} has training labels that the data contradicts "
        f"{formatting.points(tolerance, 0, signed=False)} more often than its scores predict "
        f"or more; over all {formatting.count(n)} training rows "
        f"{formatting.percent(rate)} ({formatting.bounds(lo, hi, kind='percent')}) "
        "of the labels are suspect (confident learning on out-of-fold scores of a copy of "
        "the model)."
    )
