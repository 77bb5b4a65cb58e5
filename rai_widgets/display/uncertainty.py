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
>>> "promised 90%" in CoverageDisplay.from_session(s, "large").to_svg()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.compute.calibration import calibration_tables
from rai_widgets.compute.from_predictions import (
    metric_inputs_from_predictions,
    one_dimensional,
    slices_from_values,
)
from rai_widgets.core.arguments import check_int
from rai_widgets.core.errors import ValidationError
from rai_widgets.display.base import ArrayLike, Display
from rai_widgets.display.reliability_panels import MIN_PANELS, reliability_panels
from rai_widgets.display.svg_base import (
    COLORS,
    LABEL_WIDTH,
    ROW_HEIGHT,
    VALUE_WIDTH,
    Scale,
    axis,
    escape,
    frame,
    nice_ticks,
    shorten,
    whisker,
)
from rai_widgets.formatting import bounds, count, label, number, percent
from rai_widgets.readings.reliability import reliability_note
from rai_widgets.readings.uncertainty import shared_decimals, with_unit

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["CoverageDisplay", "OutcomeDisplay", "ReliabilityDisplay"]


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
        cls, session: ModelSession, by: Any = None, *, n_bins: int = 10, strategy: str = "quantile"
    ) -> ReliabilityDisplay:
        """Compute ``session.calibration`` and build the display."""
        bins, summary = session.calibration(by, n_bins=n_bins, strategy=strategy)
        what = (
            f"P({session.core.class_description(session.pos_label_)})"
            if session.task_ == "binary"
            else "confidence"
        )
        return cls(bins, summary, what=what)

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        y_prob: ArrayLike,
        *,
        sensitive_features: ArrayLike | pd.DataFrame | None = None,
        pos_label: Any = None,
        n_bins: int = 10,
        strategy: str = "quantile",
    ) -> ReliabilityDisplay:
        """The same diagram from arrays a user already has: no model, no session.

        Parameters
        ----------
        y_true : array-like of shape (n_rows,)
            True labels of a binary task.
        y_prob : array-like of shape (n_rows,)
            The probability the model gave the positive class.
        sensitive_features : Series, array or DataFrame, optional
            Each row's group: one curve per group (default: one curve for all rows).
        pos_label : label, optional
            The positive class (default the last of the two labels, sorted).
        n_bins : int, default 10
            Bins of predicted probability, shared by every group.
        strategy : {"quantile", "uniform"}, default "quantile"
            Equal-count bins over all rows, or equal-width bins.

        Returns
        -------
        ReliabilityDisplay

        Raises
        ------
        ValidationError
            If ``y_prob`` is not one probability per row in [0, 1], or ``y_true`` has more
            than two labels.

        Examples
        --------
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> p = rng.uniform(size=1000)
        >>> y = rng.uniform(size=1000) < p  # an honest model
        >>> d = ReliabilityDisplay.from_predictions(y, p, n_bins=5)
        >>> float(d.summary_.loc["overall", "ece"]) < 0.05
        True
        """
        if strategy not in ("quantile", "uniform"):
            raise ValidationError(f"strategy must be 'quantile' or 'uniform'; got {strategy!r}.")
        check_int(n_bins, argument="n_bins", minimum=2)
        truth = one_dimensional(y_true, argument="y_true")
        prob = one_dimensional(y_prob, argument="y_prob", n_rows=len(truth))
        try:
            predicted = prob.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise ValidationError("y_prob must be probabilities (numbers in [0, 1]).") from None
        outside = ~((predicted >= 0) & (predicted <= 1))
        if outside.any():
            first = int(np.flatnonzero(outside)[0])
            raise ValidationError(
                f"y_prob must be probabilities in [0, 1]; position {first}"
                f" holds {predicted[outside][0]!r}. A decision score needs a calibrated "
                "probability first."
            )
        inputs = metric_inputs_from_predictions(truth, truth, task="binary", pos_label=pos_label)
        happened = truth.to_numpy(dtype=object) == inputs.pos_label
        slices = slices_from_values(
            sensitive_features, n_rows=len(truth), argument="sensitive_features"
        )
        bins, summary = calibration_tables(
            predicted,
            happened,
            np.maximum(predicted, 1 - predicted),
            (predicted >= 0.5) == happened,
            slices.codes,
            slices.labels,
            n_bins=n_bins,
            strategy=strategy,
        )
        pos = inputs.pos_label
        if not isinstance(pos, str):
            pos = f"{truth.name if truth.name is not None else 'class'} = {pos}"
        return cls(bins, summary, what=f"P({pos})")

    def _series(self) -> dict:
        name = self.frame_.columns[0]
        return {
            f"{label(g)} (calibration error {number(self.summary_.loc[g, 'ece'], decimals=2)})": (
                part["mean_predicted"].to_numpy(),
                part["observed"].to_numpy(),
                part["observed_lo"].to_numpy(),
                part["observed_hi"].to_numpy(),
            )
            for g, part in self.frame_.groupby(name, sort=False)
        }

    def to_svg(self) -> str:
        """The reliability diagram: one panel per group from three groups on (the others faint
        behind it), else one chart (:func:`~.reliability_panels.reliability_panels`)."""
        series = self._series()
        return reliability_panels(
            series,
            title="Does the model mean what it says?",
            note=reliability_note(self.what, panels=len(series) >= MIN_PANELS),
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
    unit : str, optional
        The target's unit, for the average widths (regression).
    n_classes : int, optional
        How many classes the sets are drawn from (classification): the note reads the
        average set size against it ("3.64 to 4 of 5 classes").

    Examples
    --------
    >>> f = pd.DataFrame({"n": [40, 60], "coverage": [0.9, 0.92], "coverage_lo": [0.77, 0.82],
    ...                   "coverage_hi": [0.96, 0.96], "mean_width": [64.6, 117.2]},
    ...                  index=["a", "b"])
    >>> "Average width: 64.6 to 117 thousand dollars" in CoverageDisplay(
    ...     f, confidence_level=0.9, unit="thousand dollars").to_svg()
    True
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        confidence_level: float,
        unit: str | None = None,
        n_classes: int | None = None,
    ) -> None:
        self.frame_ = frame.copy()
        self.confidence_level = confidence_level
        self.unit = unit
        self.n_classes = n_classes

    @classmethod
    def from_conformal(
        cls, result: Any, by: Any = None, *, unit: str | None = None
    ) -> CoverageDisplay:
        """Build the display from a ``ModelSession.conformal`` result (``unit``: the target's,
        for regression)."""
        n_classes = None if result.sets is None else int(result.sets.shape[1])
        return cls(
            result.frame(by=by),
            confidence_level=result.confidence_level,
            unit=unit,
            n_classes=n_classes,
        )

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        by: Any = None,
        *,
        confidence_level: float = 0.9,
        calibration: Any = 0.5,
    ) -> CoverageDisplay:
        """Run ``session.conformal`` and build the display."""
        result = session.conformal(confidence_level=confidence_level, calibration=calibration)
        return cls.from_conformal(result, by, unit=session.target_unit)

    def to_svg(self) -> str:
        """Coverage bars with Wilson bounds and a labelled line at the promised level; a group
        whose upper bound is below the promise is drawn in the warning colour. The note gives
        the average set size or width."""
        f = self.frame_
        level = self.confidence_level
        size = "mean_width" if "mean_width" in f else "mean_set_size"
        size_word = "width" if size == "mean_width" else "set size"
        low, high = f[size].min(), f[size].max()
        spread = number(low, 3) if np.isclose(low, high) else bounds(low, high, digits=3)
        if size == "mean_width" and self.unit:
            spread = f"{spread} {self.unit}"
        elif size == "mean_set_size" and self.n_classes:
            spread = f"{spread} of {count(self.n_classes)} classes"
        width, top = 560, 62
        height = top + ROW_HEIGHT * len(f) + 28
        scale = Scale(0.0, 1.0, LABEL_WIDTH, width - VALUE_WIDTH)
        body = axis(scale, top, top + ROW_HEIGHT * len(f), lambda v: percent(v, 0))
        for i, (group, row) in enumerate(f.iterrows()):
            y = top + i * ROW_HEIGHT
            name = f"{label(group)} (n={count(row['n'])})"
            cover, lo, hi = row["coverage"], row["coverage_lo"], row["coverage_hi"]
            body.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
                f'fill="{COLORS["text"]}">{escape(shorten(name))}<title>{escape(name)}</title>'
                "</text>"
            )
            if not np.isfinite(cover):
                body.append(
                    f'<text x="{LABEL_WIDTH + 4}" y="{y + 16}" fill="{COLORS["axis"]}">n/a</text>'
                )
                continue
            color = COLORS["worse"] if hi < level else COLORS["better"]
            shown = f"{percent(cover, 0)} ({bounds(lo, hi, kind='percent', digits=0)})"
            body.append(
                f'<rect x="{scale(0.0):.1f}" y="{y + 5}" '
                f'width="{max(scale(cover) - scale(0.0), 1):.1f}" height="14" fill="{color}" '
                f'rx="2"><title>{escape(name)}: {escape(shown)}</title></rect>'
            )
            a, b = scale(lo), scale(hi)
            body.append(
                whisker(a, b, y + 12) + f'<text x="{width - VALUE_WIDTH + 6}" y="{y + 16}" '
                f'fill="{COLORS["text"]}">{escape(percent(cover, 0))}</text>'
            )
        at = scale(level)
        body.append(
            f'<line class="rai-promise" x1="{at:.1f}" y1="{top - 6}" x2="{at:.1f}" '
            f'y2="{top + ROW_HEIGHT * len(f)}" stroke="{COLORS["text"]}" stroke-width="1.5" '
            f'stroke-dasharray="5 3"><title>promised {percent(level, 0)}</title></line>'
            f'<text x="{at:.1f}" y="{top - 9}" text-anchor="middle" font-size="11" '
            f'fill="{COLORS["text"]}">promised {escape(percent(level, 0))}</text>'
        )
        return frame(
            width,
            height,
            body,
            f"Promised {percent(level, 0)}: how often it held",
            f"On rows not used to calibrate. Average {size_word}: {spread} across groups."
            + (" Orange: below the promise." if (f["coverage_hi"] < level).any() else ""),
        )

    def figure(self) -> Any:
        """The same bars in plotly, with the promise as a dashed line."""
        fig = self._bars_with_bounds("coverage", [label(v) for v in self.frame_.index])
        fig.add_vline(x=self.confidence_level, line_dash="dash")
        return fig


class OutcomeDisplay(Display):
    """A quantile dotplot of one regression case: equally likely outcomes, the prediction
    (a line) and the conformal interval (a shaded band), on the case's own residual scale.

    Parameters
    ----------
    outcomes : array-like
        Equally likely outcomes (``ConformalResult.outcomes_for``).
    prediction : float
        The model's prediction.
    lower, upper : float
        The conformal interval.
    confidence_level : float
        Its promised coverage.
    unit : str, optional
        The target's unit.

    Examples
    --------
    >>> d = OutcomeDisplay([8.0, 9.5, 10.0, 11.0], prediction=10.0, lower=8.5, upper=11.5,
    ...                    confidence_level=0.9, unit="years")
    >>> svg = d.to_svg()
    >>> "prediction" in svg and "90% interval" in svg and svg.count("<circle") == 4
    True
    """

    def __init__(
        self,
        outcomes: Any,
        *,
        prediction: float,
        lower: float,
        upper: float,
        confidence_level: float,
        unit: str | None = None,
    ) -> None:
        self.frame_ = pd.DataFrame({"outcome": np.asarray(outcomes, dtype=float)})
        self.prediction = float(prediction)
        self.lower, self.upper = float(lower), float(upper)
        self.confidence_level = confidence_level
        self.unit = unit

    @classmethod
    def from_conformal(
        cls, result: Any, features: pd.DataFrame, y_pred: float, *, unit: str | None = None
    ) -> OutcomeDisplay:
        """The dotplot of one case (``features``: its raw row) from a regression
        ``ConformalResult``."""
        lower, upper = result.interval_for(features, [y_pred])
        return cls(
            result.outcomes_for(features, y_pred),
            prediction=y_pred,
            lower=lower[0],
            upper=upper[0],
            confidence_level=result.confidence_level,
            unit=unit,
        )

    def _fmt(self, v: float, unit: bool = True) -> str:
        shown = [self.prediction, self.lower, self.upper]
        return with_unit(v, self.unit if unit else None, shared_decimals(shown))

    def to_svg(self) -> str:
        """Dots stacked where they meet, the interval shaded, the prediction as a line."""
        values = self.frame_["outcome"].to_numpy()
        band = np.isfinite(self.lower) and np.isfinite(self.upper)
        span = np.concatenate([values, [self.prediction], [self.lower, self.upper] if band else []])
        span = span[np.isfinite(span)]
        width, left, base = 640, 30, 150
        right = width - 30
        scale = Scale(float(span.min()), float(span.max()), left, right)
        level = percent(self.confidence_level, 0)
        body = []
        if band:
            a, b = scale(self.lower), scale(self.upper)
            interval = (
                f"{level} interval: {self._fmt(self.lower, False)} to {self._fmt(self.upper)}"
            )
            body.append(
                f'<rect class="rai-interval" x="{a:.1f}" y="52" width="{max(b - a, 1):.1f}" '
                f'height="{base - 52}" fill="{COLORS["series"][0]}" fill-opacity="0.12">'
                f"<title>{escape(interval)}</title></rect>"
                f'<text x="{a + 3:.1f}" y="64" font-size="11" fill="{COLORS["muted"]}">'
                f"{escape(interval)}</text>"
            )
        stacks: dict[int, int] = {}
        for v in values:
            column = round((scale(v) - left) / 12)
            height = stacks.get(column, 0)
            stacks[column] = height + 1
            body.append(
                f'<circle cx="{left + column * 12:.1f}" cy="{base - 6 - height * 12}" r="5" '
                f'fill="{COLORS["series"][0]}"><title>{escape(self._fmt(v))}</title></circle>'
            )
        at = scale(self.prediction)
        guess = f"prediction: {self._fmt(self.prediction)}"
        body.append(
            f'<line class="rai-prediction" x1="{at:.1f}" y1="70" x2="{at:.1f}" y2="{base}" '
            f'stroke="{COLORS["text"]}" stroke-width="2"><title>{escape(guess)}</title></line>'
            f'<text x="{at:.1f}" y="{base + 30}" text-anchor="middle" font-size="11" '
            f'font-weight="600" fill="{COLORS["text"]}">{escape(guess)}</text>'
        )
        for t in nice_ticks(scale.lo, scale.hi, 5):
            body.append(
                f'<text x="{scale(t):.1f}" y="{base + 14}" text-anchor="middle" '
                f'font-size="11" fill="{COLORS["muted"]}">{escape(number(t, 3))}</text>'
            )
        body.append(
            f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{COLORS["axis"]}"/>'
        )
        unit = f" (in {self.unit})" if self.unit else ""
        note = (
            f"Each dot is one of {len(values)} equally likely outcomes for this case{unit}; "
            f"shaded: the {level} interval."
        )
        return frame(width, base + 40, body, "Likely outcomes for this case", note)

    def figure(self) -> Any:
        """The same dotplot in plotly."""
        go = self._plotly()
        values = np.sort(self.frame_["outcome"].to_numpy())
        fig = go.Figure(go.Scatter(x=values, y=np.zeros(len(values)), mode="markers"))
        if np.isfinite(self.lower) and np.isfinite(self.upper):
            fig.add_vrect(
                x0=self.lower,
                x1=self.upper,
                opacity=0.15,
                annotation_text=f"{percent(self.confidence_level, 0)} interval",
            )
        fig.add_vline(x=self.prediction, annotation_text="prediction")
        return fig
