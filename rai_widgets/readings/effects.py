"""Feature-effect readings: how the model's answer moves as a feature moves, per group, said
as a difference between groups only when the bounds support it.

Examples
--------
>>> effect_sentence("LSAT", "30", "45", "the predicted chance of passing",
...     [("women", 0.31, 0.26, 0.36), ("men", 0.02, 0.0, 0.04)], points=True, differs=True)
... # doctest: +NORMALIZE_WHITESPACE
'Between LSAT 30 and 45 the predicted chance of passing rises 31 points for women (26 to 36)
and 2 points for men (0 to 4): the groups differ.'
"""

from __future__ import annotations

from collections.abc import Sequence

from rai_widgets import formatting

__all__ = [
    "EXTRAPOLATION_NOTE",
    "NO_TWO_GROUPS_REASON",
    "effect_gap_sentence",
    "effect_sentence",
    "extrapolation_sentence",
    "no_effect_gap_sentence",
]

#: The chart's note on its grey part.
EXTRAPOLATION_NOTE = "grey: beyond the data's values (the model extrapolates)"


def _amount(value: float, points: bool, unit: str | None) -> str:
    if points:
        return f"{abs(value) * 100:.0f} points"
    text = formatting.number(abs(value), 3)
    return f"{text} {unit}" if unit else text


def _bound(value: float, points: bool) -> str:
    return f"{value * 100:.0f}" if points else formatting.number(value, 3)


def effect_sentence(
    feature: str,
    first: str,
    last: str,
    subject: str,
    rises: Sequence[tuple[str | None, float, float, float]],
    *,
    points: bool,
    differs: bool,
    unit: str | None = None,
) -> str:
    """How the answer moves from the first grid value to the last, per group.

    Parameters
    ----------
    feature : str
        The feature's name.
    first, last : str
        The first and last grid values, as they read.
    subject : str
        What moves ("the predicted chance of >50K", "the prediction").
    rises : sequence of (group, rise, lo, hi)
        Per group (None: everyone), the change from the first to the last grid value with
        its bounds.
    points : bool
        Whether the answer is a probability (said in percentage points).
    differs : bool
        Whether the groups' rises differ beyond their bounds (corrected for the pairs
        compared).
    unit : str, optional
        The unit of a regression's prediction.

    Returns
    -------
    str

    Examples
    --------
    >>> effect_sentence("age", "20", "60", "the prediction", [(None, 12.5, 10.1, 14.0)],
    ...     points=False, differs=False, unit="thousand dollars")
    'Between age 20 and 60 the prediction rises 12.5 thousand dollars (10.1 to 14).'
    >>> effect_sentence("age", "20", "60", "the chance", [("a", 0.1, 0.05, 0.15),
    ...     ("b", -0.02, -0.04, 0.0)], points=True, differs=True)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Between age 20 and 60 the chance rises 10 points for a (5 to 15) and falls 2 points for b
    (-4 to 0): the groups differ.'
    """
    parts = []
    for group, rise, lo, hi in rises:
        verb = "rises" if rise > 0 else "falls" if rise < 0 else "stays"
        amount = "" if rise == 0 else " " + _amount(rise, points, unit)
        whom = "" if group is None else f" for {group}"
        bounds = f" ({_bound(lo, points)} to {_bound(hi, points)})"
        parts.append((verb, f"{amount}{whom}{bounds}"))
    if not parts:
        return f"No effect of {feature} could be measured."
    verb = parts[0][0]
    if all(v == verb for v, _ in parts):
        body = verb + _joined([p for _, p in parts])
    else:  # some rise, some fall: each says which
        body = _joined([f" {v}{p}" for v, p in parts]).lstrip()
    text = f"Between {feature} {first} and {last} {subject} {body}"
    if len(rises) < 2:
        return text + "."
    if differs:
        return text + ": the groups differ."
    return text + ": the bounds cannot tell the groups apart."


def extrapolation_sentence(feature: str, values: Sequence[str], low: str, high: str) -> str:
    """Which grid values lie beyond the data, where the curve is the model extrapolating.

    Parameters
    ----------
    feature : str
        The feature's name.
    values : sequence of str
        The grid values beyond the data, as they read.
    low, high : str
        The data's smallest and largest values, as they read.

    Returns
    -------
    str
        "" without such values.

    Examples
    --------
    >>> extrapolation_sentence("age", ["10", "100"], "17", "90")
    'At age 10 and 100, beyond the data (17 to 90), the curve is the model extrapolating.'
    """
    if not values:
        return ""
    listed = _joined([f" {v}" for v in values]).lstrip()
    return (
        f"At {feature} {listed}, beyond the data ({low} to {high}), the curve is the model "
        "extrapolating."
    )


def _joined(parts: Sequence[str]) -> str:
    """Parts that each start with a space, as "a, b and c"."""
    if len(parts) == 1:
        return parts[0]
    return ",".join(parts[:-1]) + " and" + parts[-1]


#: Why the effect-difference check cannot run: no sensitive feature has two groups.
NO_TWO_GROUPS_REASON = "no sensitive feature has two groups to compare"


def effect_gap_sentence(reading: str, q: float, n_compared: int) -> str:
    """A feature whose effect differs between groups, with its q-value over every comparison.

    Parameters
    ----------
    reading : str
        The feature's effect per group (:func:`effect_sentence`).
    q : float
        The gap's q-value (Benjamini-Hochberg).
    n_compared : int
        The features and groupings compared.

    Returns
    -------
    str

    Examples
    --------
    >>> print(effect_gap_sentence("Between age 17 and 90 ...: the groups differ.", 1.16e-250,
    ...       24))  # doctest: +NORMALIZE_WHITESPACE
    Between age 17 and 90 ...: the groups differ. (q = 1.16e-250 over the 24 features and
    groupings compared.)
    """
    return f"{reading} (q = {q:.3g} over the {n_compared} features and groupings compared.)"


def no_effect_gap_sentence(reading: str) -> str:
    """No feature's effect differs measurably between groups; the largest gap, as it reads.

    Parameters
    ----------
    reading : str
        The effect per group of the feature with the largest gap (:func:`effect_sentence`).

    Returns
    -------
    str

    Examples
    --------
    >>> no_effect_gap_sentence("Between year 2003 and 2009 ...")  # doctest: +ELLIPSIS
    'No feature acts measurably differently ...; the largest gap: Between year 2003 and 2009 ...'
    """
    return (
        "No feature acts measurably differently for the groups of any sensitive feature; "
        f"the largest gap: {reading}"
    )
