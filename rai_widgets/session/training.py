"""The training rows of a session: a snapshot beside the evaluation data, never mixed into it.

``ModelSession(..., train=(X_train, y_train))`` keeps the rows the model was fitted on, so the
audit can ask where a problem came from: a group the training data holds too few of, labels
the data itself contradicts, evaluation rows that were also trained on, features that moved
between training and evaluation. The evaluation numbers (metrics, bounds, every view) never
use them.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"age": [30, 40, 50], "sex": ["F", "M", "F"]})
>>> train = TrainingData.from_argument(
...     (X.iloc[:2], pd.Series(["no", "yes"])), columns=list(X.columns), takes_frame=True,
...     task="binary", classes=["no", "yes"])
>>> train.n_rows_, train.y.tolist()
(2, ['no', 'yes'])
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.core.validation import as_frame, is_numeric
from rai_widgets.session.inputs import snapshot_frame

__all__ = ["TrainingData", "check_population"]

_HOW = "Pass train=(X_train, y_train): the rows the model was fitted on, with X's columns."


def _listed(names: Sequence[Hashable], limit: int = 6) -> str:
    shown = ", ".join(repr(n) for n in list(names)[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _labels(y: Any, n_rows: int, index: pd.Index) -> pd.Series:
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ValidationError(
                f"train=: y_train has {y.shape[1]} columns; pass one column of labels. {_HOW}"
            )
        y = y.iloc[:, 0]
    values = pd.Series(np.asarray(y).ravel() if not isinstance(y, pd.Series) else y.to_numpy())
    if len(values) != n_rows:
        raise ValidationError(
            f"train=: X_train has {n_rows:,} rows but y_train has {len(values):,}; give one "
            f"label per training row. {_HOW}"
        )
    values.index = index
    return values


@dataclass(frozen=True)
class TrainingData:
    """The training rows: features in X's raw form (identifier columns left out) and labels.

    Made by :meth:`from_argument` from ``ModelSession(train=...)``; read by the audit's
    lifecycle checks through ``s.core.training``.

    Attributes
    ----------
    X : pandas.DataFrame
        The training features, X's columns in X's order.
    y : pandas.Series or None
        The training labels (None when only X_train was given).
    model_input : pandas.DataFrame or numpy.ndarray
        The training features in the form the model takes (to refit a clone of it).
    token : str
        Names this snapshot in cache keys.
    """

    X: pd.DataFrame
    y: pd.Series | None
    model_input: Any
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def n_rows_(self) -> int:
        """Training rows."""
        return len(self.X)

    @classmethod
    def from_argument(
        cls,
        train: Any,
        *,
        columns: Sequence[Hashable],
        takes_frame: bool,
        task: str,
        classes: Sequence[Any] | np.ndarray | None,
        identifier_columns: Sequence[Hashable] = (),
    ) -> TrainingData:
        """Check ``train=`` against the session's data and model, and snapshot it.

        Parameters
        ----------
        train : tuple (X_train, y_train) or X_train
            The training rows; y_train may be None.
        columns : sequence
            X's columns (the model's features, identifier columns left out).
        takes_frame : bool
            Whether the model is called on DataFrames (else on arrays).
        task : str
            The session's task.
        classes : sequence or None
            The model's classes (classifiers).
        identifier_columns : sequence, optional
            Columns of X kept to find a case by; dropped from X_train when present.

        Returns
        -------
        TrainingData

        Raises
        ------
        ValidationError
            Naming ``train=``: not a pair, other columns than X, a different number of labels,
            missing labels, labels of another kind than the model's target.
        """
        if isinstance(train, (tuple, list)):
            if len(train) != 2:
                raise ValidationError(
                    f"train= takes a pair (X_train, y_train); got {len(train)} items. {_HOW}"
                )
            X_train, y_train = train
        else:
            X_train, y_train = train, None
        if X_train is None:
            raise ValidationError(f"train=: X_train is None. {_HOW}")
        names = None if isinstance(X_train, pd.DataFrame) else [str(c) for c in columns]
        if names is not None and np.ndim(X_train) == 2 and np.shape(X_train)[1] != len(names):
            raise ValidationError(
                f"train=: X_train has {np.shape(X_train)[1]} columns but X has {len(names)}. "
                + _HOW
            )
        frame = as_frame(X_train, feature_names=names)
        frame = frame.drop(columns=[c for c in identifier_columns if c in frame.columns])
        missing = [c for c in columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in set(columns)]
        if missing or extra:
            parts = ([f"missing {_listed(missing)}"] if missing else []) + (
                [f"extra {_listed(extra)}"] if extra else []
            )
            raise ValidationError(
                f"train=: X_train has other columns than X ({'; '.join(parts)}). {_HOW}"
            )
        frame = snapshot_frame(frame[list(columns)])
        labels = None
        if y_train is not None:
            labels = _labels(y_train, len(frame), frame.index)
            _check_labels(labels, task=task, classes=classes)
        model_input: Any = frame if takes_frame else frame.to_numpy()
        if not takes_frame:
            model_input.setflags(write=False)
        return cls(X=frame, y=labels, model_input=model_input)

    def column(self, name: Hashable) -> pd.Series | None:
        """A training column, or None when the training rows do not hold it (a sensitive
        feature given as values beside X)."""
        return self.X[name] if name in self.X.columns else None


def _check_labels(labels: pd.Series, *, task: str, classes: Any) -> None:
    missing = labels.isna()
    if missing.any():
        raise ValidationError(
            f"train=: y_train has {int(missing.sum()):,} missing labels (first at training row "
            f"{int(np.flatnonzero(missing.to_numpy())[0])}). Drop those rows from X_train and "
            "y_train, or fill them, before passing them."
        )
    if task == "regression":
        if not is_numeric(labels):
            raise ValidationError(
                f"train=: y_train holds {labels.dtype} labels, but the model predicts numbers "
                "(a regression). Pass the numeric target the model was fitted on."
            )
        return
    known = set(np.asarray(classes).tolist()) if classes is not None else set()
    unknown = [v for v in pd.unique(labels) if v not in known]
    if unknown:
        raise ValidationError(
            f"train=: y_train holds labels the model does not know ({_listed(unknown)}); its "
            f"classes are {_listed(sorted(known, key=str))}. Pass the labels the model was "
            "fitted on."
        )


def check_population(population: Any, sensitive_features: Sequence[Hashable]) -> dict | None:
    """Check ``population=``: per sensitive feature, each group's share of the population the
    model serves (census shares, say), in [0, 1] and summing to 1.

    Parameters
    ----------
    population : mapping or None
        ``{feature: {group: share}}``.
    sensitive_features : sequence
        The session's sensitive features.

    Returns
    -------
    dict or None

    Raises
    ------
    ValidationError
        Naming ``population=``, the feature and what is wrong.

    Examples
    --------
    >>> check_population({"sex": {"F": 0.5, "M": 0.5}}, ["sex"])
    {'sex': {'F': 0.5, 'M': 0.5}}
    >>> check_population({"sex": {"F": 0.5, "M": 0.4}}, ["sex"])
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: population=: the shares of sex sum to 0.9, not 1. Give each group's share of the population, as fractions that add up to 1.
    """  # noqa: E501
    if population is None:
        return None
    if not isinstance(population, dict):
        raise ValidationError(
            "population= takes {feature: {group: share}}, e.g. {'race': {'White': 0.6, "
            f"'Black': 0.13, ...}}; got {type(population).__name__}."
        )
    out: dict = {}
    for feature, shares in population.items():
        if feature not in sensitive_features:
            raise ValidationError(
                f"population=: {feature!r} is not a sensitive feature of this session "
                f"({_listed(list(sensitive_features))}). Name it in sensitive_features too."
            )
        if not isinstance(shares, dict) or not shares:
            raise ValidationError(
                f"population=: the shares of {feature!r} must be a dict of group -> share."
            )
        values = np.array([float(v) for v in shares.values()])
        if np.any(~np.isfinite(values)) or np.any(values < 0) or np.any(values > 1):
            raise ValidationError(
                f"population=: every share of {feature} must be a fraction in [0, 1]; got "
                f"{dict(shares)}."
            )
        if abs(values.sum() - 1) > 1e-6:
            raise ValidationError(
                f"population=: the shares of {feature} sum to {values.sum():.4g}, not 1. Give "
                "each group's share of the population, as fractions that add up to 1."
            )
        out[feature] = dict(shares)
    return out
