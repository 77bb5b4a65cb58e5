"""Plain-language reading of one row's explanation.

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"feature": ["capital-gain", "age", "sex"], "value": [15024, 23, "Male"],
...                   "contribution": [0.31, -0.08, 0.01], "base_value": 0.24,
...                   "prediction": 0.48})
>>> print(plain_reading(e, task="binary", subject=">50K", output="probability"))
The model gives >50K a 48% chance (on average over these cases it gives about 24%).
Pushing up most: capital-gain = 15,024 (+31.0 points), sex = Male (+1.0 points).
Pushing down most: age = 23 (−8.0 points).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.formatting import chance, number, value
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.case import points_moved
from rai_widgets.readings.explanation import contribution_decimals
from rai_widgets.readings.units import amount

# Old names still imported by session/examples.py, session/what_if.py, report/_export_data.py,
# widgets/uncertainty_view.py and widgets/comparison_view.py: remove once those import
# rai_widgets.formatting (``value`` for format_value, ``chance`` for percent) directly.
format_value = value
percent = chance

__all__ = ["format_value", "percent", "plain_reading"]

_MINUS = "\u2212"


def _signed(amount: float, unit: str, decimals: int = 1, target_unit: str | None = None) -> str:
    sign = "+" if amount >= 0 else _MINUS
    if unit == "points":  # the precision of the chart beside the paragraph (readings/case.py)
        return points_moved(amount)
    # one precision for every value named, and the target's unit (readings/explanation.py)
    text = f"{sign}{number(abs(amount), decimals=decimals)}"
    return f"{text} {target_unit}" if target_unit else text


def _opening(
    task: str,
    subject: Any,
    output: str,
    prediction: float,
    base: float,
    baseline: str,
    unit: str | None = None,
) -> str:
    if task == "regression":
        return (
            f"The model predicts {amount(prediction, unit, digits=4)} ({baseline} "
            f"{amount(base, unit, digits=4)})."
        )
    if output == "log_odds":
        return f"The model's log-odds for {subject} are {prediction:+.2f} ({baseline} {base:+.2f})."
    text = chance(prediction)
    article = "an" if text.startswith(("under", "over", "8", "11", "18")) else "a"
    return f"The model gives {subject} {article} {text} chance ({baseline} {chance(base)})."


def plain_reading(
    explanation: pd.DataFrame,
    *,
    task: str,
    subject: Any,
    output: str,
    top: int = 3,
    caveat: str = "",
    baseline: str = "on average over these cases it gives about",
    target_unit: str | None = None,
) -> str:
    """One paragraph: the prediction against the average, and the values that moved it most.

    Parameters
    ----------
    explanation : pandas.DataFrame
        The rows of ``ModelSession.explain`` for one explained row (and one class).
    task : str
        "binary", "multiclass" or "regression".
    subject : object
        What the probability is of (the class label); ignored for regression.
    output : str
        "probability" (contributions in percentage points), "log_odds" or "prediction".
    top : int, default 3
        Values named on each side.
    caveat : str, optional
        A sentence appended when the explanation should not be taken at face value.
    baseline : str
        How to introduce ``base_value`` (SHAP: the model's average over the cases).
    target_unit : str, optional
        The unit of a regression target, put on the prediction and the average.

    Returns
    -------
    str
    """
    prediction = float(explanation["prediction"].iloc[0])
    base = float(explanation["base_value"].iloc[0])
    unit = "points" if task != "regression" and output == "probability" else "plain"
    ordered = explanation.sort_values("contribution", key=np.abs, ascending=False)
    threshold = 0.005 if unit == "points" else 0.0
    up = ordered[ordered["contribution"] > threshold].head(top)
    down = ordered[ordered["contribution"] < -threshold].head(top)
    parts = [_opening(task, subject, output, prediction, base, baseline, target_unit)]
    decimals = contribution_decimals([*up["contribution"], *down["contribution"]])
    for label, chosen in (("Pushing up most", up), ("Pushing down most", down)):
        if len(chosen):
            items = [
                f"{feature} = {value(raw, column_kind(feature))} "
                f"({_signed(c, unit, decimals, target_unit)})"
                for feature, raw, c in zip(
                    chosen["feature"], chosen["value"], chosen["contribution"], strict=True
                )
            ]
            parts.append(f"{label}: {', '.join(items)}.")
    if len(up) == 0 and len(down) == 0:
        parts.append("No single value moves it by more than half a point.")
    if caveat:
        parts.append(caveat)
    return " ".join(parts)
