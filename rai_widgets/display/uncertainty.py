"""Uncertainty displays: reliability per slice, and conformal coverage per group.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> ReliabilityDisplay.from_session(s, "large", n_bins=5).summary_.columns.tolist()[:2]
['n', 'ece']
>>> CoverageDisplay.from_session(s, "large").frame().columns.tolist()[:2]
['n', 'coverage']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.display.base import Display
from rai_widgets.display.svg import bar_chart, reliability_chart
from rai_widgets.formatting import bounds, count, label, number, percent

__all__ = ["CoverageDisplay", "ReliabilityDisplay"]


class ReliabilityDisplay(Display):
    """What the model said against how often it happened, per slice, with Wilson bounds.

    Parameters
    ----------
    bins : pandas.DataFrame
        ``ModelSession.calibration`` bins: per (slice, bin) ``n``, ``mean_predicted``,
        ``observed``, ``observed_lo``, ``observed_hi``.
    summary : pandas.DataFrame
        ``ModelSession.calibration`` summary: per slice ``ece`` and ``overconfidence``.
    what : str
        What the probability is of (for the note), e.g. "P(income >50K)".

    Attributes
    ----------
    summary_ : pandas.DataFrame
        Expected calibration error and overconfidence per slice.
    """

    def __init__(self, bins: pd.DataFrame, summary: pd.DataFrame, *, what: str) -> None:
        self.frame_ = bins.copy()
        self.summary_ = summary.copy()
        self.what = what

    @classmethod
    def from_session(
        cls, session: Any, by: Any = None, *, n_bins: int = 10, strategy: str = "quantile"
    ) -> ReliabilityDisplay:
        """Compute ``session.calibration`` and build the display."""
        bins, summary = session.calibration(by, n_bins=n_bins, strategy=strategy)
        what = (
            f"P({session.class_description(session.pos_label_)})"
            if session.task_ == "binary"
            else "confidence"
        )
        return cls(bins, summary, what=what)

    def _series(self) -> dict:
        name = self.frame_.columns[0]
        return {
            f"{label(g)} (ECE {number(self.summary_.loc[g, 'ece'], decimals=2)})": (
                part["mean_predicted"].to_numpy(),
                part["observed"].to_numpy(),
                part["observed_lo"].to_numpy(),
                part["observed_hi"].to_numpy(),
            )
            for g, part in self.frame_.groupby(name, sort=False)
        }

    def to_svg(self) -> str:
        """The reliability diagram."""
        return reliability_chart(
            self._series(),
            title="Does the model mean what it says?",
            note=f"{self.what} against how often it happened; on the dashed line it is honest.",
        )

    def figure(self) -> Any:
        """The same diagram in plotly."""
        go = self._plotly()
        fig = go.Figure()
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="honest"))
        for name, (p, o, lo, hi) in self._series().items():
            fig.add_trace(
                go.Scatter(
                    x=p,
                    y=o,
                    mode="lines+markers",
                    name=name,
                    error_y={
                        "type": "data",
                        "symmetric": False,
                        "array": hi - o,
                        "arrayminus": o - lo,
                    },
                )
            )
        fig.update_layout(xaxis_title="the model said", yaxis_title="it happened")
        return fig


class CoverageDisplay(Display):
    """How often the conformal sets or intervals held their promise, per group.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``ConformalResult.frame(by)``: ``n``, ``coverage`` with Wilson bounds, and
        ``mean_set_size`` or ``mean_width``.
    confidence_level : float
        The promised coverage.
    """

    def __init__(self, frame: pd.DataFrame, *, confidence_level: float) -> None:
        self.frame_ = frame.copy()
        self.confidence_level = confidence_level

    @classmethod
    def from_conformal(cls, result: Any, by: Any = None) -> CoverageDisplay:
        """Build the display from a ``ModelSession.conformal`` result."""
        return cls(result.frame(by=by), confidence_level=result.confidence_level)

    @classmethod
    def from_session(
        cls,
        session: Any,
        by: Any = None,
        *,
        confidence_level: float = 0.9,
        calibration: Any = 0.5,
    ) -> CoverageDisplay:
        """Run ``session.conformal`` and build the display."""
        result = session.conformal(confidence_level=confidence_level, calibration=calibration)
        return cls.from_conformal(result, by)

    def to_svg(self) -> str:
        """Coverage bars with Wilson bounds; the note gives the average set size or width."""
        f = self.frame_
        size = "mean_width" if "mean_width" in f else "mean_set_size"
        size_word = "width" if size == "mean_width" else "set size"
        labels = [f"{label(v)} (n={count(n)})" for v, n in zip(f.index, f["n"], strict=True)]
        low, high = f[size].min(), f[size].max()
        spread = number(low, decimals=2) if np.isclose(low, high) else bounds(low, high, decimals=2)
        return bar_chart(
            labels,
            f["coverage"],
            lo=f["coverage_lo"],
            hi=f["coverage_hi"],
            title=f"Promised {percent(self.confidence_level, 0)}: how often it held",
            note=f"On rows not used to calibrate. Average {size_word}: {spread} across groups.",
            fmt=lambda v: percent(v, 0),
            signed_colors=False,
            width=560,
        )

    def figure(self) -> Any:
        """The same bars in plotly, with the promise as a dashed line."""
        fig = self._bars_with_bounds("coverage", [label(v) for v in self.frame_.index])
        fig.add_vline(x=self.confidence_level, line_dash="dash")
        return fig
