"""Which group a model does worse for: said only when a test supports it.

The templates read the rows of a blind-spot search (``ModelSession.weak_slices``): each group
tested against the rest of the rows (a one-sided z-test on error rates, Welch's t-test on
absolute errors) with Benjamini-Hochberg control over the groups compared. A group is named
only when its q-value is at most ``alpha``; otherwise the sentence says that the data shows no
difference, so a model whose errors do not depend on the group gets no "worst group".

Examples
--------
>>> import pandas as pd
>>> tested = pd.DataFrame({
...     "slice": ["race = B", "race = A"], "n": [400, 600], "metric": [0.30, 0.10],
...     "rest": [0.10, 0.30], "gap_lo": [0.15, -0.25], "gap_hi": [0.25, -0.15],
...     "q_value": [0.0001, 1.0], "significant": [True, False]})
>>> worst_group(tested, by="race", loss="error_rate")  # doctest: +NORMALIZE_WHITESPACE
'It does measurably worse for race = B: wrong for 30% of its 400 rows against 10% of the
other rows (gap +20.0 pts, 95% bounds +15.0 pts to +25.0 pts; q = 0.0001 over the 2 groups
compared).'
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.units import amount

__all__ = [
    "LOSSES",
    "bounds_words",
    "clearest_gap",
    "groups_summary",
    "low_support_words",
    "strongest_gap",
    "worst_group",
]

#: What "worse" means: the share of wrong answers, or the mean absolute error.
LOSSES = ("error_rate", "abs_error")


def bounds_words(level: float, n_comparisons: int = 1) -> str:
    """How a sentence names its bounds: their coverage, and the correction when one widened
    them, so two views that show one gap with different bounds each say which they show.

    Parameters
    ----------
    level : float
        The bounds' coverage (0.95, or ``1 - alpha / n_comparisons`` after a Bonferroni
        correction).
    n_comparisons : int, default 1
        How many comparisons shared the error rate; above 1 the words name the correction.

    Returns
    -------
    str

    Examples
    --------
    >>> bounds_words(0.95)
    '95% bounds'
    >>> bounds_words(1 - 0.05 / 12, 12)
    '99.6% bounds (widened for the 12 gaps compared)'
    >>> bounds_words(1 - 0.05 / 400, 400)
    '99.99% bounds (widened for the 400 gaps compared)'
    """
    digits = 0 if abs(level * 100 - round(level * 100)) < 1e-9 else 1
    while digits < 4 and round(level * 100, digits) >= 100:
        digits += 1  # 99.99%, never a rounded "100%"
    words = f"{formatting.percent(level, digits)} bounds"
    if n_comparisons > 1:
        words += f" (widened for the {formatting.count(n_comparisons)} gaps compared)"
    return words


def _check(tested: pd.DataFrame, loss: str) -> None:
    if loss not in LOSSES:
        raise ValidationError(f"loss must be one of {LOSSES}; got {loss!r}.")
    missing = {"slice", "n", "metric", "rest", "gap_lo", "gap_hi", "q_value", "significant"}
    missing -= set(tested.columns)
    if missing:
        raise ValidationError(
            f"tested needs the columns of ModelSession.weak_slices(); {sorted(missing)} missing."
        )


def _q(q: float) -> str:
    return "q < 0.0001" if q < 0.0001 else f"q = {formatting.number(q, 2)}"


def strongest_gap(tested: pd.DataFrame, *, skip: str | None = None) -> pd.Series | None:
    """The tested slice with the strongest supported evidence of doing worse, or None.

    Supported: q-value at most the search's ``alpha`` (``significant``) and the whole 95%
    interval of the gap above zero. Among those, the smallest q-value, then the largest lower
    bound.

    Parameters
    ----------
    tested : pandas.DataFrame
        Rows of ``ModelSession.weak_slices()``.
    skip : str, optional
        A slice (its ``slice`` text) left out.

    Returns
    -------
    pandas.Series or None

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"slice": ["a", "b"], "q_value": [0.01, 0.001],
    ...                      "gap_lo": [0.1, 0.2], "significant": [True, True]})
    >>> strongest_gap(rows)["slice"], strongest_gap(rows, skip="b")["slice"]
    ('b', 'a')
    """
    supported = tested[tested["significant"].astype(bool) & (tested["gap_lo"] > 0)]
    if skip is not None:
        supported = supported[supported["slice"] != skip]
    if supported.empty:
        return None
    return supported.sort_values(["q_value", "gap_lo"], ascending=[True, False]).iloc[0]


def _slices(n: int) -> str:
    return f"{formatting.count(n)} slice{'' if n == 1 else 's'}"


def _gap_clause(row: pd.Series, loss: str, unit: str | None) -> str:
    n = formatting.count(row["n"])
    if loss == "error_rate":
        return (
            f"wrong for {formatting.percent(row['metric'], 0)} of its {n} rows against "
            f"{formatting.percent(row['rest'], 0)} of the other rows (gap "
            f"{formatting.points(row['metric'] - row['rest'])}, 95% bounds "
            f"{formatting.points(row['gap_lo'])} to {formatting.points(row['gap_hi'])}"
        )
    return (
        f"off by {amount(row['metric'], unit, digits=3)} on average for its {n} rows against "
        f"{amount(row['rest'], unit, digits=3)} for the other rows (gap "
        f"{formatting.number(row['metric'] - row['rest'], 3, signed=True)}, 95% bounds "
        f"{formatting.number(row['gap_lo'], 3, signed=True)} to "
        f"{formatting.number(row['gap_hi'], 3, signed=True)}{'' if unit is None else ' ' + unit}"
    )


def worst_group(
    tested: pd.DataFrame,
    *,
    by: Hashable,
    loss: str,
    unit: str | None = None,
    n_untested: int = 0,
) -> str:
    """Where the model does measurably worse among the groups of ``by``, or that it does not.

    Parameters
    ----------
    tested : pandas.DataFrame
        The groups of ``by`` tested against the rest: the rows of
        ``session.weak_slices(features=[by], max_order=1)`` (q-values adjusted over these
        groups only).
    by : column name
        The grouping, as named in the sentence.
    loss : {"error_rate", "abs_error"}
        What the test compared.
    unit : str, optional
        The regression target's unit.
    n_untested : int, default 0
        Groups too small to test (said when no group is named).

    Returns
    -------
    str
        Names the significant group with the smallest q-value (largest gap on ties); otherwise
        says no group does measurably worse, or that there were too few rows to compare.

    Examples
    --------
    >>> import pandas as pd
    >>> quiet = pd.DataFrame({
    ...     "slice": ["race = B", "race = A"], "n": [400, 600], "metric": [0.26, 0.24],
    ...     "rest": [0.24, 0.26], "gap_lo": [-0.03, -0.07], "gap_hi": [0.07, 0.03],
    ...     "q_value": [0.4, 0.9], "significant": [False, False]})
    >>> worst_group(quiet, by="race", loss="error_rate")  # doctest: +NORMALIZE_WHITESPACE
    'No group of race does measurably worse than the rest: with 2 groups compared, every gap
    is within what chance gives at these sizes.'
    """
    _check(tested, loss)
    if len(tested) < 2:
        return (
            f"The groups of {by} are too small to compare (a group and the rest each need 30 "
            "rows or more)."
        )
    row = strongest_gap(tested)
    if row is None:
        untested = (
            ""
            if n_untested == 0
            else f" ({formatting.count(n_untested)} smaller groups were not compared)"
        )
        return (
            f"No group of {by} does measurably worse than the rest: with "
            f"{formatting.count(len(tested))} groups compared, every gap is within what chance "
            f"gives at these sizes{untested}."
        )
    return (
        f"It does measurably worse for {row['slice']}: {_gap_clause(row, loss, unit)}; "
        f"{_q(row['q_value'])} over the {formatting.count(len(tested))} groups compared)."
    )


def clearest_gap(
    tested: pd.DataFrame, *, loss: str, unit: str | None = None, skip: str | None = None
) -> str:
    """The blind spot with the strongest evidence, or ``""`` when the search found none.

    Parameters
    ----------
    tested : pandas.DataFrame
        The rows of ``session.weak_slices()`` (one- and two-column slices, q-values adjusted
        over all of them).
    loss : {"error_rate", "abs_error"}
        What the search compared.
    unit : str, optional
        The regression target's unit.
    skip : str, optional
        A slice already named (by :func:`worst_group`): not named twice.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> found = pd.DataFrame({
    ...     "slice": ["education = Advanced Degree"], "n": [426], "metric": [39.3],
    ...     "rest": [22.6], "gap_lo": [12.0], "gap_hi": [21.4], "q_value": [0.002],
    ...     "significant": [True]})
    >>> clearest_gap(found, loss="abs_error", unit="thousand dollars")
    ... # doctest: +NORMALIZE_WHITESPACE
    'The clearest gap the data shows: education = Advanced Degree, off by 39.3 thousand
    dollars on average for its 426 rows against 22.6 thousand dollars for the other rows (gap
    +16.7, 95% bounds +12 to +21.4 thousand dollars; q = 0.002 over 1 slice searched).'
    >>> clearest_gap(found.assign(significant=False), loss="abs_error")
    ''
    """
    _check(tested, loss)
    row = strongest_gap(tested, skip=skip)
    if row is None:
        return ""
    return (
        f"The clearest gap the data shows: {row['slice']}, {_gap_clause(row, loss, unit)}; "
        f"{_q(row['q_value'])} over {_slices(len(tested))} searched)."
    )


def groups_summary(
    tests: Mapping[Hashable, tuple[pd.DataFrame, int]],
    *,
    loss: str,
    unit: str | None = None,
) -> list[str]:
    """Across every sensitive feature: each group the model does measurably worse for, then
    the features where no group does, in one sentence.

    Parameters
    ----------
    tests : mapping
        Per feature, ``(tested, n_untested)``: its groups tested against the rest (the rows of
        ``session.weak_slices(features=[feature], max_order=1)``) and the groups too small to
        test.
    loss : {"error_rate", "abs_error"}
        What the tests compared.
    unit : str, optional
        The regression target's unit.

    Returns
    -------
    list of str
        The sentences, the features with a supported gap first.

    Examples
    --------
    >>> import pandas as pd
    >>> quiet = pd.DataFrame({
    ...     "slice": ["race = B", "race = A"], "n": [400, 600], "metric": [0.26, 0.24],
    ...     "rest": [0.24, 0.26], "gap_lo": [-0.03, -0.07], "gap_hi": [0.07, 0.03],
    ...     "q_value": [0.4, 0.9], "significant": [False, False]})
    >>> groups_summary({"race": (quiet, 0), "sex": (quiet, 0)}, loss="error_rate")[0][:40]
    'No group of race and sex does measurably'
    """
    sentences, quiet = [], []
    for feature, (tested, n_untested) in tests.items():
        if len(tested) >= 2 and strongest_gap(tested) is not None:
            sentences.append(
                worst_group(tested, by=feature, loss=loss, unit=unit, n_untested=n_untested)
            )
        else:
            quiet.append(feature)
    if len(quiet) == 1:
        tested, n_untested = tests[quiet[0]]
        sentences.append(
            worst_group(tested, by=quiet[0], loss=loss, unit=unit, n_untested=n_untested)
        )
    elif quiet:
        names = [str(f) for f in quiet]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        sentences.append(
            f"No group of {listed} does measurably worse than the rest of the rows (each group "
            "tested against the rest, corrected for the groups compared)."
        )
    return sentences


def low_support_words(n: int, *, min_support: int = 30) -> str:
    """Why a group's numbers are flagged ``low_support``, in words: few rows, or enough rows
    but few of one outcome (a binary group needs 10 of each).

    Parameters
    ----------
    n : int
        The group's rows.
    min_support : int, default 30
        The rows a group needs (``slice_metrics(min_support=...)``).

    Returns
    -------
    str

    Examples
    --------
    >>> low_support_words(12), low_support_words(320)
    ('few rows', 'few rows of one outcome')
    """
    return "few rows" if n < min_support else "few rows of one outcome"
