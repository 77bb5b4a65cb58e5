"""The uncertainty view as static HTML: one case read honestly (frequency framing, the
prediction set as "could be A or B", an interval and a quantile dotplot for regression), the
reliability diagram per slice and the conformal coverage per group.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import uncertainty
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> result = s.conformal(confidence_level=0.9, calibration=0.5)
>>> text, extra = uncertainty.case_reading(s, 3, conformal=result)
>>> text.startswith("Of 100 cases") and "could be" in text and extra == ""
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np

from rai_widgets import formatting
from rai_widgets.compute.conformal import outcome_quantiles, prediction_set
from rai_widgets.display.svg import bar_chart, dotplot_chart
from rai_widgets.display.uncertainty import CoverageDisplay, ReliabilityDisplay
from rai_widgets.static_html.page import escape, safe, style_tag

__all__ = [
    "case_html",
    "case_reading",
    "coverage_html",
    "reliability_html",
    "view_html",
]

N_BINS = 8  # bins of the reliability diagram


def case_reading(session: Any, row: Hashable, *, conformal: Any) -> tuple[str, str]:
    """The plain-language reading of one case, and its chart.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index
        The case.
    conformal : ConformalResult
        ``session.conformal(...)``: its threshold makes the prediction set or interval.

    Returns
    -------
    text : str
        "Of 100 cases the model scores like this one, ..." (classification) or "The model's
        best guess is ..." (regression).
    chart : str
        The likeliest classes (multiclass), a quantile dotplot (regression), or "".
    """
    s = session
    preds = s.predictions().iloc[s.positions_of([row])[0]]
    level = conformal.confidence_level
    promise = formatting.percent(level, 0)
    if s.task_ == "regression":
        residuals = s.predictions()["residual"].to_numpy(dtype=float)
        residuals = residuals[~np.isnan(residuals)]
        q = conformal.thresholds.get("overall", np.quantile(np.abs(residuals), level))
        lo, hi = preds["y_pred"] - q, preds["y_pred"] + q
        text = (
            f"The model's best guess is {formatting.value(preds['y_pred'])}, but for cases "
            f"like this the truth lands between {formatting.value(lo)} and "
            f"{formatting.value(hi)} {promise} of the time."
        )
        outcomes = outcome_quantiles(float(preds["y_pred"]), residuals)
        return text, dotplot_chart(outcomes, title="Likely outcomes for this case")
    proba = {c: float(preds[f"proba_{c}"]) for c in s.classes_}
    top = sorted(proba.items(), key=lambda kv: -kv[1])
    label, p = top[0]
    sentences = [
        f"Of 100 cases the model scores like this one, about {round(p * 100)} would "
        f"be {s.class_description(label)} ({formatting.chance(p)} by the model's score)."
    ]
    threshold = conformal.thresholds.get("overall")
    if threshold is not None:
        in_set = prediction_set(proba, threshold)
        described = " or ".join(s.class_description(c) for c in in_set) or "nothing certain"
        sentences.append(f"To be right {promise} of the time, it could be {described}.")
    chart = ""
    if s.task_ == "multiclass":
        shown = top[:3]
        chart = bar_chart(
            [s.class_description(c) for c, _ in shown],
            [v for _, v in shown],
            title="The likeliest classes",
            fmt=lambda v: formatting.percent(v, 0),
            signed_colors=False,
            width=520,
        )
    return " ".join(sentences), chart


def case_html(text: str, chart: str = "") -> str:
    """A case's reading in its box, followed by its chart (see :func:`case_reading`)."""
    return f'<div class="rai-unc"><div class="rai-reading">{escape(text)}</div>{chart}</div>'


def reliability_html(session: Any, by: Hashable | None) -> str:
    """The reliability diagram per group of ``by`` ("" for regression)."""
    if session.task_ == "regression":
        return ""
    return ReliabilityDisplay.from_session(session, by, n_bins=N_BINS).to_svg()


def coverage_html(conformal: Any, by: Hashable | None) -> str:
    """How often the promised coverage held, per group of ``by``."""
    return CoverageDisplay.from_conformal(conformal, by).to_svg()


def view_html(
    session: Any,
    *,
    row: Hashable | None = None,
    by: Hashable | None = None,
    confidence_level: float = 0.9,
) -> str:
    """The uncertainty view as static HTML.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    row : label of X's index, optional
        The case read (default: the first row).
    by : column name, optional
        Groups of the reliability diagram and coverage chart (default: the first sensitive
        feature).
    confidence_level : float, default 0.9
        The coverage promised by the prediction sets or intervals.

    Returns
    -------
    str
        What ``UncertaintyView(session, ...).static_html()`` shows in the same state; a part
        that fails shows its error box.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> page = view_html(s, row=3, confidence_level=0.8)
    >>> "Promised 80%" in page and page.count("<svg") == 2
    True
    """
    sensitive = list(session.sensitive_features_)
    by = by if by is not None else (sensitive[0] if sensitive else None)
    row = session.X.index[0] if row is None else row
    conformal: list = []

    def result() -> Any:
        if not conformal:
            conformal.append(session.conformal(confidence_level=confidence_level, calibration=0.5))
        return conformal[0]

    return "".join(
        [
            style_tag(),
            safe(lambda: case_html(*case_reading(session, row, conformal=result()))),
            safe(lambda: reliability_html(session, by)),
            safe(lambda: coverage_html(result(), by)),
        ]
    )
