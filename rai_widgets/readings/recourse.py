"""Recourse readings: what would have to be different for the model to answer otherwise.

Templates take words and numbers, never a session:

* :func:`counterfactual_sentence`: "If hours-per-week were 50 instead of 40 and occupation
  were Exec-managerial instead of Sales, the model would say >50K (62%)."
* :func:`no_counterfactual_sentence`: why no change was found, never an exception.
* :func:`recourse_gap_sentence`: how much more one group must change than another, said as a
  difference only when its bounds support it.

Examples
--------
>>> counterfactual_sentence([("age", "40", "45")], "say >50K", score="62%")
'If age were 45 instead of 40, the model would say >50K (62%).'
"""

from __future__ import annotations

from collections.abc import Sequence

from rai_widgets import formatting

__all__ = [
    "counterfactual_sentence",
    "no_counterfactual_sentence",
    "recourse_gap_sentence",
]


def _listed(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def counterfactual_sentence(
    changes: Sequence[tuple[str, str, str]], answer: str, *, score: str | None = None
) -> str:
    """One counterfactual as a sentence.

    Parameters
    ----------
    changes : sequence of (feature, before, after)
        The changed features with their values as they read.
    answer : str
        What the model would do, as a verb phrase ("say >50K", "predict 120 thousand
        dollars").
    score : str, optional
        The model's score for that answer ("62%"), in brackets after it.

    Returns
    -------
    str

    Examples
    --------
    >>> counterfactual_sentence(
    ...     [("hours-per-week", "40", "50"), ("occupation", "Sales", "Exec-managerial")],
    ...     "say >50K", score="62%")  # doctest: +NORMALIZE_WHITESPACE
    'If hours-per-week were 50 instead of 40 and occupation were Exec-managerial instead of
    Sales, the model would say >50K (62%).'
    """
    edits = [f"{feature} were {after} instead of {before}" for feature, before, after in changes]
    tail = f" ({score})" if score else ""
    return f"If {_listed(edits)}, the model would {answer}{tail}."


def no_counterfactual_sentence(answer: str, reason: str) -> str:
    """Why no counterfactual was found for a case.

    Parameters
    ----------
    answer : str
        The answer asked for, as a verb phrase ("say >50K").
    reason : str
        Why none was found, as the search says it.

    Returns
    -------
    str

    Examples
    --------
    >>> no_counterfactual_sentence("say >50K", "every feature is immutable")
    'No change was found that makes the model say >50K: every feature is immutable.'
    """
    return f"No change was found that makes the model {answer}: {reason}."


def recourse_gap_sentence(
    group: str,
    *,
    refused: str,
    wanted: str,
    mine: tuple[float, float, float, float, int],
    rest: tuple[float, float, float, float, int],
    verdict: str,
    matters: float = 0.05,
) -> str:
    """How large a change the refused people of a group need, against the other refused
    people, said as a difference only when the test supports it.

    Parameters
    ----------
    group : str
        The group, as it reads ("sex = Female").
    refused, wanted : str
        The answer they got and the one they need, as they read ("<=50K", ">50K").
    mine, rest : (features, distance, distance_lo, distance_hi, n)
        The group's and the other refused people's mean number of features changed, mean
        distance with its 95% bounds, and people searched.
    verdict : {"larger", "no larger", "cannot tell"}
        "larger" when the gap is supported (bounds and false discovery rate); "no larger"
        when its bounds rule out a gap of ``matters``; "cannot tell" otherwise.
    matters : float, default 0.05
        The gap in distance that matters.

    Returns
    -------
    str

    Examples
    --------
    >>> recourse_gap_sentence("sex = Female", refused="<=50K", wanted=">50K",
    ...     mine=(2.1, 0.12, 0.10, 0.14, 40), rest=(1.4, 0.07, 0.06, 0.08, 120),
    ...     verdict="larger")  # doctest: +NORMALIZE_WHITESPACE
    'People of sex = Female predicted <=50K need a larger change to be predicted >50K: 2.1
    features on average, a distance of 0.12 (95% bounds 0.10 to 0.14; 40 people), against 1.4
    features and 0.07 for the other people predicted <=50K (0.06 to 0.08; 120 people).'
    """
    lead = {
        "larger": "need a larger change",
        "no larger": "need no larger a change",
        "cannot tell": "may need a larger change",
    }[verdict]
    text = (
        f"People of {group} predicted {refused} {lead} to be predicted {wanted}: "
        f"{mine[0]:.1f} features on average, a distance of {mine[1]:.2f} (95% bounds "
        f"{mine[2]:.2f} to {mine[3]:.2f}; {formatting.count(mine[4])} people), against "
        f"{rest[0]:.1f} features and {rest[1]:.2f} for the other people predicted {refused} "
        f"({rest[2]:.2f} to {rest[3]:.2f}; {formatting.count(rest[4])} people)"
    )
    if verdict == "larger":
        return text + "."
    if verdict == "no larger":
        return text + f": the bounds rule out a gap of {matters:.2f} or more."
    return text + (
        f": the data cannot tell yet (its bounds neither rule out a gap of {matters:.2f} or "
        "more nor show one)."
    )
