"""The audit's headline in words: one sentence for the concerns of one check, with its number.

A check that found one concern is headed by that finding's own sentence. A check that found
several (the four-fifths rule failing for age, race and sex) is folded into one sentence that
names what they are about and gives the largest one's number; the findings stay listed under
it. Each sentence is written twice: for the analyst, and in plain words for presenter mode
(:func:`rai_widgets.readings.glossary.plain_or` shows the second there).

Examples
--------
>>> rows = [
...     {"check": "four_fifths", "feature": "age", "slice": {"age": "17–28"},
...      "estimate": 0.056, "lo": 0.045, "hi": 0.07, "metric": "selection_rate"},
...     {"check": "four_fifths", "feature": "sex", "slice": {"sex": "Female"},
...      "estimate": 0.32, "lo": 0.29, "hi": 0.35, "metric": "selection_rate"},
... ]
>>> print(folded_sentence(rows).technical)
The four-fifths rule fails for age and sex: at worst, age = 17–28 is selected 0.056 times as
often as the group it is compared with (95% bounds 0.045 to 0.07).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rai_widgets import formatting
from rai_widgets.formatting_metrics import metric_difference, metric_name
from rai_widgets.readings.units import amount

__all__ = ["HeadlineWords", "about", "folded_sentence", "listing", "plain_single"]


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


def _slice(row: Mapping[str, Any]) -> str:
    slice_ = row.get("slice")
    if isinstance(slice_, Mapping) and slice_:
        return formatting.slice_description(slice_)
    return "all rows"


def _compared(row: Mapping[str, Any]) -> str:
    """The group a finding is compared with ("age = 38–48"), or words saying there is one."""
    reference = row.get("reference")
    slice_ = row.get("slice")
    if not _present(reference) or not isinstance(slice_, Mapping) or not slice_:
        return "the group it is compared with"
    values = reference if isinstance(reference, tuple) else (reference,)
    if len(values) != len(slice_):
        return "the group it is compared with"
    return formatting.slice_description(dict(zip(slice_, values, strict=True)))


def _number(x: Any) -> str:
    return formatting.number(x, 2)


def folded_sentence(rows: Sequence[Mapping[str, Any]], *, unit: str | None = None) -> HeadlineWords:
    """One sentence for several concerns of one check, the largest (the first) giving its
    number.

    Parameters
    ----------
    rows : sequence of mapping
        Rows of ``Audit.frame()`` of one check, the largest first (``check``, ``feature``,
        ``grouping``, ``slice``, ``estimate``, ``lo``, ``hi``, ``metric``).
    unit : str, optional
        The regression target's unit (a gap in the target's units carries it).

    Returns
    -------
    HeadlineWords

    Examples
    --------
    >>> rows = [{"check": "disparity", "feature": "age", "slice": {"age": "38–48"},
    ...          "metric": "selection_rate", "estimate": 0.309},
    ...         {"check": "disparity", "feature": "sex", "slice": {"sex": "Female"},
    ...          "metric": "accuracy", "estimate": 0.097}]
    >>> print(folded_sentence(rows).technical)
    2 gaps between groups of age and sex are beyond chance; the largest: selection rate
    +30.9 pts for age = 38–48 against the group it is compared with.
    """
    top = rows[0]
    check = str(top.get("check"))
    k = len(rows)
    names = listing([formatting.label(name) for name in about(rows)]) or "the data"
    where = _slice(top)
    estimate, lo, hi = top.get("estimate"), top.get("lo"), top.get("hi")
    metric = top.get("metric")
    bounds = formatting.bounds(lo, hi, digits=2)
    with_bounds = f" (95% bounds {bounds})" if bounds != formatting.NOT_AVAILABLE else ""
    if check == "four_fifths":
        return HeadlineWords(
            f"The four-fifths rule fails for {names}: at worst, {where} is selected "
            f"{_number(estimate)} times as often as {_compared(top)}{with_bounds}.",
            f"Some groups of {names} get the favourable answer far less often than others: at "
            f"worst, {where} gets it {_number(estimate)} times as often as {_compared(top)} "
            "(the four-fifths rule asks for at least 0.8).",
        )
    if check == "disparity" and isinstance(metric, str):
        gap = metric_difference(metric, estimate, unit=unit)
        name = metric_name(metric)
        return HeadlineWords(
            f"{k} gaps between groups of {names} are beyond chance; the largest: "
            f"{name[:1].lower() + name[1:]} {gap} for {where} against {_compared(top)}.",
            f"The model works measurably differently for groups of {names} ({k} gaps); the "
            f"largest: {name[:1].lower() + name[1:]} {gap} for {where} against "
            f"{_compared(top)}.",
        )
    if check == "blind_spot":
        if metric == "mae":  # a regression: how far off, in the target's units
            gap = amount(abs(formatting.finite_number(estimate) or 0.0), unit, digits=3)
            return HeadlineWords(
                f"The model's errors are larger on {k} slices of the data; the worst: {where}, "
                f"off by {gap} more than on the rest of the rows.",
                f"The model is further off for {k} kinds of cases; the worst: {where}, off by "
                f"{gap} more than elsewhere.",
            )
        gap = formatting.points(estimate)
        return HeadlineWords(
            f"The model errs more often on {k} slices of the data; the worst: {where}, "
            f"{gap} above the rest of the rows.",
            f"The model makes more mistakes for {k} kinds of cases; the worst: {where}, "
            f"{gap} more mistakes than elsewhere.",
        )
    if check == "coverage":
        held = formatting.percent(estimate)
        return HeadlineWords(
            f"Prediction sets hold the truth less often than promised for {k} groups of "
            f"{names}; the lowest: {held} for {where}.",
            f"The model's stated range of likely answers misses more often than it promises for "
            f"{k} groups of {names}; at worst it holds the truth {held} of the time, for "
            f"{where}.",
        )
    if check == "amplification":
        return HeadlineWords(
            f"For {k} groups of {names} the gap in selection rates is measurably larger under "
            f"the model than in the actual outcomes: at worst it multiplies the labels' ratio "
            f"for {where} by {_number(estimate)}"
            + (f" (bounds {bounds}, widened for the groups compared)." if with_bounds else "."),
            f"For {k} groups of {names} the model's gap in who gets the favourable answer is "
            f"larger than the gap in the actual outcomes: at worst, for {where}, it multiplies "
            f"the ratio by {_number(estimate)}.",
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
    return HeadlineWords(
        f"{k} concerns from the {title} check, about {names}; the largest is listed first below.",
        f"{k} concerns from the {title} check, about {names}; the largest is listed first below.",
    )


def plain_single(row: Mapping[str, Any], *, unit: str | None = None) -> str | None:
    """One concern in plain words for presenter mode (None: its own sentence is kept).

    Parameters
    ----------
    row : mapping
        A row of ``Audit.frame()``.
    unit : str, optional
        The regression target's unit.

    Returns
    -------
    str or None

    Examples
    --------
    >>> plain_single({"check": "blind_spot", "slice": {"age": "38–48"}, "estimate": 0.095})
    'The model makes more mistakes for age = 38–48: +9.5 pts against the rest of the rows.'
    >>> plain_single({"check": "proxy", "estimate": 0.8}) is None
    True
    """
    check = str(row.get("check"))
    where = _slice(row)
    estimate = row.get("estimate")
    if not _present(estimate):
        return None
    metric = row.get("metric")
    feature = row.get("feature")
    texts = {
        "four_fifths": f"{where} gets the favourable answer {_number(estimate)} times as often "
        f"as {_compared(row)} (the four-fifths rule asks for at least 0.8).",
        "blind_spot": (
            f"The model is further off for {where}: off by "
            f"{amount(abs(formatting.finite_number(estimate) or 0.0), unit, digits=3)} more "
            "than elsewhere."
            if metric == "mae"
            else f"The model makes more mistakes for {where}: {formatting.points(estimate)} "
            "against the rest of the rows."
        ),
        "coverage": f"The model's range of likely answers holds the truth "
        f"{formatting.percent(estimate)} of the time for {where}, less often than it promises.",
        "amplification": f"For {where} the model's gap in who gets the favourable answer is "
        f"larger than in the actual outcomes: it multiplies the ratio by {_number(estimate)}.",
        "representation": f"{where} is under-represented in the training data: "
        f"{_number(estimate)} times its share of the rows the model is judged on.",
        "label_quality": f"The training labels of {where} look wrong more often than the model's "
        f"scores explain: {formatting.points(estimate)}.",
        "overlap": f"{formatting.percent(estimate)} of the rows the model is judged on were also "
        "used to train it: for them its numbers look better than they are.",
        "drift": f"{formatting.label(feature)} changed between the training data and the data "
        "the model is judged on"
        + ("" if where == "all rows" else f", for {where}")
        + f" ({formatting.percent(estimate)} of its distribution moved).",
    }
    if check == "disparity" and isinstance(metric, str):
        name = metric_name(metric)
        gap = metric_difference(metric, estimate, unit=unit)
        return (
            f"{name[:1].upper() + name[1:]} differs by {gap} for {where} against {_compared(row)}."
        )
    return texts.get(check)
