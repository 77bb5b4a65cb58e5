"""The numbers of a model card, computed once from a session's cached predictions.

Each function computes one section as a dict or a tidy DataFrame, kept by the card (see
:class:`~rai_widgets.report.card.content.CardContent`). Nothing here writes prose.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> default_metrics(s)
['accuracy', 'selection_rate', 'tpr', 'fpr', 'auc']
>>> target_table(s)["n"].tolist()
[212, 357]
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets._version import __version__
from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.core.validation import is_numeric
from rai_widgets.formatting import count
from rai_widgets.report.card.json_values import plain
from rai_widgets.report.card.model_description import describe_model, final_estimator
from rai_widgets.report.small_groups import mask_small_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "author_text",
    "calibration_table",
    "coverage_table",
    "data_summary",
    "default_metrics",
    "disparity_table",
    "intersection_tables",
    "model_details",
    "target_table",
    "weak_slice_table",
]

DISPARITY_COLUMNS = [
    "feature",
    "group",
    "metric",
    "n",
    "value",
    "reference_group",
    "reference",
    "difference",
    "difference_lo",
    "difference_hi",
    "bounds_cross_zero",
    "low_support",
]
"""The columns of :func:`disparity_table`."""


def default_metrics(session: ModelSession) -> list[str]:
    """The metrics a card reports when none are given, among those the session can compute.

    Binary: accuracy, selection rate, TPR, FPR (and AUC with scores); multiclass: accuracy,
    balanced accuracy (``macro_tpr``), macro precision; regression: MAE, RMSE, mean residual.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    list of str
    """
    wanted = {
        "binary": ["accuracy", "selection_rate", "tpr", "fpr", "auc"],
        "multiclass": ["accuracy", "macro_tpr", "macro_precision"],
        "regression": ["mae", "rmse", "mean_residual"],
    }[session.task_]
    available = set(session.metric_names())
    return [m for m in wanted if m in available]


def author_text(value: Any, name: str) -> str | None:
    """An author's section as text: a list joined by "; ", blank as None.

    Parameters
    ----------
    value : str, list of str or None
        The author's text.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    str or None

    Raises
    ------
    ValidationError
        ``value`` is neither text nor a list of text.

    Examples
    --------
    >>> author_text(["Alice", "Bob"], "owners"), author_text("  ", "owners")
    ('Alice; Bob', None)
    """
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string (or a list of strings); got {value!r}.")
    return value.strip() or None


def long_frame(frames: dict[Any, pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Per-feature tables stacked into one tidy frame with ``feature`` and ``group`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": [3, 4]}, index=["a", "b"])
    >>> long_frame({"sex": t}, ["n"]).to_dict("records")
    [{'feature': 'sex', 'group': 'a', 'n': 3}, {'feature': 'sex', 'group': 'b', 'n': 4}]
    """
    parts = []
    for feature, frame in frames.items():
        part = frame.reset_index(drop=True).copy()
        part.insert(0, "group", list(frame.index))
        part.insert(0, "feature", [feature] * len(frame))
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["feature", "group", *columns])
    return pd.concat(parts, ignore_index=True)[["feature", "group", *columns]]


def model_details(session: ModelSession) -> dict[str, Any]:
    """Name, estimator, Pipeline steps, task, classes, positive class, time and version.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    dict
    """
    model = session.model
    final = final_estimator(model)
    package = type(final).__module__.split(".")[0]
    classes = session.classes_
    return {
        "name": str(session.name),
        "estimator": type(final).__name__,
        "estimator_package": package,
        "pipeline": describe_model(model, session.core.frame),
        "task": session.task_,
        "classes": None if classes is None else [plain(c) for c in classes],
        "pos_label": plain(session.pos_label_),
        "favorable": plain(session.favorable_),
        "target": None if session.core.target_name_ is None else str(session.core.target_name_),
        "target_unit": session.target_unit,
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "rai_widgets_version": __version__,
    }


def data_summary(session: ModelSession, features: list, target: str | None) -> dict[str, Any]:
    """Rows, columns, numeric and text columns, sensitive features and target name.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : list
        The sensitive features the card reports on.
    target : str or None
        The target's name.

    Returns
    -------
    dict
    """
    X = session.core.frame
    return {
        "n_rows": len(X),
        "n_columns": int(X.shape[1]),
        "numeric_columns": [c for c in X.columns if is_numeric(X[c])],
        "text_columns": [c for c in X.columns if not is_numeric(X[c])],
        "sensitive_features": features,
        "target": target,
    }


def target_table(session: ModelSession) -> pd.DataFrame:
    """True and predicted targets: class balance, or the distribution of a regression target.

    Parameters
    ----------
    session : ModelSession
        A session with ``y``.

    Returns
    -------
    pandas.DataFrame
        Classification: per class ``n`` and ``share`` of true labels, ``predicted_n`` and
        ``predicted_share``. Regression: rows ``y_true`` and ``y_pred`` with ``mean``, ``std``,
        ``min``, ``q25``, ``median``, ``q75``, ``max``.
    """
    preds = session.predictions()
    if session.task_ == "regression":
        rows = {}
        for column in ("y_true", "y_pred"):
            values = preds[column].astype(float)
            rows[column] = {
                "mean": values.mean(),
                "std": values.std(),
                "min": values.min(),
                "q25": values.quantile(0.25),
                "median": values.median(),
                "q75": values.quantile(0.75),
                "max": values.max(),
            }
        return pd.DataFrame(rows).T
    classes = pd.Index(session.classes_, name="class")
    true = preds["y_true"].value_counts().reindex(classes, fill_value=0)
    pred = preds["y_pred"].value_counts().reindex(classes, fill_value=0)
    n = max(len(preds), 1)
    return pd.DataFrame(
        {
            "n": true.to_numpy(dtype=int),
            "share": true.to_numpy() / n,
            "predicted_n": pred.to_numpy(dtype=int),
            "predicted_share": pred.to_numpy() / n,
        },
        index=classes,
    )


def disparity_table(by_group: dict[Hashable, pd.DataFrame], metrics: list[str]) -> pd.DataFrame:
    """Each group against the largest group of its feature, for every metric.

    Parameters
    ----------
    by_group : dict
        Feature -> ``session.slice_metrics(by=feature, metrics=metrics)``.
    metrics : list of str
        The metrics reported.

    Returns
    -------
    pandas.DataFrame
        One row per feature, group and metric, with the columns of ``DISPARITY_COLUMNS``.
    """
    frames = []
    for feature, table in by_group.items():
        for metric in metrics:
            d = compute_disparities(table, metric=metric)
            frame = pd.DataFrame(
                {
                    "feature": [feature] * len(d),
                    "group": list(d.index),
                    "metric": metric,
                    "n": d["n"].to_numpy(),
                    "value": d[metric].to_numpy(dtype=float),
                    "reference_group": [d.attrs["reference"]] * len(d),
                    "reference": d["reference"].to_numpy(),
                    "difference": d["difference"].to_numpy(dtype=float),
                    "difference_lo": d["difference_lo"].to_numpy(dtype=float),
                    "difference_hi": d["difference_hi"].to_numpy(dtype=float),
                    "low_support": d["low_support"].to_numpy(),
                }
            )
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=DISPARITY_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    lo, hi = out["difference_lo"].to_numpy(), out["difference_hi"].to_numpy()
    with np.errstate(invalid="ignore"):
        crosses = ~((lo > 0) | (hi < 0))  # NaN bounds: cannot exclude zero either
    out["bounds_cross_zero"] = np.where(out["reference"].to_numpy(), False, crosses)
    return out[DISPARITY_COLUMNS]


def calibration_table(
    session: ModelSession, features: list
) -> tuple[pd.DataFrame | None, str | None]:
    """Calibration of the predicted probabilities on all rows and per group.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : list
        Sensitive features.

    Returns
    -------
    frame : pandas.DataFrame or None
        ``feature`` (None for all rows), ``group``, ``n``, ``ece``, ``mean_confidence``,
        ``accuracy``, ``overconfidence``; None when it cannot be computed.
    note : str or None
        Why it could not be computed.
    """
    if session.task_ == "regression":
        return None, (
            "Calibration of probabilities applies to classifiers; for this regression model "
            "see the coverage of its prediction intervals."
        )
    try:
        summaries = {None: session.calibration(None)[1]}
        for feature in features:
            summaries[feature] = session.calibration(feature)[1]
    except ValidationError as err:
        return None, f"Not computed: {err}"
    columns = ["n", "ece", "mean_confidence", "accuracy", "overconfidence"]
    overall = summaries.pop(None)
    frame = long_frame({None: overall, **summaries}, columns)
    frame.loc[0, "group"] = "all rows"
    return frame, None


def coverage_table(
    session: ModelSession, features: list, confidence_level: float
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """Split-conformal coverage on held-out rows, overall and per group.

    Half of the rows calibrate the sets or intervals; coverage is measured on the other half,
    per group with the same groups as ``slice_metrics`` (numeric columns in quartiles).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : list
        Sensitive features.
    confidence_level : float
        The coverage promised.

    Returns
    -------
    frame : pandas.DataFrame or None
        ``feature``, ``group``, ``n``, ``coverage`` with ``_lo``/``_hi`` bounds, and
        ``mean_set_size`` (classification) or ``mean_width`` (regression); None when it
        cannot be computed.
    notes : dict
        ``coverage`` (why it was not computed) or ``coverage_rows`` (which rows were used).
    """
    try:
        result = session.conformal(confidence_level=confidence_level, calibration=0.5)
    except ValidationError as err:
        return None, {"coverage": f"Not computed: {err}"}
    size = "mean_width" if result.sets is None else "mean_set_size"
    tables: dict[Any, pd.DataFrame] = {None: result.frame()}
    positions = session.core.frame.index.get_indexer(result.index)
    unique = session.core.frame.index.is_unique
    for feature in features:
        slices = session.core.slices(feature)
        if unique:  # the same groups as slice_metrics (numeric columns in quartiles)
            codes = slices.codes[positions]
            k = len(slices.labels)
            n = np.bincount(codes, minlength=k)
            hit = np.bincount(codes, weights=result.covered.astype(float), minlength=k)
            total = np.bincount(codes, weights=result.size.astype(float), minlength=k)
            lo, hi = wilson_interval(hit, n, 0.95)
            with np.errstate(invalid="ignore", divide="ignore"):
                table = pd.DataFrame(
                    {
                        "n": n,
                        "coverage": hit / n,
                        "coverage_lo": lo,
                        "coverage_hi": hi,
                        size: total / n,
                    },
                    index=slices.labels,
                )
            tables[feature] = table[table["n"] > 0]
        elif not is_numeric(session.core.column(feature)):
            tables[feature] = result.frame(by=feature)
    frame = long_frame(tables, ["n", "coverage", "coverage_lo", "coverage_hi", size])
    frame.loc[0, "group"] = "all rows (held out)"
    note = (
        f"Half of the rows ({count(len(session.core.frame) - len(result.index))}) calibrate the "
        f"sets or intervals; coverage is measured on the other "
        f"{count(len(result.index))}."
    )
    return frame, {"coverage_rows": note}


def weak_slice_table(
    session: ModelSession, *, min_support: int, max_weak_slices: int, min_group_size: int = 1
) -> tuple[pd.DataFrame, int, int]:
    """The significant blind spots of ``session.weak_slices()``, strongest first.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    min_support : int
        Smallest slice tested.
    max_weak_slices : int
        Most slices kept.
    min_group_size : int, default 1
        Slices with fewer rows are not listed (a card is shared); they still count in
        ``n_significant``.

    Returns
    -------
    table : pandas.DataFrame
        At most ``max_weak_slices`` significant rows.
    n_tested : int
        Slices tested.
    n_significant : int
        Slices significantly weaker than the rest.
    """
    table = session.weak_slices(min_support=min_support)
    significant = table[table["significant"].astype(bool)]
    listed = significant[significant["n"] >= min_group_size]
    return listed.head(max_weak_slices).reset_index(drop=True), len(table), len(significant)


def intersection_tables(
    session: ModelSession,
    features: list,
    metrics: list[str],
    *,
    min_support: int,
    min_group_size: int,
) -> tuple[dict[tuple, pd.DataFrame], str | None]:
    """``session.slice_metrics(by=[a, b])`` for every pair of sensitive features, small groups
    masked.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    features : list
        Sensitive features.
    metrics : list of str
        The metrics reported.
    min_support : int
        Groups with fewer rows are flagged as low support.
    min_group_size : int
        Groups with fewer rows read "too few to report".

    Returns
    -------
    tables : dict
        (feature a, feature b) -> one row per combination that occurs (a MultiIndex).
    note : str or None
        The pairs that could not be computed, and why.
    """
    tables: dict[tuple, pd.DataFrame] = {}
    failed = []
    for i, a in enumerate(features):
        for b in features[i + 1 :]:
            try:
                table = session.slice_metrics([a, b], metrics=metrics, min_support=min_support)
            except RaiWidgetsError as err:
                failed.append(f"{a} and {b}: {err}")
                continue
            tables[(a, b)] = mask_small_groups(table, min_group_size=min_group_size)
    note = "Not computed for " + "; ".join(failed) if failed else None
    return tables, note
