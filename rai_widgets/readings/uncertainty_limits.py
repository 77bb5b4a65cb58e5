"""What the uncertainty numbers cannot tell, said plainly: answer sets that hold most classes,
an interval too wide to act on, groups too small to check calibration on.

Each template takes numbers (never a session) and returns "" when its rule does not hold:

* :func:`wide_sets_sentence`: the answer sets hold, on average, at least half of the classes
  beyond one (``mean size >= (k + 1) / 2`` of ``k`` classes: 3 of 5, 1.5 of 2). They then rule
  out at most half of the ``k - 1`` classes a case could be wrongly given, so they say little
  about which class is right, however well their coverage holds.
* :func:`wide_interval_sentence`: a regression interval wider than the target's interquartile
  range (the span of the middle half of the true values). Such an interval narrows one case's
  outcome less than "a typical value" would, so it is too wide to act on for one person.
* :func:`left_out_sentence`: the groups left out of the reliability diagram because their
  rows are too few to estimate calibration.

Examples
--------
>>> wide_sets_sentence(3.66, 5, n_few_ruled_out=284, n=450, level=0.9)
... # doctest: +NORMALIZE_WHITESPACE
'At 90%, the answer sets hold 3.66 of the 5 classes on average: for 63% of the 450 cases not
used to calibrate the model can rule out at most one class, so at this level the sets say
little about which class is right.'
>>> wide_sets_sentence(1.06, 2, n_few_ruled_out=49, n=8141, level=0.9)
''
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from rai_widgets import formatting
from rai_widgets.readings.uncertainty import shared_decimals, with_unit

__all__ = [
    "is_wide_interval",
    "is_wide_sets",
    "left_out_sentence",
    "wide_interval_sentence",
    "wide_sets_sentence",
]


def is_wide_sets(mean_size: float, n_classes: int) -> bool:
    """Whether answer sets averaging ``mean_size`` of ``n_classes`` classes say little: the
    average is at least ``(n_classes + 1) / 2``.

    Examples
    --------
    >>> is_wide_sets(3.0, 5), is_wide_sets(2.9, 5), is_wide_sets(1.06, 2), is_wide_sets(1.5, 2)
    (True, False, False, True)
    """
    return n_classes >= 2 and mean_size >= (n_classes + 1) / 2


def wide_sets_sentence(
    mean_size: float, n_classes: int, *, n_few_ruled_out: int, n: int, level: float
) -> str:
    """The answer sets hold most classes: say so, with how often they rule out at most one
    class; "" when :func:`is_wide_sets` does not hold.

    Parameters
    ----------
    mean_size : float
        The average number of classes per answer set, over the cases not used to calibrate.
    n_classes : int
        How many classes the model knows.
    n_few_ruled_out : int
        Cases not used to calibrate whose set rules out at most one class (two classes: rules
        out none, i.e. holds both).
    n : int
        Cases not used to calibrate.
    level : float
        The promised coverage.

    Returns
    -------
    str

    Examples
    --------
    >>> wide_sets_sentence(1.6, 2, n_few_ruled_out=60, n=100, level=0.8)
    ... # doctest: +NORMALIZE_WHITESPACE
    'At 80%, the answer sets hold 1.6 of the 2 classes on average: for 60% of the 100 cases not
    used to calibrate the model cannot rule out either class, so at this level the sets say
    little about which class is right.'
    """
    if not is_wide_sets(mean_size, n_classes) or n <= 0:
        return ""
    how_many = (
        "cannot rule out either class" if n_classes == 2 else "can rule out at most one class"
    )
    return (
        f"At {formatting.percent(level, 0)}, the answer sets hold "
        f"{formatting.number(mean_size, 3)} of the {formatting.count(n_classes)} classes on "
        f"average: for {formatting.percent(n_few_ruled_out / n, 0)} of the "
        f"{formatting.count(n)} cases not used to calibrate the model {how_many}, so at this "
        "level the "
        "sets say little about which class is right."
    )


def is_wide_interval(lower: float, upper: float, q1: float, q3: float) -> bool:
    """Whether the interval ``[lower, upper]`` is wider than the target's interquartile range
    ``q3 - q1``.

    Examples
    --------
    >>> is_wide_interval(58, 152, 84, 131), is_wide_interval(90, 120, 84, 131)
    (True, False)
    """
    return bool(upper - lower > q3 - q1)


def wide_interval_sentence(
    lower: float,
    upper: float,
    q1: float,
    q3: float,
    *,
    unit: str | None = None,
    target: Hashable | None = None,
) -> str:
    """The interval is wider than the middle half of the true values: too wide to act on for
    one person; "" when :func:`is_wide_interval` does not hold.

    Parameters
    ----------
    lower, upper : float
        The case's interval.
    q1, q3 : float
        The target's first and third quartiles (over the session's true values).
    unit : str, optional
        The target's unit.
    target : column name, optional
        The target's name ("wage"); without one, "the true values".

    Returns
    -------
    str
        Its numbers share their decimals
        (:func:`~rai_widgets.readings.uncertainty.shared_decimals`).

    Examples
    --------
    >>> wide_interval_sentence(58.2, 152.4, 84.0, 131.0, unit="thousand dollars", target="wage")
    ... # doctest: +NORMALIZE_WHITESPACE
    'This range is 94 thousand dollars wide, wider than the middle half of all wage values in
    the data (84 to 131 thousand dollars): too wide to act on for one person.'
    >>> wide_interval_sentence(90, 120, 84, 131)
    ''
    """
    if not is_wide_interval(lower, upper, q1, q3):
        return ""
    d = shared_decimals([lower, upper, q1, q3])
    values = "the true values" if target is None else f"{formatting.label(target)} values"
    return (
        f"This range is {with_unit(upper - lower, unit, d)} wide, wider than the middle half "
        f"of all {values} in the data ({with_unit(q1, None, d)} to {with_unit(q3, unit, d)}): "
        "too wide to act on for one person."
    )


def left_out_sentence(too_few: Mapping, *, minimum: int) -> str:
    """The groups left out of the reliability diagram for having under ``minimum`` rows, and
    why ("" for none).

    Parameters
    ----------
    too_few : mapping
        ``{group: rows}``.
    minimum : int
        The fewest rows a group needs to be drawn.

    Returns
    -------
    str
        Plain text (escape it where it meets HTML).

    Examples
    --------
    >>> left_out_sentence({"4. Other": 8}, minimum=30)  # doctest: +NORMALIZE_WHITESPACE
    'Left out of the chart: 4. Other (8 rows). Under 30 rows are too few to tell whether the
    scores come true as often as they say.'
    """
    if not too_few:
        return ""
    groups = ", ".join(
        f"{formatting.label(g)} ({formatting.count(n)} {'row' if n == 1 else 'rows'})"
        for g, n in too_few.items()
    )
    return (
        f"Left out of the chart: {groups}. Under {formatting.count(minimum)} rows are too few "
        "to tell whether the scores come true as often as they say."
    )
