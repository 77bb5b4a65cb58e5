"""The trust checks' sentences: how far the per-row explanations can be read as they stand
(LIME's reliability, SHAP and LIME's agreement) and whether pinned test cases still hold.

The checks (:mod:`rai_widgets.session.checks.trust`) count the rows and cases and decide the
verdicts; these templates say them.

Examples
--------
>>> print(explainer_share_sentence("disagree", share=0.0, lo=0.0, hi=0.16, n=20,
...       verdict="under"))  # doctest: +NORMALIZE_WHITESPACE
SHAP and LIME give the top SHAP feature opposite signs for 0% of 20 sampled rows (0% to
16%): at most 16% of all rows, under a quarter.
"""

from __future__ import annotations

from collections.abc import Sequence

from rai_widgets import formatting

__all__ = [
    "NO_ROWS_COMPARED",
    "NO_ROW_EXPLAINED_REASON",
    "NO_TEST_CASES",
    "cases_hold_sentence",
    "empty_test_set_sentence",
    "explainer_share_sentence",
    "pinned_case_sentence",
    "pinned_set_name",
]

#: The explanation-trust finding when no rows were left to compare.
NO_ROWS_COMPARED = "Not checked: no rows to compare."

#: Why the explanation-trust check cannot run when LIME explained no row.
NO_ROW_EXPLAINED_REASON = "no row could be explained"

#: The test-case check's note when no test cases were given (and how to give them).
NO_TEST_CASES = (
    "No test cases were given: pin the cases that matter with rw.TestCases and pass them as "
    "audit(test_cases=...) to check that their answers hold."
)

_WORRIES = {
    "unstable": "their weights are not stable or the local model fits poorly; read them with care",
    "disagree": "the two explainers tell different stories there; compare them in the "
    "explanation tab before relying on either",
}


def explainer_share_sentence(
    kind: str,
    *,
    share: float,
    lo: float,
    hi: float,
    n: int,
    verdict: str,
    median_r2: float | None = None,
) -> str:
    """The share of sampled rows whose explanation is shaky, with its bounds and verdict.

    Parameters
    ----------
    kind : {"unstable", "disagree"}
        Rows whose LIME explanation is unreliable, or rows where LIME gives the top SHAP
        feature the opposite sign.
    share, lo, hi : float
        The share of rows and its bounds.
    n : int
        The rows compared.
    verdict : {"shaky", "under", "cannot tell"}
        A quarter or more of the rows are shaky; the upper bound is under a quarter; the
        bounds straddle a quarter.
    median_r2 : float, optional
        The median R² of LIME's local models (said, when given, for ``"unstable"``).

    Returns
    -------
    str

    Examples
    --------
    >>> print(explainer_share_sentence("unstable", share=0.25, lo=0.11, hi=0.47, n=20,
    ...       verdict="shaky", median_r2=0.61))  # doctest: +NORMALIZE_WHITESPACE
    LIME explanations unreliable for 25% of 20 sampled rows (11% to 47%; median local fit
    R² 0.61): their weights are not stable or the local model fits poorly; read them with care.
    >>> explainer_share_sentence("disagree", share=0.15, lo=0.05, hi=0.36, n=20,
    ...       verdict="cannot tell")  # doctest: +ELLIPSIS
    '... for 15% of 20 sampled rows (5% to 36%): too few rows were sampled to tell whether ...'
    """
    percent = formatting.percent(share, 0)
    bounds = formatting.bounds(lo, hi, kind="percent", digits=0)
    if kind == "unstable":
        fit = (
            "" if median_r2 is None else f"; median local fit R² {formatting.number(median_r2, 2)}"
        )
        text = f"LIME explanations unreliable for {percent} of {n} sampled rows ({bounds}{fit})"
    else:
        text = (
            f"SHAP and LIME give the top SHAP feature opposite signs for {percent} of "
            f"{n} sampled rows ({bounds})"
        )
    if verdict == "shaky":
        return f"{text}: {_WORRIES[kind]}."
    if verdict == "under":
        at_most = formatting.percent(hi, 0)  # as the bounds beside it read
        quarter = "" if at_most == "25%" else ", under a quarter"
        return f"{text}: at most {at_most} of all rows{quarter}."
    return text + (
        ": too few rows were sampled to tell whether it is fewer than a quarter of all rows."
    )


def pinned_set_name(name: str) -> str:
    """A set of test cases as a sentence names it.

    Examples
    --------
    >>> pinned_set_name("credit checks"), pinned_set_name("")
    ("'credit checks'", 'the test set')
    """
    return f"'{name}'" if name else "the test set"


def empty_test_set_sentence(name: str) -> str:
    """The note of a set of test cases with nothing pinned.

    Parameters
    ----------
    name : str
        The set as it reads (:func:`pinned_set_name`).

    Returns
    -------
    str

    Examples
    --------
    >>> empty_test_set_sentence("'credit checks'")
    "'credit checks' has no pinned cases to re-run."
    """
    return f"{name} has no pinned cases to re-run."


def pinned_case_sentence(
    row: str,
    note: str,
    *,
    now: str,
    was: str | None = None,
    expected: str | None = None,
) -> str:
    """A pinned case whose answer changed, or that misses its expected answer.

    Parameters
    ----------
    row : str
        The case's row, as it reads.
    note : str
        The note it was pinned with ("" for none).
    now : str
        The model's answer now.
    was, expected : str, optional
        The answer it was pinned with (when it changed) and the expected answer (when the
        model misses it).

    Returns
    -------
    str

    Examples
    --------
    >>> pinned_case_sentence("5", "", now="105.3", was="114.9", expected="100")
    'Pinned case 5: was 114.9, now 105.3; expected 100, the model says 105.3.'
    >>> pinned_case_sentence("0", "wrong expectation", now="good", expected="bad")
    'Pinned case 0 (wrong expectation): expected bad, the model says good.'
    """
    parts: Sequence[str] = [
        *([f"was {was}, now {now}"] if was is not None else []),
        *([f"expected {expected}, the model says {now}"] if expected is not None else []),
    ]
    bracket = f" ({note})" if note else ""
    return f"Pinned case {row}{bracket}: {'; '.join(parts)}."


def cases_hold_sentence(n: int, name: str, n_expected: int) -> str:
    """Every pinned case gives the answer it was pinned with (and meets its expected one).

    Parameters
    ----------
    n : int
        The cases re-run.
    name : str
        The set as it reads (:func:`pinned_set_name`).
    n_expected : int
        The cases with an expected answer (0 for none).

    Returns
    -------
    str

    Examples
    --------
    >>> print(cases_hold_sentence(3, "the test set", 1))  # doctest: +NORMALIZE_WHITESPACE
    All 3 pinned cases of the test set give the answer they were pinned with, and the 1 with
    an expected answer meet it.
    >>> cases_hold_sentence(2, "'plain'", 0)
    "All 2 pinned cases of 'plain' give the answer they were pinned with."
    """
    also = f", and the {n_expected} with an expected answer meet it" if n_expected else ""
    return f"All {n} pinned cases of {name} give the answer they were pinned with{also}."
