"""What an edit of a case does to the model's answer ("what if"), said as it is.

A change the reader cannot see at the precision shown is not a change: the sentence says the
answer *stays at* its value instead of "gives 90% instead of 90%".

Examples
--------
>>> what_if_probability("age = 40", subject="class >50K", before=0.62, after=0.71,
...                     verdict="its prediction stays >50K")
'With age = 40, the model gives class >50K 71% instead of 62%, and its prediction stays >50K.'
>>> what_if_amount("age = 40", before=64.31, after=64.33, unit="thousand dollars")
'With age = 40, the model still predicts 64.3 thousand dollars: the change does not move it.'
"""

from __future__ import annotations

from rai_widgets import formatting
from rai_widgets.readings.units import amount

__all__ = ["what_if_amount", "what_if_probability"]


def what_if_probability(
    edits: str, *, subject: str, before: float, after: float, verdict: str
) -> str:
    """The sentence of a classifier's what-if.

    Parameters
    ----------
    edits : str
        The edits made ("age = 40, hours = 60").
    subject : str
        What the probability is of ("class >50K").
    before, after : float
        The probability before and after the edit.
    verdict : str
        What happened to the predicted class ("its prediction stays >50K").

    Returns
    -------
    str
        "... gives <subject> A instead of B" when the shown values differ, else "... still
        gives <subject> A".

    Examples
    --------
    >>> what_if_probability("age = 40", subject="class_1", before=0.9, after=0.9001,
    ...                     verdict="its prediction stays class_1")
    'With age = 40, the model still gives class_1 90%, and its prediction stays class_1.'
    """
    shown_before, shown_after = formatting.chance(before), formatting.chance(after)
    if shown_before == shown_after:
        return f"With {edits}, the model still gives {subject} {shown_after}, and {verdict}."
    return (
        f"With {edits}, the model gives {subject} {shown_after} instead of {shown_before}, "
        f"and {verdict}."
    )


def what_if_amount(edits: str, *, before: float, after: float, unit: str | None = None) -> str:
    """The sentence of a regression model's what-if.

    Parameters
    ----------
    edits : str
        The edits made.
    before, after : float
        The prediction before and after the edit.
    unit : str, optional
        The target's unit.

    Returns
    -------
    str

    Examples
    --------
    >>> what_if_amount("year = 2009", before=100.0, after=112.5)
    'With year = 2009, the model predicts 112 instead of 100.'
    """
    shown_before = amount(before, unit, digits=3)
    shown_after = amount(after, unit, digits=3)
    if shown_before == shown_after:
        return f"With {edits}, the model still predicts {shown_after}: the change does not move it."
    return f"With {edits}, the model predicts {shown_after} instead of {shown_before}."
