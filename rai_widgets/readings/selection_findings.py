"""The four-fifths check's sentences: the ratio of two groups' selection rates against the
rule's 0.8, the outcome it was read with, and why a feature was not checked.

The check (:mod:`rai_widgets.session.checks.selection`) computes the rates, the ratio and its
bounds; these templates say them.

Examples
--------
>>> print(four_fifths_sentence(">50K", rate=0.11, where="sex = Female", reference_rate=0.31,
...       reference=">50K", ratio=0.35, lo=0.31, hi=0.4).replace(">50K", "X"))
Predicted X for 11.0% of sex = Female against 31.0% of X: a ratio of 0.35 (95% bounds 0.31 to
0.4; the four-fifths rule asks for 0.8 or more).
"""

from __future__ import annotations

from collections.abc import Hashable

from rai_widgets import formatting

__all__ = [
    "favourable_assumed_sentence",
    "four_fifths_sentence",
    "not_binary_reason",
    "not_checked_sentence",
    "selects_no_one_reason",
    "too_few_groups_reason",
]


def not_binary_reason(task: str) -> str:
    """Why a check of selection rates cannot run on this task.

    Examples
    --------
    >>> not_binary_reason("regression")
    "selection rates are a binary task's; this is regression"
    """
    return f"selection rates are a binary task's; this is {task}"


def too_few_groups_reason(name: str, min_support: int, n_enough: int, n_groups: int) -> str:
    """Why the four-fifths rule could not be read for one sensitive feature: too few groups
    with enough rows.

    Parameters
    ----------
    name : str
        The sensitive feature.
    min_support : int
        The rows a group needs.
    n_enough, n_groups : int
        The groups that have them, and all groups.

    Returns
    -------
    str

    Examples
    --------
    >>> too_few_groups_reason("race", 30, 1, 5)
    'fewer than two groups of race have 30 rows or more to compare (1 of 5)'
    """
    return (
        f"fewer than two groups of {name} have {min_support} rows or more "
        f"to compare ({n_enough} of {n_groups})"
    )


def selects_no_one_reason(name: str) -> str:
    """Why no ratio of selection rates exists for one sensitive feature.

    Examples
    --------
    >>> selects_no_one_reason("sex")
    'the model selects no one in any group of sex, so no ratio exists'
    """
    return f"the model selects no one in any group of {name}, so no ratio exists"


def four_fifths_sentence(
    wanted: str,
    *,
    rate: float,
    where: str,
    reference_rate: float,
    reference: Hashable,
    ratio: float,
    lo: float,
    hi: float,
    unsettled: bool = False,
) -> str:
    """The ratio of a group's selection rate to the highest group's, against the rule's 0.8.

    Parameters
    ----------
    wanted : str
        The outcome counted as selected, as it reads.
    rate : float
        The group's selection rate.
    where : str
        The group, as it reads ("sex = Female").
    reference_rate : float
        The selection rate of the group selected most.
    reference : hashable
        That group's label.
    ratio, lo, hi : float
        The ratio of the two rates and its 95% bounds.
    unsettled : bool, default False
        The ratio is above the bar but its bounds reach well under it: say the data cannot
        tell yet whether it meets the rule.

    Returns
    -------
    str

    Examples
    --------
    >>> four_fifths_sentence("yes", rate=0.3, where="sex = F", reference_rate=0.32,
    ...                      reference="M", ratio=0.94, lo=0.7, hi=1.2, unsettled=True)[-59:]
    '0.8 or more; the data cannot tell yet whether it meets it).'
    """
    rule = (
        "the four-fifths rule asks for 0.8 or more; the data cannot tell yet whether it meets it)."
        if unsettled
        else "the four-fifths rule asks for 0.8 or more)."
    )
    return (
        f"Predicted {wanted} for "
        f"{formatting.percent(rate)} of {where}"
        f" against {formatting.percent(reference_rate)} of "
        f"{formatting.label(reference)}: a ratio of {formatting.number(ratio, 2)} "
        f"(95% bounds {formatting.number(lo, 2)} to {formatting.number(hi, 2)}; " + rule
    )


def favourable_assumed_sentence(wanted: str) -> str:
    """The note that the rule was read with ``wanted`` as the outcome people want.

    Examples
    --------
    >>> favourable_assumed_sentence("good")[:60]
    'Read with good as the outcome people want, as no favourable '
    """
    return (
        f"Read with {wanted} as the outcome people want, as no favourable outcome was named. "
        "If the other outcome is the one people want, name it (ModelSession(favorable=...)): "
        "the rule then compares how often each group gets it."
    )


def not_checked_sentence(name: str, why: str) -> str:
    """The note that one sensitive feature could not be checked, naming it and saying why.

    Examples
    --------
    >>> not_checked_sentence("sex", selects_no_one_reason("sex"))
    'Not checked for sex: the model selects no one in any group of sex, so no ratio exists.'
    """
    return f"Not checked for {name}: {why}."
