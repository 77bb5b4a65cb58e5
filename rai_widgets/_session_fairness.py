"""ModelSession's fairness methods: ``weak_slices`` and ``threshold_tradeoffs``.

A mixin of :class:`~rai_widgets.session.ModelSession`; both work on the cached predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import Bins, resolve_slices
from rai_widgets.core.validation import check_int, is_numeric

__all__ = ["FairnessMethods"]

MAX_LEVELS = 30  # text columns with more distinct values are left out of the search


class FairnessMethods:
    """Fairness methods of ModelSession (a mixin)."""

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
            sex = Female"), ``order``, ``n``, ``metric``, ``rest``, ``gap`` with 95% bounds,
            ``p_value``, ``q_value``, ``significant``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> table = s.weak_slices(features=["mean radius", "mean texture"])
        >>> table.columns[:4].tolist()
        ['slice', 'order', 'n', 'metric']
        """
        from rai_widgets.compute.weak_slices import search_weak_slices

        if self._y is None:
            raise ValidationError("weak_slices needs y; create the session with y.")
        if max_order not in (1, 2):
            raise ValidationError(f"max_order must be 1 or 2; got {max_order!r}.")
        check_int(min_support, argument="min_support", minimum=1)
        if not 0 < alpha < 1:
            raise ValidationError(f"alpha must be in (0, 1); got {alpha!r}.")
        default = "abs_error" if self.task_ == "regression" else "error_rate"
        metric = default if metric is None else metric
        if metric != default:
            raise ValidationError(f"metric for a {self.task_} task must be {default!r}.")
        preds = self.predictions()
        if self.task_ == "regression":
            loss, binary = np.abs(preds["residual"].to_numpy(dtype=float)), False
        else:
            loss, binary = (~preds["correct"].to_numpy(dtype=bool)).astype(float), True
        names = (
            list(self._X.columns) + [c for c in self._extra.columns]
            if features is None
            else list(features)
        )
        columns = {}
        for name in names:
            values = self._column(name)
            spec = Bins(name) if is_numeric(values) and values.nunique() > 10 else name
            if not is_numeric(values) and values.nunique() > MAX_LEVELS:
                if features is not None:
                    raise ValidationError(
                        f"{name!r} has {values.nunique()} values, more than {MAX_LEVELS}; "
                        "group them before searching."
                    )
                continue
            s = resolve_slices(spec, self._column, self._X.index)
            columns[str(name)] = (s.codes, s.labels)
        return search_weak_slices(
            columns,
            loss,
            binary_loss=binary,
            max_order=max_order,
            min_support=min_support,
            alpha=alpha,
        )

    def threshold_tradeoffs(
        self, by: Any, *, thresholds: Sequence[float] | None = None
    ) -> pd.DataFrame:
        """Per group and decision threshold: selection rate, TPR, FPR, FNR and confusion counts.

        Parameters
        ----------
        by : grouping
            As in ``slice_metrics``.
        thresholds : list of float, optional
            Thresholds on the probability of ``pos_label_`` (default 0.00, 0.01, ..., 1.00).

        Returns
        -------
        pandas.DataFrame
            Long format: the group, ``threshold``, ``n``, ``tp``, ``fp``, ``fn``, ``tn``,
            ``selection_rate``, ``tpr``, ``fpr``, ``fnr``.
        """
        if self.task_ != "binary":
            raise ValidationError("threshold_tradeoffs applies to binary tasks.")
        preds = self.predictions()
        if "y_true" not in preds:
            raise ValidationError("threshold_tradeoffs needs y.")
        grid = (
            np.round(np.linspace(0, 1, 101), 2)
            if thresholds is None
            else np.asarray(thresholds, dtype=float)
        )
        slices = self.slices(by)
        score = preds["score"].to_numpy()
        actual = (preds["y_true"] == self.pos_label_).to_numpy()
        records = []
        for label, positions in slices:
            s, a = score[positions], actual[positions]
            chosen = s[None, :] >= grid[:, None]
            tp = (chosen & a).sum(axis=1)
            fp = (chosen & ~a).sum(axis=1)
            fn = a.sum() - tp
            tn = (~a).sum() - fp
            for i, t in enumerate(grid):
                records.append((label, t, len(positions), tp[i], fp[i], fn[i], tn[i]))
        name = slices.labels.name if slices.labels.name is not None else "slice"
        table = pd.DataFrame(records, columns=[name, "threshold", "n", "tp", "fp", "fn", "tn"])
        with np.errstate(invalid="ignore", divide="ignore"):
            table["selection_rate"] = (table["tp"] + table["fp"]) / table["n"]
            table["tpr"] = table["tp"] / (table["tp"] + table["fn"])
            table["fpr"] = table["fp"] / (table["fp"] + table["tn"])
            table["fnr"] = 1 - table["tpr"]
        return table
