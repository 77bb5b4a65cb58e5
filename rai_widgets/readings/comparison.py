"""Two models on the same rows, in one sentence each: how they do, whether the difference is
one the data can show, and how many answers changed.

Examples
--------
>>> comparison_headline("v1", "v2", metric="selection_rate", value_a=0.801, value_b=0.845,
...                     positive=">50K")
'v2 predicts >50K for 84.5% of rows, v1 for 80.1%'
>>> difference_clause("accuracy", 0.02, -0.01, 0.05)
' (+2.0 pts, 95% bounds -1.0 pts to +5.0 pts): a difference the data cannot tell from chance.'
"""

from __future__ import annotations

from rai_widgets import formatting
from rai_widgets.formatting_metrics import metric_difference, metric_value
from rai_widgets.readings.metrics import judged
from rai_widgets.readings.units import amount

__all__ = [
    "changed_answers",
    "comparison_headline",
    "difference_clause",
    "disagreements_caption",
]


def comparison_headline(
    name_a: str,
    name_b: str,
    *,
    metric: str,
    value_a: float,
    value_b: float,
    positive: object = None,
    unit: str | None = None,
) -> str:
    """How each model does on ``metric``, the new one (``name_b``) first.

    Parameters
    ----------
    name_a, name_b : str
        The reference model and the other one.
    metric : {"accuracy", "selection_rate", "mae"}
        The metric compared.
    value_a, value_b : float
        Each model's value.
    positive : object, optional
        The positive class, named for ``"selection_rate"`` ("predicts >50K for ...").
    unit : str, optional
        The regression target's unit (for ``"mae"``).

    Returns
    -------
    str

    Examples
    --------
    >>> comparison_headline("v1", "v2", metric="mae", value_a=20.41, value_b=19.7,
    ...                     unit="thousand dollars")
    'v2 is off by 19.7 thousand dollars on average, v1 by 20.4 thousand dollars'
    """
    if metric == "mae":
        return (
            f"{name_b} is off by {amount(value_b, unit, digits=3)} on average, {name_a} by "
            f"{amount(value_a, unit, digits=3)}"
        )
    shown_a = metric_value(metric, value_a)
    shown_b = metric_value(metric, value_b)
    if metric == "selection_rate":
        what = "the positive class" if positive is None else formatting.label(positive)
        return f"{name_b} predicts {what} for {shown_b} of rows, {name_a} for {shown_a}"
    return f"{name_b} is right for {shown_b} of rows, {name_a} for {shown_a}"


def difference_clause(
    metric: str, difference: float, lo: float, hi: float, *, name: str | None = None
) -> str:
    """The paired difference with its bounds, and what it means.

    Parameters
    ----------
    metric : str
        The metric compared.
    difference, lo, hi : float
        The new model minus the reference, with 95% bounds.
    name : str, optional
        The new model's name: the verdict says which model is better or worse.

    Returns
    -------
    str
        Says "a difference the data cannot tell from chance" when the bounds hold zero;
        otherwise "better" or "worse" for metrics with a better side, and nothing more for a
        rate of choices.

    Examples
    --------
    >>> difference_clause("mae", -1.2, -2.0, -0.4)
    ' (-1.20, 95% bounds -2.00 to -0.40): better.'
    >>> difference_clause("accuracy", -0.021, -0.03, -0.012, name="v2")
    ' (-2.1 pts, 95% bounds -3.0 pts to -1.2 pts): v2 is worse.'
    """
    shown = (
        f"{metric_difference(metric, difference)}, 95% bounds "
        f"{metric_difference(metric, lo)} to {metric_difference(metric, hi)}"
    )
    if lo <= 0 <= hi:
        return f" ({shown}): a difference the data cannot tell from chance."
    verdict = judged(metric, difference)
    if verdict and name:
        verdict = f"{name} is {verdict}"
    return f" ({shown}): {verdict}." if verdict else f" ({shown})."


def changed_answers(
    name_a: str, name_b: str, *, changed: int, n: int, fixed: int | None, broken: int | None
) -> str:
    """How many answers differ, and (with true labels) errors fixed and new ones made.

    Parameters
    ----------
    name_a, name_b : str
        The reference model and the other one.
    changed, n : int
        Rows whose answers differ, of all rows.
    fixed, broken : int or None
        The reference's errors the other fixes, and its new errors (None without labels or
        for regression).

    Returns
    -------
    str

    Examples
    --------
    >>> changed_answers("v1", "v2", changed=0, n=500, fixed=0, broken=0)
    'Their answers are the same on all 500 rows.'
    >>> changed_answers("v1", "v2", changed=12, n=500, fixed=8, broken=4)
    "Their answers differ on 12 of 500 rows: v2 fixes 8 of v1's errors and makes 4 new ones."
    """
    if changed == 0:
        return f"Their answers are the same on all {formatting.count(n)} rows."
    text = f"Their answers differ on {formatting.count(changed)} of {formatting.count(n)} rows"
    if fixed is not None and broken is not None:
        text += (
            f": {name_b} fixes {formatting.count(fixed)} of {name_a}'s errors and makes "
            f"{formatting.count(broken)} new ones"
        )
    return text + "."


#: How the rows of the disagreement table are chosen and sorted, by the order's name.
_ORDERS = {
    "confidence": (
        "where they disagree most confidently",
        "where they disagree",
        "sorted by the two models' average confidence in their own answers, highest first",
    ),
    "distance": (
        "where their predictions are furthest apart",
        "where their predictions differ",
        "sorted by how far apart the two predictions are, furthest first",
    ),
    "data": ("where they disagree", "where they disagree", "in the data's order"),
}


def disagreements_caption(
    name_a: str, name_b: str, *, shown: int, total: int, order: str, labelled: bool
) -> str:
    """What the table of the rows where two models disagree lists, how it is sorted, and what
    its "fixed" and "broken" columns mean.

    Parameters
    ----------
    name_a, name_b : str
        The reference model (A) and the other one (B).
    shown, total : int
        Rows listed, of all the rows where the two answer differently.
    order : {"confidence", "distance", "data"}
        How the rows are chosen and sorted: by the two models' average confidence (the table's
        "average confidence" column), by how far apart two regressions' predictions are (its
        "how far apart" column), or in the data's order (no confidences).
    labelled : bool
        Whether the table has the "fixed" and "broken" columns (classification with y).

    Returns
    -------
    str

    Examples
    --------
    >>> disagreements_caption("v1", "v2", shown=15, total=932, order="confidence",
    ...                       labelled=True)  # doctest: +NORMALIZE_WHITESPACE
    "The 15 of 932 rows where they disagree most confidently, sorted by the two models'
    average confidence in their own answers, highest first. fixed = v2 right where v1 was
    wrong; broken = v2 wrong where v1 was right."
    >>> disagreements_caption("v1", "v2", shown=3, total=3, order="distance",
    ...                       labelled=False)  # doctest: +NORMALIZE_WHITESPACE
    'All 3 rows where their predictions differ, sorted by how far apart the two predictions
    are, furthest first.'
    >>> disagreements_caption("v1", "v2", shown=15, total=40, order="data", labelled=False)
    "The first 15 of 40 rows where they disagree, in the data's order."
    """
    chosen, every, sort = _ORDERS[order]
    if shown >= total:
        which = "The one row" if total == 1 else f"All {formatting.count(total)} rows"
        text = f"{which} {every}"
        if total > 1:
            text += f", {sort}"
    else:
        first = "first " if order == "data" else ""
        text = (
            f"The {first}{formatting.count(shown)} of {formatting.count(total)} rows {chosen}, "
            f"{sort}"
        )
    text += "."
    if labelled:
        text += (
            f" fixed = {name_b} right where {name_a} was wrong; broken = {name_b} wrong where "
            f"{name_a} was right."
        )
    return text
