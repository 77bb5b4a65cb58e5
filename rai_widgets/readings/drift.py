"""A drift, in words: what moved (in the feature's own values and unit) and whether the model's
quality moved with it.

The audit's ``drift`` check writes each drifted feature as the drift
(:func:`~rai_widgets.readings.lifecycle.drift_sentence`, with :func:`move_detail` saying what
moved) followed by :func:`quality_sentence`: the model's accuracy (or mean absolute error) on
the group's evaluation rows against its training rows, beside the same change on the other
rows.

Examples
--------
>>> move_detail("year", "numeric", detail=2.0, change=float("nan"), before=2005.0, after=2007.0,
...             value_kind="year")
'its median goes from 2005 to 2007 (+2 years)'
>>> move_detail("age", "numeric", detail=3.0, change=float("nan"), before=35.0, after=38.0)
"its median goes from 35 to 38 (+3 in age's own units)"
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol

from rai_widgets import formatting
from rai_widgets.formatting_kinds import name_words
from rai_widgets.formatting_metrics import metric_difference, metric_value
from rai_widgets.readings.groups import bounds_words

__all__ = [
    "QUALITY_OUTCOMES",
    "also_differ",
    "large_shift_sentence",
    "move_detail",
    "no_quality_sentence",
    "quality_sentence",
    "unit_word",
]


class QualityChange(Protocol):
    """What these sentences read of the model's quality change where the data moved
    (:class:`rai_widgets.compute.drift_quality.QualityChange` has it)."""

    @property
    def metric(self) -> str: ...

    @property
    def train(self) -> float: ...

    @property
    def evaluation(self) -> float: ...

    @property
    def change(self) -> float: ...

    @property
    def rest_change(self) -> float: ...

    @property
    def rest_change_lo(self) -> float: ...

    @property
    def rest_change_hi(self) -> float: ...

    @property
    def excess(self) -> float: ...

    @property
    def excess_lo(self) -> float: ...

    @property
    def excess_hi(self) -> float: ...

    @property
    def confidence(self) -> float: ...

    @property
    def worse(self) -> bool: ...


#: Words of a column name that say its unit, and the unit a change reads in.
_UNIT_WORDS = {
    "hours": "hours",
    "hrs": "hours",
    "minutes": "minutes",
    "mins": "minutes",
    "seconds": "seconds",
    "secs": "seconds",
    "days": "days",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
    "dollars": "dollars",
    "usd": "dollars",
    "euros": "euros",
    "eur": "euros",
    "kg": "kg",
    "km": "km",
}

#: Other drifted features of a group named at most (the rest are counted).
MAX_NAMED = 5

#: How the model's quality moved where the data moved: the outcomes of
#: :func:`quality_sentence`.
QUALITY_OUTCOMES = ("changes", "small", "same", "cannot_tell")


def unit_word(feature: Hashable, value_kind: str | None = None) -> str | None:
    """The unit a feature's values are in, when its name (or kind) says it; None otherwise.

    Parameters
    ----------
    feature : column name
        The feature.
    value_kind : str, optional
        What the column holds (``formatting_kinds.column_kind``): a "year" column moves in
        years.

    Returns
    -------
    str or None

    Examples
    --------
    >>> unit_word("hours-per-week"), unit_word("year", "year"), unit_word("age")
    ('hours', 'years', None)
    """
    if value_kind == "year":
        return "years"
    for word in name_words(feature):
        if word in _UNIT_WORDS:
            return _UNIT_WORDS[word]
    return None


def _value(x: float, value_kind: str | None) -> str:
    return formatting.value(x, value_kind) if value_kind == "year" else formatting.number(x, 4)


def move_detail(
    feature: Hashable,
    kind: str,
    *,
    detail: object,
    change: float,
    before: float,
    after: float,
    value_kind: str | None = None,
) -> str:
    """What moved in a feature's distribution: its median in its own values and unit, or the
    share of the category that changed most.

    Parameters
    ----------
    feature : column name
        The feature (its name may say its unit: :func:`unit_word`).
    kind : {"numeric", "categorical"}
        The feature's kind.
    detail : object
        The median's change (numeric), or the category whose share changed most.
    change : float
        That category's change in share (NaN for a numeric feature).
    before, after : float
        The median (numeric) or the category's share (categorical) in the training rows and
        in the evaluation rows.
    value_kind : str, optional
        What the column holds ("year": written without separators, moving in years).

    Returns
    -------
    str

    Examples
    --------
    >>> move_detail("hours-per-week", "numeric", detail=0.0, change=float("nan"), before=40.0,
    ...             after=40.0)
    'its median stays at 40; its spread or shape changes'
    >>> move_detail("workclass", "categorical", detail="Private", change=-0.3, before=0.7,
    ...             after=0.4)
    'the share of Private goes from 70.0% to 40.0% (-30.0 pts)'
    """
    if kind == "numeric":
        moved = formatting.finite_number(detail)
        if moved is None or formatting.finite_number(before) is None:
            return "its spread or shape changes"
        if moved == 0:
            return f"its median stays at {_value(before, value_kind)}; its spread or shape changes"
        unit = unit_word(feature, value_kind)
        by = formatting.number(moved, 3, signed=True)
        by += f" {unit}" if unit else f" in {feature}'s own units"
        return (
            f"its median goes from {_value(before, value_kind)} to {_value(after, value_kind)} "
            f"({by})"
        )
    if formatting.is_missing(detail) or formatting.finite_number(change) is None:
        return "its categories' shares change"
    return (
        f"the share of {formatting.label(detail)} goes from {formatting.percent(before)} to "
        f"{formatting.percent(after)} ({formatting.points(change)})"
    )


def _numbers(found: QualityChange, level: str, unit: str | None, whole: bool) -> str:
    metric = found.metric
    these = "the" if whole else "these"
    if metric == "accuracy":
        text = (
            f"right for {metric_value(metric, found.evaluation)} of {these} evaluation rows "
            f"against {metric_value(metric, found.train)} of {these} training rows"
        )
    else:
        text = (
            f"off by {metric_value(metric, found.evaluation, unit=unit)} on {these} evaluation "
            f"rows against {metric_value(metric, found.train)} on {these} training rows"
        )
    change = metric_difference(metric, found.change)
    lo = metric_difference(metric, found.excess_lo)
    hi = metric_difference(metric, found.excess_hi, unit=unit)
    if whole:
        return f"{text} ({change}, {level} {lo} to {hi})"
    rest = metric_difference(metric, found.rest_change)
    excess = metric_difference(metric, found.excess)
    return f"{text} ({change}; {rest} on the other rows; difference {excess}, {level} {lo} to {hi})"


def quality_sentence(
    found: QualityChange,
    *,
    outcome: str,
    threshold: float,
    n_comparisons: int = 1,
    unit: str | None = None,
    whole: bool = False,
) -> str:
    """Whether the model's quality moved where the data moved, with the numbers.

    Parameters
    ----------
    found : QualityChange
        The model's quality on the group's training and evaluation rows
        (:func:`~rai_widgets.compute.drift_quality.quality_change`).
    outcome : {"changes", "small", "same", "cannot_tell"}
        What the bounds say: a change that matters, one beyond chance but under
        ``threshold``, none that matters, or the data cannot tell yet.
    threshold : float
        The change that matters (points of accuracy, or the target's units).
    n_comparisons : int, default 1
        Groups compared (the bounds were widened for them).
    unit : str, optional
        The regression target's unit.
    whole : bool, default False
        The drift is over all rows (there are no other rows to compare with).

    Returns
    -------
    str

    Examples
    --------
    >>> from rai_widgets.compute.drift_quality import QualityChange
    >>> found = QualityChange("accuracy", 0.63, 485, 0.62, 163, -0.01, -0.05, 0.03, -0.002,
    ...                       -0.01, 0.006, -0.008, -0.05, 0.035, 0.95)
    >>> print(quality_sentence(found, outcome="same", threshold=0.05))
    The model is as accurate there as in training: right for 62.0% of these evaluation rows
    against 63.0% of these training rows (-1.0 pts; -0.2 pts on the other rows; difference -0.8
    pts, 95% bounds -5.0 pts to +3.5 pts).
    """
    if outcome not in QUALITY_OUTCOMES:
        raise ValueError(f"outcome must be one of {QUALITY_OUTCOMES}; got {outcome!r}.")
    level = bounds_words(found.confidence, n_comparisons).replace("gaps", "groups")
    numbers = _numbers(found, level, unit, whole)
    accuracy = found.metric == "accuracy"
    name = "accuracy" if accuracy else "error"
    where = "over all rows" if whole else "there"
    beside = "" if whole else ", beyond the change on the other rows"
    if outcome in ("changes", "small"):
        if accuracy:
            verdict = "less accurate" if found.worse else "more accurate"
        else:
            verdict = "further off" if found.worse else "closer"
        text = f"The model is {verdict} {where} than in training{beside}: {numbers}."
        if whole and found.worse:  # no other rows tell the drift from the fit to its rows
            text += (
                " Part of that change may be the model's closer fit to the rows it was trained on."
            )
        if outcome == "small":
            matters = metric_difference(found.metric, threshold, unit=unit).lstrip("+")
            text += f" The change is beyond chance but under {matters}."
        return text
    if outcome == "cannot_tell":
        matters = metric_difference(found.metric, threshold, unit=unit).lstrip("+")
        return (
            f"The data cannot tell yet whether the model's {name} changes {where} (the bounds "
            f"neither rule out a change of {matters} or more nor show one): {numbers}."
        )
    rest_moved = not whole and (found.rest_change_lo > 0 or found.rest_change_hi < 0)
    if rest_moved:  # the model does better on every row it was fitted on
        return (
            f"The model's {name} changes there as it does on the other rows (every row it was "
            f"fitted on is easier for it): {numbers}."
        )
    if accuracy:
        return f"The model is as accurate {where} as in training: {numbers}."
    return f"The model is off by as much {where} as in training: {numbers}."


def also_differ(features: Sequence[tuple[Hashable, float]], *, whole: bool = False) -> str:
    """The other features that differ in the same group, with their shifts ("" for none).

    Parameters
    ----------
    features : sequence of (feature, shift)
        The largest shift first.
    whole : bool, default False
        Over all rows (else in a group).

    Returns
    -------
    str

    Examples
    --------
    >>> also_differ([("education", 0.31), ("fnlwgt", 0.25)])
    'Other features that differ there: education (31.0% moved) and fnlwgt (25.0%).'
    >>> print(also_differ([(f"x{i}", 0.1) for i in range(7)], whole=True))
    Other features that differ over all rows: x0 (10.0% moved), x1 (10.0%), x2 (10.0%), x3
    (10.0%), x4 (10.0%) and 2 more.
    """
    if not features:
        return ""
    shown = [
        f"{name} ({formatting.percent(shift)}{' moved' if i == 0 else ''})"
        for i, (name, shift) in enumerate(features[:MAX_NAMED])
    ]
    rest = len(features) - len(shown)
    where = "over all rows" if whole else "there"
    if rest:
        listed = ", ".join(shown) + f" and {rest} more"
    elif len(shown) == 1:
        listed = shown[0]
    else:
        listed = ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"Other features that differ {where}: {listed}."


def no_quality_sentence(why: str) -> str:
    """Why the model's quality where the data moved is not compared.

    Examples
    --------
    >>> no_quality_sentence("the training rows have no labels")
    "The model's quality there is not compared: the training rows have no labels."
    """
    return f"The model's quality there is not compared: {why}."


def large_shift_sentence(lower: float) -> str:
    """Why a large shift is a concern whatever the model's quality.

    Parameters
    ----------
    lower : float
        The lower bound of the shift (total variation distance).

    Returns
    -------
    str

    Examples
    --------
    >>> large_shift_sentence(0.41)[:60]
    'The shift is large (at least 41.0% of the distribution moved'
    """
    return (
        f"The shift is large (at least {formatting.percent(lower)} of the distribution moved): "
        "these evaluation rows no longer describe what the model was trained on there, so its "
        "numbers here may not hold for the people it was built for."
    )
