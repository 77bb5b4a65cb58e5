"""Has the data moved since the model was evaluated, and for whom? ``s.compare_data``.

New rows (this month's applicants, say) are compared with the session's evaluation rows:
every feature's distribution over all rows and per group of each sensitive feature (a KS or
chi-squared test with Benjamini-Hochberg control, the total variation distance with bootstrap
bounds; :func:`rai_widgets.compute.data_drift.feature_drift`), and, where the new rows have
labels, the conformal coverage re-checked on them: prediction sets calibrated on the
evaluation rows are measured on the new ones, overall and per group.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X[:300], y[:300],
...                     random_state=0)
>>> moved = s.compare_data(X[300:], y[300:])
>>> moved.n_new, sorted(moved.coverage_.index)[:1]
(269, ['overall'])
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.data_drift import ALL_ROWS, feature_drift_by
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import labels_like
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings import lifecycle as words
from rai_widgets.readings.drift import move_detail
from rai_widgets.session.core import SessionCore
from rai_widgets.session.uncertainty import Uncertainty

__all__ = ["DataComparison", "DataComparisons"]


@dataclass(frozen=True)
class DataComparison:
    """What moved between the evaluation rows and new rows.

    Attributes
    ----------
    drift_ : pandas.DataFrame
        One row per feature over all rows (``group`` "(all)") and per group of each sensitive
        feature (``grouping``): the test, ``p_value``, ``q_value`` (Benjamini-Hochberg over
        every row), ``shift`` (total variation distance) with bounds, ``detail`` (with
        ``detail_from`` and ``detail_to``), ``drifted``, and ``value_kind`` (what the column
        holds, as :func:`~rai_widgets.formatting_kinds.column_kind` says).
    coverage_ : pandas.DataFrame or None
        With labels for the new rows: per group (``overall`` first, then each sensitive
        feature's groups), ``n``, ``coverage`` with bounds on the new rows, and
        ``evaluation`` (the coverage on the evaluation rows) beside it.
    confidence_level : float
        The coverage the prediction sets promise.
    n_new : int
        New rows.
    """

    drift_: pd.DataFrame
    coverage_: pd.DataFrame | None
    confidence_level: float
    n_new: int

    def summary(self) -> list[str]:
        """What moved, in sentences: the features that drifted (the largest first, five at
        most), then whether the prediction sets still keep their promise on the new rows.

        Returns
        -------
        list of str
        """
        out = []
        tested = int(self.drift_["p_value"].notna().sum())
        moved = self.drift_[self.drift_["drifted"]].sort_values("shift", ascending=False)
        if moved.empty:
            out.append(
                f"No feature's distribution differs measurably between the evaluation rows and "
                f"the {formatting.count(self.n_new)} new rows ({tested} comparisons)."
            )
        for _, row in moved.head(5).iterrows():
            group = None
            if row["group"] != ALL_ROWS:
                group = formatting.slice_description({row["grouping"]: row["group"]})
            feature = row["feature"]
            detail = move_detail(
                feature, row["kind"], detail=row["detail"], change=row["detail_change"],
                before=row["detail_from"], after=row["detail_to"],
                value_kind=row["value_kind"],
            )  # fmt: skip
            out.append(
                words.drift_sentence(
                    str(row["feature"]), group, shift=row["shift"], lo=row["shift_lo"],
                    hi=row["shift_hi"], detail=detail, q=row["q_value"], n_tests=tested,
                ).replace("the training and the evaluation rows", "the evaluation and the new rows")
            )  # fmt: skip
        if self.coverage_ is not None:
            short = self.coverage_[self.coverage_["coverage_hi"] < self.confidence_level]
            promise = formatting.percent(self.confidence_level, 0)
            short = short.sort_values("coverage").head(5)
            if short.empty:
                out.append(
                    f"On the new rows the prediction sets keep their {promise} promise within "
                    "their bounds, overall and in every group."
                )
            for group, row in short.iterrows():
                out.append(
                    f"On the new rows the prediction sets promised to hold the truth {promise} "
                    f"of the time hold it {formatting.percent(row['coverage'])} for {group} "
                    f"({formatting.bounds(row['coverage_lo'], row['coverage_hi'], kind='percent')}"
                    f"; {formatting.count(row['n'])} rows), against "
                    f"{formatting.percent(row['evaluation'])} on the evaluation rows."
                )
        return out


class DataComparisons:
    """The session's comparison of its evaluation rows with new rows."""

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    def compare_data(
        self, X_new: Any, y_new: Any = None, *, confidence_level: float = 0.9
    ) -> DataComparison:
        """Has the data moved since the model was evaluated, and for whom?

        Parameters
        ----------
        X_new : pandas.DataFrame
            New rows with X's columns (e.g. the rows the model met since).
        y_new : array-like, optional
            Their actual outcomes: the conformal coverage is then re-checked on them.
        confidence_level : float, default 0.9
            The coverage the prediction sets promise (calibrated on the evaluation rows).

        Returns
        -------
        DataComparison
            ``drift_``, ``coverage_`` and ``summary()``.

        Raises
        ------
        ValidationError
            ``X_new`` has other columns than X (named), or the session has no y to calibrate
            prediction sets with while ``y_new`` is given.
        """
        core = self._core
        columns = [f for f in core.sensitive_features_ if f in core.frame.columns]
        new = SessionCore(
            core.model,
            X_new,
            y_new,
            sensitive_features=columns or None,
            task=core.task_,
            pos_label=core.pos_label_,
            random_state=core.random_state,
            identifier_columns=[c for c in core.identifier_columns_ if c in _columns(X_new)],
        )
        missing = [c for c in core.feature_names_ if c not in new.feature_names_]
        extra = [c for c in new.feature_names_ if c not in core.feature_names_]
        if missing or extra:
            raise ValidationError(
                f"X_new has other columns than X (missing {missing[:6]}, extra {extra[:6]}); "
                "pass the new rows with X's columns."
            )
        drift = _drift(core, new)
        coverage = None
        if y_new is not None:
            if not core.has_y:
                raise ValidationError(
                    "y_new was given but the session has no y: its prediction sets cannot be "
                    "calibrated. Make the session with y, or leave y_new out."
                )
            coverage = _coverage(core, new, confidence_level)
        return DataComparison(drift, coverage, confidence_level, new.n_rows_)


def _columns(X: Any) -> list[Hashable]:
    return list(X.columns) if isinstance(X, pd.DataFrame) else []


def _drift(core: SessionCore, new: SessionCore) -> pd.DataFrame:
    seed = core.random_state if isinstance(core.random_state, int) else 0
    groupings = {
        by: (
            labels_like(core.column(by), core.column(by)).to_numpy(),
            labels_like(new.column(by), core.column(by)).to_numpy(),
        )
        for by in new.sensitive_features_
    }
    drift = feature_drift_by(
        core.frame, new.frame[core.feature_names_], groupings, random_state=seed
    )
    kinds = {c: column_kind(c, core.frame[c]) for c in core.feature_names_}
    drift["value_kind"] = drift["feature"].map(kinds)
    return drift


def _by_group(covered: pd.Series, groups: pd.Series | None) -> pd.DataFrame:
    """n and coverage with Wilson bounds, per group (one row "overall" without groups)."""
    keys = pd.Series("overall", index=covered.index) if groups is None else groups
    grouped = covered.groupby(keys.loc[covered.index].to_numpy(), dropna=False)
    out = pd.DataFrame({"n": grouped.size(), "held": grouped.sum()})
    lo, hi = wilson_interval(out["held"].to_numpy(), out["n"].to_numpy(), 0.95)
    return pd.DataFrame(
        {"n": out["n"], "coverage": out["held"] / out["n"], "coverage_lo": lo, "coverage_hi": hi},
        index=out.index,
    )


def _coverage(core: SessionCore, new: SessionCore, level: float) -> pd.DataFrame:
    seed = core.random_state if isinstance(core.random_state, int) else 0
    y_old = core.y_values
    assert y_old is not None
    on_new = Uncertainty(new).conformal(
        confidence_level=level, calibration=(core.frame, y_old), random_state=seed
    )
    on_old = Uncertainty(core).conformal(confidence_level=level, random_state=seed)
    held_new = pd.Series(on_new.covered, index=on_new.index)
    held_old = pd.Series(on_old.covered, index=on_old.index)
    frames = [_by_group(held_new, None).assign(evaluation=float(held_old.mean()))]
    for by in new.sensitive_features_:
        reference = core.column(by)
        part = _by_group(held_new, labels_like(new.column(by), reference))
        old = _by_group(held_old, labels_like(reference, reference))["coverage"]
        part["evaluation"] = [float(old.get(g, np.nan)) for g in part.index]
        part.index = [formatting.slice_description({by: g}) for g in part.index]
        frames.append(part)
    return pd.concat(frames)
