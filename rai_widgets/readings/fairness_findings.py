"""The sentences of the audit checks of how the model treats groups: a gap between two groups
(``disparity``), a blind spot (``blind_spot``), and a group too small to judge (``data_gap``).

The checks (:mod:`rai_widgets.session.checks.fairness`) compute the numbers, their bounds and
the verdict; these templates say them.

Examples
--------
>>> q_text(0.0004), q_text(0.012)
('q < 0.001', 'q = 0.012')
>>> print(small_group_sentence("race = Other", 12))
race = Other has 12 rows: too few to say how the model does for them; collect more before
judging.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal

from rai_widgets import formatting
from rai_widgets.formatting_metrics import metric_difference, metric_name, metric_value
from rai_widgets.readings.groups import bounds_words
from rai_widgets.readings.pair_words import weighs_on
from rai_widgets.readings.units import amount

__all__ = [
    "blind_spot_sentence",
    "data_gap_ok_sentence",
    "empty_category_sentence",
    "gap_sentence",
    "no_blind_spot_sentence",
    "q_text",
    "small_group_sentence",
]


def gap_sentence(
    metric: str,
    where: str,
    *,
    value: float,
    difference: float,
    lo: float,
    hi: float,
    n: int,
    reference: Hashable,
    reference_words: str,
    level: float,
    n_comparisons: int,
    verdict: Literal["beyond_chance", "settled", "cannot_tell"],
    threshold: float,
    unit: str | None = None,
) -> str:
    """A metric for a group against the reference group, with the bounds of the gap and what
    they show.

    Parameters
    ----------
    metric : str
        The metric's key ("accuracy", "mae", ...).
    where : str
        The group, as it reads ("sex = Female").
    value : float
        The metric for the group.
    difference, lo, hi : float
        The group's value minus the reference's, and its bounds.
    n : int
        The group's rows.
    reference : hashable
        The reference group's label.
    reference_words : str
        The reference group as the closing clause names it ("sex = Male").
    level : float
        The bounds' confidence.
    n_comparisons : int
        The gaps compared (the bounds are widened for them).
    verdict : {"beyond_chance", "settled", "cannot_tell"}
        A gap beyond chance; bounds that rule out a gap of ``threshold``; neither.
    threshold : float
        The gap that matters.
    unit : str, optional
        The target's unit (regression).

    Returns
    -------
    str

    Examples
    --------
    >>> text = gap_sentence("accuracy", "sex = Female", value=0.9, difference=0.01, lo=-0.01,
    ...                     hi=0.03, n=1200, reference="Male", reference_words="sex = Male",
    ...                     level=0.95, n_comparisons=1, verdict="settled", threshold=0.05)
    >>> text.endswith(": the bounds rule out a gap of 5.0 pts or more.")
    True
    """
    text = (
        f"{metric_name(metric)} for {where}: "
        f"{metric_value(metric, value, unit=unit)} against "
        f"{metric_value(metric, value - difference, unit=unit)} for {formatting.label(reference)} "
        f"({metric_difference(metric, difference, unit=unit)}, "
        f"{bounds_words(level, n_comparisons)} "
        f"{metric_difference(metric, lo)} to {metric_difference(metric, hi, unit=unit)}"
        f", {formatting.count(n)} rows)"
    )
    if verdict == "beyond_chance":  # a gap the group is served better in weighs on the other
        return (
            text + weighs_on(metric, float(value), float(value) - difference, reference_words) + "."
        )
    matters = metric_difference(metric, threshold, unit=unit).lstrip("+")
    if verdict == "settled":
        return text + f": the bounds rule out a gap of {matters} or more."
    return text + (
        f": the data cannot tell yet (its bounds neither rule out a gap of {matters} or more "
        "nor show one)."
    )


def no_blind_spot_sentence(n_tested: int, alpha: float) -> str:
    """The passing line of the blind-spot check.

    Examples
    --------
    >>> print(no_blind_spot_sentence(120, 0.05))
    No one- or two-feature slice does significantly worse than the rest (120 slices tested, false
    discovery rate 5%).
    """
    return (
        f"No one- or two-feature slice does significantly worse than the rest "
        f"({n_tested} slices tested, false discovery rate "
        f"{formatting.percent(alpha, 0)})."
    )


def q_text(q: float) -> str:
    """A q-value as text: "q < 0.001" rather than a number nobody can read."""
    return "q < 0.001" if q < 0.001 else f"q = {formatting.number(q, 2)}"


def blind_spot_sentence(
    where: str,
    *,
    as_rate: bool,
    value: float,
    rest: float,
    gap: float,
    q: float,
    n: int,
    unit: str | None = None,
) -> str:
    """A blind spot: the model's error in a slice against elsewhere.

    Parameters
    ----------
    where : str
        The slice, as it reads.
    as_rate : bool
        Errors are a rate (classification); else absolute errors in ``unit``.
    value, rest, gap : float
        The slice's error, the other rows', and the difference.
    q : float
        The q-value of the test.
    n : int
        The slice's rows.
    unit : str, optional
        The target's unit (regression).

    Returns
    -------
    str

    Examples
    --------
    >>> blind_spot_sentence("age = 17–28", as_rate=True, value=0.2, rest=0.11, gap=0.09,
    ...                     q=0.0001, n=900)
    'age = 17–28: error rate 20.0% against 11.0% elsewhere (+9.0 pts, q < 0.001, 900 rows).'
    """
    if as_rate:
        error = "error rate"
        value_text, rest_text = formatting.percent(value), formatting.percent(rest)
        gap_text = formatting.points(gap)
    else:
        error = "absolute error"
        value_text, rest_text = amount(value, unit, digits=3), amount(rest, unit, digits=3)
        gap_text = formatting.number(gap, 3, signed=True) + (f" {unit}" if unit else "")
    return (
        f"{where}: {error} {value_text} against {rest_text} "
        f"elsewhere ({gap_text}, {q_text(q)}, "
        f"{formatting.count(n)} rows)."
    )


def data_gap_ok_sentence(features: Sequence[Hashable], min_support: int) -> str:
    """The passing line of the data-gap check.

    Examples
    --------
    >>> data_gap_ok_sentence(["sex", "race"], 30)
    'Every group of sex, race has at least 30 rows.'
    """
    return f"Every group of {', '.join(map(str, features))} has at least {min_support} rows."


def small_group_sentence(where: str, n: int) -> str:
    """A group too small to say how the model does for it.

    Examples
    --------
    >>> small_group_sentence("race = Other", 3)[:27]
    'race = Other has 3 rows: to'
    """
    return (
        f"{where} has {formatting.count(n)} rows: too "
        "few to say how the model does for them; collect more before judging."
    )


def empty_category_sentence(feature: Hashable, category: Hashable) -> str:
    """A category of a sensitive feature with no rows.

    Examples
    --------
    >>> empty_category_sentence("race", "Other")
    "race = Other is a category with no rows: the model's behaviour for it is not tested here."
    """
    return (
        f"{feature} = {formatting.label(category)} is a category with no rows: the "
        "model's behaviour for it is not tested here."
    )
