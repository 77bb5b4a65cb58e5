"""The fairness component of a session: blind spots and decision thresholds per group.

:class:`Fairness` depends on the :class:`~rai_widgets.session.core.SessionCore` interface only;
everything works on the cached predictions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from rai_widgets.compute.thresholds import (
    RATES,
    confusion_at,
    equalizing_thresholds,
    threshold_curves,
)
from rai_widgets.core.arguments import check_fraction, check_int
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import resolve_slices
from rai_widgets.core.validation import is_numeric
from rai_widgets.session.core import SessionCore

__all__ = ["Fairness"]

MAX_LEVELS = 30  # text columns with more distinct values are left out of the search


class Fairness:
    """Blind spots and per-group decision thresholds.

    Parameters
    ----------
    core : SessionCore
        The session.
    """

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    def weak_slices(
        self,
        *,
        features: Sequence[Any] | None = None,
        max_order: int = 2,
        metric: str | None = None,
        min_support: int = 30,
        alpha: float = 0.05,
    ) -> pd.DataFrame:
        """Search one- and two-feature slices where the model does significantly worse.

        Parameters
        ----------
        features : list of column names, optional
            Columns to slice by (X's columns and sensitive features); default all, numeric
            ones cut into quartiles, text columns with more than 30 values left out.
        max_order : {1, 2}, default 2
            Single columns, or also pairs (intersections).
        metric : {"error_rate", "abs_error"}, optional
            What "worse" means; default error rate (classification) or absolute error
            (regression).
        min_support : int, default 30
            Slices (and the rest) smaller than this are not tested.
        alpha : float, default 0.05
            False discovery rate (Benjamini-Hochberg).

        Returns
        -------
        pandas.DataFrame
            One row per tested slice, strongest evidence first: ``slice`` ("race = Black &
            sex = Female"), ``spec`` (the same as a dict, ``{"race": "Black", "sex":
            "Female"}``, which ``examples(slice=...)`` and ``Dashboard.selected_slice`` take),
            ``order``, ``n``, ``metric``, ``rest``, ``gap`` with 95% bounds, ``p_value``,
            ``q_value``, ``significant``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> table = s.weak_slices(features=["mean radius", "mean texture"])
        >>> table.columns[:4].tolist()
        ['slice', 'spec', 'order', 'n']
        """
        from rai_widgets.compute.weak_slices import search_weak_slices

        if self._core.y_values is None:
            raise ValidationError("weak_slices needs y; create the session with y.")
        if max_order not in (1, 2):
            raise ValidationError(f"max_order must be 1 or 2; got {max_order!r}.")
        check_int(min_support, argument="min_support", minimum=1)
        check_fraction(alpha, argument="alpha")
        if features is not None:
            # one name is one feature (a string is not a list of one-letter columns)
            features = [features] if isinstance(features, str) else list(features)
        default = "abs_error" if self._core.task_ == "regression" else "error_rate"
        metric = default if metric is None else metric
        if metric != default:
            raise ValidationError(f"metric for a {self._core.task_} task must be {default!r}.")
        state = self._core.state()
        key = (
            "weak_slices",
            state.model,
            state.data,
            None if features is None else tuple(features),
            max_order,
            min_support,
            alpha,
        )

        def compute() -> pd.DataFrame:
            preds = self._core.predictions()
            if self._core.task_ == "regression":
                loss, binary = np.abs(preds["residual"].to_numpy(dtype=float)), False
            else:
                loss, binary = (~preds["correct"].to_numpy(dtype=bool)).astype(float), True
            names = self._core.column_names() if features is None else list(features)
            columns = {}
            for name in names:
                values = self._core.column(name)
                if not is_numeric(values) and (levels := values.nunique()) > MAX_LEVELS:
                    if features is not None:
                        raise ValidationError(
                            f"{name!r} has {levels} values, more than {MAX_LEVELS}; "
                            "group them before searching."
                        )
                    continue
                # the session's own grouping (a numeric column with many values in quartile
                # bins): cached, so a slice found here is masked from the same codes later
                s = self._core.slices(name)
                columns[str(name)] = (s.codes, s.labels)
            table = search_weak_slices(
                columns,
                loss,
                binary_loss=binary,
                max_order=max_order,
                min_support=min_support,
                alpha=alpha,
            )
            original = {str(name): name for name in names}
            table["spec"] = [{original[c]: v for c, v in spec.items()} for spec in table["spec"]]
            return table

        # the Dashboard's summary, its blind spots, the audit and the card ask the same search
        table = self._core.cache.get_or_compute(key, compute).copy()
        table["spec"] = [dict(spec) for spec in table["spec"]]  # callers may edit theirs
        return table

    def threshold_tradeoffs(
        self, by: Any, *, thresholds: Sequence[float] | Mapping | float | None = None
    ) -> pd.DataFrame:
        """Per group and decision threshold: selection rate, TPR, FPR, FNR and confusion counts.

        Parameters
        ----------
        by : grouping
            As in ``slice_metrics``.
        thresholds : list of float, float or dict, optional
            Thresholds on the probability of ``pos_label_``: a list gives every group at each
            of them (default 0.00, 0.01, ..., 1.00); one number, or a dict from group label to
            threshold (groups left out use 0.5), gives each group at its own threshold. A row
            is selected when its probability is at least the threshold.

        Returns
        -------
        pandas.DataFrame
            Long format: the group, ``threshold``, ``n``, ``tp``, ``fp``, ``fn``, ``tn``,
            ``selection_rate``, ``tpr``, ``fpr``, ``fnr``, ``accuracy``; one row per group
            when each group is at its own threshold.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
        ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
        >>> s.threshold_tradeoffs("large", thresholds=[0.3, 0.7]).shape
        (4, 12)
        >>> table = s.threshold_tradeoffs("large", thresholds={True: 0.3, False: 0.7})
        >>> table[["large", "threshold"]].values.tolist()
        [[False, 0.7], [True, 0.3]]
        """
        score, actual, slices = self._binary_outcomes(by, "threshold_tradeoffs")
        if thresholds is None or isinstance(thresholds, (list, tuple, np.ndarray)):
            for value in [] if thresholds is None else thresholds:
                check_fraction(value, argument="thresholds", closed=True)
            grid = (
                np.round(np.linspace(0, 1, 101), 2)
                if thresholds is None
                else np.asarray(thresholds, dtype=float)
            )
            return threshold_curves(score, actual, slices, grid)
        values = thresholds.values() if isinstance(thresholds, Mapping) else [thresholds]
        for value in values:
            check_fraction(value, argument="thresholds", closed=True)
        table = confusion_at(score, actual, slices, cast(Mapping | float, thresholds))
        name = table.index.name if table.index.name is not None else "slice"
        return table.rename_axis(name).reset_index()

    def equalizing_thresholds(
        self, by: Any, *, rate: str = "selection_rate", target: float | None = None
    ) -> pd.DataFrame:
        """Per group, the decision threshold that brings ``rate`` closest to a common target.

        Equalising one rate moves others and usually costs accuracy: the result shows every
        rate and the accuracy at the chosen thresholds so the trade-off is visible. Choosing
        among these is a policy decision, not a technical one.

        Parameters
        ----------
        by : grouping
            As in ``slice_metrics``.
        rate : {"selection_rate", "tpr", "fpr"}, default "selection_rate"
            The rate to equalise: selection rate (demographic parity), true positive rate
            (equal opportunity) or false positive rate.
        target : float, optional
            The common value; default the overall rate at threshold 0.5.

        Returns
        -------
        pandas.DataFrame
            As ``threshold_tradeoffs(by, thresholds={...})`` at the chosen thresholds, plus
            ``target`` and
            ``gap`` (achieved minus target; not exactly zero when ties in the scores prevent
            it). A group with no row the rate is measured on gets a NaN threshold (its counts
            are at 0.5).

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
        ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
        >>> table = s.equalizing_thresholds("large", rate="tpr", target=0.9)
        >>> bool((table["gap"].abs() < 0.02).all())
        True
        """
        score, actual, slices = self._binary_outcomes(by, "equalizing_thresholds")
        if target is None:
            overall = confusion_at(
                score, actual, resolve_slices(None, self._core.column, self._core.frame.index), 0.5
            )
            target = float(overall[rate].iloc[0]) if rate in RATES else 0.0
        return equalizing_thresholds(score, actual, slices, rate=rate, target=target)

    def _binary_outcomes(self, by: Any, method: str) -> tuple[np.ndarray, np.ndarray, Any]:
        """(score of pos_label_, actual outcome is pos_label_, slices) for a binary task."""
        if self._core.task_ != "binary":
            raise ValidationError(
                f"{method} applies to binary tasks; this one is {self._core.task_}."
            )
        preds = self._core.predictions()
        if "y_true" not in preds:
            raise ValidationError(f"{method} needs y; create the session with y.")
        self._core.require_probabilities(method)
        score = preds["score"].to_numpy(dtype=float)
        actual = (preds["y_true"] == self._core.pos_label_).to_numpy()
        return score, actual, self._core.slices(by)
