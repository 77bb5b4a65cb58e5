"""The one registry of metrics: what each is called, how it reads, which way is better, what
it needs, how its bounds are computed and why a card reports it.

Every list of metrics in rai_widgets (which a task offers and in what order, which read as
percentages, which are better high, the names on screen, the card's reasons, the rates a
threshold moves) is derived from :data:`METRICS`, so a metric is added or renamed in one place.

A multiclass task's one-vs-rest rates are named ``<family>_<class>`` ("tpr_setosa") and follow
their family's entry (:func:`metric_info`).

Examples
--------
>>> metric_info("tpr_setosa").name, metric_info("mae").reads_as
('True positive rate', 'target')
>>> offered_metrics("binary", [0, 1], has_score=True, has_probabilities=True)[-2:]
['auc', 'brier']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "METRICS",
    "PER_CLASS_FAMILIES",
    "Metric",
    "metric_family",
    "metric_info",
    "offered_metrics",
    "task_metrics",
]

ReadsAs = Literal["share", "score", "target"]
Needs = Literal["labels", "score", "probabilities"]


@dataclass(frozen=True)
class Metric:
    """One metric of the registry.

    Attributes
    ----------
    key : str
        Its column in ``ModelSession.slice_metrics`` (a family's key for per-class rates).
    name : str
        Its name on screen ("True positive rate").
    reads_as : {"share", "score", "target"}
        A share of rows (a percentage, differences in points), a score (three decimals) or a
        value in the target's units.
    direction : {1, -1, 0}
        +1 when higher is better, -1 when lower is better, 0 when neither (a rate of choices).
    tasks : tuple of str
        The tasks whose ``slice_metrics`` offer it (empty for measures computed elsewhere,
        such as a conformal coverage).
    needs : {"labels", "score", "probabilities"}
        What of the model it needs beyond its answers.
    bounds : {"wilson", "bootstrap"}
        How ``slice_metrics`` bounds it.
    reason : str
        Why a model card reports it: what it measures and what comparing groups shows.
    per_class : bool
        A multiclass task has one per class ("tpr_<class>"); a binary task has the rate itself.
    rate_title, rate_words : str
        For the rates a decision threshold moves: a chart's title and the words of its axis.
    """

    key: str
    name: str
    reads_as: ReadsAs
    direction: int
    tasks: tuple[str, ...]
    needs: Needs = "labels"
    bounds: Literal["wilson", "bootstrap"] = "bootstrap"
    reason: str = ""
    per_class: bool = False
    rate_title: str = ""
    rate_words: str = ""


_B, _M, _R = "binary", "multiclass", "regression"

#: Every metric, in the order the views and tables show them.
METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "accuracy",
            "Accuracy",
            "share",
            1,
            (_B, _M),
            bounds="wilson",
            reason="The share of rows predicted right: the plainest measure of how often the "
            "model is right.",
        ),
        Metric(
            "selection_rate",
            "Selection rate",
            "share",
            0,
            (_B, _M),
            bounds="wilson",
            per_class=True,
            reason="The share of rows predicted as the positive class: compared across "
            "groups, it shows whether some are selected more often (demographic parity, the "
            "four-fifths rule).",
            rate_title="Share selected",
            rate_words="share selected",
        ),
        Metric(
            "tpr",
            "True positive rate",
            "share",
            1,
            (_B, _M),
            bounds="wilson",
            per_class=True,
            reason="Of the rows truly in the class, the share the model finds (recall): "
            "compared across groups, whether some are missed more often (equal opportunity).",
            rate_title="Positives caught (TPR)",
            rate_words="share of actual positives caught (TPR)",
        ),
        Metric(
            "fpr",
            "False positive rate",
            "share",
            -1,
            (_B, _M),
            bounds="wilson",
            per_class=True,
            reason="Of the rows truly not in the class, the share wrongly predicted in it: "
            "with the true positive rate, the two error rates of equalized odds.",
            rate_title="Negatives wrongly selected (FPR)",
            rate_words="share of actual negatives wrongly selected (FPR)",
        ),
        Metric(
            "fnr",
            "False negative rate",
            "share",
            -1,
            (_B, _M),
            bounds="wilson",
            per_class=True,
            reason="Of the rows truly in the class, the share the model misses.",
            rate_title="Positives missed (FNR)",
            rate_words="share of actual positives missed (FNR)",
        ),
        Metric(
            "precision",
            "Precision",
            "share",
            1,
            (_B, _M),
            bounds="wilson",
            per_class=True,
            reason="Of the rows predicted in the class, the share truly in it.",
        ),
        Metric(
            "macro_tpr",
            "Balanced accuracy (macro TPR)",
            "share",
            1,
            (_M,),
            reason="Balanced accuracy: the recall of each class averaged, so that a rare "
            "class counts as much as a common one.",
        ),
        Metric(
            "macro_fpr",
            "Macro false positive rate",
            "share",
            -1,
            (_M,),
            reason="The false positive rate of each class (one-vs-rest), averaged over classes.",
        ),
        Metric(
            "macro_fnr",
            "Macro false negative rate",
            "share",
            -1,
            (_M,),
            reason="The false negative rate of each class (one-vs-rest), averaged over classes.",
        ),
        Metric(
            "macro_precision",
            "Macro precision",
            "share",
            1,
            (_M,),
            reason="The precision of each class averaged, so that a rare class counts as much "
            "as a common one.",
        ),
        Metric(
            "auc",
            "AUC",
            "score",
            1,
            (_B, _M),
            needs="score",
            reason="How well the scores rank the rows of the positive class above the others, "
            "at every threshold (0.5 is chance, 1 is perfect).",
        ),
        Metric(
            "brier",
            "Brier score",
            "score",
            -1,
            (_B, _M),
            needs="probabilities",
            reason="The mean squared error of the predicted probabilities: how right and how "
            "well calibrated they are together.",
        ),
        Metric(
            "mae",
            "Mean absolute error",
            "target",
            -1,
            (_R,),
            reason="How far the predictions are from the truth on average, in the target's units.",
        ),
        Metric(
            "rmse",
            "Root mean squared error",
            "target",
            -1,
            (_R,),
            reason="Like the mean absolute error, but large misses weigh more: it shows the "
            "worst errors.",
        ),
        Metric(
            "mean_prediction",
            "Mean prediction",
            "target",
            0,
            (_R,),
            reason="The average prediction: compared across groups, whether some are "
            "predicted higher than others.",
        ),
        Metric(
            "mean_residual",
            "Mean residual (true minus predicted)",
            "target",
            0,
            (_R,),
            reason="The mean of true minus predicted value: above zero the model predicts too "
            "low on average, below zero too high (a bias; per group, a group's bias).",
        ),
        # measures computed outside slice_metrics, read the same way
        Metric("coverage", "Coverage", "share", 1, ()),
        Metric("ece", "Expected calibration error", "score", -1, ()),
        Metric("error_rate", "Error rate", "share", -1, ()),
    )
}

#: The families a multiclass task has once per class ("tpr_<class>").
PER_CLASS_FAMILIES: tuple[str, ...] = tuple(k for k, m in METRICS.items() if m.per_class)


def metric_family(key: str) -> tuple[str, str | None]:
    """A metric key's registry entry and, for a one-vs-rest rate, its class.

    Parameters
    ----------
    key : str
        A metric key ("tpr", "tpr_setosa", "mae", ...).

    Returns
    -------
    family : str
        The registry key ("tpr"), or ``key`` itself when the registry does not know it.
    class_name : str or None
        The class of a one-vs-rest rate ("setosa"), else None.

    Examples
    --------
    >>> metric_family("fnr_Iris-setosa"), metric_family("auc"), metric_family("custom")
    (('fnr', 'Iris-setosa'), ('auc', None), ('custom', None))
    """
    if key in METRICS:
        return key, None
    for family in PER_CLASS_FAMILIES:
        if key.startswith(family + "_"):
            return family, key[len(family) + 1 :]
    return key, None


def metric_info(key: str) -> Metric | None:
    """The registry entry of a metric key (a one-vs-rest rate: its family's), or None.

    Examples
    --------
    >>> metric_info("precision_b").bounds, metric_info("custom") is None
    ('wilson', True)
    """
    return METRICS.get(metric_family(key)[0])


def task_metrics(task: str) -> list[str]:
    """The registry keys a task's ``slice_metrics`` can offer, in display order.

    Examples
    --------
    >>> task_metrics("regression")
    ['mae', 'rmse', 'mean_prediction', 'mean_residual']
    """
    return [k for k, m in METRICS.items() if task in m.tasks]


def _class_names(classes: Iterable[object]) -> list[str]:
    return [str(c) for c in classes]


def offered_metrics(
    task: str, classes: object, *, has_score: bool, has_probabilities: bool
) -> list[str]:
    """The metric keys of a task's ``slice_metrics``, from what the model can give.

    Parameters
    ----------
    task : {"binary", "multiclass", "regression"}
        The task.
    classes : array-like or None
        The classes (a multiclass task has each per-class rate once per class).
    has_score : bool
        The model gives a score for the positive class (probabilities or a margin).
    has_probabilities : bool
        The model gives probabilities.

    Returns
    -------
    list of str

    Examples
    --------
    >>> offered_metrics("binary", [0, 1], has_score=True, has_probabilities=False)[-1]
    'auc'
    >>> offered_metrics("multiclass", ["a", "b"], has_score=False, has_probabilities=False)[:3]
    ['accuracy', 'selection_rate_a', 'selection_rate_b']
    """
    names: list[str] = []
    for key in task_metrics(task):
        m = METRICS[key]
        if task == "multiclass" and m.needs != "labels":
            # a multiclass AUC (one-vs-rest) and Brier score both need probabilities
            if not has_probabilities:
                continue
        elif m.needs == "score" and not has_score:
            continue
        elif m.needs == "probabilities" and not (has_score and has_probabilities):
            continue
        if task == "multiclass" and m.per_class:
            names += [f"{key}_{c}" for c in _class_names(np.asarray(classes))]
        else:
            names.append(key)
    return names
