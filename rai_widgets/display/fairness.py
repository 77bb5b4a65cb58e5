"""Fairness displays: differences between groups, and rates across decision thresholds.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> display = DisparityDisplay.from_session(s, "large", metric="accuracy")
>>> display.frame()[["n", "difference"]].shape
(2, 2)
>>> ThresholdDisplay.from_session(s, "large", rate="tpr").to_svg().startswith("<svg")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.from_predictions import (
    metric_inputs_from_predictions,
    slices_from_values,
)
from rai_widgets.compute.intervals import DEFAULT_N_BOOT
from rai_widgets.compute.slice_metrics import compute_slice_metrics
from rai_widgets.core.metrics import METRICS, task_metrics
from rai_widgets.display.base import ArrayLike, Display
from rai_widgets.display.svg import bar_chart, line_chart
from rai_widgets.formatting import label
from rai_widgets.formatting_metrics import metric_difference, metric_name
from rai_widgets.readings.metrics import direction
from rai_widgets.views.thresholds import counts_at

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

# Old name still imported by widgets/comparison_view.py: remove once it uses
# rai_widgets.formatting.label.
group_label = label

__all__ = [
    "RATE_NAMES",
    "RATE_SHORT",
    "DisparityDisplay",
    "ThresholdDisplay",
    "group_label",
]

#: Short names of the rates a threshold moves, for titles (from the metric registry).
RATE_SHORT = {k: m.rate_title for k, m in METRICS.items() if m.rate_title}

#: Plain names of the rates a threshold moves (from the metric registry).
RATE_NAMES = {k: m.rate_words for k, m in METRICS.items() if m.rate_words}


class DisparityDisplay(Display):
    """How far each group's metric is from a reference group's, with MOVER 95% bounds.

    Parameters
    ----------
    disparities : pandas.DataFrame
        ``ModelSession.disparities`` output (its ``attrs["reference"]`` names the reference).
    metric : str
        The metric compared.
    """

    def __init__(self, disparities: pd.DataFrame, *, metric: str) -> None:
        self.frame_ = disparities.copy()
        self.metric = metric
        self.reference = disparities.attrs.get("reference")

    @classmethod
    def from_session(
        cls, session: ModelSession, by: Any, *, metric: str, reference: Any = None
    ) -> DisparityDisplay:
        """Compute the differences with ``session.disparities`` and build the display."""
        return cls(session.disparities(by, metric=metric, reference=reference), metric=metric)

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        y_pred: ArrayLike,
        *,
        sensitive_features: ArrayLike | pd.DataFrame,
        metric: str,
        y_score: ArrayLike | None = None,
        pos_label: Any = None,
        reference: Any = None,
        ci: float | None = 0.95,
        n_boot: int = DEFAULT_N_BOOT,
        random_state: int | np.random.Generator | None = None,
    ) -> DisparityDisplay:
        """The same chart from arrays a user already has: no model, no session.

        Parameters
        ----------
        y_true, y_pred : array-like of shape (n_rows,)
            True and predicted labels, or values for a regression metric (``mae``, ``rmse``,
            ``mean_prediction``, ``mean_residual``).
        sensitive_features : Series, array or DataFrame
            Each row's group (a DataFrame: the intersections of its columns). Numeric values
            with more than 10 distinct values are cut into quartiles.
        metric : str
            The metric compared, e.g. ``"selection_rate"``, ``"tpr"``, ``"accuracy"``,
            ``"mae"``; ``"auc"`` and ``"brier"`` need ``y_score``.
        y_score : array-like, optional
            Binary only: the positive class's probability or score.
        pos_label : label, optional
            Binary only: the positive class (default the last of the two labels, sorted).
        reference : label, optional
            The group compared against; default the largest.
        ci : float or None, default 0.95
            Coverage of the bounds (Wilson for proportions, bootstrap otherwise, MOVER for the
            difference).
        n_boot : int, default 200
            Bootstrap replicates for metrics that are not proportions.
        random_state : int, Generator or None
            Seed of the bootstrap.

        Returns
        -------
        DisparityDisplay

        Examples
        --------
        >>> import rai_widgets as rw
        >>> data = rw.datasets.load_adult()
        >>> y = data.target.iloc[:2000]
        >>> guess = y.sample(frac=1, random_state=0).to_numpy()  # a coin-like model
        >>> d = DisparityDisplay.from_predictions(
        ...     y, guess, sensitive_features=data.data["sex"].iloc[:2000], metric="accuracy")
        >>> d.reference, d.frame()["n"].sum()
        ('Male', np.int64(2000))
        """
        task = "regression" if metric in task_metrics("regression") else None
        inputs = metric_inputs_from_predictions(
            y_true, y_pred, task=task, y_score=y_score, pos_label=pos_label
        )
        slices = slices_from_values(
            sensitive_features, n_rows=len(inputs.y_true), argument="sensitive_features"
        )
        table = compute_slice_metrics(
            inputs, slices, metrics=[metric], ci=ci, n_boot=n_boot, random_state=random_state
        )
        return cls(compute_disparities(table, metric=metric, reference=reference), metric=metric)

    def to_svg(self) -> str:
        """Bars of the difference from the reference group, with their bounds."""
        f = self.frame_
        return bar_chart(
            [label(k) for k in f.index],
            f["difference"],
            lo=f["difference_lo"],
            hi=f["difference_hi"],
            title=f"{metric_name(self.metric)}: difference from {label(self.reference)} "
            "(reference)",
            note="Bars whose likely range crosses zero: no difference the data can show.",
            fmt=lambda v: metric_difference(self.metric, v),
            width=700,
            better=direction(self.metric),
        )

    def figure(self) -> Any:
        """The same bars in plotly."""
        return self._bars_with_bounds("difference", [label(k) for k in self.frame_.index])


class ThresholdDisplay(Display):
    """A rate per group across decision thresholds, with each group's chosen threshold marked.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``ModelSession.threshold_tradeoffs`` output (long: group, threshold, counts, rates).
    chosen : pandas.DataFrame
        :func:`~rai_widgets.views.thresholds.counts_at`: each group at its chosen threshold.
    rate : {"selection_rate", "tpr", "fpr", "fnr"}
        The rate drawn.

    Attributes
    ----------
    chosen_ : pandas.DataFrame
        Confusion counts and rates per group at the chosen thresholds.
    """

    def __init__(self, curves: pd.DataFrame, chosen: pd.DataFrame, *, rate: str) -> None:
        self.frame_ = curves.copy()
        self.chosen_ = chosen.copy()
        self.rate = rate

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        by: Any,
        *,
        rate: str = "selection_rate",
        thresholds: Mapping | float = 0.5,
    ) -> ThresholdDisplay:
        """Compute the curves and the counts at ``thresholds`` and build the display."""
        return cls(session.threshold_tradeoffs(by), counts_at(session, by, thresholds), rate=rate)

    def _series(self) -> dict:
        group = self.frame_.columns[0]
        return {
            label(key): (part["threshold"].to_numpy(), part[self.rate].to_numpy())
            for key, part in self.frame_.groupby(group, sort=False)
        }

    def to_svg(self) -> str:
        """One line per group; a ring marks each group's chosen threshold."""
        markers = {
            label(key): (row["threshold"], row[self.rate])
            for key, row in self.chosen_.iterrows()
            if np.isfinite(row["threshold"])
        }
        return line_chart(
            self._series(),
            markers=markers,
            x_label="threshold (probability needed to select)",
            y_label=RATE_NAMES[self.rate],
            title=f"{RATE_SHORT[self.rate]} as the threshold moves",
            note="Rings: each group's current threshold.",
            width=440,
        )

    def figure(self) -> Any:
        """The same curves in plotly."""
        go = self._plotly()
        fig = go.Figure()
        for name, (x, y) in self._series().items():
            fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name))
        fig.update_layout(xaxis_title="threshold", yaxis_title=RATE_NAMES[self.rate])
        return fig
