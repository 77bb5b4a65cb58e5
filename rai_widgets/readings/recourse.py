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
    reference: str,
    *,
    refused: str,
    wanted: str,
    features: tuple[float, float, float],
    reference_features: tuple[float, float, float],
    n: int,
    n_reference: int,
    differs: bool,
) -> str:
    """How many features refused people of a group must change, against another group.

    Parameters
    ----------
    group, reference : str
        The group and the group it is compared with, as they read.
    refused, wanted : str
        The answer they got and the one they need ("<=50K", ">50K").
    features, reference_features : (mean, lo, hi)
        The mean number of features changed with its 95% bounds, per group.
    n, n_reference : int
        People searched per group.
    differs : bool
        Whether the difference is supported (its bounds exclude zero after the correction
        across groups).

    Returns
    -------
    str

    Examples
    --------
    >>> recourse_gap_sentence("sex = Female", "Male", refused="<=50K", wanted=">50K",
    ...     features=(2.1, 1.9, 2.3), reference_features=(1.4, 1.3, 1.5), n=120,
    ...     n_reference=140, differs=True)  # doctest: +NORMALIZE_WHITESPACE
    'People of sex = Female predicted <=50K need to change 2.1 features on average to be
    predicted >50K (95% bounds 1.9 to 2.3; 120 people), against 1.4 for Male (1.3 to 1.5;
    140 people).'
    """

    def mean(v: tuple[float, float, float]) -> str:
        return f"{v[0]:.1f}"

    def bounds(v: tuple[float, float, float]) -> str:
        return f"{v[1]:.1f} to {v[2]:.1f}"

    text = (
        f"People of {group} predicted {refused} need to change {mean(features)} features on "
        f"average to be predicted {wanted} (95% bounds {bounds(features)}; "
        f"{formatting.count(n)} people), against {mean(reference_features)} for {reference} "
        f"({bounds(reference_features)}; {formatting.count(n_reference)} people)"
    )
    if differs:
        return text + "."
    return text + ": the data shows no difference between them."
