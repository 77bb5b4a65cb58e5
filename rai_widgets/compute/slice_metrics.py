"""Metrics per slice, with confidence bounds and a low-support flag, in one vectorised pass.

The functions here take the session's cached prediction arrays (:class:`MetricInputs`) and a
:class:`~rai_widgets.core.slices.SliceSet`, and return a tidy DataFrame with one row per slice:
``n``, then for each metric its value and ``<metric>_lo`` / ``<metric>_hi`` bounds, then
``low_support``. Proportions get Wilson intervals; other metrics a seeded percentile bootstrap
within each slice (see :mod:`rai_widgets.compute.intervals`).

Metrics, by task:

* binary: ``accuracy``, ``selection_rate`` (share predicted ``pos_label``), ``tpr``, ``fpr``,
  ``fnr``, ``precision``; with scores ``auc``; with probabilities ``brier``.
* multiclass: ``accuracy``; for every class c the one-vs-rest ``selection_rate_c``, ``tpr_c``,
  ``fpr_c``, ``fnr_c``, ``precision_c``; macro averages ``macro_tpr`` (balanced accuracy),
  ``macro_fpr``, ``macro_fnr``, ``macro_precision`` (a prefix: no class name can clash); with
  probabilities ``auc`` (macro one-vs-rest over the classes present in the slice) and ``brier``
  (sum over classes, as scikit-learn).
* regression: ``mae``, ``rmse``, ``mean_prediction``, ``mean_residual`` (y_true - y_pred).

Undefined values (a TPR in a slice without positives) are NaN, never 0.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from rai_widgets.core.slices import SliceSet
>>> inputs = MetricInputs(task="regression", y_true=np.array([1.0, 2.0, 3.0, 5.0]),
...                       y_pred=np.array([1.0, 2.0, 2.0, 4.0]))
>>> s = SliceSet.from_codes(np.array([0, 0, 1, 1]), pd.Index(["a", "b"], name="g"))
>>> compute_slice_metrics(inputs, s, metrics=["mae"], ci=None)
   n  mae  low_support
g
a  2  0.0         True
b  2  1.0         True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.class_positions import class_positions
from rai_widgets.compute.grouped import (
    batched_auc,
    grouped_auc,
    grouped_mean,
    grouped_sum,
    presorted_batched_auc,
    score_sorted_order,
)
from rai_widgets.compute.intervals import (
    DEFAULT_MAX_RESAMPLE,
    DEFAULT_N_BOOT,
    grouped_bootstrap,
    wilson_interval,
)
from rai_widgets.core.arguments import check_int, check_names
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.metrics import METRICS, offered_metrics, task_metrics
from rai_widgets.core.slices import SliceSet

__all__ = [
    "DEFAULT_MIN_SUPPORT",
    "MetricInputs",
    "available_metrics",
    "compute_slice_metrics",
    "metric_names_for",
]

DEFAULT_MIN_SUPPORT = 30
MIN_CLASS_SUPPORT = 10  # fewer of either class: AUC bounds under-cover (84% at 6 positives)
MIN_N_BOOT = 10  # fewer replicates cannot place a 2.5% quantile
# the bootstrapped metrics of a task, in the registry's order
_REGRESSION = tuple(task_metrics("regression"))
_MULTICLASS_BOOTSTRAP = tuple(
    k for k in task_metrics("multiclass") if METRICS[k].bounds == "bootstrap"
)


@dataclass(frozen=True)
class MetricInputs:
    """The cached per-row arrays that slice metrics are computed from.

    Attributes
    ----------
    task : {"binary", "multiclass", "regression"}
    y_true, y_pred : numpy.ndarray or pandas ExtensionArray
        Labels (classification) or values (regression).
    score : numpy.ndarray, optional
        Binary: score of ``pos_label`` (probability or decision value).
    proba : numpy.ndarray, optional
        Class probabilities, shape (n_rows, n_classes), columns in ``classes`` order.
    classes : numpy.ndarray, optional
    pos_label : optional
    score_is_probability : bool
        Whether ``score`` is a probability (Brier needs one).
    """

    task: str
    y_true: np.ndarray
    y_pred: np.ndarray
    score: np.ndarray | None = None
    proba: np.ndarray | None = None
    classes: np.ndarray | None = None
    pos_label: Any = None
    score_is_probability: bool = False

    @cached_property
    def class_indices(self) -> tuple[np.ndarray, np.ndarray]:
        """Positions of y_true and y_pred in ``classes`` (-1 for a label not among them)."""
        lookup = pd.Index(self.classes)
        return class_positions(lookup, self.y_true), class_positions(lookup, self.y_pred)

    @cached_property
    def score_order(self) -> np.ndarray:
        """``argsort(score)``: shared by every slicing's AUC and bootstrap."""
        return np.argsort(_given(self.score, "score"), kind="stable")

    @cached_property
    def pos_index(self) -> int:
        """Position of ``pos_label`` in ``classes``."""
        return list(_given(self.classes, "classes")).index(self.pos_label)


def _given(values: np.ndarray | None, name: str) -> np.ndarray:
    """``values``, an optional input of :class:`MetricInputs` that a metric cannot do without."""
    if values is None:
        raise TypeError(f"These metrics need MetricInputs.{name}; got None.")
    return values


def available_metrics(inputs: MetricInputs) -> list[str]:
    """Names of the metrics this task and these model outputs support, in display order.

    Examples
    --------
    >>> import numpy as np
    >>> available_metrics(MetricInputs("regression", np.zeros(1), np.zeros(1)))
    ['mae', 'rmse', 'mean_prediction', 'mean_residual']
    """
    if inputs.task == "binary":
        probabilities = inputs.score_is_probability
    else:
        probabilities = inputs.proba is not None
    return metric_names_for(
        inputs.task,
        inputs.classes,
        has_score=inputs.score is not None,
        has_probabilities=probabilities,
    )


def metric_names_for(
    task: str, classes: Any, *, has_score: bool, has_probabilities: bool
) -> list[str]:
    """Names of the metrics a task supports, from what the model can give (known before it
    has predicted anything), in display order.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
        The session's task.
    classes : array-like or None
        The classes (their names make the per-class metrics).
    has_score : bool
        The model gives a score for the positive class (probabilities or a margin).
    has_probabilities : bool
        The model gives probabilities (``predict_proba``).

    Returns
    -------
    list of str

    Examples
    --------
    >>> metric_names_for("binary", [0, 1], has_score=True, has_probabilities=False)[-1]
    'auc'
    >>> names = metric_names_for("multiclass", ["a", "b"], has_score=False, has_probabilities=False)
    >>> names[:2]
    ['accuracy', 'selection_rate_a']
    """
    return offered_metrics(task, classes, has_score=has_score, has_probabilities=has_probabilities)


# --- proportions: numerator and denominator per slice -------------------------------------
def _binary_proportions(inputs: MetricInputs, slices: SliceSet) -> dict[str, tuple]:
    true_idx, pred_idx = inputs.class_indices
    actual = true_idx == inputs.pos_index
    predicted = pred_idx == inputs.pos_index
    # one pass: a confusion-matrix cell per (slice, actual, predicted)
    cell = slices.codes * 4 + actual * 2 + predicted
    counts = np.bincount(cell, minlength=4 * len(slices)).reshape(len(slices), 4).astype(float)
    fp, fn, tp = counts[:, 1], counts[:, 2], counts[:, 3]  # columns: tn, fp, fn, tp
    n = counts.sum(axis=1)
    correct = grouped_sum(slices, (true_idx == pred_idx) & (true_idx >= 0))
    positives, negatives = tp + fn, n - tp - fn
    return {
        "accuracy": (correct, n),
        "selection_rate": (tp + fp, n),
        "tpr": (tp, positives),
        "fpr": (fp, negatives),
        "fnr": (fn, positives),
        "precision": (tp, tp + fp),
    }


def _multiclass_counts(inputs: MetricInputs, slices: SliceSet) -> tuple[np.ndarray, ...]:
    """Per (slice, class) counts of true, predicted and true-and-predicted rows."""
    k = len(_given(inputs.classes, "classes"))
    true_idx, pred_idx = inputs.class_indices
    size = len(slices) * k

    def count(index: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        cell = slices.codes * k + np.where(index < 0, 0, index)
        w = (index >= 0).astype(float) if weights is None else weights & (index >= 0)
        return np.bincount(cell, weights=w, minlength=size).reshape(len(slices), k)

    actual = count(true_idx)
    predicted = count(pred_idx)
    hits = count(true_idx, true_idx == pred_idx)
    return actual, predicted, hits


def _multiclass_proportions(inputs: MetricInputs, slices: SliceSet) -> dict[str, tuple]:
    actual, predicted, hits = _multiclass_counts(inputs, slices)
    n = np.bincount(slices.codes, minlength=len(slices)).astype(float)[:, None]
    out: dict[str, tuple] = {"accuracy": (hits.sum(axis=1), n[:, 0])}
    false_pos = predicted - hits
    for j, name in enumerate(str(c) for c in _given(inputs.classes, "classes")):
        out[f"selection_rate_{name}"] = (predicted[:, j], n[:, 0])
        out[f"tpr_{name}"] = (hits[:, j], actual[:, j])
        out[f"fpr_{name}"] = (false_pos[:, j], n[:, 0] - actual[:, j])
        out[f"fnr_{name}"] = (actual[:, j] - hits[:, j], actual[:, j])
        out[f"precision_{name}"] = (hits[:, j], predicted[:, j])
    return out


def _macro_from_counts(actual, predicted, hits, n) -> dict[str, np.ndarray]:
    """Macro averages over classes from (..., k) counts; classes with no denominator skipped."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nanmean over no defined class
        tpr = hits / actual
        fpr = (predicted - hits) / (n - actual)
        precision = hits / predicted
        return {
            "macro_tpr": np.nanmean(tpr, axis=-1),
            "macro_fpr": np.nanmean(fpr, axis=-1),
            "macro_fnr": np.nanmean(1.0 - tpr, axis=-1),
            "macro_precision": np.nanmean(precision, axis=-1),
        }


# --- statistics that need the bootstrap -------------------------------------------------
@dataclass
class _BootstrapPlan:
    """Non-proportion metrics: their names, point values (n_groups, k) and batched statistic."""

    names: list[str]
    point: np.ndarray
    statistic: Callable[..., np.ndarray]
    arrays: list[np.ndarray]
    order: np.ndarray | None = None  # rows sorted by slice then score (for rank statistics)
    sort_draws: bool = False


def _multiclass_brier_rows(proba: np.ndarray, true_idx: np.ndarray) -> np.ndarray:
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(true_idx)), true_idx] = 1.0
    return ((proba - onehot) ** 2).sum(axis=-1)


def _bootstrap_plan(
    inputs: MetricInputs, slices: SliceSet, wanted: Sequence[str]
) -> _BootstrapPlan:
    """Point values and the batched bootstrap statistic of the non-proportion metrics."""
    task = inputs.task
    order = None
    statistic: Callable[..., np.ndarray]  # its arguments are the resampled ``arrays``
    if task == "regression":
        names = [m for m in _REGRESSION if m in wanted]
        y_true = np.asarray(inputs.y_true, dtype=float)
        y_pred = np.asarray(inputs.y_pred, dtype=float)
        residual = y_true - y_pred
        columns = {
            "mae": grouped_mean(slices, np.abs(residual)),
            "rmse": np.sqrt(grouped_mean(slices, residual**2)),
            "mean_prediction": grouped_mean(slices, y_pred),
            "mean_residual": grouped_mean(slices, residual),
        }

        def regression_statistic(t: np.ndarray, p: np.ndarray) -> np.ndarray:
            r = t - p
            values = {
                "mae": np.abs(r).mean(axis=1),
                "rmse": np.sqrt((r**2).mean(axis=1)),
                "mean_prediction": p.mean(axis=1),
                "mean_residual": r.mean(axis=1),
            }
            return np.column_stack([values[m] for m in names])

        statistic = regression_statistic
        arrays = [y_true, y_pred]
    elif task == "binary":
        names = [m for m in ("auc", "brier") if m in wanted]
        positive = (inputs.class_indices[0] == inputs.pos_index).astype(float)
        # a predict-only model has no score; then no score metric is available or wanted
        score = np.zeros(len(positive)) if inputs.score is None else inputs.score.astype(float)
        columns = {}
        if "auc" in names:
            # slice-then-score order: the AUC needs it, and resamples drawn in it come out sorted
            order = score_sorted_order(slices, score, score_order=inputs.score_order)
            columns["auc"] = grouped_auc(slices, positive, score, order=order)
        if "brier" in names:
            columns["brier"] = grouped_mean(slices, (score - positive) ** 2)

        def binary_statistic(y: np.ndarray, s: np.ndarray) -> np.ndarray:
            values = {}
            if "auc" in names:
                values["auc"] = presorted_batched_auc(y, s)
            if "brier" in names:
                values["brier"] = ((s - y) ** 2).mean(axis=1)
            return np.column_stack([values[m] for m in names])

        statistic = binary_statistic
        arrays = [positive, score]
    else:
        names = [m for m in _MULTICLASS_BOOTSTRAP if m in wanted]
        k = len(_given(inputs.classes, "classes"))
        true_idx, pred_idx = inputs.class_indices
        actual, predicted, hits = _multiclass_counts(inputs, slices)
        n = np.bincount(slices.codes, minlength=len(slices)).astype(float)[:, None]
        columns = _macro_from_counts(actual, predicted, hits, n)
        if "auc" in names:
            given = _given(inputs.proba, "proba")
            per_class = np.column_stack(
                [grouped_auc(slices, true_idx == j, given[:, j]) for j in range(k)]
            )
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                columns["auc"] = np.where(
                    np.isnan(per_class).all(axis=1), np.nan, np.nanmean(per_class, axis=1)
                )
        if "brier" in names:
            brier_rows = _multiclass_brier_rows(_given(inputs.proba, "proba"), true_idx)
            columns["brier"] = grouped_mean(slices, brier_rows)
        proba = inputs.proba if inputs.proba is not None else np.zeros((len(true_idx), k))

        def multiclass_statistic(t: np.ndarray, p: np.ndarray, pr: np.ndarray) -> np.ndarray:
            values: dict[str, np.ndarray] = {}
            onehot_t = t[..., None] == np.arange(k)
            onehot_p = p[..., None] == np.arange(k)
            a = onehot_t.sum(axis=1).astype(float)
            b = onehot_p.sum(axis=1).astype(float)
            h = (onehot_t & onehot_p).sum(axis=1).astype(float)
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of all-NaN
                values.update(_macro_from_counts(a, b, h, float(t.shape[1])))
                if "auc" in names:
                    per_class = np.column_stack(
                        [batched_auc(onehot_t[..., j], pr[..., j]) for j in range(k)]
                    )
                    values["auc"] = np.nanmean(per_class, axis=1)
                if "brier" in names:
                    values["brier"] = ((pr - onehot_t) ** 2).sum(axis=-1).mean(axis=1)
            return np.column_stack([values[m] for m in names])

        statistic = multiclass_statistic
        arrays = [true_idx, pred_idx, proba]
    point = np.column_stack([columns[m] for m in names]) if names else np.empty((len(slices), 0))
    return _BootstrapPlan(
        names, point, statistic, arrays, order=order, sort_draws=order is not None
    )


def compute_slice_metrics(
    inputs: MetricInputs,
    slices: SliceSet,
    *,
    metrics: Sequence[str] | None = None,
    ci: float | None = 0.95,
    n_boot: int = DEFAULT_N_BOOT,
    random_state: int | np.random.Generator | None = None,
    min_support: int = DEFAULT_MIN_SUPPORT,
    max_resample: int = DEFAULT_MAX_RESAMPLE,
) -> pd.DataFrame:
    """Metrics per slice with bounds and a low-support flag.

    Parameters
    ----------
    inputs : MetricInputs
        Cached per-row arrays.
    slices : SliceSet
        The partition of rows.
    metrics : sequence of str, optional
        Subset of :func:`available_metrics` (default: all of them).
    ci : float or None, default 0.95
        Coverage of the bounds; None for no bounds.
    n_boot : int, default 200
        Bootstrap replicates for non-proportion metrics.
    random_state : int, Generator or None
        Seed of the bootstrap.
    min_support : int, default 30
        Slices with fewer rows are flagged ``low_support``; binary slices are also flagged when
        they hold fewer than 10 rows of either class.
    max_resample : int, default 2000
        Largest bootstrap resample per slice (m-out-of-n beyond it).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``slices.labels``.
    """
    allowed = available_metrics(inputs)
    if metrics is None:
        wanted = allowed
    else:
        wanted = check_names(metrics, argument="metrics")
        unknown = [m for m in wanted if m not in allowed]
        if unknown:
            scores = [m for m in unknown if m in ("auc", "brier")]
            why = (
                f" {scores} need the model's scores (predict_proba or decision_function), and "
                "this model has only predict."
                if scores and inputs.score is None and inputs.proba is None
                else ""
            )
            raise ValidationError(
                f"metrics {unknown} are not available for this {inputs.task} session;{why} "
                f"choose from {allowed}."
            )
    real = isinstance(ci, (float, int, np.floating, np.integer)) and not isinstance(ci, bool)
    if ci is not None and not (real and 0 < ci < 1):
        raise ValidationError(f"ci must be a number in (0, 1) or None; got {ci!r}.")
    check_int(min_support, argument="min_support", minimum=0)
    check_int(n_boot, argument="n_boot", minimum=MIN_N_BOOT)
    check_int(max_resample, argument="max_resample", minimum=2)

    n = np.bincount(slices.codes, minlength=len(slices))
    values: dict[str, np.ndarray] = {}
    bounds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if inputs.task != "regression":
        proportions = (
            _binary_proportions(inputs, slices)
            if inputs.task == "binary"
            else _multiclass_proportions(inputs, slices)
        )
        for name, (num, den) in proportions.items():
            if name not in wanted:
                continue
            with np.errstate(invalid="ignore", divide="ignore"):
                values[name] = np.where(den > 0, num / den, np.nan)
            if ci is not None:
                bounds[name] = wilson_interval(num, den, ci)
    plan = _bootstrap_plan(inputs, slices, wanted)
    for j, name in enumerate(plan.names):
        values[name] = plan.point[:, j]
    if plan.names and ci is not None:
        lo, hi = grouped_bootstrap(
            plan.statistic,
            plan.arrays,
            slices.order if plan.order is None else plan.order,
            slices.bounds,
            plan.point,
            confidence=ci,
            n_boot=n_boot,
            random_state=random_state,
            max_resample=max_resample,
            sort_draws=plan.sort_draws,
        )
        for j, name in enumerate(plan.names):
            bounds[name] = (lo[:, j], hi[:, j])

    columns: dict[str, np.ndarray] = {"n": n}
    for name in wanted:
        columns[name] = values[name]
        if ci is not None:
            columns[f"{name}_lo"], columns[f"{name}_hi"] = bounds[name]
    low = n < min_support
    if inputs.task == "binary":
        # rates and AUC rest on the rarer class: a few positives cannot support them
        positives = grouped_sum(slices, inputs.class_indices[0] == inputs.pos_index)
        low |= np.minimum(positives, n - positives) < MIN_CLASS_SUPPORT
    columns["low_support"] = low
    return pd.DataFrame(columns, index=slices.labels)
