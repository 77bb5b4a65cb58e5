"""ModelSession's by-example methods: ``examples``, ``similar``, ``nearest_counterfactuals``
and ``what_if``.

A mixin of :class:`~rai_widgets.session.ModelSession`: every query ranks real rows from the
cached predictions and one cached encoding of X; ``what_if`` makes one batched model call.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.examples import KINDS, column_scales, gower_distances, rank_examples
from rai_widgets.compute.explain import explain_rows
from rai_widgets.compute.explain_text import format_value, percent
from rai_widgets.core.errors import ColumnNotFoundError, RaiWidgetsWarning, ValidationError
from rai_widgets.core.validation import check_int, closest_names, is_numeric

__all__ = ["ExampleMethods", "WhatIf"]

REFERENCE_ROWS = 2_000  # real rows an "in distribution" check compares against
OUT_OF_DISTRIBUTION_QUANTILE = 0.95


@dataclass(frozen=True)
class _Encoded:
    Z: np.ndarray
    categorical: np.ndarray
    scale: np.ndarray


@dataclass(frozen=True)
class WhatIf:
    """The outcome of editing one row.

    Attributes
    ----------
    before, after : pandas.Series
        ``prediction`` and, for classifiers, ``confidence`` and the probability of every class.
    changes : pandas.DataFrame
        Per raw feature: ``value_before``, ``value_after``, ``contribution_before``,
        ``contribution_after``, ``change`` (SHAP, in the explained output's units).
    summary : str
        One sentence: what changed and what the model says now.
    """

    before: pd.Series
    after: pd.Series
    changes: pd.DataFrame
    summary: str


class ExampleMethods:
    """By-example methods of ModelSession (a mixin)."""

    def _encoded(self, state) -> _Encoded:
        def build() -> _Encoded:
            codec = self._codec(state)
            Z = codec.encode(self._X)
            return _Encoded(Z, codec.categorical, column_scales(Z, categorical=codec.categorical))

        return self._cache.get_or_compute(("encoded", state.data), build)

    def _slice_mask(self, slice_: Any) -> np.ndarray:
        """Boolean mask of a slice: None (all), a mask aligned with X, or {column: value}
        (for a numeric column a value may be a bin: its label such as "17–28", as
        ``slice_metrics`` shows it, or a ``pandas.Interval``)."""
        n = len(self._X)
        if slice_ is None:
            return np.ones(n, dtype=bool)
        if isinstance(slice_, Mapping):
            mask = np.ones(n, dtype=bool)
            for column, value in slice_.items():
                values = self._column(column)
                if isinstance(value, str) and is_numeric(values):
                    # a bin's label ("17–28") from slice_metrics and the views' group pickers
                    bins = self.slices(column)
                    if value in set(bins.labels):
                        mask &= bins.codes == bins.labels.get_loc(value)
                        continue
                if isinstance(value, pd.Interval):  # a bin of a numeric column
                    inside = (values > value.left) if value.open_left else (values >= value.left)
                    inside &= (
                        (values < value.right) if value.open_right else (values <= value.right)
                    )
                    mask &= inside.to_numpy(dtype=bool, na_value=False)
                elif pd.isna(value):
                    mask &= values.isna().to_numpy()
                else:
                    mask &= (values == value).to_numpy(dtype=bool, na_value=False)
            return mask
        from rai_widgets.core.validation import align_to_rows

        mask = align_to_rows(slice_, self._X.index, argument="slice")
        if not pd.api.types.is_bool_dtype(mask.dtype):
            raise ValidationError(
                "slice must be None, a boolean mask aligned with X, or a dict such as "
                "{'sex': 'Female'}."
            )
        return mask.to_numpy(dtype=bool)

    # -- example queries -------------------------------------------------------------------
    def examples(
        self,
        kind: str,
        *,
        slice: Any = None,
        n: int = 20,
        target: float | None = None,
        cls: Any = None,
        threshold: float = 0.5,
    ) -> pd.DataFrame:
        """Real rows that answer a question about the model, most relevant first.

        Parameters
        ----------
        kind : {"confident_errors", "ambiguous", "typical", "confidence_near", "large_errors"}
            - confident_errors: wrong predictions, most confident first (classification);
            - ambiguous: closest to the decision boundary (binary: probability nearest
              ``threshold``; multiclass: smallest gap between the two likeliest classes;
              regression: largest spread between the ensemble's members);
            - typical: per predicted class, the rows closest to the class's typical row
              (median numbers, most common categories); regression: the slice as a whole;
            - confidence_near: rows whose probability of ``cls`` is nearest ``target``, among
              rows that are not far from the rest of the data (Bayes-TrEx's "examples at a
              prescribed confidence");
            - large_errors: largest absolute errors (regression).
        slice : None, boolean mask aligned with X, or dict
            Restrict to a slice, e.g. ``{"sex": "Female", "race": "Black"}``.
        n : int, default 20
            Rows returned (per predicted class for "typical").
        target : float, optional
            Probability for "confidence_near".
        cls : class label, optional
            Class for "confidence_near" (default ``pos_label_``).
        threshold : float, default 0.5
            Decision threshold for "ambiguous" on binary tasks.

        Returns
        -------
        pandas.DataFrame
            The raw rows of X (indexed by X's labels) plus ``y_true``, ``y_pred``,
            ``confidence`` and ``reason``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> e = s.examples("confident_errors", n=3)
        >>> e[["y_true", "y_pred"]].apply(lambda r: r.iloc[0] != r.iloc[1], axis=1).all()
        np.True_
        """
        if kind not in KINDS:
            raise ValidationError(f"kind must be one of {KINDS}; got {kind!r}.")
        check_int(n, argument="n", minimum=1)
        regression = self.task_ == "regression"
        allowed = ("large_errors", "ambiguous", "typical") if regression else KINDS[:4]
        if kind not in allowed:
            raise ValidationError(
                f"kind={kind!r} does not apply to {self.task_} tasks; choose from {allowed}."
            )
        preds = self.predictions()
        candidates = np.flatnonzero(self._slice_mask(slice))
        arrays: dict[str, Any] = {}
        if kind in ("confident_errors", "large_errors") and self._y is None:
            raise ValidationError(f"kind={kind!r} needs y; create the session with y.")
        if kind == "confident_errors":
            arrays = {
                "correct": preds["correct"].to_numpy(),
                "confidence": preds["confidence"].to_numpy(),
            }
        elif kind == "large_errors":
            arrays = {"abs_error": np.abs(preds["residual"].to_numpy())}
        elif kind == "ambiguous":
            arrays = self._ambiguity(preds, threshold)
        elif kind == "confidence_near":
            arrays = self._near_target_inputs(preds, target, cls)
        if kind == "typical":
            return self._typical(preds, candidates, n)
        ranking = {k: v for k, v in arrays.items() if k not in ("cls", "threshold")}
        positions, score = rank_examples(kind, candidates=candidates, **ranking)
        if kind == "confidence_near":
            positions, score = self._in_distribution(positions, score, n)
        return self._example_frame(preds, positions[:n], self._reasons(kind, score[:n], arrays))

    def _ambiguity(self, preds: pd.DataFrame, threshold: float) -> dict:
        if self.task_ == "regression":
            spread = self._ensemble_spread()
            return {"uncertainty": spread}
        proba = preds[[f"proba_{c}" for c in self.classes_]].to_numpy()
        if self.task_ == "binary":
            return {"margin": np.abs(preds["score"].to_numpy() - threshold), "threshold": threshold}
        top2 = np.sort(proba, axis=1)[:, -2:]
        return {"margin": top2[:, 1] - top2[:, 0]}

    def _ensemble_spread(self) -> np.ndarray:
        from rai_widgets.compute.feature_map import split_pipeline

        pre, final = split_pipeline(self.model)
        members = getattr(final, "estimators_", None)
        if members is None or not hasattr(members, "__len__") or len(members) < 2:
            raise ValidationError(
                "kind='ambiguous' for regression needs an uncertainty estimate: the model is "
                "not an ensemble with estimators_ (e.g. a random forest). Use "
                "kind='large_errors', or the conformal intervals of s.conformal()."
            )
        Xt = self._X_model if pre is None else pre.transform(self._X_model)
        outputs = np.column_stack(
            [np.asarray(m.predict(Xt), dtype=float).ravel() for m in np.ravel(members)]
        )
        return outputs.std(axis=1)

    def _near_target_inputs(self, preds: pd.DataFrame, target: Any, cls: Any) -> dict:
        if target is None or not (0 <= float(target) <= 1):
            raise ValidationError(
                f"kind='confidence_near' needs target, a probability in [0, 1]; got {target!r}."
            )
        cls = self.pos_label_ if cls is None else cls
        if cls is None or cls not in self.classes_.tolist():
            raise ValidationError(
                f"cls must be one of the classes {self.classes_.tolist()}; got {cls!r}."
            )
        return {
            "proba_of_class": preds[f"proba_{cls}"].to_numpy(),
            "target": float(target),
            "cls": cls,
        }

    def _in_distribution(self, positions: np.ndarray, score: np.ndarray, n: int):
        """Drop candidates farther from real rows than 95% of real rows are from each other."""
        enc = self._encoded(self._state())
        rng = np.random.default_rng(0)
        reference = rng.choice(len(enc.Z), size=min(REFERENCE_ROWS, len(enc.Z)), replace=False)

        def nearest(position: int, exclude_self: bool) -> float:
            d = gower_distances(
                enc.Z[reference], enc.Z[position], categorical=enc.categorical, scale=enc.scale
            )
            if exclude_self:
                d = d[reference != position]
            return float(d.min()) if len(d) else 0.0

        sample = reference[: min(300, len(reference))]
        limit = np.quantile([nearest(p, True) for p in sample], OUT_OF_DISTRIBUTION_QUANTILE)
        keep = []
        for i, position in enumerate(positions[: 10 * n]):
            if nearest(position, True) <= limit:
                keep.append(i)
            if len(keep) == n:
                break
        keep = np.asarray(keep, dtype=np.int64)
        return positions[keep], score[keep]

    def _typical(self, preds: pd.DataFrame, candidates: np.ndarray, n: int) -> pd.DataFrame:
        enc = self._encoded(self._state())
        groups = (
            preds["y_pred"].to_numpy()[candidates]
            if self.task_ != "regression"
            else (np.zeros(len(candidates)))
        )
        chosen, reasons = [], []
        for group in pd.unique(groups):
            members = candidates[groups == group]
            center = _typical_row(enc.Z[members], enc.categorical)
            d = gower_distances(
                enc.Z[members], center, categorical=enc.categorical, scale=enc.scale
            )
            order = np.argsort(d, kind="stable")[:n]
            chosen.extend(members[order])
            what = (
                "the slice"
                if self.task_ == "regression"
                else (f"predicted {self.class_description(group)}")
            )
            reasons.extend(
                f"typical of {what} (distance {v:.2f} from its typical row)" for v in d[order]
            )
        return self._example_frame(preds, np.asarray(chosen, dtype=np.int64), reasons)

    def _reasons(self, kind: str, score: np.ndarray, arrays: dict) -> list[str]:
        if kind == "confident_errors":
            return [f"wrong, with {v:.0%} confidence" for v in score]
        if kind == "large_errors":
            return [f"off by {v:,.4g}" for v in score]
        if kind == "ambiguous":
            if "uncertainty" in arrays:
                return [
                    f"ensemble members disagree by {v:,.3g} (standard deviation)" for v in score
                ]
            if "threshold" in arrays:
                return [f"{v:.2f} from the {arrays['threshold']:.2f} threshold" for v in score]
            return [f"two likeliest classes {v:.0%} apart" for v in score]
        label = self.class_description(arrays["cls"])
        return [f"P({label}) = {v:.2f}, target {arrays['target']:.2f}" for v in score]

    def _example_frame(self, preds: pd.DataFrame, positions: np.ndarray, reasons: list[str]):
        frame = self._X.iloc[positions].copy()
        for column in ("y_true", "y_pred", "confidence"):
            if column in preds.columns:
                frame[column] = preds[column].to_numpy()[positions]
        frame["reason"] = reasons
        return frame

    # -- similar cases -----------------------------------------------------------------------
    def similar(self, row: Hashable, *, n: int = 10) -> pd.DataFrame:
        """The most similar real rows to ``row``, with their outcomes and predictions.

        Similarity is a mixed-type (Gower) distance over X's raw columns: numbers scaled by
        their interquartile range, categories matched. ``attrs["summary"]`` holds a frequency
        sentence, e.g. "Of the 10 most similar cases, 7 had income >50K; the model says yes for
        8."

        Parameters
        ----------
        row : label of X's index
            The case.
        n : int, default 10
            How many similar rows (the case itself is left out).

        Returns
        -------
        pandas.DataFrame
            The similar rows of X plus ``distance``, ``y_true``, ``y_pred``, ``confidence``.
        """
        check_int(n, argument="n", minimum=1)
        position = self._positions_of([row])[0]
        enc = self._encoded(self._state())
        d = gower_distances(enc.Z, enc.Z[position], categorical=enc.categorical, scale=enc.scale)
        d[position] = np.inf
        order = np.argsort(d, kind="stable")[:n]
        frame = self._example_frame(self.predictions(), order, [""] * len(order))
        frame = frame.drop(columns="reason")
        frame.insert(len(self._X.columns), "distance", d[order])
        frame.attrs["summary"] = self._frequency_sentence(frame)
        return frame

    def _frequency_sentence(self, frame: pd.DataFrame) -> str:
        k = len(frame)
        if self.task_ == "regression":
            parts = [
                f"Of the {k} most similar cases, the average outcome is "
                f"{frame['y_true'].mean():,.4g}"
                if "y_true" in frame
                else f"Of the {k} most similar cases"
            ]
            parts.append(f"the model predicts {frame['y_pred'].mean():,.4g} on average.")
            return "; ".join(parts)
        label = self.pos_label_ if self.task_ == "binary" else frame["y_pred"].mode().iloc[0]
        said = int((frame["y_pred"] == label).sum())
        text = f"Of the {k} most similar cases, "
        if "y_true" in frame:
            had = int((frame["y_true"] == label).sum())
            text += f"{had} had {self.class_description(label)}; "
        return text + f"the model says {self.class_description(label)} for {said}."

    def nearest_counterfactuals(self, row: Hashable, *, n: int = 5) -> pd.DataFrame:
        """The most similar real rows that got a different prediction, and what differs.

        Parameters
        ----------
        row : label of X's index
            The case.
        n : int, default 5
            How many rows.

        Returns
        -------
        pandas.DataFrame
            Rows of X plus ``distance``, ``y_pred``, ``confidence`` and ``differs`` (the raw
            values that differ from the case, as "column: case value -> this value").
        """
        check_int(n, argument="n", minimum=1)
        position = self._positions_of([row])[0]
        preds = self.predictions()
        enc = self._encoded(self._state())
        d = gower_distances(enc.Z, enc.Z[position], categorical=enc.categorical, scale=enc.scale)
        y_pred = preds["y_pred"].to_numpy()
        if self.task_ == "regression":
            raise ValidationError(
                "nearest_counterfactuals needs a classifier (a different predicted class); for "
                "regression use similar() and compare predictions."
            )
        d[y_pred == y_pred[position]] = np.inf
        order = np.argsort(d, kind="stable")[:n]
        order = order[np.isfinite(d[order])]
        frame = self._example_frame(preds, order, [""] * len(order)).drop(columns="reason")
        frame.insert(len(self._X.columns), "distance", d[order])
        case = self._X.iloc[position]
        frame["differs"] = [
            "; ".join(
                f"{c}: {format_value(case[c])} -> {format_value(other[c])}"
                for c in self._X.columns
                if not (pd.isna(case[c]) and pd.isna(other[c])) and case[c] != other[c]
            )
            for _, other in self._X.iloc[order].iterrows()
        ]
        return frame

    # -- what-if ---------------------------------------------------------------------------------
    def _edited_row(self, position: int, changes: Mapping[Hashable, Any]) -> pd.DataFrame:
        edited = self._X.iloc[[position]].copy()
        for column, value in changes.items():
            if column not in self._X.columns:
                raise ColumnNotFoundError(
                    f"what_if: {column!r} is not a column of X."
                    f"{closest_names(column, self._X.columns)}"
                )
            values = self._X[column]
            if value is None or (isinstance(value, float) and np.isnan(value)):
                if pd.api.types.is_integer_dtype(values.dtype):
                    edited[column] = edited[column].astype(float)
                edited.iloc[0, edited.columns.get_loc(column)] = np.nan
                continue
            if is_numeric(values):
                if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                    raise ValidationError(
                        f"what_if: {column!r} is numeric; got {value!r} ({type(value).__name__})."
                    )
                lo, hi = values.min(), values.max()
                if value < lo or value > hi:
                    warnings.warn(
                        f"what_if: {column}={value} is outside the values seen in X "
                        f"({lo}..{hi}); the model is extrapolating.",
                        RaiWidgetsWarning,
                        stacklevel=3,
                    )
                if pd.api.types.is_integer_dtype(values.dtype) and float(value).is_integer():
                    value = int(value)
                elif pd.api.types.is_integer_dtype(values.dtype):
                    edited[column] = edited[column].astype(float)
            else:
                known = pd.unique(values.dropna())
                if value not in set(known.tolist()):
                    raise ValidationError(
                        f"what_if: {value!r} is not a value of {column!r} the model has seen; "
                        f"known values include {sorted(map(str, known))[:8]}."
                    )
            edited.iloc[0, edited.columns.get_loc(column)] = value
        return edited

    def what_if(self, row: Hashable, changes: Mapping[Hashable, Any]) -> WhatIf:
        """Change some raw values of a row and see what the model says, and why, before/after.

        Parameters
        ----------
        row : label of X's index
            The case.
        changes : dict
            ``{column: new value}``. Unknown columns, values of the wrong type and categories the
            model never saw raise a ``ValidationError``; numbers outside the range seen in X
            warn (``RaiWidgetsWarning``).

        Returns
        -------
        WhatIf
            ``before``, ``after``, ``changes`` (per-feature SHAP before and after) and
            ``summary``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.ensemble import RandomForestRegressor
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, data.target)
        >>> s = rw.ModelSession(model, X, data.target, random_state=0)
        >>> result = s.what_if(0, {"age": 45})
        >>> float(result.after["prediction"]) == float(model.predict(X.iloc[[0]].assign(age=45))[0])
        True
        """
        if not isinstance(changes, Mapping) or not changes:
            raise ValidationError("changes must be a non-empty dict {column: new value}.")
        position = self._positions_of([row])[0]
        edited = self._edited_row(position, changes)
        both = pd.concat([self._X.iloc[[position]], edited])
        both_model = both if isinstance(self._X_model, pd.DataFrame) else both.to_numpy()
        outputs = self._adapter.outputs(both_model)  # one batched call for before and after
        before, after = (self._outcome(outputs, i) for i in (0, 1))
        changes_frame = self._explanation_change(position, edited)
        summary = self._what_if_sentence(changes, before, after)
        return WhatIf(before=before, after=after, changes=changes_frame, summary=summary)

    def _outcome(self, outputs, i: int) -> pd.Series:
        values: dict[str, Any] = {"prediction": outputs.y_pred[i]}
        if outputs.proba is not None:
            pred_index = self.classes_.tolist().index(outputs.y_pred[i])
            values["confidence"] = float(outputs.proba[i, pred_index])
            for j, c in enumerate(self.classes_):
                values[f"proba_{c}"] = float(outputs.proba[i, j])
        return pd.Series(values)

    def _explanation_change(self, position: int, edited: pd.DataFrame) -> pd.DataFrame:
        state = self._state()
        codec = self._codec(state)
        f, class_labels = self._explained_output(codec, "probability")
        seed = self.random_state if isinstance(self.random_state, int) else 0
        frames = []
        for rows in (None, edited):
            inputs = self._explain_inputs(
                codec, f, class_labels, np.array([position]), seed, 50, rows=rows
            )
            frames.append(explain_rows(inputs, method="shap", n_samples=None, random_state=seed))
        before, after = frames
        keys = ["class", "feature"] if "class" in before.columns else ["feature"]
        merged = before.merge(after, on=keys, suffixes=("_before", "_after"))
        out = merged[
            [*keys, "value_before", "value_after", "contribution_before", "contribution_after"]
        ].copy()
        out["change"] = out["contribution_after"] - out["contribution_before"]
        return out.reset_index(drop=True)

    def _what_if_sentence(self, changes: Mapping, before: pd.Series, after: pd.Series) -> str:
        edits = ", ".join(f"{c} = {format_value(v)}" for c, v in changes.items())
        if self.task_ == "regression":
            return (
                f"With {edits}, the model predicts {format_value(after['prediction'])} instead of "
                f"{format_value(before['prediction'])}."
            )
        label = self.pos_label_ if self.task_ == "binary" else after["prediction"]
        p_before, p_after = before[f"proba_{label}"], after[f"proba_{label}"]
        verdict = (
            "and its prediction changes from "
            f"{self.class_description(before['prediction'])} to "
            f"{self.class_description(after['prediction'])}"
            if before["prediction"] != after["prediction"]
            else f"and its prediction stays {self.class_description(after['prediction'])}"
        )
        return (
            f"With {edits}, the model gives {self.class_description(label)} "
            f"{percent(p_after)} instead of {percent(p_before)}, {verdict}."
        )


def _typical_row(Z: np.ndarray, categorical: np.ndarray) -> np.ndarray:
    """Median of numeric columns, most common code of categorical ones."""
    center = np.empty(Z.shape[1])
    for j in range(Z.shape[1]):
        column = Z[:, j][~np.isnan(Z[:, j])]
        if len(column) == 0:
            center[j] = np.nan
        elif categorical[j]:
            values, counts = np.unique(column, return_counts=True)
            center[j] = values[np.argmax(counts)]
        else:
            center[j] = np.median(column)
    return center
