"""The recourse check's sentences beside its gap sentence
(:func:`rai_widgets.readings.recourse.recourse_gap_sentence`): who counts as refused, why no
group could be compared, and how many searches found no counterfactual.

The check (:mod:`rai_widgets.session.checks.recourse`) picks the people and compares them;
these templates say it.

Examples
--------
>>> regression_answers("108 thousand dollars", lower_is_favourable=False)
('below 108 thousand dollars', '108 thousand dollars or more')
"""

from __future__ import annotations

from rai_widgets import formatting

__all__ = [
    "ANOTHER_CLASS",
    "MULTICLASS_NEEDS_FAVORABLE",
    "missing_counterfactuals_sentence",
    "regression_answers",
    "too_few_refused_reason",
    "too_few_with_counterfactual_reason",
]

#: The answer a refused person of a multiclass session got, as it reads.
ANOTHER_CLASS = "another class"

#: Why a multiclass session without ``favorable`` has no one refused.
MULTICLASS_NEEDS_FAVORABLE = "a multiclass session needs favorable= to say who is refused"


def regression_answers(cut: str, *, lower_is_favourable: bool) -> tuple[str, str]:
    """The answer a refused person of a regression got, and the one they need.

    Parameters
    ----------
    cut : str
        The median prediction that splits them, as it reads.
    lower_is_favourable : bool
        Whether a lower prediction is the favourable one.

    Returns
    -------
    refused, wanted : str

    Examples
    --------
    >>> regression_answers("3 days", lower_is_favourable=True)
    ('above 3 days', '3 days or less')
    """
    if lower_is_favourable:
        return f"above {cut}", f"{cut} or less"
    return f"below {cut}", f"{cut} or more"


def too_few_refused_reason(min_people: int, refused: str) -> str:
    """Why no sensitive feature could be compared: no two groups have enough refused people.

    Parameters
    ----------
    min_people : int
        The refused people a group needs.
    refused : str
        The answer they got, as it reads.

    Returns
    -------
    str

    Examples
    --------
    >>> too_few_refused_reason(20, "<=50K")
    'no sensitive feature has two groups with 20 or more people predicted <=50K'
    """
    return (
        f"no sensitive feature has two groups with {min_people} or more people predicted {refused}"
    )


def too_few_with_counterfactual_reason(name: str) -> str:
    """Why one sensitive feature could not be compared: too few counterfactuals were found.

    Examples
    --------
    >>> too_few_with_counterfactual_reason("race")
    'too few people with a counterfactual in groups of race'
    """
    return f"too few people with a counterfactual in groups of {name}"


def missing_counterfactuals_sentence(missing: int) -> str:
    """How many of the people searched got no counterfactual.

    Parameters
    ----------
    missing : int
        The people searched without a counterfactual found.

    Returns
    -------
    str

    Examples
    --------
    >>> missing_counterfactuals_sentence(3)
    'No counterfactual was found for 3 of those searched.'
    """
    return f"No counterfactual was found for {formatting.count(missing)} of those searched."
