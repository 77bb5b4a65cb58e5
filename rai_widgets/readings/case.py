"""The sentences of one case's detail pane: what the model said of it (the verdict), and how
the similar real cases' columns are ordered.

Examples
--------
>>> regression_verdict(101.2, 88.0, "thousand dollars")
'Predicted 101.2 thousand dollars; actual 88 thousand dollars (off by 13.2 thousand dollars).'
>>> class_verdict(">50K", confidence="72%", actual="<=50K", wrong=True)
'Predicted >50K with 72% confidence; actually <=50K — the model is wrong here.'
>>> points_moved(0.127), points_moved(-0.0885)
('+12.7 points', '−8.8 points')
"""

from __future__ import annotations

from rai_widgets import formatting
from rai_widgets.readings.units import amount

__all__ = ["class_verdict", "points_moved", "regression_verdict", "similar_order_note"]

_MINUS = "\u2212"


def points_moved(contribution: float) -> str:
    """How far one value moved a case's chance, in percentage points, with the precision of
    the case's chart (:func:`rai_widgets.formatting.points`, one decimal): the paragraph and
    the bars beside it read the same number ("+12.7 points" beside a "+12.7 pts" bar).

    Parameters
    ----------
    contribution : float
        The change in probability (0.01 is one point).

    Returns
    -------
    str
        Signed, with a true minus sign.

    Examples
    --------
    >>> points_moved(0.01), points_moved(0.004)
    ('+1.0 points', '+0.4 points')
    """
    bar = formatting.points(contribution)  # what the chart writes: "+12.7 pts"
    number = bar.removesuffix(" pts")
    return f"{number.replace('-', _MINUS)} points"


def regression_verdict(predicted: float, actual: float | None, unit: str | None) -> str:
    """What a regression model said of one case, and how far off it was.

    Parameters
    ----------
    predicted : float
        The prediction.
    actual : float or None
        The true value (None when the session has no labels).
    unit : str or None
        The target's unit.

    Returns
    -------
    str

    Examples
    --------
    >>> regression_verdict(3.0, None, None)
    'Predicted 3.'
    """
    text = f"Predicted {amount(predicted, unit, digits=4)}"
    if actual is not None:
        off = abs(predicted - actual)
        text += f"; actual {amount(actual, unit, digits=4)} (off by {amount(off, unit, digits=4)})"
    return text + "."


def class_verdict(
    predicted: str,
    *,
    confidence: str | None = None,
    actual: str | None = None,
    wrong: bool = False,
) -> str:
    """What a classifier said of one case, and whether it was right.

    Parameters
    ----------
    predicted : str
        The predicted class, described.
    confidence : str, optional
        The model's score for it, written as a chance ("72%", "over 99%"); None for a model
        without scores.
    actual : str, optional
        The true class, described (None when the session has no labels).
    wrong : bool, default False
        Whether the prediction is not the true class.

    Returns
    -------
    str

    Examples
    --------
    >>> class_verdict("good", actual="good")
    'Predicted good; actually good.'
    """
    text = f"Predicted {predicted}"
    if confidence is not None:
        text += f" with {confidence} confidence"
    if actual is not None:
        text += f"; actually {actual}"
        if wrong:
            text += " — the model is wrong here"
    return text + "."


def similar_order_note(ordered_by: str) -> str:
    """How the similar cases' columns are ordered.

    Parameters
    ----------
    ordered_by : str
        ``ModelSession.similar(...).attrs["ordered_by"]``: the explanation that ordered them,
        or "the data's order".

    Returns
    -------
    str

    Examples
    --------
    >>> similar_order_note("SHAP of this case")
    'Columns in order of influence (SHAP of this case).'
    """
    if ordered_by == "the data's order":
        return "Columns in the data's order (no explanation of this case is at hand)."
    return f"Columns in order of influence ({ordered_by})."
