"""Where a problem came from, in words: the training rows against the evaluation rows.

Sentences of the audit's lifecycle checks (``representation``, ``overlap``, ``drift``,
``label_quality``): each gives its numbers with their bounds and the rows behind them.

Examples
--------
>>> print(share_sentence("race = Other", train_share=0.002, train_lo=0.001, train_hi=0.003,
...       train_n=60, eval_share=0.008, eval_lo=0.007, eval_hi=0.01, ratio=0.25,
...       ratio_lo=0.19, ratio_hi=0.33))
race = Other is 0.2% of the training rows (0.1% to 0.3%; 60 rows) against 0.8% of the
evaluation rows (0.7% to 1.0%): the model was trained on 0.25 times its share (95% bounds 0.19
to 0.33).
"""

from __future__ import annotations

from rai_widgets import formatting

__all__ = [
    "NO_TRAINING",
    "drift_sentence",
    "near_clause",
    "no_drift_sentence",
    "overlap_sentence",
    "population_sentence",
    "share_sentence",
    "suspect_rows_caption",
    "suspect_sentence",
]

#: Why a lifecycle check cannot run without the training rows.
NO_TRAINING = "no training rows were given (ModelSession(..., train=(X_train, y_train)))"


def _pct(x: float) -> str:
    return formatting.percent(x)


def _bounds(lo: float, hi: float) -> str:
    return formatting.bounds(lo, hi, kind="percent")


def share_sentence(
    group: str,
    *,
    train_share: float,
    train_lo: float,
    train_hi: float,
    train_n: int,
    eval_share: float,
    eval_lo: float,
    eval_hi: float,
    ratio: float,
    ratio_lo: float,
    ratio_hi: float,
) -> str:
    """A group's share of the training rows against its share of the evaluation rows.

    Parameters
    ----------
    group : str
        The group ("race = Other").
    train_share, train_lo, train_hi, train_n : float, float, float, int
        Its share of the training rows, bounds and rows.
    eval_share, eval_lo, eval_hi : float
        Its share of the evaluation rows and bounds.
    ratio, ratio_lo, ratio_hi : float
        Training share / evaluation share, with bounds.

    Returns
    -------
    str
    """
    return (
        f"{group} is {_pct(train_share)} of the training rows ({_bounds(train_lo, train_hi)}; "
        f"{formatting.count(train_n)} rows) against {_pct(eval_share)} of the evaluation rows "
        f"({_bounds(eval_lo, eval_hi)}): the model was trained on "
        f"{formatting.number(ratio, 2)} times its share (95% bounds "
        f"{formatting.bounds(ratio_lo, ratio_hi, digits=2)})."
    )


def population_sentence(
    group: str, *, train_share: float, population_share: float, ratio_hi: float
) -> str:
    """A group's share of the training rows against its share of the population it serves.

    Examples
    --------
    >>> population_sentence("race = Black", train_share=0.04, population_share=0.13,
    ...                     ratio_hi=0.33)
    'race = Black is 4.0% of the training rows against 13.0% of the population given (population=): at most 0.33 times its share, at the upper bound.'
    """  # noqa: E501
    return (
        f"{group} is {_pct(train_share)} of the training rows against "
        f"{_pct(population_share)} of the population given (population=): at most "
        f"{formatting.number(ratio_hi, 2)} times its share, at the upper bound."
    )


def overlap_sentence(
    *,
    n_overlap: int,
    n_eval: int,
    expected: float,
    quality_on: str | None = None,
    quality_off: str | None = None,
    right: str = "right for",
    optimistic: bool = True,
) -> str:
    """How many evaluation rows also occur, identically, in the training rows.

    Parameters
    ----------
    n_overlap, n_eval : int
        Evaluation rows found in training, and evaluation rows.
    expected : float
        How many the duplicates within the training rows would explain.
    quality_on, quality_off : str, optional
        The model's quality on those rows and on the others ("97.1%").
    right : str, default "right for"
        How the quality reads ("off by" for a regression).
    optimistic : bool, default True
        Whether the overlap is beyond what duplicates explain (the sentence then says the
        evaluation is optimistic on those rows).

    Returns
    -------
    str

    Examples
    --------
    >>> print(overlap_sentence(n_overlap=312, n_eval=16281, expected=8.2,
    ...                        quality_on="97.1%", quality_off="85.9%"))
    312 of the 16,281 evaluation rows (1.9%) also occur, identically, in the training rows;
    duplicates as common as those within the training rows would explain about 8. The model is
    right for 97.1% of them against 85.9% of the other rows: on them its evaluation is
    optimistic.
    """
    text = (
        f"{formatting.count(n_overlap)} of the {formatting.count(n_eval)} evaluation rows "
        f"({_pct(n_overlap / n_eval)}) also occur, identically, in the training rows; "
        "duplicates as common as those within the training rows would explain about "
        f"{formatting.count(round(expected))}."
    )
    if quality_on is not None and quality_off is not None:
        of = "on them" if right == "off by" else "of them"
        others = "on the other rows" if right == "off by" else "of the other rows"
        text += f" The model is {right} {quality_on} {of} against {quality_off} {others}"
        text += ": on them its evaluation is optimistic." if optimistic else "."
    return text


def near_clause(
    *,
    rate: float,
    lo: float,
    hi: float,
    n_sampled: int,
    max_distance: float,
    baseline: float | None = None,
) -> str:
    """Near-duplicates in a sample of evaluation rows, as a sentence.

    Parameters
    ----------
    rate, lo, hi : float
        The share of sampled evaluation rows with a training row this close, and its bounds.
    n_sampled : int
        Evaluation rows sampled.
    max_distance : float
        How close (Gower distance).
    baseline : float, optional
        The same share for sampled training rows among the other training rows.

    Returns
    -------
    str

    Examples
    --------
    >>> print(near_clause(rate=0.022, lo=0.018, hi=0.027, n_sampled=5000, max_distance=0.01,
    ...                   baseline=0.02))
    In a sample of 5,000 evaluation rows, 2.2% (1.8% to 2.7%) have a training row within 1% of
    them (Gower distance, identical rows included), against 2.0% of training rows among the
    other training rows.
    """
    text = (
        f"In a sample of {formatting.count(n_sampled)} evaluation rows, {_pct(rate)} "
        f"({_bounds(lo, hi)}) have a training row within {formatting.percent(max_distance, 0)} "
        "of them (Gower distance, identical rows included)"
    )
    if baseline is not None:
        text += f", against {_pct(baseline)} of training rows among the other training rows"
    return text + "."


def drift_sentence(
    feature: str,
    group: str | None,
    *,
    shift: float,
    lo: float,
    hi: float,
    detail: str,
    q: float,
    n_tests: int,
) -> str:
    """A feature whose distribution differs between the training and the evaluation rows.

    Parameters
    ----------
    feature : str
        The feature.
    group : str or None
        The group it differs for (None: over all rows).
    shift, lo, hi : float
        The total variation distance between the two distributions, and its bounds.
    detail : str
        What moved ("its median moves by +10", "the share of Private changes by -30.0 pts").
    q : float
        The Benjamini-Hochberg q-value.
    n_tests : int
        Comparisons made.

    Returns
    -------
    str

    Examples
    --------
    >>> print(drift_sentence("hours-per-week", "sex = Female", shift=0.31, lo=0.27, hi=0.35,
    ...       detail="its median moves by +10", q=1e-6, n_tests=42))
    hours-per-week differs between the training and the evaluation rows for sex = Female: its
    median moves by +10; 31.0% of the distribution moved (total variation, 95% bounds 27.0% to
    35.0%; q < 0.0001 over the 42 comparisons).
    """
    where = "over all rows" if group is None else f"for {group}"
    q_text = "q < 0.0001" if q < 0.0001 else f"q = {formatting.number(q, 2)}"
    return (
        f"{feature} differs between the training and the evaluation rows {where}: {detail}; "
        f"{_pct(shift)} of the distribution moved (total variation, 95% bounds "
        f"{_bounds(lo, hi)}; {q_text} over the {formatting.count(n_tests)} comparisons)."
    )


def no_drift_sentence(n_tests: int, groupings: str, largest: str) -> str:
    """No feature differs measurably between the training and the evaluation rows.

    Examples
    --------
    >>> print(no_drift_sentence(42, "sex", "age over all rows, 1.2%"))
    No feature's distribution differs measurably between the training and the evaluation rows,
    over all rows or for any group of sex (42 comparisons); the largest shift: age over all
    rows, 1.2%.
    """
    groups = f" or for any group of {groupings}" if groupings else ""
    return (
        "No feature's distribution differs measurably between the training and the evaluation "
        f"rows, over all rows{groups} ({formatting.count(n_tests)} comparisons); the largest "
        f"shift: {largest}."
    )


def suspect_sentence(
    group: str,
    *,
    rate: float,
    lo: float,
    hi: float,
    n: int,
    expected: float,
    excess_lo: float,
    excess_hi: float,
    sampled: int | None = None,
) -> str:
    """A group whose training labels the data contradicts more often than its scores predict.

    Examples
    --------
    >>> print(suspect_sentence("sex = Female", rate=0.257, lo=0.249, hi=0.265, n=10771,
    ...       expected=0.158, excess_lo=0.093, excess_hi=0.106))
    The data contradicts the training label of 25.7% of sex = Female (24.9% to 26.5%; 10,771
    rows) where the model's scores for them predict 15.8% (+9.3 pts to +10.6 pts more;
    confident learning on out-of-fold scores of a copy of the model that does not see the
    sensitive features).
    """
    of = "" if sampled is None else f", in a sample of {formatting.count(sampled)} training rows"
    return (
        f"The data contradicts the training label of {_pct(rate)} of {group} "
        f"({_bounds(lo, hi)}; {formatting.count(n)} rows) where the model's scores for them "
        f"predict {_pct(expected)} ({formatting.bounds(excess_lo, excess_hi, kind='points')} "
        "more; confident learning on out-of-fold scores of a copy of the model that does not "
        f"see the sensitive features{of})."
    )


def suspect_rows_caption(n_rows: int, n_shown: int, group: str | None = None) -> str:
    """The caption of the table of suspect training rows ("Show evidence" of a
    ``label_quality`` finding).

    Parameters
    ----------
    n_rows : int
        Suspect rows (of the group, or in all).
    n_shown : int
        Rows the table shows (the most suspect).
    group : str, optional
        The group they are of ("sex = Female").

    Returns
    -------
    str

    Examples
    --------
    >>> print(suspect_rows_caption(1234, 50, "sex = Female"))
    The 1,234 training rows of sex = Female whose labels the data contradicts, the most
    suspect first (the lowest out-of-fold probability of the label given); the first 50 are
    shown, all are in finding.rows.
    >>> suspect_rows_caption(0, 0)
    'No training row has a label the data contradicts.'
    """
    if n_rows == 0:
        of = "" if group is None else f" of {group}"
        return f"No training row{of} has a label the data contradicts."
    of = "" if group is None else f" of {group}"
    text = (
        f"The {formatting.count(n_rows)} training rows{of} whose labels the data contradicts, "
        "the most suspect first (the lowest out-of-fold probability of the label given)"
    )
    if n_shown < n_rows:
        return text + f"; the first {formatting.count(n_shown)} are shown, all are in finding.rows."
    return text + "."
