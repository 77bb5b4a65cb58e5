"""The audit's headline in words: one sentence for the concerns of one check, with its number.

A check that found one concern is headed by that finding's own sentence. A check that found
several (the four-fifths rule failing for age, race and sex) is folded into one sentence that
names what they are about and gives the largest one's numbers; the findings stay listed under
it. Each sentence is written twice: for the analyst, and in plain words for presenter mode
(:func:`rai_widgets.readings.glossary.plain_or` shows the second there). The four-fifths rule
and the actual outcomes' gap for the same two groups are one fact, read in one sentence
(:func:`selection_sentence`).

Examples
--------
>>> rows = [
...     {"check": "four_fifths", "feature": "age", "slice": {"age": "17–28"},
...      "reference": "38–48", "estimate": 0.056, "lo": 0.045, "hi": 0.07,
...      "metric": "selection_rate"},
...     {"check": "four_fifths", "feature": "sex", "slice": {"sex": "Female"},
...      "estimate": 0.32, "lo": 0.29, "hi": 0.35, "metric": "selection_rate"},
... ]
>>> print(folded_sentence(rows).technical)
The four-fifths rule fails for age and sex: at worst, age = 17–28 is selected 0.056 times as
often as age = 38–48 (95% bounds 0.045 to 0.07).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rai_widgets import formatting
from rai_widgets.formatting_metrics import metric_difference, metric_name, metric_value
from rai_widgets.readings.groups import bounds_words
from rai_widgets.readings.pair_words import amplification_clause, gap_clause, ratio_text
from rai_widgets.readings.plain_findings import compared_with, details_of, plain_single, where_of
from rai_widgets.readings.units import amount

__all__ = [
    "HeadlineWords",
    "about",
    "blind_spot_count",
    "folded_sentence",
    "listing",
    "plain_single",
    "selection_sentence",
]


@dataclass(frozen=True)
class HeadlineWords:
    """One headline sentence, for the analyst and in plain words.

    Attributes
    ----------
    technical : str
        The sentence as text, its statistics named.
    plain : str
        The same news in plain words (presenter mode).
    """

    technical: str
    plain: str


def listing(items: Sequence[str]) -> str:
    """Items joined as a reader lists them: "a", "a and b", "a, b and c".

    Examples
    --------
    >>> listing(["age"]), listing(["age", "sex"]), listing(["age", "race", "sex"])
    ('age', 'age and sex', 'age, race and sex')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def about(rows: Sequence[Mapping[str, Any]]) -> list[Hashable]:
    """What a check's findings are about, in order: each one's feature, else the sensitive
    feature it concerns, else the columns of its slice.

    Examples
    --------
    >>> about([{"feature": "age"}, {"feature": None, "slice": {"sex": "F", "race": "B"}},
    ...        {"feature": "age"}])
    ['age', 'sex', 'race']
    """
    seen: list[Hashable] = []
    for row in rows:
        feature = row.get("feature")
        grouping = row.get("grouping")
        slice_ = row.get("slice")
        if _present(feature):
            names: list[Hashable] = [feature]
        elif _present(grouping):
            names = [grouping]
        elif isinstance(slice_, Mapping):
            names = list(slice_)
        else:
            names = []
        seen += [name for name in names if name not in seen]
    return seen


def _number(x: Any) -> str:
    return formatting.number(x, 2)


def _names(rows: Sequence[Mapping[str, Any]]) -> str:
    return listing([formatting.label(name) for name in about(rows)]) or "the data"


def _level_words(row: Mapping[str, Any], default: float = 0.95) -> str:
    """ "95% bounds", or the widened level the finding's bounds have, with the correction."""
    d = details_of(row)
    level = formatting.finite_number(d.get("level"))
    compared = d.get("compared")
    n = int(compared) if isinstance(compared, (int, float)) and compared == compared else 1
    return bounds_words(default if level is None else level, n)


def _with_bounds(row: Mapping[str, Any], default: float = 0.95) -> str:
    """ " (95% bounds 0.045 to 0.07)", or "" when the finding has no bounds."""
    bounds = formatting.bounds(row.get("lo"), row.get("hi"), digits=2)
    if bounds == formatting.NOT_AVAILABLE:
        return ""
    return f" ({_level_words(row, default)} {bounds})"


def blind_spot_count(
    found: int, distinct: int, listed_at_most: int | None = None, *, plain: bool = False
) -> str:
    """How many blind spots there are, as the fairness view counts them: the slices found
    (they overlap) and the distinct ones among them.

    Parameters
    ----------
    found : int
        Slices significantly worse than the rest.
    distinct : int
        The strongest of them that do not repeat each other (at most ``listed_at_most``).
    listed_at_most : int, optional
        How many distinct ones are listed at most.
    plain : bool, default False
        In plain words (presenter mode).

    Returns
    -------
    str

    Examples
    --------
    >>> blind_spot_count(8, 2, 6)
    '2 distinct blind spots (8 overlapping slices found)'
    >>> blind_spot_count(414, 6, 6)
    '414 slices (the 6 strongest that do not repeat each other are listed)'
    >>> blind_spot_count(3, 3, 6, plain=True)
    '3 kinds of cases'
    """
    if found <= distinct:
        return f"{distinct} {'kind' if plain else 'slice'}{'s' if distinct != 1 else ''}" + (
            " of cases" if plain else ""
        )
    if listed_at_most is not None and distinct >= listed_at_most:
        if plain:
            return (
                f"{formatting.count(found)} overlapping groups of rows (the "
                f"{distinct} most distinct are listed)"
            )
        return (
            f"{formatting.count(found)} slices (the {distinct} strongest that do not repeat each "
            "other are listed)"
        )
    if plain:
        return (
            f"{distinct} distinct kind{'s' if distinct != 1 else ''} of cases "
            f"({formatting.count(found)} overlapping groups of rows found)"
        )
    return (
        f"{distinct} distinct blind spot{'s' if distinct != 1 else ''} "
        f"({formatting.count(found)} overlapping slices found)"
    )


def _blind_spot(rows: Sequence[Mapping[str, Any]], unit: str | None) -> HeadlineWords:
    top = rows[0]
    d = details_of(top)
    found, distinct = d.get("found", len(rows)), d.get("distinct", len(rows))
    most = d.get("listed_at_most")
    technical_count = blind_spot_count(int(found), int(distinct), most)
    plain_count = blind_spot_count(int(found), int(distinct), most, plain=True)
    where = where_of(top)
    value, rest = formatting.finite_number(d.get("value")), formatting.finite_number(d.get("rest"))
    estimate = formatting.finite_number(top.get("estimate")) or 0.0
    if top.get("metric") == "mae":  # a regression: how far off, in the target's units
        if value is None or rest is None:
            worst = f"off by {amount(abs(estimate), unit, digits=3)} more than elsewhere"
        else:
            worst = (
                f"off by {amount(value, unit, digits=3)} on average against "
                f"{amount(rest, unit, digits=3)} elsewhere"
            )
        return HeadlineWords(
            f"The model's errors are larger on {technical_count}; the worst: {where}, {worst}"
            f" ({'+' if estimate >= 0 else ''}{amount(estimate, unit, digits=3)}).",
            f"The model is further off for {plain_count}; the worst: {where}, {worst}.",
        )
    if value is None or rest is None:
        worst = f"{formatting.points(estimate)} above the rest of the rows"
    else:
        worst = (
            f"wrong for {formatting.percent(value)} against {formatting.percent(rest)} of the "
            "other rows"
        )
    return HeadlineWords(
        f"The model errs more often on {technical_count}; the worst: {where}, {worst} "
        f"({formatting.points(estimate)}).",
        f"The model makes more mistakes for {plain_count}; the worst: {where}, {worst}.",
    )


def selection_sentence(
    four_fifths: Sequence[Mapping[str, Any]], amplification: Sequence[Mapping[str, Any]]
) -> HeadlineWords:
    """The four-fifths rule and the actual outcomes' gap for the same two groups, in one
    sentence: the model's ratio of selection rates, the labels' ratio, and what the model does
    to it (its bounds at their own, widened, level).

    Parameters
    ----------
    four_fifths, amplification : sequence of mapping
        Rows of ``Audit.frame()`` of the two checks, the largest first; the first row of each
        is about the same two groups.

    Returns
    -------
    HeadlineWords

    Examples
    --------
    >>> four = [{"check": "four_fifths", "feature": "age", "slice": {"age": "17–28"},
    ...          "reference": "38–48", "estimate": 0.056, "lo": 0.045, "hi": 0.07,
    ...          "details": {"wanted": ">50K", "level": 0.95}}]
    >>> amp = [{"check": "amplification", "feature": "age", "slice": {"age": "17–28"},
    ...         "reference": "38–48", "estimate": 0.53, "lo": 0.41, "hi": 0.65,
    ...         "details": {"label_ratio": 0.106, "model_ratio": 0.056, "amplification": 0.53,
    ...                     "level": 1 - 0.05 / 3, "compared": 3, "wanted": ">50K"}}]
    >>> words = selection_sentence(four, amp)
    >>> print(words.plain)  # doctest: +NORMALIZE_WHITESPACE
    Some groups of age get >50K far less often than others: at worst, in the actual outcomes,
    age = 17–28 gets >50K 0.11 times as often as age = 38–48; in the model's predictions 0.056
    times as often: the model roughly halves their share (the four-fifths rule asks for at
    least 0.8 times as often).
    """
    top, amp = four_fifths[0], amplification[0]
    d = details_of(amp)
    wanted = d.get("wanted") or details_of(top).get("wanted") or "the favourable answer"
    names = _names([*four_fifths, *amplification])
    where, reference = where_of(top), compared_with(top)
    clause = amplification_clause(
        where,
        reference,
        wanted=wanted,
        label_ratio=d.get("label_ratio", math.nan),
        model_ratio=d.get("model_ratio", top.get("estimate", math.nan)),
        amplification=d.get("amplification", amp.get("estimate", math.nan)),
    )
    bounds = formatting.bounds(amp.get("lo"), amp.get("hi"), digits=2)
    return HeadlineWords(
        f"The four-fifths rule fails for {names}: at worst, {where} is selected "
        f"{ratio_text(top.get('estimate'))} times as often as {reference}"
        f"{_with_bounds(top)}; in the actual outcomes the ratio is "
        f"{ratio_text(d.get('label_ratio'))}, so the model multiplies it by "
        f"{ratio_text(amp.get('estimate'))} ({_level_words(amp)} {bounds}).",
        f"Some groups of {names} get {wanted} far less often than others: at worst, "
        f"{clause[:1].lower() + clause[1:]} (the four-fifths rule asks for at least 0.8 times "
        "as often).",
    )


def _four_fifths(rows: Sequence[Mapping[str, Any]]) -> HeadlineWords:
    top = rows[0]
    d = details_of(top)
    where, reference = where_of(top), compared_with(top)
    wanted = d.get("wanted") or "the favourable answer"
    rate, reference_rate = d.get("rate"), d.get("reference_rate")
    rates = (
        ""
        if formatting.finite_number(rate) is None
        or formatting.finite_number(reference_rate) is None
        else f" ({formatting.percent(rate)} against {formatting.percent(reference_rate)})"
    )
    names = _names(rows)
    return HeadlineWords(
        f"The four-fifths rule fails for {names}: at worst, {where} is selected "
        f"{ratio_text(top.get('estimate'))} times as often as {reference}{_with_bounds(top)}.",
        f"Some groups of {names} get {wanted} far less often than others: at worst, the model "
        f"answers {wanted} for {where} {ratio_text(top.get('estimate'))} times as often as for "
        f"{reference}{rates}; the four-fifths rule asks for at least 0.8.",
    )


def _amplification(rows: Sequence[Mapping[str, Any]]) -> HeadlineWords:
    top = rows[0]
    d = details_of(top)
    names, where, reference = _names(rows), where_of(top), compared_with(top)
    bounds = formatting.bounds(top.get("lo"), top.get("hi"), digits=2)
    clause = amplification_clause(
        where,
        reference,
        wanted=d.get("wanted") or "the favourable answer",
        label_ratio=d.get("label_ratio", math.nan),
        model_ratio=d.get("model_ratio", math.nan),
        amplification=d.get("amplification", top.get("estimate", math.nan)),
    )
    return HeadlineWords(
        f"For {len(rows)} groups of {names} the gap in selection rates is measurably larger "
        f"under the model than in the actual outcomes: at worst, for {where} against "
        f"{reference}, the model's ratio of selection rates ({ratio_text(d.get('model_ratio'))})"
        f" is {ratio_text(top.get('estimate'))} times the actual outcomes' "
        f"({ratio_text(d.get('label_ratio'))}; {_level_words(top)} {bounds}).",
        f"For {len(rows)} groups of {names} the model widens the gap the actual outcomes "
        f"already have: at worst, {clause[:1].lower() + clause[1:]}.",
    )


def _disparity(rows: Sequence[Mapping[str, Any]], unit: str | None) -> HeadlineWords:
    top = rows[0]
    d = details_of(top)
    metric = str(top.get("metric"))
    name = metric_name(metric)
    where, reference = where_of(top), compared_with(top)
    names = _names(rows)
    value = formatting.finite_number(d.get("value"))
    reference_value = formatting.finite_number(d.get("reference_value"))
    gap = metric_difference(metric, top.get("estimate"), unit=unit)
    lower = name[:1].lower() + name[1:]
    if value is None or reference_value is None:  # a shared file left out its numbers
        return HeadlineWords(
            f"{len(rows)} gaps between groups of {names} are beyond chance; the largest: "
            f"{lower} {gap} for {where} against {reference}.",
            f"The model treats groups of {names} measurably differently ({len(rows)} gaps); "
            f"the largest is between {where} and {reference}.",
        )
    clause = gap_clause(
        metric,
        where,
        value,
        reference,
        reference_value,
        unit=unit,
        positive=d.get("positive"),
        negative=d.get("negative"),
    )
    return HeadlineWords(
        f"{len(rows)} gaps between groups of {names} are beyond chance; the largest: {lower} "
        f"{metric_value(metric, value, unit=unit)} for {where} against "
        f"{metric_value(metric, reference_value, unit=unit)} for {reference} ({gap}).",
        f"The model treats groups of {names} measurably differently ({len(rows)} gaps); the "
        f"largest: {clause}.",
    )


def folded_sentence(rows: Sequence[Mapping[str, Any]], *, unit: str | None = None) -> HeadlineWords:
    """One sentence for several concerns of one check, the largest (the first) giving its
    numbers.

    Parameters
    ----------
    rows : sequence of mapping
        Rows of ``Audit.frame()`` of one check, the largest first (``check``, ``feature``,
        ``grouping``, ``slice``, ``reference``, ``estimate``, ``lo``, ``hi``, ``metric``,
        ``details``).
    unit : str, optional
        The regression target's unit (a gap in the target's units carries it).

    Returns
    -------
    HeadlineWords

    Examples
    --------
    >>> rows = [{"check": "disparity", "feature": "age", "slice": {"age": "38–48"},
    ...          "reference": "17–28", "metric": "selection_rate", "estimate": 0.309,
    ...          "details": {"value": 0.328, "reference_value": 0.018, "positive": ">50K"}},
    ...         {"check": "disparity", "feature": "sex", "slice": {"sex": "Female"},
    ...          "metric": "accuracy", "estimate": 0.097}]
    >>> words = folded_sentence(rows)
    >>> print(words.technical)  # doctest: +NORMALIZE_WHITESPACE
    2 gaps between groups of age and sex are beyond chance; the largest: selection rate 32.8%
    for age = 38–48 against 1.8% for age = 17–28 (+30.9 pts).
    >>> print(words.plain)  # doctest: +NORMALIZE_WHITESPACE
    The model treats groups of age and sex measurably differently (2 gaps); the largest: the
    model answers >50K for 32.8% of age = 38–48 but only 1.8% of age = 17–28.
    """
    top = rows[0]
    check = str(top.get("check"))
    k = len(rows)
    names = _names(rows)
    where = where_of(top)
    if check == "four_fifths":
        return _four_fifths(rows)
    if check == "amplification":
        return _amplification(rows)
    if check == "disparity" and isinstance(top.get("metric"), str):
        return _disparity(rows, unit)
    if check == "blind_spot":
        return _blind_spot(rows, unit)
    estimate = top.get("estimate")
    if check == "coverage":
        held = formatting.percent(estimate)
        promised = formatting.finite_number(details_of(top).get("promised"))
        promise = "" if promised is None else f" ({formatting.percent(promised, 0)})"
        return HeadlineWords(
            f"Prediction sets hold the truth less often than promised{promise} for {k} groups "
            f"of {names}; the lowest: {held} for {where}.",
            f"The model's set of likely answers holds the true answer less often than it "
            f"promises{promise} for {k} groups of {names}; at worst {held} of the time, for "
            f"{where}.",
        )
    if check == "recourse":
        return HeadlineWords(
            f"In {k} groups of {names} the people the model refuses need a larger change to "
            f"get the other answer than the other refused people; the largest gap: {where}, "
            f"{_number(estimate)} more in Gower distance.",
            f"In {k} groups of {names} the people the model turns down would have to change "
            f"more about themselves to be accepted than others turned down; the largest gap: "
            f"{where}.",
        )
    title = check.replace("_", " ")
    technical = (
        f"{k} concerns from the {title} check, about {names}; the largest is listed first below."
    )
    return HeadlineWords(technical, plain_single(top, unit=unit) or technical)
