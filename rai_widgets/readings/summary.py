"""The dashboard's summary in words: one line of how often the model is right, and the group
it does measurably worse for (with what its outcome mix accounts for), or that none stands out.

The line compares the model with the trivial answer ("right for 87% of the 16,281 rows
(always answering <=50K: 76%)"). A group is named only when a test supports it (each group
against the rest of the rows; :func:`rai_widgets.readings.groups.strongest_gap`); when more of
its rows have the outcome the model gets wrong more often, the sentence says how much of the
gap that mix accounts for (:func:`rai_widgets.compute.outcome_mix.outcome_mix`), so that a gap
that comes from the outcomes does not read as the model treating the group worse. When no
group stands out against the rest but the audit finds a gap between two groups, the sentence
says both.

Examples
--------
>>> overall_line("adult-model", 16281, 0.873, 0.764, trivial_answer="<=50K")
'The model (adult-model) is right for 87% of the 16,281 rows (always answering <=50K: 76%).'
>>> print(quiet_sentence(["race", "age"], pairwise="the model is off by 27.2 for age = 52–76 "
...       "against 19.3 for age = 18–34"))  # doctest: +NORMALIZE_WHITESPACE
Against the rest of the rows no group of race or age stands out; compared pairwise, the model
is off by 27.2 for age = 52–76 against 19.3 for age = 18–34.
"""

from __future__ import annotations

from collections.abc import Sequence

from rai_widgets import formatting
from rai_widgets.readings.units import amount

__all__ = ["MOSTLY", "PARTLY", "mix_clause", "overall_line", "quiet_sentence", "worse_sentence"]

#: The share of a gap its outcome mix must account for to say "mostly because".
MOSTLY = 0.5
#: ... and to say "partly because" (below it, the mix is not mentioned).
PARTLY = 0.25


def overall_line(
    name: str | None,
    n: int,
    value: float,
    trivial: float,
    *,
    trivial_answer: str | None = None,
    unit: str | None = None,
) -> str:
    """How often the model is right (a classifier) or how far off it is (a regression), beside
    the trivial answer.

    Parameters
    ----------
    name : str or None
        The model's name (None: a name nobody gave it, such as its class's, is left out).
    n : int
        Rows.
    value : float
        Accuracy, or the mean absolute error.
    trivial : float
        The same for always giving the most common answer (always predicting the mean).
    trivial_answer : str, optional
        The most common answer, as it reads (a classifier; None: a regression).
    unit : str, optional
        The regression target's unit.

    Returns
    -------
    str

    Examples
    --------
    >>> print(overall_line(None, 900, 23.94, 31.02, unit="thousand dollars"))
    ... # doctest: +NORMALIZE_WHITESPACE
    The model is off by 23.9 thousand dollars on average over 900 rows (always predicting the
    average: 31 thousand dollars).
    """
    model = "The model" if name is None else f"The model ({name})"
    if trivial_answer is not None:
        return (
            f"{model} is right for {formatting.percent(value, 0)} of the "
            f"{formatting.count(n)} rows (always answering {trivial_answer}: "
            f"{formatting.percent(trivial, 0)})."
        )
    return (
        f"{model} is off by {amount(value, unit, digits=3)} on average over "
        f"{formatting.count(n)} rows (always predicting the average: "
        f"{amount(trivial, unit, digits=3)})."
    )


def mix_clause(
    fraction: float,
    harder: str,
    share: float,
    rest_share: float,
    harder_error: float,
    other_error: float,
    *,
    other: str | None = None,
) -> str:
    """What a group's outcome mix accounts for in its gap ("" when under :data:`PARTLY`).

    Parameters
    ----------
    fraction : float
        The share of the gap the outcome mix accounts for.
    harder : str
        The outcome more common in the group and wrong more often, as it reads (">50K").
    share, rest_share : float
        Its share of the group's rows and of the other rows.
    harder_error : float
        The error rate among all rows with that outcome.
    other_error : float
        The error rate among the rows with the other outcome (``other`` names it), or among
        all rows.
    other : str, optional
        A binary task's other outcome ("<=50K"); None: ``other_error`` is over all rows.

    Returns
    -------
    str
        A clause starting with ", mostly because" or ", partly because".

    Examples
    --------
    >>> print(mix_clause(0.65, ">50K", 0.30, 0.11, 0.354, 0.057, other="<=50K"))
    ... # doctest: +NORMALIZE_WHITESPACE
    , mostly because more of them are >50K (30% against 11%), which it gets wrong more often (35%
    against 6% for <=50K): that accounts for 65% of the gap
    >>> mix_clause(0.1, ">50K", 0.3, 0.11, 0.35, 0.06, other="<=50K")
    ''
    """
    if not fraction >= PARTLY:
        return ""
    how = "mostly" if fraction >= MOSTLY else "partly"
    against = (
        f"{formatting.percent(other_error, 0)} overall"
        if other is None
        else f"{formatting.percent(other_error, 0)} for {other}"
    )
    return (
        f", {how} because more of them are {harder} ({formatting.percent(share, 0)} against "
        f"{formatting.percent(rest_share, 0)}), which it gets wrong more often "
        f"({formatting.percent(harder_error, 0)} against {against}): that accounts for "
        f"{formatting.percent(min(fraction, 1.0), 0)} of the gap"
    )


def worse_sentence(
    group: str,
    value: float,
    rest: float,
    *,
    loss: str,
    unit: str | None = None,
    mix: str = "",
) -> str:
    """The group the model does measurably worse for, with both numbers (and its mix clause).

    Parameters
    ----------
    group : str
        The group as it reads ("sex = Male").
    value, rest : float
        Its error rate (or mean absolute error) and the other rows'.
    loss : {"error_rate", "abs_error"}
        What the test compared.
    unit : str, optional
        The regression target's unit.
    mix : str, default ""
        :func:`mix_clause`.

    Returns
    -------
    str

    Examples
    --------
    >>> worse_sentence("sex = Male", 0.159, 0.062, loss="error_rate")
    'It is wrong more often for sex = Male (16% against 6% of the other rows).'
    >>> print(worse_sentence("maritl = Married", 25.4, 20.1, loss="abs_error", unit="years"))
    ... # doctest: +NORMALIZE_WHITESPACE
    It is further off for maritl = Married (off by 25.4 years on average against 20.1 years for
    the other rows).
    """
    if loss == "error_rate":
        return (
            f"It is wrong more often for {group} ({formatting.percent(value, 0)} against "
            f"{formatting.percent(rest, 0)} of the other rows){mix}."
        )
    return (
        f"It is further off for {group} (off by {amount(value, unit, digits=3)} on average "
        f"against {amount(rest, unit, digits=3)} for the other rows){mix}."
    )


def quiet_sentence(features: Sequence[object], *, pairwise: str = "") -> str:
    """No group stands out against the rest; with ``pairwise``, the gap between two groups the
    audit finds all the same (a test of pairs, not of a group against the rest).

    Parameters
    ----------
    features : sequence
        The groupings tested.
    pairwise : str, default ""
        The largest gap between two groups, as a clause
        (:func:`rai_widgets.readings.pair_words.gap_clause`).

    Returns
    -------
    str

    Examples
    --------
    >>> quiet_sentence(["sex"])
    'No group of sex does measurably worse than the rest of the rows.'
    """
    names = [str(f) for f in features]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
    if not pairwise:
        return f"No group of {listed} does measurably worse than the rest of the rows."
    return (
        f"Against the rest of the rows no group of {listed} stands out; compared pairwise, "
        f"{pairwise}."
    )
