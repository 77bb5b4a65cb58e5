"""The uncertainty component of a session: ``conformal`` and ``calibration``.

:class:`Uncertainty` depends on the :class:`~rai_widgets.session.core.SessionCore` interface
only; it predicts a held-out calibration set in one batched call and reuses the cached
predictions for X.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.conformal import ConformalResult, conformal_threshold
from rai_widgets.compute.conformal_adaptive import check_method, regression_scores
from rai_widgets.core.arguments import check_one_name, check_seed
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.validation import align_to_rows, as_frame, check_no_missing
from rai_widgets.session.core import SessionCore

__all__ = ["Uncertainty"]


class Uncertainty:
    """Conformal prediction sets / intervals and calibration per slice.

    Parameters
    ----------
    core : SessionCore
        The session.
    """

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    def _calibration_split(self, calibration: Any, random_state: Any):
        """(calibration outputs, calibration positions or None for a held-out set,
        evaluation positions, the held-out set: its features and y, or None)."""
        n = len(self._core.frame)
        if isinstance(calibration, (float, np.floating)):
            if not 0 < calibration < 1:
                raise ValidationError(
                    f"calibration as a fraction must be in (0, 1); got {calibration}."
                )
            rng = np.random.default_rng(0 if random_state is None else random_state)
            shuffled = rng.permutation(n)
            cut = round(calibration * n)
            if cut < 1 or cut >= n:
                raise ValidationError("calibration leaves no rows to calibrate or to evaluate.")
            cal, evaluation = np.sort(shuffled[:cut]), np.sort(shuffled[cut:])
            outputs = self._core.outputs()
            if self._core.y_values is None:
                raise ValidationError("conformal needs the true targets: this session has no y.")
            take = {
                "y_pred": outputs.y_pred[cal],
                "proba": None if outputs.proba is None else outputs.proba[cal],
            }
            return take, cal, evaluation, None
        if not isinstance(calibration, tuple) or len(calibration) != 2:
            raise ValidationError(
                "calibration must be a fraction of X (e.g. 0.5) or a held-out (X_cal, y_cal)."
            )
        X_cal, y_cal = calibration
        frame = as_frame(
            X_cal,
            feature_names=None
            if isinstance(X_cal, pd.DataFrame)
            else list(self._core.frame.columns),
        )
        y_series = align_to_rows(y_cal, frame.index, argument="y_cal")
        check_no_missing(y_series, argument="y_cal")
        if self._core.task_ != "regression":
            unknown = set(pd.unique(y_series.to_numpy()).tolist()) - set(
                self._core.class_labels().tolist()
            )
            if unknown:
                raise ValidationError(
                    f"the calibration set has class(es) {sorted(map(str, unknown))} that the "
                    f"model never saw (its classes: {self._core.class_labels().tolist()})."
                )
        model_input = frame if self._core.model_takes_frame else X_cal
        outputs = self._core.adapter.outputs(model_input)
        return (
            {"y_pred": outputs.y_pred, "proba": outputs.proba},
            None,
            np.arange(n),
            (frame, y_series.to_numpy()),
        )

    def conformal(
        self,
        *,
        confidence_level: float = 0.9,
        calibration: float | tuple = 0.5,
        mondrian_by: str | None = None,
        method: str | None = None,
        random_state: int | None = None,
    ) -> ConformalResult:
        """Split conformal prediction sets (classification) or intervals (regression).

        Parameters
        ----------
        confidence_level : float, default 0.9
            The coverage promised (MAPIE's name), in (0, 1).
        calibration : float or (X_cal, y_cal), default 0.5
            A held-out calibration set, or the fraction of X's rows used to calibrate (seeded);
            coverage is then measured on the other rows.
        mondrian_by : column name, optional
            Group-conditional (Mondrian) calibration: one threshold per value of this column,
            so each group gets the promised coverage. Needs a fraction of X as calibration.
        method : {"normalized", "absolute"}, optional
            Regression only. "normalized" (the default): the interval adapts to the case, its
            half-width is ``q * sigma(x)`` with ``sigma`` a model of the absolute residual
            fitted on half of the calibration rows and ``q`` set on the other half (MAPIE's
            "residual_normalized"). "absolute": the same width ``q`` for every case (MAPIE's
            "absolute"). Classifiers use "lac" (``1 - p(true class)``), the only method.
        random_state : int, optional
            Seed of the calibration split and of the scale model (default: the session's,
            else 0).

        Returns
        -------
        ConformalResult
            ``frame(by=...)`` gives ``n``, ``coverage`` (with bounds) and ``mean_set_size`` or
            ``mean_width`` per group; ``predictions()`` each row's set or interval;
            ``method`` says which method made it.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=500).fit(X, y), X, y)
        >>> result = s.conformal(confidence_level=0.9, random_state=0)
        >>> bool(result.frame()["coverage"].iloc[0] >= 0.8), result.method
        (True, 'lac')
        """
        real = isinstance(confidence_level, (float, np.floating)) and not isinstance(
            confidence_level, bool
        )
        if not real or not 0 < confidence_level < 1:
            raise ValidationError(
                f"confidence_level must be a number in (0, 1); got {confidence_level!r}."
            )
        method = check_method(method, self._core.task_)
        check_seed(random_state)
        if mondrian_by is not None:
            check_one_name(
                mondrian_by,
                argument="mondrian_by",
                hint="A Mondrian split is by one column; for intersections, pass their "
                "combined values as one sensitive feature.",
            )
            self._core.column(mondrian_by)  # an unknown column is named here
        if self._core.y_values is None:
            raise ValidationError("conformal needs y (to measure coverage); pass y.")
        seed = self._core.random_state if random_state is None else random_state
        seed = seed if isinstance(seed, (int, np.integer)) else None
        cal_out, cal, evaluation, held_out = self._calibration_split(calibration, seed)
        if mondrian_by is not None and not isinstance(calibration, (float, np.floating)):
            raise ValidationError("mondrian_by needs calibration given as a fraction of X.")
        outputs = self._core.outputs()
        # calibration scores and evaluation "distances" on the same scale
        regression = self._core.task_ == "regression"
        if regression:
            y_all = self._core.y_values.to_numpy()
            y_eval = y_all[evaluation]
            cal_features, y_cal = (
                (self._core.frame.iloc[cal], y_all[cal]) if held_out is None else held_out
            )
            scored = regression_scores(
                method, y_cal, cal_out["y_pred"], cal_features, random_state=seed
            )
            cal_scores, use = scored.scores, scored.use
            pred = outputs.y_pred[evaluation].astype(float)
        else:
            if outputs.proba is None or cal_out["proba"] is None:
                raise ValidationError("conformal sets need a classifier with predict_proba.")
            # each row's class position, read from the metric inputs (computed once): no
            # object copy of every label (on 10,000,000 text labels, about 0.6 GB)
            true_all = self._core.metric_inputs().class_indices[0]
            true_idx = true_all[evaluation]
            cal_idx = (
                true_all[cal]
                if held_out is None
                else pd.Index(self._core.classes_).get_indexer(held_out[1])
            )
            cal_scores = 1.0 - cal_out["proba"][np.arange(len(cal_idx)), cal_idx]
            use = np.ones(len(cal_scores), dtype=bool)
            proba = outputs.proba[evaluation]
        thresholds: dict = {}
        if mondrian_by is None:
            thresholds["overall"] = conformal_threshold(cal_scores[use], confidence_level)
            q = np.full(len(evaluation), thresholds["overall"])
        else:
            column = self._core.column(mondrian_by)
            codes, uniques = pd.factorize(column, use_na_sentinel=False)  # NaN: a group too
            cal_positions = np.setdiff1d(np.arange(len(self._core.frame)), evaluation)
            q = np.empty(len(evaluation))
            for code, value in enumerate(uniques):
                in_cal = (codes[cal_positions] == code) & use
                thresholds[value] = conformal_threshold(cal_scores[in_cal], confidence_level)
                q[codes[evaluation] == code] = thresholds[value]
        common = {
            "confidence_level": confidence_level,
            "index": self._core.frame.index[evaluation],
            "group_frame": self._core.group_frame(),
            "positions": evaluation,
            "thresholds": thresholds,
            "method": method,
            "n_calibration": int(use.sum()),
            "mondrian_by": mondrian_by,
        }
        if regression:
            scale = (
                np.ones(len(evaluation))
                if scored.scale_model is None
                else scored.scale_model.predict(self._core.frame.iloc[evaluation])
            )
            lower, upper = pred - q * scale, pred + q * scale
            y_float = y_eval.astype(float)
            return ConformalResult(
                covered=(y_float >= lower) & (y_float <= upper),
                size=upper - lower,
                sets=None,
                lower=lower,
                upper=upper,
                classes=None,
                scale=scale,
                scale_model=scored.scale_model,
                calibration_residuals=scored.signed[use],
                **common,
            )
        sets = (1.0 - proba) <= q[:, None]
        return ConformalResult(
            covered=sets[np.arange(len(true_idx)), true_idx],
            size=sets.sum(axis=1),
            sets=sets,
            lower=None,
            upper=None,
            classes=self._core.classes_,
            **common,
        )

    def calibration(
        self, by: Any = None, *, n_bins: int = 10, strategy: str = "quantile"
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Reliability per slice, expected calibration error and overconfidence.

        Parameters
        ----------
        by : grouping, optional
            As in ``slice_metrics`` (one column or None).
        n_bins : int, default 10
            Bins of predicted probability, shared by every slice.
        strategy : {"quantile", "uniform"}, default "quantile"
            Equal-count bins over the whole data, or equal-width bins.

        Returns
        -------
        bins, summary : pandas.DataFrame
            ``bins``: per (slice, bin) ``n``, ``mean_predicted``, ``observed`` with Wilson
            bounds. ``summary``: per slice ``n``, ``ece``, ``mean_confidence``, ``accuracy``,
            ``overconfidence`` (mean confidence minus accuracy: above 0, the model claims more
            than it delivers).

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> bins, summary = s.calibration(n_bins=5)
        >>> summary.columns.tolist()
        ['n', 'ece', 'mean_confidence', 'accuracy', 'overconfidence']
        """
        from rai_widgets.compute.calibration import calibration_tables
        from rai_widgets.core.arguments import check_int

        if self._core.task_ == "regression":
            raise ValidationError(
                "calibration applies to classifiers; for regression use conformal() intervals."
            )
        if strategy not in ("quantile", "uniform"):
            raise ValidationError(f"strategy must be 'quantile' or 'uniform'; got {strategy!r}.")
        check_int(n_bins, argument="n_bins", minimum=2)
        preds = self._core.predictions()
        if "confidence" not in preds or self._core.y_values is None:
            raise ValidationError("calibration needs y and a classifier with predict_proba.")
        if self._core.task_ == "binary":
            predicted = preds["score"].to_numpy()
            happened = (preds["y_true"] == self._core.pos_label_).to_numpy()
        else:
            predicted = preds["confidence"].to_numpy()
            happened = preds["correct"].to_numpy()
        slices = self._core.slices(by)
        return calibration_tables(
            predicted,
            happened,
            preds["confidence"].to_numpy(),
            preds["correct"].to_numpy(),
            slices.codes,
            slices.labels,
            n_bins=n_bins,
            strategy=strategy,
        )
