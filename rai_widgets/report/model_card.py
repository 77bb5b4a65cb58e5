"""ModelCard: a model card generated from a session's own numbers, never hand-written.

The sections follow Mitchell et al. (2019), "Model Cards for Model Reporting": model details,
intended use, evaluation data, metrics overall and per group, disparities, uncertainty
(calibration and conformal coverage), blind spots, limitations, ethical considerations and
caveats. Everything the session can compute is computed once in :meth:`ModelCard.from_session`
and kept as tidy DataFrames; what only a person can know (intended use, owners ...) is an
explicit argument and reads "Not stated by the author." when left out, never invented.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> card = rw.ModelCard.from_session(s, intended_use="Teaching.")
>>> card.overall_.loc["overall", "n"]
np.int64(569)
>>> print(card.to_markdown().splitlines()[0])
# Model card: LogisticRegression
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets._version import __version__
from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.slice_metrics import DEFAULT_MIN_SUPPORT, MIN_CLASS_SUPPORT
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.validation import check_int, is_numeric
from rai_widgets.report._card_sections import (
    CSS,
    Block,
    Bullets,
    Heading,
    Para,
    Table,
    describe_model,
    direction,
    final_estimator,
    fmt_bounds,
    fmt_count,
    fmt_diff,
    fmt_number,
    fmt_value,
    group_text,
    label_list,
    metric_label,
    plain,
    records,
    render_html,
    render_markdown,
)

__all__ = ["ModelCard"]

NOT_STATED = "Not stated by the author."
AUTHOR_SECTIONS = (
    "intended_use",
    "out_of_scope_uses",
    "owners",
    "training_data",
    "ethical_considerations",
    "caveats",
)
CALIBRATION_GAP = 0.05  # |mean confidence - accuracy| above this is reported as a limitation
MAX_LISTED = 10  # limitations of one kind listed one by one; the rest are counted


def default_metrics(session: Any) -> list[str]:
    """The metrics a card reports when none are given, among those the session can compute.

    Binary: accuracy, selection rate, TPR, FPR (and AUC with scores); multiclass: accuracy,
    balanced accuracy (``macro_tpr``), macro precision; regression: MAE, RMSE, mean residual.
    """
    wanted = {
        "binary": ["accuracy", "selection_rate", "tpr", "fpr", "auc"],
        "multiclass": ["accuracy", "macro_tpr", "macro_precision"],
        "regression": ["mae", "rmse", "mean_residual"],
    }[session.task_]
    available = set(session.metric_names())
    return [m for m in wanted if m in available]


def _author_text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string (or a list of strings); got {value!r}.")
    return value.strip() or None


def _long(frames: dict[Any, pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Per-feature tables stacked into one tidy frame with ``feature`` and ``group`` columns."""
    parts = []
    for feature, frame in frames.items():
        part = frame.reset_index(drop=True).copy()
        part.insert(0, "group", list(frame.index))
        part.insert(0, "feature", [feature] * len(frame))
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["feature", "group", *columns])
    return pd.concat(parts, ignore_index=True)[["feature", "group", *columns]]


class ModelCard:
    """A model card computed from a :class:`~rai_widgets.ModelSession`.

    Build it with :meth:`from_session`; render it with :meth:`to_markdown`, :meth:`to_html` or
    :meth:`to_dict`. In a notebook the card shows itself.

    Attributes
    ----------
    details_ : dict
        Name, estimator, Pipeline steps, task, classes, positive class, generation time and
        rai_widgets version.
    author_ : dict
        The author's sections (``intended_use``, ``out_of_scope_uses``, ``owners``,
        ``training_data``, ``ethical_considerations``, ``caveats``); None when not stated.
    data_ : dict
        Rows, columns, numeric and text columns, sensitive features, target name.
    target_ : pandas.DataFrame
        Classification: per class ``n`` and ``share`` of true labels, ``predicted_n`` and
        ``predicted_share``. Regression: ``mean``, ``std``, quantiles of ``y_true`` and ``y_pred``.
    metrics_ : list of str
        The metrics reported.
    overall_ : pandas.DataFrame
        ``session.slice_metrics(by=None, metrics=metrics_)``.
    by_group_ : dict
        Sensitive feature -> ``session.slice_metrics(by=feature, metrics=metrics_)``.
    disparities_ : pandas.DataFrame
        One row per feature, group and metric: ``n``, ``value``, ``reference_group``,
        ``reference`` (bool), ``difference`` with ``_lo``/``_hi`` bounds, ``bounds_cross_zero``,
        ``low_support``; equal to ``session.disparities(feature, metric=metric)``.
    calibration_ : pandas.DataFrame or None
        Classification with probabilities: ``feature`` (None for all rows), ``group``, ``n``,
        ``ece``, ``mean_confidence``, ``accuracy``, ``overconfidence``.
    coverage_ : pandas.DataFrame or None
        Split-conformal coverage on held-out rows: ``feature``, ``group``, ``n``, ``coverage``
        with bounds, ``mean_set_size`` (classification) or ``mean_width`` (regression).
    weak_slices_ : pandas.DataFrame
        The significant rows of ``session.weak_slices()``, strongest first (at most
        ``max_weak_slices``).
    n_slices_tested_, n_weak_slices_ : int
        How many slices the blind-spot search tested, and how many were significant.
    summary_ : list of str
        The plain-language summary, sentence by sentence.
    limitations_ : list of str
        Limitations found in the numbers.
    notes_ : dict
        Why a section could not be computed (e.g. calibration of a regression model).
    """

    def __init__(self) -> None:
        self.details_: dict[str, Any] = {}
        self.author_: dict[str, str | None] = dict.fromkeys(AUTHOR_SECTIONS)
        self.data_: dict[str, Any] = {}
        self.target_ = pd.DataFrame()
        self.metrics_: list[str] = []
        self.overall_ = pd.DataFrame()
        self.by_group_: dict[Hashable, pd.DataFrame] = {}
        self.disparities_ = pd.DataFrame()
        self.calibration_: pd.DataFrame | None = None
        self.coverage_: pd.DataFrame | None = None
        self.weak_slices_ = pd.DataFrame()
        self.n_slices_tested_ = 0
        self.n_weak_slices_ = 0
        self.confidence_level_ = 0.9
        self.min_support_ = DEFAULT_MIN_SUPPORT
        self.summary_: list[str] = []
        self.limitations_: list[str] = []
        self.notes_: dict[str, str] = {}

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_session(
        cls,
        session: Any,
        *,
        metrics: Sequence[str] | None = None,
        sensitive_features: Sequence[Hashable] | None = None,
        confidence_level: float = 0.9,
        min_support: int = DEFAULT_MIN_SUPPORT,
        max_weak_slices: int = 10,
        intended_use: str | None = None,
        out_of_scope_uses: str | None = None,
        owners: str | None = None,
        training_data: str | None = None,
        ethical_considerations: str | None = None,
        caveats: str | None = None,
    ) -> ModelCard:
        """Compute every number of the card once, from the session's cached predictions.

        Parameters
        ----------
        session : ModelSession
            A session with ``y`` (a card is about how the model does).
        metrics : list of str, optional
            Metrics to report (see ``session.metric_names()``); the first one leads the summary
            and the limitations. Default: accuracy, selection rate, TPR, FPR and AUC (binary);
            accuracy, balanced accuracy and macro precision (multiclass); MAE, RMSE and mean
            residual (regression).
        sensitive_features : list of column names, optional
            Groups to report on; default the session's ``sensitive_features_``. Numeric columns
            with many values are cut into quartiles, as in ``slice_metrics``.
        confidence_level : float, default 0.9
            The coverage promised by the conformal sets or intervals.
        min_support : int, default 30
            Groups with fewer rows are flagged as low support.
        max_weak_slices : int, default 10
            Blind spots listed.
        intended_use, out_of_scope_uses, owners, training_data, ethical_considerations, \
caveats : str, optional
            What only the model's author can say. Left out, the card says "Not stated by the
            author." ``training_data`` describes what the model was fitted on: without it the
            card cannot tell whether its rows were used for training.

        Returns
        -------
        ModelCard

        Raises
        ------
        ValidationError
            The session has no ``y``; an unknown metric; a bad argument.
        ColumnNotFoundError
            A sensitive feature that is not a column.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
        ...                     sensitive_features=X["mean radius"].gt(15).rename("large"),
        ...                     random_state=0)
        >>> card = rw.ModelCard.from_session(s, metrics=["accuracy", "tpr"])
        >>> card.by_group_["large"]["n"].tolist()
        [396, 173]
        >>> card.author_["intended_use"] is None
        True
        """
        if getattr(session, "y", None) is None:
            raise ValidationError(
                "ModelCard needs a session with y (the true targets): every number on a card "
                "compares predictions with y. Create the session with ModelSession(model, X, y)."
            )
        check_int(min_support, argument="min_support", minimum=1)
        check_int(max_weak_slices, argument="max_weak_slices", minimum=0)
        card = cls()
        card.min_support_ = min_support
        card.confidence_level_ = confidence_level
        given = {
            "intended_use": intended_use,
            "out_of_scope_uses": out_of_scope_uses,
            "owners": owners,
            "training_data": training_data,
            "ethical_considerations": ethical_considerations,
            "caveats": caveats,
        }
        card.author_ = {name: _author_text(value, name) for name, value in given.items()}

        available = session.metric_names()
        if metrics is None:
            chosen = default_metrics(session)
        else:
            chosen = [metrics] if isinstance(metrics, str) else list(metrics)
            unknown = [m for m in chosen if m not in available]
            if unknown or not chosen:
                raise ValidationError(
                    f"metrics {unknown or chosen!r} cannot be computed for this session; "
                    f"choose among {available}."
                )
        card.metrics_ = chosen
        features = (
            list(session.sensitive_features_)
            if sensitive_features is None
            else [sensitive_features]
            if isinstance(sensitive_features, str)
            else list(sensitive_features)
        )

        card._details(session)
        card._data(session, features)
        card.overall_ = session.slice_metrics(None, metrics=chosen, min_support=min_support)
        card.by_group_ = {
            f: session.slice_metrics(f, metrics=chosen, min_support=min_support) for f in features
        }
        card._disparities()
        card._calibration(session, features)
        card._coverage(session, features, confidence_level)
        card._weak_slices(session, min_support, max_weak_slices)
        card.summary_ = card._summary()
        card.limitations_ = card._limitations()
        return card

    def _details(self, session: Any) -> None:
        model = session.model
        final = final_estimator(model)
        package = type(final).__module__.split(".")[0]
        classes = session.classes_
        self.details_ = {
            "name": str(session.name),
            "estimator": type(final).__name__,
            "estimator_package": package,
            "pipeline": describe_model(model, session.X),
            "task": session.task_,
            "classes": None if classes is None else [plain(c) for c in classes],
            "pos_label": plain(session.pos_label_),
            "target": None if session.target_name_ is None else str(session.target_name_),
            "generated": datetime.datetime.now(datetime.timezone.utc).strftime(
                "%Y-%m-%d %H:%M UTC"
            ),
            "rai_widgets_version": __version__,
        }

    def _data(self, session: Any, features: list) -> None:
        X = session.X
        numeric = [c for c in X.columns if is_numeric(X[c])]
        text = [c for c in X.columns if not is_numeric(X[c])]
        self.data_ = {
            "n_rows": len(X),
            "n_columns": int(X.shape[1]),
            "numeric_columns": numeric,
            "text_columns": text,
            "sensitive_features": features,
            "target": self.details_["target"],
        }
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
            self.target_ = pd.DataFrame(rows).T
        else:
            classes = pd.Index(session.classes_, name="class")
            true = preds["y_true"].value_counts().reindex(classes, fill_value=0)
            pred = preds["y_pred"].value_counts().reindex(classes, fill_value=0)
            n = max(len(preds), 1)
            self.target_ = pd.DataFrame(
                {
                    "n": true.to_numpy(dtype=int),
                    "share": true.to_numpy() / n,
                    "predicted_n": pred.to_numpy(dtype=int),
                    "predicted_share": pred.to_numpy() / n,
                },
                index=classes,
            )

    def _disparities(self) -> None:
        frames = []
        for feature, table in self.by_group_.items():
            for metric in self.metrics_:
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
        columns = [
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
        if not frames:
            self.disparities_ = pd.DataFrame(columns=columns)
            return
        out = pd.concat(frames, ignore_index=True)
        lo, hi = out["difference_lo"].to_numpy(), out["difference_hi"].to_numpy()
        with np.errstate(invalid="ignore"):
            crosses = ~((lo > 0) | (hi < 0))  # NaN bounds: cannot exclude zero either
        out["bounds_cross_zero"] = np.where(out["reference"].to_numpy(), False, crosses)
        self.disparities_ = out[columns]

    def _calibration(self, session: Any, features: list) -> None:
        if session.task_ == "regression":
            self.notes_["calibration"] = (
                "Calibration of probabilities applies to classifiers; for this regression model "
                "see the coverage of its prediction intervals."
            )
            return
        try:
            summaries = {None: session.calibration(None)[1]}
            for feature in features:
                summaries[feature] = session.calibration(feature)[1]
        except ValidationError as err:
            self.notes_["calibration"] = f"Not computed: {err}"
            return
        columns = ["n", "ece", "mean_confidence", "accuracy", "overconfidence"]
        overall = summaries.pop(None)
        frame = _long({None: overall, **summaries}, columns)
        frame.loc[0, "group"] = "all rows"
        self.calibration_ = frame

    def _coverage(self, session: Any, features: list, confidence_level: float) -> None:
        try:
            result = session.conformal(confidence_level=confidence_level, calibration=0.5)
        except ValidationError as err:
            self.notes_["coverage"] = f"Not computed: {err}"
            return
        size = "mean_width" if result.sets is None else "mean_set_size"
        tables: dict[Any, pd.DataFrame] = {None: result.frame()}
        positions = session.X.index.get_indexer(result.index)
        unique = session.X.index.is_unique
        for feature in features:
            slices = session.slices(feature)
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
            elif not is_numeric(session._column(feature)):
                tables[feature] = result.frame(by=feature)
        frame = _long(tables, ["n", "coverage", "coverage_lo", "coverage_hi", size])
        frame.loc[0, "group"] = "all rows (held out)"
        self.coverage_ = frame
        self.notes_["coverage_rows"] = (
            f"Half of the rows ({fmt_count(len(session.X) - len(result.index))}) calibrate the "
            f"sets or intervals; coverage is measured on the other "
            f"{fmt_count(len(result.index))}."
        )

    def _weak_slices(self, session: Any, min_support: int, max_weak_slices: int) -> None:
        table = session.weak_slices(min_support=min_support)
        significant = table[table["significant"].astype(bool)]
        self.n_slices_tested_ = len(table)
        self.n_weak_slices_ = len(significant)
        self.weak_slices_ = significant.head(max_weak_slices).reset_index(drop=True)

    # -- generated text --------------------------------------------------------------------
    @property
    def _primary(self) -> str:
        return self.metrics_[0]

    def _worst_group(self) -> dict[str, Any] | None:
        """The supported group with the worst primary metric, against the largest other group of
        its feature, with the bounds of the gap (from ``disparities_``)."""
        d, m = self.disparities_, self._primary
        if d.empty or direction(m) == 0:
            return None
        rows = d[(d["metric"] == m) & ~d["low_support"].astype(bool)]
        rows = rows[np.isfinite(rows["value"].to_numpy(dtype=float))]
        if rows.empty:
            return None
        worst = rows.iloc[int(np.argmin(direction(m) * rows["value"].to_numpy(dtype=float)))]
        same = d[(d["metric"] == m) & (d["feature"] == worst["feature"])]
        if not worst["reference"]:  # against the reference, the largest group
            other = same[same["reference"]].iloc[0]
            gap, lo, hi = worst["difference"], worst["difference_lo"], worst["difference_hi"]
        else:  # the worst is the largest group: against the next largest, bounds mirrored
            others = same[~same["reference"]]
            if others.empty:
                return None
            other = others.iloc[int(np.argmax(others["n"].to_numpy()))]
            gap, lo, hi = -other["difference"], -other["difference_hi"], -other["difference_lo"]
        if direction(m) * gap >= 0:  # no group does worse than its comparison
            return None
        return {
            "feature": worst["feature"],
            "group": worst["group"],
            "n": worst["n"],
            "value": worst["value"],
            "other": other["group"],
            "other_n": other["n"],
            "other_value": other["value"],
            "other_is_largest": bool(other["reference"]),
            "gap": gap,
            "crosses_zero": not (lo > 0 or hi < 0),
        }

    def _summary(self) -> list[str]:
        details, data = self.details_, self.data_
        n = data["n_rows"]
        target = details["target"] or "the target"
        if details["task"] == "regression":
            kind = "a regression model"
        else:
            kind = f"a classifier with {len(details['classes'])} classes"
        same = details["estimator"] == details["name"]
        estimator = "" if same else f" ({details['estimator']})"
        sentences = [
            f"{details['name']} is {kind}{estimator} predicting {target}, checked "
            f"here on {fmt_count(n)} rows; every number below has 95% bounds."
        ]
        overall = self.overall_.iloc[0]
        m = self._primary
        value, bounds = (
            fmt_value(m, overall[m]),
            fmt_bounds(m, overall[f"{m}_lo"], overall[f"{m}_hi"]),
        )
        if m == "accuracy":
            sentences.append(f"It is right for {value} of them (95% bounds {bounds}).")
        elif m == "mae":
            sentences.append(
                f"Its predictions are off by {value} on average (mean absolute error; 95% "
                f"bounds {bounds})."
            )
        else:
            sentences.append(f"Its {metric_label(m).lower()} is {value} (95% bounds {bounds}).")

        worst = self._worst_group()
        if worst is not None:
            what = "least accurate" if m == "accuracy" else f"worst on {metric_label(m).lower()}"
            verdict = (
                "the bounds of this gap cross zero, so the data cannot tell it from no gap"
                if worst["crosses_zero"]
                else "the bounds of this gap do not cross zero, so it is unlikely to be chance"
            )
            which = "the largest group" if worst["other_is_largest"] else "the next largest group"
            sentences.append(
                f"It is {what} for {worst['feature']} = {group_text(worst['group'])}: "
                f"{fmt_value(m, worst['value'])} (n = {fmt_count(worst['n'])}) against "
                f"{fmt_value(m, worst['other_value'])} for {which}, "
                f"{group_text(worst['other'])}; {verdict}."
            )
        elif self.by_group_ and direction(m) != 0:
            sentences.append(
                f"No well-supported group of {label_list(list(self.by_group_))} does worse than "
                f"the largest group of its feature on {metric_label(m).lower()}."
            )
        elif not self.by_group_:
            sentences.append(
                "No sensitive features were given, so this card cannot say how it does for "
                "groups of people."
            )

        errors = "larger errors" if details["task"] == "regression" else "more errors"
        if self.n_weak_slices_:
            top = self.weak_slices_.iloc[0]
            if details["task"] == "regression":
                gap = f"mean absolute error {fmt_number(top['metric'])} against "
                gap += f"{fmt_number(top['rest'])} elsewhere"
            else:
                gap = f"error rate {fmt_value('accuracy', top['metric'])} against "
                gap += f"{fmt_value('accuracy', top['rest'])} elsewhere"
            sentences.append(
                f"A search of {fmt_count(self.n_slices_tested_)} slices of one or two columns "
                f"found {fmt_count(self.n_weak_slices_)} where it makes significantly {errors} "
                f"than on the rest of the data; the clearest is {top['slice']} ({gap})."
            )
        elif self.n_slices_tested_:
            sentences.append(
                f"A search of {fmt_count(self.n_slices_tested_)} slices of one or two columns "
                f"found none where it makes significantly {errors} than on the rest."
            )

        if self.calibration_ is not None:
            row = self.calibration_.iloc[0]
            gap = float(row["overconfidence"])
            conf, acc = (
                fmt_value("accuracy", row["mean_confidence"]),
                fmt_value("accuracy", row["accuracy"]),
            )
            if abs(gap) < 0.02:
                sentences.append(
                    f"Its stated confidence matches how often it is right ({conf} on average "
                    f"against {acc} right)."
                )
            else:
                word = "overconfident" if gap > 0 else "underconfident"
                sentences.append(
                    f"It is {word}: on average it states {conf} confidence and is right {acc} "
                    "of the time."
                )
        elif self.coverage_ is not None:
            row, level = self.coverage_.iloc[0], self.confidence_level_
            sentences.append(
                f"Intervals built to hold the true value {fmt_value('coverage', level)} of the "
                f"time held it for {fmt_value('coverage', row['coverage'])} of held-out rows "
                f"(95% bounds {fmt_bounds('coverage', row['coverage_lo'], row['coverage_hi'])})."
            )
        return sentences

    def _limitations(self) -> list[str]:
        out: list[str] = []
        n = fmt_count(self.data_["n_rows"])
        if self.author_["training_data"] is None:
            out.append(
                f"Whether the {n} rows behind these numbers were used to train the model is not "
                "stated by the author; if they were, every number here is optimistic."
            )
        if not self.by_group_:
            out.append(
                "No sensitive features were given: the card cannot show how the model does for "
                "groups of people."
            )
        low = []
        for feature, table in self.by_group_.items():
            for group, row in table[table["low_support"].astype(bool)].iterrows():
                where, n = f"{feature} = {group_text(group)}", fmt_count(row["n"])
                if row["n"] < self.min_support_:
                    why = f"has only {n} rows (fewer than {self.min_support_})"
                else:  # binary: flagged for a rare class (see slice_metrics)
                    why = f"has {n} rows but fewer than {MIN_CLASS_SUPPORT} of one class"
                low.append(f"{where} {why}: its numbers have wide bounds; read them as rough.")
        out.extend(_capped(low, "more groups with low support"))

        m = self._primary
        d = self.disparities_
        gaps = []
        if not d.empty:
            rows = d[(d["metric"] == m) & ~d["reference"] & ~d["bounds_cross_zero"].astype(bool)]
            for _, row in rows.iterrows():
                diff = float(row["difference"])
                side = "higher" if diff > 0 else "lower"
                sign = direction(m) * (1 if diff > 0 else -1)
                judged = " (better)" if sign > 0 else " (worse)" if sign < 0 else ""
                gaps.append(
                    f"{metric_label(m)} is {side}{judged} for {row['feature']} = "
                    f"{group_text(row['group'])} than for {group_text(row['reference_group'])}: "
                    f"{fmt_diff(m, diff)} (95% bounds {fmt_diff(m, row['difference_lo'])} to "
                    f"{fmt_diff(m, row['difference_hi'])}), a gap beyond chance."
                )
        out.extend(_capped(gaps, "more gaps beyond chance"))

        if self.n_weak_slices_:
            out.append(
                f"The model is significantly weaker on {fmt_count(self.n_weak_slices_)} slices "
                "of the data (Benjamini-Hochberg, 5% false discovery rate); the strongest are "
                "listed under Blind spots."
            )
        if self.calibration_ is not None:
            out.extend(self._calibration_limitations())
        if self.coverage_ is not None:
            level = self.confidence_level_
            short = []
            for _, row in self.coverage_.iterrows():
                if row["coverage_hi"] < level:
                    where = (
                        "held-out rows"
                        if row["feature"] is None
                        else f"{row['feature']} = {group_text(row['group'])}"
                    )
                    short.append(
                        f"On {where}, the conformal sets or intervals held the true value for "
                        f"{fmt_value('coverage', row['coverage'])} (95% bounds "
                        f"{fmt_bounds('coverage', row['coverage_lo'], row['coverage_hi'])}), "
                        f"below the promised {fmt_value('coverage', level)}: the promise holds "
                        "on average over all rows, not for each group."
                    )
            out.extend(_capped(short, "more groups below the promised coverage"))
        return out

    def _calibration_limitations(self) -> list[str]:
        """Overall and per-group gaps between stated confidence and accuracy above 5 points."""
        out = []
        rule = f"gaps above {100 * CALIBRATION_GAP:.0f} points are reported"
        table = self.calibration_
        overall = float(table["overconfidence"].iloc[0])
        if abs(overall) > CALIBRATION_GAP:
            word, kind = ("above", "over") if overall > 0 else ("below", "under")
            out.append(
                f"On all rows the stated confidence is {abs(100 * overall):.1f} points {word} the "
                f"accuracy: the model is {kind}confident ({rule})."
            )
        groups = table.iloc[1:]
        groups = groups[groups["n"] >= self.min_support_]
        gaps = groups["overconfidence"].to_numpy(dtype=float)
        bad = groups[np.abs(gaps) > CALIBRATION_GAP]
        if len(bad):
            worst = bad.iloc[int(np.argmax(np.abs(bad["overconfidence"].to_numpy(dtype=float))))]
            out.append(
                f"In {len(bad)} of {len(groups)} groups with at least {self.min_support_} rows "
                f"the stated confidence is more than {100 * CALIBRATION_GAP:.0f} points away "
                f"from the accuracy; the largest gap is for {worst['feature']} = "
                f"{group_text(worst['group'])}: {fmt_diff('accuracy', worst['overconfidence'])} "
                "(confidence minus accuracy)."
            )
        return out

    # -- rendering -------------------------------------------------------------------------
    def _blocks(self) -> list[Block]:
        d, data = self.details_, self.data_
        blocks: list[Block] = [
            Heading(1, f"Model card: {d['name']}"),
            Para.of(
                f"Generated by rai_widgets {d['rai_widgets_version']} on {d['generated']} from "
                f"the model and {fmt_count(data['n_rows'])} rows. Numbers are computed, never "
                "typed; sections only the author can write say so when left empty.",
                style="muted",
            ),
            Heading(2, "Summary"),
            Para.of(" ".join(self.summary_), style="summary"),
        ]
        blocks += self._details_blocks()
        blocks += self._data_blocks()
        blocks += self._metric_blocks()
        blocks += self._disparity_blocks()
        blocks += self._uncertainty_blocks()
        blocks += self._weak_slice_blocks()
        blocks.append(Heading(2, "Limitations (found in the numbers)"))
        if self.limitations_:
            blocks.append(Bullets(tuple((text,) for text in self.limitations_)))
        else:
            blocks.append(Para.of("None found in the numbers."))
        blocks.append(Heading(2, "Ethical considerations"))
        blocks += self._author_blocks("ethical_considerations")
        blocks.append(Heading(2, "Caveats and recommendations"))
        blocks += self._author_blocks("caveats")
        return blocks

    def _author_blocks(self, name: str) -> list[Block]:
        text = self.author_.get(name)
        if text is None:
            return [Para.of(NOT_STATED, style="muted")]
        paragraphs = [p for p in (part.strip() for part in text.split("\n\n")) if p]
        return [Para.of(" ".join(p.split())) for p in paragraphs]

    def _details_blocks(self) -> list[Block]:
        d = self.details_
        task = {"binary": "binary classification", "multiclass": "multiclass classification"}
        rows = [
            ("Name", d["name"]),
            ("Estimator", f"{d['estimator']} ({d['estimator_package']})"),
            ("Steps", d["pipeline"]),
            ("Task", task.get(d["task"], d["task"])),
        ]
        if d["classes"] is not None:
            rows.append(("Classes", label_list(d["classes"])))
        if d["pos_label"] is not None:
            rows.append(("Positive class", str(d["pos_label"])))
        rows.append(("Target", d["target"] or "(unnamed)"))
        rows.append(("Generated", d["generated"]))
        rows.append(("rai_widgets version", d["rai_widgets_version"]))
        blocks: list[Block] = [
            Heading(2, "Model details"),
            Table(("Field", "Value"), tuple(rows), text_columns=(0, 1)),
        ]
        blocks.append(Heading(3, "Owners"))
        blocks += self._author_blocks("owners")
        blocks.append(Heading(2, "Intended use"))
        blocks += self._author_blocks("intended_use")
        blocks.append(Heading(3, "Out-of-scope uses"))
        blocks += self._author_blocks("out_of_scope_uses")
        return blocks

    def _data_blocks(self) -> list[Block]:
        data = self.data_
        items = [
            (f"Rows: {fmt_count(data['n_rows'])}.",),
            (
                f"Columns: {data['n_columns']}; {len(data['text_columns'])} text "
                f"({label_list(data['text_columns'])}) and {len(data['numeric_columns'])} numeric "
                f"({label_list(data['numeric_columns'])}).",
            ),
            (f"Sensitive features: {label_list(data['sensitive_features'])}.",),
        ]
        blocks: list[Block] = [Heading(2, "Evaluation data"), Bullets(tuple(items))]
        blocks.append(Heading(3, "Training data"))
        blocks += self._author_blocks("training_data")
        t = self.target_
        if self.details_["task"] == "regression":
            blocks.append(Heading(3, f"Target: {data['target'] or 'y'} (true and predicted)"))
            header = ("", "mean", "std", "min", "25%", "median", "75%", "max")
            rows = []
            for name, row in t.iterrows():
                label = "true" if name == "y_true" else "predicted"
                rows.append((label, *(fmt_number(v) for v in row.to_numpy())))
            blocks.append(Table(header, tuple(rows)))
        else:
            blocks.append(Heading(3, "Class balance (true and predicted)"))
            rows = [
                (
                    str(label),
                    fmt_count(row["n"]),
                    fmt_value("accuracy", row["share"]),
                    fmt_count(row["predicted_n"]),
                    fmt_value("accuracy", row["predicted_share"]),
                )
                for label, row in t.iterrows()
            ]
            header = ("Class", "True rows", "Share", "Predicted rows", "Predicted share")
            blocks.append(Table(header, tuple(rows)))
        return blocks

    def _metric_blocks(self) -> list[Block]:
        overall = self.overall_.iloc[0]
        rows = tuple(
            (
                metric_label(m),
                fmt_value(m, overall[m]),
                fmt_bounds(m, overall.get(f"{m}_lo"), overall.get(f"{m}_hi")),
            )
            for m in self.metrics_
        )
        blocks: list[Block] = [
            Heading(2, "Metrics"),
            Heading(3, f"All {fmt_count(overall['n'])} rows"),
            Table(("Metric", "Value", "95% bounds"), rows),
        ]
        for feature, table in self.by_group_.items():
            blocks.append(Heading(3, f"By {feature}"))
            header = ("Group", "n", *(metric_label(m) for m in self.metrics_), "Support")
            body, muted = [], []
            for group, row in table.iterrows():
                low = bool(row["low_support"])
                cells = [
                    f"{fmt_value(m, row[m])} "
                    f"({fmt_bounds(m, row.get(f'{m}_lo'), row.get(f'{m}_hi'))})"
                    for m in self.metrics_
                ]
                body.append(
                    (group_text(group), fmt_count(row["n"]), *cells, "low" if low else "ok")
                )
                muted.append(low)
            last = len(header) - 1
            blocks.append(Table(header, tuple(body), tuple(muted), text_columns=(0, last)))
            if any(muted):
                blocks.append(
                    Para.of(
                        f"Low support: fewer than {self.min_support_} rows"
                        + (
                            f", or fewer than {MIN_CLASS_SUPPORT} rows of one class"
                            if self.details_["task"] == "binary"
                            else ""
                        )
                        + "; read these numbers as rough.",
                        style="muted",
                    )
                )
        if not self.by_group_:
            blocks.append(
                Para.of("No sensitive features were given: no per-group results.", style="muted")
            )
        return blocks

    def _disparity_blocks(self) -> list[Block]:
        blocks: list[Block] = [Heading(2, "Disparities")]
        d = self.disparities_
        if d.empty:
            blocks.append(Para.of("No sensitive features were given.", style="muted"))
            return blocks
        blocks.append(
            Para.of(
                "Each group against the largest group of its feature: the difference with 95% "
                "bounds (MOVER, from each group's own bounds). When the bounds cross zero the data "
                "cannot tell the gap from no gap."
            )
        )
        for feature in self.by_group_:
            rows = d[(d["feature"] == feature) & ~d["reference"]]
            ref = d[(d["feature"] == feature) & d["reference"]]["group"].iloc[0]
            blocks.append(Heading(3, f"By {feature} (reference: {group_text(ref)})"))
            body, muted = [], []
            for _, row in rows.iterrows():
                m = row["metric"]
                reading = (
                    "bounds cross zero: could be chance"
                    if row["bounds_cross_zero"]
                    else "beyond chance"
                )
                if row["low_support"]:
                    reading += "; low support"
                body.append(
                    (
                        group_text(row["group"]),
                        metric_label(m),
                        fmt_value(m, row["value"]),
                        fmt_diff(m, row["difference"]),
                        f"{fmt_diff(m, row['difference_lo'])} to "
                        f"{fmt_diff(m, row['difference_hi'])}",
                        reading,
                    )
                )
                muted.append(bool(row["low_support"]))
            header = ("Group", "Metric", "Value", "Difference", "95% bounds", "Reading")
            blocks.append(Table(header, tuple(body), tuple(muted), text_columns=(0, 1, 5)))
        return blocks

    def _uncertainty_blocks(self) -> list[Block]:
        blocks: list[Block] = [Heading(2, "Uncertainty"), Heading(3, "Calibration")]
        if self.calibration_ is None:
            blocks.append(Para.of(self.notes_.get("calibration", ""), style="muted"))
        else:
            blocks.append(
                Para.of(
                    "ECE: expected calibration error (10 equal-count bins of predicted "
                    "probability). Overconfidence: mean confidence minus accuracy, in points; "
                    "above zero the model claims more than it delivers."
                )
            )
            body, muted = [], []
            for _, row in self.calibration_.iterrows():
                where = (
                    "all rows"
                    if row["feature"] is None
                    else f"{row['feature']} = {group_text(row['group'])}"
                )
                body.append(
                    (
                        where,
                        fmt_count(row["n"]),
                        fmt_value("ece", row["ece"]),
                        fmt_value("accuracy", row["mean_confidence"]),
                        fmt_value("accuracy", row["accuracy"]),
                        fmt_diff("accuracy", row["overconfidence"]),
                    )
                )
                muted.append(bool(row["n"] < self.min_support_))
            header = ("Rows", "n", "ECE", "Mean confidence", "Accuracy", "Overconfidence")
            blocks.append(Table(header, tuple(body), tuple(muted)))
        level = fmt_value("coverage", self.confidence_level_)
        blocks.append(Heading(3, f"Conformal coverage (promised: {level})"))
        if self.coverage_ is None:
            blocks.append(Para.of(self.notes_.get("coverage", ""), style="muted"))
            return blocks
        size = "mean_width" if "mean_width" in self.coverage_.columns else "mean_set_size"
        what = (
            "intervals (mean width in the target's units)"
            if size == "mean_width"
            else "prediction sets (mean number of classes in a set)"
        )
        blocks.append(
            Para.of(
                f"Split conformal {what}, built to hold the true value {level} of the time. "
                + self.notes_.get("coverage_rows", "")
            )
        )
        body, muted = [], []
        for _, row in self.coverage_.iterrows():
            where = (
                str(row["group"])
                if row["feature"] is None
                else f"{row['feature']} = {group_text(row['group'])}"
            )
            below = row["coverage_hi"] < self.confidence_level_
            body.append(
                (
                    where,
                    fmt_count(row["n"]),
                    fmt_value("coverage", row["coverage"]),
                    fmt_bounds("coverage", row["coverage_lo"], row["coverage_hi"]),
                    f"{row[size]:.2f}" if size == "mean_set_size" else fmt_number(row[size]),
                    "below the promise" if below else "consistent with the promise",
                )
            )
            muted.append(bool(row["n"] < self.min_support_))
        label = "Mean width" if size == "mean_width" else "Mean set size"
        header = ("Rows", "n", "Coverage", "95% bounds", label, "Reading")
        blocks.append(Table(header, tuple(body), tuple(muted), text_columns=(0, 5)))
        return blocks

    def _weak_slice_blocks(self) -> list[Block]:
        blocks: list[Block] = [Heading(2, "Blind spots")]
        regression = self.details_["task"] == "regression"
        loss = "mean absolute error" if regression else "error rate"
        text = (
            "Every slice of one column and every intersection of two "
            f"({fmt_count(self.n_slices_tested_)} tested) compared with the rest of the data on "
            f"{loss}; q-values are Benjamini-Hochberg adjusted (significant: q at most 0.05)."
        )
        if self.n_weak_slices_:
            text += (
                f" {fmt_count(self.n_weak_slices_)} are significant; the strongest "
                f"{len(self.weak_slices_)} are shown."
            )
        blocks.append(Para.of(text))
        if self.weak_slices_.empty:
            blocks.append(Para.of("No slice is significantly worse than the rest.", style="muted"))
            return blocks

        def fmt(v: Any) -> str:
            return fmt_number(v) if regression else fmt_value("accuracy", v)

        def gap(v: Any) -> str:
            return fmt_diff("mae" if regression else "accuracy", v)

        body = []
        for _, row in self.weak_slices_.iterrows():
            q = float(row["q_value"])
            body.append(
                (
                    str(row["slice"]),
                    fmt_count(row["n"]),
                    fmt(row["metric"]),
                    fmt(row["rest"]),
                    f"{gap(row['gap'])} ({gap(row['gap_lo'])} to {gap(row['gap_hi'])})",
                    "< 0.001" if q < 0.001 else f"{q:.3f}",
                )
            )
        header = ("Slice", "n", loss.capitalize(), "Rest", "Gap (95% bounds)", "q-value")
        blocks.append(Table(header, tuple(body)))
        return blocks

    def to_markdown(self) -> str:
        """The card as Markdown; every text from data is escaped.

        Returns
        -------
        str
        """
        return render_markdown(self._blocks())

    def _fragment(self) -> str:
        return (
            f'<style>{CSS}</style>\n<div class="rai-card">\n{render_html(self._blocks())}\n</div>'
        )

    def to_html(self, path: str | Path | None = None) -> str:
        """The card as one self-contained HTML page: inline CSS, no script, no external resource.

        Parameters
        ----------
        path : str or Path, optional
            Where to write the page (UTF-8).

        Returns
        -------
        str
            The page.
        """
        title = f"Model card: {self.details_['name']}"
        import html as _html

        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_html.escape(title)}</title>\n</head>\n<body>\n"
            f"{self._fragment()}\n</body>\n</html>\n"
        )
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def to_dict(self) -> dict[str, Any]:
        """Every section as JSON-serialisable data (NaN as None, labels as text).

        Returns
        -------
        dict
        """
        out = {
            "details": plain(self.details_),
            "author": dict(self.author_),
            "data": plain(self.data_),
            "target": records(self.target_),
            "metrics": list(self.metrics_),
            "overall": records(self.overall_),
            "by_group": {str(f): records(t) for f, t in self.by_group_.items()},
            "disparities": records(self.disparities_),
            "calibration": records(self.calibration_),
            "coverage": records(self.coverage_),
            "confidence_level": float(self.confidence_level_),
            "weak_slices": records(self.weak_slices_),
            "n_slices_tested": self.n_slices_tested_,
            "n_weak_slices": self.n_weak_slices_,
            "summary": list(self.summary_),
            "limitations": list(self.limitations_),
            "notes": dict(self.notes_),
        }
        json.dumps(out, allow_nan=False)  # fail here, not in the caller's json.dump
        return out

    def _repr_html_(self) -> str:
        return self._fragment()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (
            f"ModelCard(name={self.details_.get('name')!r}, task={self.details_.get('task')!r}, "
            f"rows={self.data_.get('n_rows')}, metrics={self.metrics_})"
        )


def _capped(items: list[str], rest: str) -> list[str]:
    if len(items) <= MAX_LISTED:
        return items
    return [*items[:MAX_LISTED], f"... and {len(items) - MAX_LISTED} {rest}."]
