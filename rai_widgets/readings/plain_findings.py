"""Each audit finding in plain words, for presenter mode: no statistic named, no code.

A finding's sentence is for the analyst (its bounds, their coverage, the test). Presenter mode
shows the same news for a stakeholder: who is served worse, with the two numbers that show it,
and what to ask. The numbers come from the finding's data (``estimate``, ``slice``,
``reference`` and ``details``), never from its sentence; a finding without the numbers a
reading needs keeps a shorter reading, or its own sentence (None).

Examples
--------
>>> plain_single({"check": "blind_spot", "slice": {"age": "38–48"}, "estimate": 0.095,
...               "details": {"value": 0.205, "rest": 0.11}})
'The model is wrong for 20.5% of age = 38–48 against 11.0% of the other rows.'
>>> plain_single({"check": "test_cases", "estimate": float("nan")}) is None
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rai_widgets import formatting
from rai_widgets.readings.pair_words import (
    amplification_clause,
    capitalized,
    gap_clause,
    ratio_text,
)
from rai_widgets.readings.units import amount

__all__ = ["compared_with", "details_of", "plain_single", "where_of"]


def details_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """A finding's ``details`` (``{}`` when it has none).

    Examples
    --------
    >>> details_of({"details": {"value": 0.2}}), details_of({"details": float("nan")})
    ({'value': 0.2}, {})
    """
    details = row.get("details")
    return dict(details) if isinstance(details, Mapping) else {}


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def where_of(row: Mapping[str, Any]) -> str:
    """The group a finding is about, as it reads ("age = 17–28"), or "all rows".

    Examples
    --------
    >>> where_of({"slice": {"age": "17–28"}}), where_of({"slice": None})
    ('age = 17–28', 'all rows')
    """
    slice_ = row.get("slice")
    if isinstance(slice_, Mapping) and slice_:
        return formatting.slice_description(slice_)
    return "all rows"


def compared_with(row: Mapping[str, Any]) -> str:
    """The group a finding is compared with ("age = 38–48"), or words saying there is one.

    Examples
    --------
    >>> compared_with({"slice": {"age": "17–28"}, "reference": "38–48"})
    'age = 38–48'
    >>> compared_with({"slice": {"sex": "F", "race": "B"}, "reference": ["M", "W"]})
    'sex = M & race = W'
    >>> compared_with({"slice": {"age": "17–28"}, "reference": None})
    'the group it is compared with'
    """
    reference = row.get("reference")
    slice_ = row.get("slice")
    if not _present(reference) or not isinstance(slice_, Mapping) or not slice_:
        return "the group it is compared with"
    # an intersection's reference is a tuple (a list once read back from a card's JSON)
    values = tuple(reference) if isinstance(reference, (tuple, list)) else (reference,)
    if len(values) != len(slice_):
        return "the group it is compared with"
    return formatting.slice_description(dict(zip(slice_, values, strict=True)))


def _number(x: Any) -> float | None:
    return formatting.finite_number(x)


def _baseline(row: Mapping[str, Any], d: dict, unit: str | None) -> str | None:
    value, trivial = _number(d.get("value")), _number(d.get("trivial"))
    if value is None or trivial is None:
        return None
    beats = row.get("severity") != "concern"
    if "trivial_answer" in d:
        said = (
            f"The model is right for {formatting.percent(value, 0)} of rows; always answering "
            f"{d['trivial_answer']} would be right for {formatting.percent(trivial, 0)}"
        )
    else:
        said = (
            f"The model is off by {amount(value, unit, digits=3)} on average; always "
            f"predicting the average would be off by {amount(trivial, unit, digits=3)}"
        )
    if beats:
        return said + "."
    return said + ": the data cannot show that the model does better than that."


def _blind_spot(row: Mapping[str, Any], d: dict, unit: str | None) -> str | None:
    value, rest = _number(d.get("value")), _number(d.get("rest"))
    where = where_of(row)
    if value is None or rest is None:
        estimate = _number(row.get("estimate"))
        if estimate is None:
            return None
        if row.get("metric") == "mae":
            return (
                f"The model is further off for {where}: off by "
                f"{amount(abs(estimate), unit, digits=3)} more than elsewhere."
            )
        return (
            f"The model makes more mistakes for {where}: {formatting.points(estimate)} against "
            "the rest of the rows."
        )
    if row.get("metric") == "mae":
        return (
            f"The model is off by {amount(value, unit, digits=3)} on average for {where} against "
            f"{amount(rest, unit, digits=3)} for the other rows."
        )
    return (
        f"The model is wrong for {formatting.percent(value)} of {where} against "
        f"{formatting.percent(rest)} of the other rows."
    )


def _disparity(row: Mapping[str, Any], d: dict, unit: str | None) -> str | None:
    metric = row.get("metric")
    value, reference_value = _number(d.get("value")), _number(d.get("reference_value"))
    if not isinstance(metric, str) or value is None or reference_value is None:
        return None
    return (
        capitalized(
            gap_clause(
                metric,
                where_of(row),
                value,
                compared_with(row),
                reference_value,
                unit=unit,
                positive=d.get("positive"),
                negative=d.get("negative"),
            )
        )
        + "."
    )


def _four_fifths(row: Mapping[str, Any], d: dict) -> str | None:
    ratio = _number(row.get("estimate"))
    if ratio is None:
        return None
    wanted = d.get("wanted", "the favourable answer")
    if _number(d.get("amplification")) is not None:
        return (
            amplification_clause(
                where_of(row),
                compared_with(row),
                wanted=wanted,
                label_ratio=d["label_ratio"],
                model_ratio=ratio,
                amplification=d["amplification"],
            )
            + " (the four-fifths rule asks for at least 0.8 times as often)."
        )
    rate, reference_rate = _number(d.get("rate")), _number(d.get("reference_rate"))
    rates = (
        ""
        if rate is None or reference_rate is None
        else f" ({formatting.percent(rate)} against {formatting.percent(reference_rate)})"
    )
    return (
        f"The model answers {wanted} for {where_of(row)} {ratio_text(ratio)} times as often as "
        f"for {compared_with(row)}{rates}; the four-fifths rule asks for at least 0.8."
    )


def _amplification(row: Mapping[str, Any], d: dict) -> str | None:
    needed = ("label_ratio", "model_ratio", "amplification")
    if any(_number(d.get(k)) is None for k in needed):
        return None
    return (
        amplification_clause(
            where_of(row),
            compared_with(row),
            wanted=d.get("wanted", "the favourable answer"),
            label_ratio=d["label_ratio"],
            model_ratio=d["model_ratio"],
            amplification=d["amplification"],
        )
        + "."
    )


def _calibration(row: Mapping[str, Any], d: dict) -> str | None:
    confidence, accuracy = _number(d.get("confidence")), _number(d.get("accuracy"))
    if confidence is None or accuracy is None:
        return None
    where = where_of(row)
    who = "over all rows" if where == "all rows" else f"for {where}"
    said = (
        f"it gives its answers a {formatting.percent(confidence, 0)} chance on average and is "
        f"right {formatting.percent(accuracy, 0)} of the time"
    )
    if row.get("severity") == "ok":
        return f"The model's confidence matches how often it is right {who}: {said}."
    if row.get("severity") == "unclear":
        return (
            f"The data cannot tell yet whether the model's confidence matches how often it is "
            f"right {who}: {said}."
        )
    how = "more" if confidence > accuracy else "less"
    return f"{capitalized(who)} the model is {how} sure than it is right: {said}."


def _coverage(row: Mapping[str, Any], d: dict) -> str | None:
    held, promised = _number(row.get("estimate")), _number(d.get("promised"))
    if held is None:
        return None
    what = "range of likely values" if d.get("intervals") else "set of likely answers"
    promise = (
        "less often than it promises"
        if promised is None
        else f"though it promises {formatting.percent(promised, 0)}"
    )
    return (
        f"For {where_of(row)}, the model's {what} holds the true answer "
        f"{formatting.percent(held)} of the time, {promise}."
    )


def _proxy(row: Mapping[str, Any], d: dict) -> str | None:
    score = _number(row.get("estimate"))
    feature, target = row.get("feature"), row.get("grouping")
    if score is None or not _present(feature) or not _present(target):
        return None
    how = (
        "can stand in for"
        if row.get("severity") == "concern"
        else "partly stands in for"
        if row.get("severity") == "note"
        else "may stand in for"
    )
    if d.get("score") == "r2":
        return (
            f"The feature {formatting.label(feature)} {how} {target}: on its own it accounts for "
            f"{formatting.percent(score, 0)} of how {target} varies, so the model can use it "
            f"even without seeing {target}."
        )
    chance = _number(d.get("chance"))
    blind = "" if chance is None else f" (a blind guess: {formatting.percent(chance, 0)})"
    return (
        f"The feature {formatting.label(feature)} {how} {target}: from it alone, {target} is "
        f"guessed right {formatting.percent(score, 0)} of the time, averaged over the groups of "
        f"{target}{blind}, so the model can use it even without seeing {target}."
    )


def _leakage(row: Mapping[str, Any], d: dict) -> str | None:
    estimate, feature = _number(row.get("estimate")), row.get("feature")
    if estimate is None or not _present(feature):
        return None
    name = formatting.label(feature)
    ask = f"check that {name} is known before the decision is made"
    if d.get("kind") == "importance":
        work = _number(d.get("work"))
        alone = "" if work is None else f" and alone does {formatting.percent(work, 0)} of its work"
        return (
            f"{name} carries {formatting.percent(estimate, 0)} of the weight of the model's "
            f"answers{alone}: {ask}."
        )
    model = _number(d.get("model"))
    if model is None:
        return None
    if d.get("score") == "r2":
        return (
            f"{name} alone accounts for {formatting.percent(estimate, 0)} of how the outcome "
            f"varies, nearly as much as the model ({formatting.percent(model, 0)}): {ask}."
        )
    return (
        f"{name} alone gets {formatting.percent(estimate, 0)} of the answers right, nearly "
        f"as many as the model ({formatting.percent(model, 0)}): {ask}."
    )


def _recourse(row: Mapping[str, Any], d: dict) -> str | None:
    mine, rest = _number(d.get("features")), _number(d.get("rest_features"))
    refused, wanted = d.get("refused"), d.get("wanted")
    if mine is None or rest is None or not refused or not wanted:
        return None
    return (
        f"People of {where_of(row)} predicted {refused} would have to change more to be "
        f"predicted {wanted} than the other people predicted {refused}: "
        f"{formatting.number(mine, 2)} of their features on average against "
        f"{formatting.number(rest, 2)}."
    )


def _explanation_trust(row: Mapping[str, Any], d: dict) -> str | None:
    share, n = _number(row.get("estimate")), _number(row.get("n"))
    if share is None or n is None:
        return None
    cases = f"{formatting.percent(share, 0)} of the {formatting.count(n)} cases sampled"
    if d.get("kind") == "disagree":
        return (
            f"The two ways of explaining an answer disagree on which way its strongest reason "
            f"pushes for {cases}: read the explanations with care."
        )
    return (
        f"The simple explanation of an answer is shaky for {cases}: read the explanations "
        "with care."
    )


def _lifecycle(row: Mapping[str, Any], unit: str | None) -> str | None:
    """The checks of where a problem comes from (the training data), as they read."""
    check, where = str(row.get("check")), where_of(row)
    estimate, feature = row.get("estimate"), row.get("feature")
    texts = {
        "representation": f"{where} is under-represented in the training data: "
        f"{formatting.number(estimate, 2)} times its share of the rows the model is judged on.",
        "label_quality": f"The training labels of {where} look wrong more often than the "
        f"model's scores explain: {formatting.points(estimate)}.",
        "overlap": f"{formatting.percent(estimate)} of the rows the model is judged on were "
        "also used to train it: for them its numbers look better than they are.",
        "drift": f"{formatting.label(feature)} changed between the training data and the data "
        "the model is judged on"
        + ("" if where == "all rows" else f", for {where}")
        + f" ({formatting.percent(estimate)} of its distribution moved).",
    }
    return texts.get(check)


def plain_single(row: Mapping[str, Any], *, unit: str | None = None) -> str | None:
    """One finding in plain words for presenter mode (None: its own sentence is kept).

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
    >>> plain_single({"check": "disparity", "metric": "tpr", "slice": {"age": "38–48"},
    ...     "reference": "17–28", "estimate": 0.359,
    ...     "details": {"value": 0.71, "reference_value": 0.351, "positive": ">50K"}})
    ... # doctest: +NORMALIZE_WHITESPACE
    'Of the rows that really are >50K, the model finds 71.0% of age = 38–48 but only 35.1% of
    age = 17–28.'
    """
    check = str(row.get("check"))
    d = details_of(row)
    if check in ("representation", "label_quality", "overlap", "drift"):
        return _lifecycle(row, unit) if _present(row.get("estimate")) else None
    readers = {
        "baseline": lambda: _baseline(row, d, unit),
        "blind_spot": lambda: _blind_spot(row, d, unit),
        "disparity": lambda: _disparity(row, d, unit),
        "four_fifths": lambda: _four_fifths(row, d),
        "amplification": lambda: _amplification(row, d),
        "calibration": lambda: _calibration(row, d),
        "coverage": lambda: _coverage(row, d),
        "proxy": lambda: _proxy(row, d),
        "leakage": lambda: _leakage(row, d),
        "recourse": lambda: _recourse(row, d),
        "explanation_trust": lambda: _explanation_trust(row, d),
    }
    reader = readers.get(check)
    return None if reader is None else reader()
