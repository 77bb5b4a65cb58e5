"""Uncertainty readings: intervals and prediction sets said as what they are, coverage against
its promise said only as far as its bounds allow.

Templates take numbers, never a session:

* :func:`interval_sentence`: "for cases like this one" only when the interval's width depends on
  the case; a constant width is read as the model's typical miss, the same for every case.
* :func:`case_score_sentence`: a case's own score as frequencies ("of 100 cases like this one"),
  never "about 100 of 100" (:func:`score_words`: "more than 99").
* :func:`set_sentence`: "its 90% answer set holds only A" or "it could be A or B", its promise
  said as an average over many cases (never this case's chance), or for an empty set why no
  class reaches the promised level.
* :func:`set_size_sentence`: why an average set size is below 1 (some sets are empty).
* :func:`coverage_sentence`: "below the promise" only when the upper bound is below it,
  "cannot tell" when the bounds include it.

Regression numbers carry the target's unit (as :func:`~rai_widgets.readings.units.amount`
writes it) and share one number of decimals, enough for three significant digits on the
largest of them (:func:`shared_decimals`), so no sentence mixes "64.3" and "160.94".

Examples
--------
>>> interval_sentence(100.0, 64.3, 160.94, 0.9, adaptive=True, unit="thousand dollars")
... # doctest: +NORMALIZE_WHITESPACE
"The model's best guess is 100 thousand dollars. For cases like this one, the truth landed
between 64 and 161 thousand dollars in 90 of 100 cases used to calibrate the intervals."
>>> coverage_sentence("Other", 0.76, 0.6, 0.88, 0.9, n=45)
'Covered 76% (95% bounds 60% to 88%) of Other (n=45) against a promised 90%: below the promise.'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rai_widgets import formatting

__all__ = [
    "case_score_sentence",
    "coverage_sentence",
    "coverage_verdict",
    "interval_sentence",
    "score_words",
    "set_sentence",
    "set_size_sentence",
    "shared_decimals",
    "with_unit",
]

DIGITS = 3  # significant digits of every regression number in a reading


def shared_decimals(values: Sequence[float], digits: int = DIGITS) -> int:
    """Decimals that give the largest finite value ``digits`` significant digits, shared by
    every number of one reading.

    Parameters
    ----------
    values : sequence of float
        The numbers of the reading (non-finite ones are ignored).
    digits : int, default 3
        Significant digits of the largest.

    Returns
    -------
    int

    Examples
    --------
    >>> shared_decimals([46.0, 74.12, 60.05]), shared_decimals([0.0123, 0.5]), shared_decimals([])
    (1, 3, 0)
    """
    finite = np.abs(np.asarray(values, dtype=float))
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if not len(finite):
        return 0
    return max(0, digits - 1 - int(np.floor(np.log10(finite.max()))))


def with_unit(value: float, unit: str | None, decimals: int) -> str:
    """``value`` with ``decimals`` decimals and its unit, as ``readings.amount`` writes it.

    Parameters
    ----------
    value : float
        The number.
    unit : str or None
        The target's unit (None: the number alone).
    decimals : int
        Fixed decimals (from :func:`shared_decimals`).

    Returns
    -------
    str

    Examples
    --------
    >>> with_unit(46, "thousand dollars", 1), with_unit(2.5, None, 2)
    ('46.0 thousand dollars', '2.50')
    """
    text = formatting.number(value, decimals=decimals)
    return text if unit is None or formatting.is_missing(value) else f"{text} {unit}"


def _out_of_100(level: float) -> str:
    return f"{formatting.number(level * 100, 3)} of 100"


def interval_sentence(
    prediction: float,
    lower: float,
    upper: float,
    level: float,
    *,
    adaptive: bool,
    unit: str | None = None,
) -> str:
    """One regression case's prediction and interval, read as the method made it.

    Parameters
    ----------
    prediction, lower, upper : float
        The model's prediction and the conformal interval.
    level : float
        The promised coverage.
    adaptive : bool
        Whether the interval's width depends on the case (``ConformalResult.adaptive``):
        only then does the sentence say "for cases like this one".
    unit : str, optional
        The target's unit (``ModelSession.target_unit``).

    Returns
    -------
    str

    Examples
    --------
    >>> interval_sentence(10.0, 7.5, 12.5, 0.9, adaptive=False)  # doctest: +NORMALIZE_WHITESPACE
    "The model's best guess is 10.0. Its interval is the same width for every case (the
    model's typical miss, 2.5 either way): the truth landed that close to the guess in 90 of
    100 cases used to calibrate it, so here between 7.5 and 12.5."
    """
    d = shared_decimals([prediction, lower, upper])
    guess = f"The model's best guess is {with_unit(prediction, unit, d)}."
    promise = formatting.percent(level, 0)
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return (
            f"{guess} Too few held-out cases to promise {promise}: the interval is unbounded, "
            "so it says nothing yet. Calibrate on more rows."
        )
    low, high = with_unit(lower, None, d), with_unit(upper, unit, d)
    if adaptive:
        return (
            f"{guess} For cases like this one, the truth landed between {low} and {high} in "
            f"{_out_of_100(level)} cases used to calibrate the intervals."
        )
    half = with_unit((upper - lower) / 2, unit, d)
    return (
        f"{guess} Its interval is the same width for every case (the model's typical miss, "
        f"{half} either way): the truth landed that close to the guess in {_out_of_100(level)} "
        f"cases used to calibrate it, so here between {low} and {high}."
    )


def score_words(p: float) -> tuple[str, str]:
    """A score as a count of 100 and as a percentage that agree, never "100 of 100" or "0%".

    A score that rounds to 100 reads "more than 99" and "over 99%"; one that rounds to 0
    reads "fewer than 1" and "under 1%": a score is never a certainty.

    Parameters
    ----------
    p : float
        A score in [0, 1].

    Returns
    -------
    count, percentage : str

    Examples
    --------
    >>> score_words(0.65), score_words(0.9996), score_words(0.003)
    (('about 65', '65%'), ('more than 99', 'over 99%'), ('fewer than 1', 'under 1%'))
    """
    share = float(p) * 100
    if share >= 99.5:
        return "more than 99", "over 99%"
    if share < 0.5:
        return "fewer than 1", "under 1%"
    n = min(99, max(1, round(share)))
    return f"about {n}", f"{n}%"


def _right_when_this_sure(checked: tuple[int, int]) -> str:
    right, n = checked
    if n <= 0:
        return ""
    if right == n:
        how = f"right for all {formatting.count(n)}"
    else:
        share = formatting.percent(right / n, 1)
        share = "over 99.9%" if share == "100.0%" else share
        how = f"right for {formatting.count(right)} of them ({share})"
    rows = "row" if n == 1 else "rows"
    return f" It scored {formatting.count(n)} of the data's {rows} over 99% and was {how}."


def case_score_sentence(label: str, p: float, *, checked: tuple[int, int] | None = None) -> str:
    """A case's own score said as frequencies: "Of 100 cases the model scores like this one,
    about 65 would be A".

    Parameters
    ----------
    label : str
        The model's likeliest class, as it reads in a sentence.
    p : float
        The model's score for it, this case's own.
    checked : (int, int), optional
        ``(right, n)``: of the ``n`` rows of the data the model scored over 99% (its
        likeliest class), how many it got right. Said only when this case's score reads
        "over 99%", so that a score that sounds certain is set against what came true.

    Returns
    -------
    str
        The count and percentage agree (:func:`score_words`): never "about 100 of 100".

    Examples
    --------
    >>> case_score_sentence("<=50K", 0.65)  # doctest: +NORMALIZE_WHITESPACE
    "Of 100 cases the model scores like this one, about 65 would be <=50K
    (65% by the model's score)."
    >>> case_score_sentence("<=50K", 0.9993, checked=(5390, 5412))
    ... # doctest: +NORMALIZE_WHITESPACE
    "Of 100 cases the model scores like this one, more than 99 would be <=50K (over 99% by
    the model's score). It scored 5,412 of the data's rows over 99% and was right for 5,390
    of them (99.6%)."
    """
    many, share = score_words(p)
    sentence = (
        f"Of 100 cases the model scores like this one, {many} would be {label} "
        f"({share} by the model's score)."
    )
    if share == "over 99%" and checked is not None:
        sentence += _right_when_this_sure(checked)
    return sentence


def _members_text(members: Sequence[str]) -> str:
    if len(members) == 1:
        return members[0]
    return f"{', '.join(members[:-1])} or {members[-1]}"


def _own_chance(set_p: float, level: float) -> str:
    """``set_p`` as a percentage that never reads as the promise it is below."""
    if set_p < 0.005:
        return "under 1%"
    for decimals in range(4):
        shown = f"{set_p * 100:.{decimals}f}"
        if float(shown) < level * 100:
            return f"{shown}%"
    return f"{shown}%"


def set_sentence(
    members: Sequence[str],
    level: float,
    *,
    best: str,
    best_p: float,
    cutoff: float,
    set_p: float | None = None,
    n_classes: int | None = None,
) -> str:
    """A classification case's conformal set, its promise said as what it is (an average over
    many cases, not this case's chance), or why the set is empty.

    A set of one class says so plainly ("Its 90% answer set holds only A"), a set of several
    reads "It could be A, B or C", a set of every class says the model cannot rule any out.

    Parameters
    ----------
    members : sequence of str
        The classes in the set, as they read in a sentence.
    level : float
        The promised coverage.
    best : str
        The model's best guess (its likeliest class).
    best_p : float
        The model's score for it.
    cutoff : float
        The lowest score a class needs to be in the set (``1 - threshold``): in ``level`` of
        the held-out cases the true class scored at least this.
    set_p : float, optional
        The model's scores of the set's classes added up: this case's own chance that the set
        holds the truth, by the model's score. When it is below ``level`` the sentence says
        that the promise is not this case's chance.
    n_classes : int, optional
        How many classes the model knows: a set holding them all is said as such.

    Returns
    -------
    str

    Examples
    --------
    >>> set_sentence(["red", "white"], 0.9, best="red", best_p=0.6, cutoff=0.3, set_p=0.95)
    ... # doctest: +NORMALIZE_WHITESPACE
    'It could be red or white (its 90% answer set). Sets made this way held the true class in
    90 of 100 cases used to calibrate them: a promise over many cases, not for each one.'
    >>> set_sentence(["red"], 0.9, best="red", best_p=0.65, cutoff=0.3, set_p=0.65)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Its 90% answer set holds only red. Sets made this way held the true class in 90 of 100
    cases used to calibrate them: a promise over many cases, not for each one. For this case
    alone the model gives red 65%, less than that 90%.'
    >>> set_sentence([], 0.9, best="red", best_p=0.31, cutoff=0.45)  # doctest: +ELLIPSIS
    'No class reaches the 90% level for this case: the model gives its best guess, red, ...'
    """
    promise = formatting.percent(level, 0)
    if members:
        if len(members) == 1:
            holds = f"Its {promise} answer set holds only {members[0]}."
        elif n_classes is not None and len(members) >= n_classes > 2:
            holds = (
                f"It could be any of the {formatting.count(n_classes)} classes: its {promise} "
                "answer set holds them all, so at that level the model cannot rule any out."
            )
        else:
            holds = f"It could be {_members_text(members)} (its {promise} answer set)."
        sentence = (
            f"{holds} Sets made this way held the true class in {_out_of_100(level)} cases used "
            "to calibrate them: a promise over many cases, not for each one."
        )
        if set_p is not None and set_p < level:
            what = members[0] if len(members) == 1 else f"these {len(members)} together"
            sentence += (
                f" For this case alone the model gives {what} {_own_chance(set_p, level)}, "
                f"less than that {promise}."
            )
        return sentence
    return (
        f"No class reaches the {promise} level for this case: the model gives its best guess, "
        f"{best}, only {formatting.chance(best_p)}, lower than the "
        f"{formatting.chance(cutoff)} or more it gave the true class in {promise} of the cases "
        "used to calibrate the sets. The model cannot answer this case at that level: treat its "
        "guess as a guess."
    )


def set_size_sentence(mean_size: float, n_empty: int, n: int) -> str:
    """Why the average set size is what it is; "" when no set is empty.

    Parameters
    ----------
    mean_size : float
        The average number of classes per set.
    n_empty : int
        How many of the ``n`` cases not used to calibrate got an empty set.
    n : int
        Held-out cases.

    Returns
    -------
    str

    Examples
    --------
    >>> set_size_sentence(0.76, 7, 45)  # doctest: +NORMALIZE_WHITESPACE
    'Average set size 0.76, below 1 because 7 of 45 cases not used to calibrate got an empty
    set: no class reached the promised level for them.'
    >>> set_size_sentence(1.2, 0, 45)
    ''
    """
    if n_empty <= 0:
        return ""
    why = "below 1 because" if mean_size < 1 else "although"
    return (
        f"Average set size {formatting.number(mean_size, 2)}, {why} "
        f"{formatting.count(n_empty)} of {formatting.count(n)} cases not used to calibrate got "
        "an empty set: no class reached the promised level for them."
    )


def coverage_verdict(lo: float, hi: float, level: float) -> str:
    """ "below", "above" or "cannot tell": where coverage with bounds ``[lo, hi]`` stands
    against the promised ``level``.

    Examples
    --------
    >>> coverage_verdict(0.6, 0.88, 0.9), coverage_verdict(0.85, 0.93, 0.9)
    ('below', 'cannot tell')
    """
    if hi < level:
        return "below"
    if lo > level:
        return "above"
    return "cannot tell"


def coverage_sentence(
    group: object,
    coverage: float,
    lo: float,
    hi: float,
    level: float,
    *,
    n: int,
    plain: bool = False,
) -> str:
    """A group's coverage against the promise, with its 95% bounds (its likely range, in
    presenter mode's words).

    Parameters
    ----------
    group : object
        The group, as it reads.
    coverage, lo, hi : float
        Measured coverage on held-out rows and its 95% (Wilson) bounds.
    level : float
        The promised coverage.
    n : int
        Held-out rows of the group.
    plain : bool, default False
        The sentence for presenter mode (no "coverage", no "bounds").

    Returns
    -------
    str
        Ends in "below the promise" only when ``hi < level``; "cannot tell it from the
        promise" when the bounds include it; "above the promise" when ``lo > level``.

    Examples
    --------
    >>> coverage_sentence("Male", 0.89, 0.86, 0.92, 0.9, n=600)  # doctest: +NORMALIZE_WHITESPACE
    'Covered 89% (95% bounds 86% to 92%) of Male (n=600) against a promised 90%: cannot tell
    it from the promise.'
    >>> coverage_sentence("Male", 0.89, 0.86, 0.92, 0.9, n=600, plain=True)
    ... # doctest: +NORMALIZE_WHITESPACE
    'Its answers held the truth for 89% of Male (600 cases; likely range 86% to 92%) against a
    promised 90%: as promised, as far as these cases can show.'
    """
    verdict_key = coverage_verdict(lo, hi, level)
    if plain:
        says = {
            "below": "less often than promised.",
            "above": "more often than promised (its answers are wider than they need to be).",
            "cannot tell": "as promised, as far as these cases can show.",
        }[verdict_key]
        return (
            f"Its answers held the truth for {formatting.percent(coverage, 0)} of "
            f"{formatting.label(group)} "
            f"({formatting.count(n)} cases; likely range {formatting.percent(lo, 0)} to "
            f"{formatting.percent(hi, 0)}) against a promised {formatting.percent(level, 0)}: "
            f"{says}"
        )
    verdict = {
        "below": "below the promise.",
        "above": "above the promise (its sets or intervals are wider than it needs).",
        "cannot tell": "cannot tell it from the promise.",
    }[verdict_key]
    return (
        f"Covered {formatting.percent(coverage, 0)} (95% bounds {formatting.percent(lo, 0)} to "
        f"{formatting.percent(hi, 0)}) of {formatting.label(group)} (n={formatting.count(n)}) "
        f"against a promised {formatting.percent(level, 0)}: {verdict}"
    )
