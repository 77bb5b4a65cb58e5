"""The sentences of the audit checks of how well the model does overall: against the trivial
answer (``baseline``), how honest its confidence is (``calibration``), and whether its
conformal sets keep their promise (``coverage``).

The checks (:mod:`rai_widgets.session.checks.performance`) compute the numbers and their
bounds; these templates say them.

Examples
--------
>>> print(baseline_sentence(classification_baseline_text(0.85, 0.84, 0.86, 0.76, ">50K"),
...                         beats=True))
Right for 85.0% of rows (84.0% to 86.0%), against 76.0% for always answering >50K.
>>> group_text({"sex": "Female"})
'sex = Female'
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

from rai_widgets import formatting
from rai_widgets.readings.units import amount

__all__ = [
    "baseline_sentence",
    "calibration_sentence",
    "classification_baseline_text",
    "constant_y_reason",
    "coverage_finding_sentence",
    "group_text",
    "regression_baseline_text",
]


def group_text(spec: Mapping[Hashable, object]) -> str:
    """A group as these checks name it: ``feature = label`` joined by ``&``.

    Examples
    --------
    >>> group_text({"sex": "Male", "race": "White"})
    'sex = Male & race = White'
    """
    return " & ".join(f"{k} = {formatting.label(v)}" for k, v in spec.items())


def _where(spec: Mapping[Hashable, object] | None) -> str:
    return "overall" if spec is None else f"for {group_text(spec)}"


def constant_y_reason(value: float) -> str:
    """Why the baseline check cannot run on a regression target that never varies.

    Examples
    --------
    >>> constant_y_reason(3.0)[:40]
    'y is the same for every row (3): always '
    """
    return (
        f"y is the same for every row ({formatting.number(value, 4)}): always "
        "predicting it is perfect, so no model can beat the trivial answer"
    )


def regression_baseline_text(model_mae: float, trivial: float, unit: str | None) -> str:
    """A regression model's mean absolute error against always predicting the mean (no end).

    Parameters
    ----------
    model_mae, trivial : float
        The model's mean absolute error, and the mean's.
    unit : str or None
        The target's unit.

    Returns
    -------
    str

    Examples
    --------
    >>> regression_baseline_text(24.5, 28.0, "thousand dollars")[:30]
    'Off by 24.5 thousand dollars o'
    """
    return (
        f"Off by {amount(model_mae, unit, digits=3)} on average, against "
        f"{amount(trivial, unit, digits=3)} for always predicting the mean"
    )


def classification_baseline_text(
    accuracy: float, lo: float, hi: float, share: float, answer: str
) -> str:
    """A classifier's accuracy with its bounds against always answering the majority class
    (no end).

    Parameters
    ----------
    accuracy, lo, hi : float
        The accuracy and its bounds.
    share : float
        The majority class's share of the rows.
    answer : str
        The majority class, as it reads.

    Returns
    -------
    str

    Examples
    --------
    >>> classification_baseline_text(0.7, 0.67, 0.73, 0.7, "good")[-31:]
    '70.0% for always answering good'
    """
    return (
        f"Right for {formatting.percent(accuracy)} of rows "
        f"({formatting.bounds(lo, hi, kind='percent')}), against "
        f"{formatting.percent(share)} for always answering "
        f"{answer}"
    )


def baseline_sentence(text: str, *, beats: bool) -> str:
    """The baseline finding: its comparison, and whether the data shows the model beats the
    trivial answer.

    Examples
    --------
    >>> baseline_sentence("Right for 70.0% of rows", beats=False)
    'Right for 70.0% of rows: the data cannot show that the model beats that trivial answer.'
    """
    if beats:
        return text + "."
    return text + ": the data cannot show that the model beats that trivial answer."


def _points_up(d: float) -> str:
    """``d`` (a proportion) in points, rounded up to 0.1 so that "within" it stays true."""
    return formatting.points(math.ceil(round(d * 1000, 6)) / 1000, signed=False)


def calibration_sentence(
    spec: Mapping[Hashable, object] | None,
    *,
    estimate: float,
    lo: float,
    hi: float,
    n: int,
    unsettled_within: float | None = None,
) -> str:
    """How far the model's mean confidence is from its accuracy, overall or for a group.

    A gap that rounds to 0.0 points reads "matches accuracy, within X either way" (X: the
    farther bound, rounded up).

    Parameters
    ----------
    spec : dict or None
        The group; None: all rows.
    estimate, lo, hi : float
        Mean confidence minus accuracy, and its bounds.
    n : int
        Rows.
    unsettled_within : float, optional
        Given when the bounds neither show nor rule out a gap this large: the sentence says
        the data cannot tell yet.

    Returns
    -------
    str

    Examples
    --------
    >>> print(calibration_sentence(None, estimate=0.08, lo=0.06, hi=0.1, n=1000))
    Confidence overall: 8.0 pts above its accuracy (more sure than right) (+6.0 pts to +10.0 pts,
    1,000 rows).
    """
    says = (
        f"matches accuracy, within {_points_up(max(abs(lo), abs(hi)))} either way"
        if formatting.points(abs(estimate), signed=False) == "0.0 pts"
        else f"{formatting.points(estimate, signed=False)} above its accuracy (more sure "
        "than right)"
        if estimate >= 0
        else f"{formatting.points(-estimate, signed=False)} below its accuracy (less sure "
        "than it could be)"
    )
    text = (
        f"Confidence {_where(spec)}: {says} "
        f"({formatting.bounds(lo, hi, kind='points')}, {formatting.count(n)} rows)."
    )
    if unsettled_within is not None:
        text = text[:-1] + (
            f": the data cannot tell yet whether it is within "
            f"{formatting.points(unsettled_within, signed=False)} of honest."
        )
    return text


def coverage_finding_sentence(
    spec: Mapping[Hashable, object] | None,
    *,
    intervals: bool,
    promised: float,
    estimate: float,
    lo: float,
    hi: float,
    n: int,
    unsettled: bool = False,
) -> str:
    """How often conformal sets (intervals) held the truth against their promise.

    Parameters
    ----------
    spec : dict or None
        The group; None: all rows held out from calibration.
    intervals : bool
        Prediction intervals (regression) rather than sets.
    promised : float
        The promised coverage.
    estimate, lo, hi : float
        The coverage found and its bounds.
    n : int
        Rows not used to calibrate.
    unsettled : bool, default False
        The bounds reach well under the promise: say too few rows tell.

    Returns
    -------
    str

    Examples
    --------
    >>> coverage_finding_sentence(None, intervals=True, promised=0.9, estimate=0.91, lo=0.89,
    ...                           hi=0.93, n=1500)[:60]
    'Prediction intervals promised to hold the truth 90% of the t'
    """
    what = "Prediction intervals" if intervals else "Prediction sets"
    rows = "rows" if spec is None else "of its rows"
    # an upper bound just under the promise never reads as the promise ("90.0%")
    digits = 2 if hi < promised <= round(hi, 3) else None
    text = (
        f"{what} promised to hold the truth {formatting.percent(promised, 0)} of "
        f"the time hold it {formatting.percent(estimate)} {_where(spec)} "
        f"({formatting.bounds(lo, hi, kind='percent', digits=digits)}, on the "
        f"{formatting.count(n)} {rows} not used to calibrate them)."
    )
    if unsettled:
        text = text[:-1] + ": too few rows to tell whether it keeps its promise."
    return text
