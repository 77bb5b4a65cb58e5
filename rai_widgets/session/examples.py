"""The by-example component of a session: ``examples``, ``ambiguity``, ``similar`` and
``nearest_counterfactuals`` (``what_if`` lives in :mod:`rai_widgets.session.what_if`).

Every query ranks real rows from the cached predictions and one cached encoding of X.
:class:`Examples` depends on the :class:`~rai_widgets.session.core.SessionCore` interface and on
the explanations component's public ``codec()``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.examples import KINDS, column_scales, gower_distances, rank_examples
from rai_widgets.core.arguments import check_fraction, check_int
from rai_widgets.core.errors import ValidationError
from rai_widgets.formatting import value as format_value
from rai_widgets.session.core import SessionCore
from rai_widgets.session.explanations import Explanations

__all__ = ["EncodedRows", "Examples", "ambiguity"]

REFERENCE_ROWS = 2_000  # real rows an "in distribution" check compares against
OUT_OF_DISTRIBUTION_QUANTILE = 0.95


@dataclass(frozen=True)
class EncodedRows:
    """X's rows coded as numbers (``Z``), which columns are categorical, and their scales."""

    Z: np.ndarray
    categorical: np.ndarray
    scale: np.ndarray


class Examples:
    """Real rows that answer questions about the model.

    Parameters
    ----------
    core : SessionCore
        The session.
    explanations : Explanations
        Its explanations component (for the shared integer coding of X).
    """

    def __init__(self, core: SessionCore, explanations: Explanations) -> None:
        self._core = core
        self._explanations = explanations

    def encoded(self) -> EncodedRows:
        """X coded as numbers with per-column scales, for mixed-type (Gower) distances."""

        def build() -> EncodedRows:
            codec = self._explanations.codec()
            Z = codec.encode(self._core.frame)
            return EncodedRows(
                Z, codec.categorical, column_scales(Z, categorical=codec.categorical)
            )

        return self._core.cache.get_or_compute(("encoded", self._core.state().data), build)

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
        check_fraction(threshold, argument="threshold", closed=True)
        regression = self._core.task_ == "regression"
        allowed = ("large_errors", "ambiguous", "typical") if regression else KINDS[:4]
        if kind not in allowed:
            raise ValidationError(
                f"kind={kind!r} does not apply to {self._core.task_} tasks; choose from {allowed}."
            )
        if kind in ("confident_errors", "confidence_near") or (
            kind == "ambiguous" and not regression
        ):
            self._core.require_probabilities(f"kind={kind!r}")
        preds = self._core.predictions()
        candidates = np.flatnonzero(self._core.slice_mask(slice))
        arrays: dict[str, Any] = {}
        if kind in ("confident_errors", "large_errors") and self._core.y_values is None:
            raise ValidationError(f"kind={kind!r} needs y; create the session with y.")
        if kind == "confident_errors":
            arrays = {
                "correct": preds["correct"].to_numpy(),
                "confidence": preds["confidence"].to_numpy(),
            }
        elif kind == "large_errors":
            arrays = {"abs_error": np.abs(preds["residual"].to_numpy())}
        elif kind == "ambiguous":
            arrays = self.ambiguity(preds, threshold)
        elif kind == "confidence_near":
            arrays = self._near_target_inputs(preds, target, cls)
        if kind == "typical":
            return self._typical(preds, candidates, n)
        ranking = {k: v for k, v in arrays.items() if k not in ("cls", "threshold")}
        positions, score = rank_examples(kind, candidates=candidates, **ranking)
        if kind == "confidence_near":
            positions, score = self._in_distribution(positions, score, n)
        return self.example_frame(preds, positions[:n], self._reasons(kind, score[:n], arrays))

    def ambiguity(self, preds: pd.DataFrame, threshold: float = 0.5) -> dict:
        """How undecided each row's prediction is; see :func:`ambiguity`."""
        return ambiguity(self._core, preds, threshold)

    def _near_target_inputs(self, preds: pd.DataFrame, target: Any, cls: Any) -> dict:
        if target is None or not (0 <= float(target) <= 1):
            raise ValidationError(
                f"kind='confidence_near' needs target, a probability in [0, 1]; got {target!r}."
            )
        cls = self._core.pos_label_ if cls is None else cls
        if cls is None or cls not in self._core.class_labels().tolist():
            raise ValidationError(
                f"cls must be one of the classes {self._core.class_labels().tolist()}; got {cls!r}."
            )
        return {
            "proba_of_class": preds[f"proba_{cls}"].to_numpy(),
            "target": float(target),
            "cls": cls,
        }

    def _in_distribution(self, positions: np.ndarray, score: np.ndarray, n: int):
        """Drop candidates farther from real rows than 95% of real rows are from each other."""
        enc = self.encoded()
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
        kept: list[int] = []
        for i, position in enumerate(positions[: 10 * n]):
            if nearest(position, True) <= limit:
                kept.append(i)
            if len(kept) == n:
                break
        keep = np.asarray(kept, dtype=np.int64)
        return positions[keep], score[keep]

    def _typical(self, preds: pd.DataFrame, candidates: np.ndarray, n: int) -> pd.DataFrame:
        enc = self.encoded()
        groups = (
            preds["y_pred"].to_numpy()[candidates]
            if self._core.task_ != "regression"
            else (np.zeros(len(candidates)))
        )
        chosen: list[int] = []
        reasons: list[str] = []
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
                if self._core.task_ == "regression"
                else (f"predicted {self._core.class_description(group)}")
            )
            reasons.extend(
                f"typical of {what} (distance {v:.2f} from its typical row)" for v in d[order]
            )
        return self.example_frame(preds, np.asarray(chosen, dtype=np.int64), reasons)

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
        label = self._core.class_description(arrays["cls"])
        return [f"P({label}) = {v:.2f}, target {arrays['target']:.2f}" for v in score]

    def example_frame(self, preds: pd.DataFrame, positions: np.ndarray, reasons: list[str]):
        frame = self._core.frame.iloc[positions].copy()
        for column in ("y_true", "y_pred", "confidence"):
            if column in preds.columns:
                frame[column] = preds[column].to_numpy()[positions]
        frame["reason"] = reasons
        return frame

    # -- similar cases -----------------------------------------------------------------------
    def similar(self, row: Hashable, *, n: int = 10, prediction: str = "any") -> pd.DataFrame:
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
        prediction : {"any", "other"}, default "any"
            "other": only rows the model gives another answer (a classifier): the nearest
            real cases with another answer, each with ``differs`` (the raw values that differ
            from the case, as "column: case value -> this value"). For the smallest change
            that gets another answer, see ``ModelSession.counterfactuals``.

        Returns
        -------
        pandas.DataFrame
            The similar rows of X plus ``distance``, ``y_true``, ``y_pred``, ``confidence``.
            ``attrs["columns_by_influence"]`` lists X's columns with those that drove this
            case's prediction first, and ``attrs["ordered_by"]`` says from what (see
            :meth:`columns_by_influence`).
        """
        check_int(n, argument="n", minimum=1)
        if prediction not in ("any", "other"):
            raise ValidationError(f'prediction must be "any" or "other"; got {prediction!r}.')
        if prediction == "other":
            return self.nearest_counterfactuals(row, n=n)
        position = self._core.positions_of([row])[0]
        enc = self.encoded()
        d = gower_distances(enc.Z, enc.Z[position], categorical=enc.categorical, scale=enc.scale)
        others = np.flatnonzero(np.arange(len(d)) != position)  # never the case itself
        order = others[np.argsort(d[others], kind="stable")[:n]]
        frame = self.example_frame(self._core.predictions(), order, [""] * len(order))
        frame = frame.drop(columns="reason")
        frame.insert(len(self._core.frame.columns), "distance", d[order])
        frame.attrs["summary"] = self._frequency_sentence(frame)
        columns, source = self.columns_by_influence(row)
        frame.attrs["columns_by_influence"], frame.attrs["ordered_by"] = columns, source
        return frame

    def columns_by_influence(self, row: Hashable) -> tuple[list, str]:
        """X's columns, those that moved ``row``'s prediction most first, without explaining
        anything: from this case's explanation if it is cached (mean absolute contribution;
        the predicted class for multiclass), else from a cached global explanation (the sample
        ``feature_importance`` averages over), else in X's order.

        Returns
        -------
        columns : list
            Every column of X once; ties keep X's order.
        source : str
            "this case's explanation", "the model's overall feature importance" or
            "the data's order".
        """
        columns = list(self._core.frame.columns)
        explanation = self._explanations.cached_explanation([row])
        source = "this case's explanation"
        if explanation is None:
            explanation = self._explanations.cached_explanation()
            source = "the model's overall feature importance"
        if explanation is None or not len(explanation):
            return columns, "the data's order"
        if "class" in explanation.columns and source == "this case's explanation":
            position = self._core.positions_of([row])[0]
            predicted = self._core.predictions()["y_pred"].iloc[position]
            explanation = explanation[explanation["class"] == predicted]
        size = explanation["contribution"].abs().groupby(explanation["feature"]).mean()
        strength = {str(k): float(v) if v == v else 0.0 for k, v in size.items()}
        return sorted(columns, key=lambda c: -strength.get(str(c), -1.0)), source

    def _frequency_sentence(self, frame: pd.DataFrame) -> str:
        k = len(frame)
        if k == 0:
            return "There are no other cases to compare this one with."
        if self._core.task_ == "regression":
            parts = [
                f"Of the {k} most similar cases, the average outcome is "
                f"{frame['y_true'].mean():,.4g}"
                if "y_true" in frame
                else f"Of the {k} most similar cases"
            ]
            parts.append(f"the model predicts {frame['y_pred'].mean():,.4g} on average.")
            return "; ".join(parts)
        label = (
            self._core.pos_label_
            if self._core.task_ == "binary"
            else frame["y_pred"].mode().iloc[0]
        )
        said = int((frame["y_pred"] == label).sum())
        text = f"Of the {k} most similar cases, "
        if "y_true" in frame:
            had = int((frame["y_true"] == label).sum())
            text += f"{had} had {self._core.class_description(label)}; "
        return text + f"the model says {self._core.class_description(label)} for {said}."

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
        position = self._core.positions_of([row])[0]
        preds = self._core.predictions()
        enc = self.encoded()
        d = gower_distances(enc.Z, enc.Z[position], categorical=enc.categorical, scale=enc.scale)
        y_pred = preds["y_pred"].to_numpy()
        if self._core.task_ == "regression":
            raise ValidationError(
                'similar(prediction="other") needs a classifier (a different predicted class); '
                "for regression use similar() and compare predictions, or counterfactuals(row, "
                "target=(low, high))."
            )
        d[y_pred == y_pred[position]] = np.inf
        order = np.argsort(d, kind="stable")[:n]
        order = order[np.isfinite(d[order])]
        frame = self.example_frame(preds, order, [""] * len(order)).drop(columns="reason")
        frame.insert(len(self._core.frame.columns), "distance", d[order])
        case = self._core.frame.iloc[position]
        frame["differs"] = [
            "; ".join(
                f"{c}: {format_value(case[c])} -> {format_value(other[c])}"
                for c in self._core.frame.columns
                if not (pd.isna(case[c]) and pd.isna(other[c])) and case[c] != other[c]
            )
            for _, other in self._core.frame.iloc[order].iterrows()
        ]
        return frame


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


def ambiguity(core: SessionCore, preds: pd.DataFrame, threshold: float = 0.5) -> dict:
    """How undecided each row's prediction is.

    Parameters
    ----------
    core : SessionCore
        The session's core (``s.core``).
    preds : pandas.DataFrame
        The session's ``predictions()``.
    threshold : float, default 0.5
        Decision threshold of a binary task.

    Returns
    -------
    dict
        Binary: ``margin`` (distance of the score to ``threshold``) and ``threshold``;
        multiclass: ``margin`` between the two likeliest classes; regression:
        ``uncertainty``, the spread of an ensemble's members.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
    >>> sorted(ambiguity(s.core, s.predictions()))
    ['margin', 'threshold']
    """
    if core.task_ == "regression":
        return {"uncertainty": _ensemble_spread(core)}
    proba = preds[[f"proba_{c}" for c in core.class_labels()]].to_numpy()
    if core.task_ == "binary":
        return {"margin": np.abs(preds["score"].to_numpy() - threshold), "threshold": threshold}
    top2 = np.sort(proba, axis=1)[:, -2:]
    return {"margin": top2[:, 1] - top2[:, 0]}


def _ensemble_spread(core: SessionCore) -> np.ndarray:
    from rai_widgets.compute.feature_map import split_pipeline

    pre, final = split_pipeline(core.model)
    members = getattr(final, "estimators_", None)
    if members is None or not hasattr(members, "__len__") or len(members) < 2:
        raise ValidationError(
            "kind='ambiguous' for regression needs an uncertainty estimate: the model is "
            "not an ensemble with estimators_ (e.g. a random forest). Use "
            "kind='large_errors', or the conformal intervals of s.conformal()."
        )
    Xt = core.model_input if pre is None else pre.transform(core.model_input)
    outputs = np.column_stack(
        [np.asarray(m.predict(Xt), dtype=float).ravel() for m in np.ravel(members)]
    )
    return outputs.std(axis=1)
