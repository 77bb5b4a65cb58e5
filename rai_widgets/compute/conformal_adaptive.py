"""Adaptive (normalised-residual) conformal intervals for regression.

The conformity score is ``|y - y_pred| / sigma(x)``, where ``sigma`` is a model of the absolute
residual (:class:`ResidualScale`, a seeded gradient-boosting regressor with native categorical
support) fitted on one part of the calibration rows; the threshold is the split-conformal order
statistic of the scores of the *other* part, so the promised coverage holds exactly as for the
constant-width method, while the interval ``y_pred +/- threshold * sigma(x)`` is wide where the
model misses by a lot and narrow where it does not.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"x": rng.uniform(0, 1, 400), "g": rng.choice(["a", "b"], 400)})
>>> noise = rng.normal(size=400) * (0.1 + X["x"].to_numpy())  # misses grow with x
>>> scores = regression_scores("normalized", noise, np.zeros(400), X, random_state=0)
>>> int(scores.use.sum()), bool(scores.scale_model.predict(X).min() > 0)
(200, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from rai_widgets.core.errors import ValidationError

__all__ = ["METHODS", "RegressionScores", "ResidualScale", "check_method", "regression_scores"]

#: The conformal methods, by task: the first of each is the default.
METHODS = {"regression": ("normalized", "absolute"), "classification": ("lac",)}
#: Share of the calibration rows that fit the residual model (the rest set the threshold).
SCALE_FIT_SHARE = 0.5
#: The residual model's floor, as a share of the mean absolute residual it was fitted on.
FLOOR_SHARE = 0.05
_MIN_ROWS_TO_MODEL = 40  # fewer fitting rows: a constant scale (the method degrades to absolute)
_MAX_CATEGORIES = 255  # native categorical splits take at most this many categories


def check_method(method: str | None, task: str) -> str:
    """The conformal method to use for ``task``, or a ``ValidationError`` naming ``method``.

    Parameters
    ----------
    method : str or None
        "normalized" (adaptive width, the regression default) or "absolute" (one width for
        every case) for regression; "lac" (the only one) for classification. None: the
        default.
    task : str
        "binary", "multiclass" or "regression".

    Returns
    -------
    str

    Examples
    --------
    >>> check_method(None, "regression"), check_method("absolute", "regression")
    ('normalized', 'absolute')
    >>> check_method(None, "binary")
    'lac'
    """
    kind = "regression" if task == "regression" else "classification"
    allowed = METHODS[kind]
    if method is None:
        return allowed[0]
    if method not in allowed:
        other = METHODS["classification" if kind == "regression" else "regression"]
        hint = f" ({', '.join(map(repr, other))} are for the other task)" if method in other else ""
        raise ValidationError(
            f"method must be one of {', '.join(map(repr, allowed))} for a {kind} model; got "
            f"{method!r}{hint}. Leave method out for the default ({allowed[0]!r})."
        )
    return method


class ResidualScale:
    """A model of how far the model misses: ``sigma(x) > 0``, the expected absolute residual.

    A seeded ``HistGradientBoostingRegressor`` on the raw features: numeric columns as they
    are, text and category columns as codes with native categorical splits (categories unseen
    when fitting count as missing). Predictions are floored at ``FLOOR_SHARE`` times the mean
    absolute residual it was fitted on, so they are strictly positive. With fewer than 40
    fitting rows it predicts that mean for every case.

    Parameters
    ----------
    random_state : int, default 0
        Seed of the boosting model.

    Attributes
    ----------
    floor_ : float
        The smallest scale it predicts.
    model_ : HistGradientBoostingRegressor or None
        The fitted model (None when it predicts a constant).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> X = pd.DataFrame({"x": np.linspace(0, 1, 200), "c": ["a", "b"] * 100})
    >>> scale = ResidualScale().fit(X, np.linspace(0, 1, 200) + 0.1)
    >>> bool(scale.predict(X.iloc[[0]])[0] < scale.predict(X.iloc[[-1]])[0])
    True
    """

    def __init__(self, *, random_state: int = 0) -> None:
        self.random_state = random_state

    def _encode(self, X: pd.DataFrame) -> np.ndarray:
        columns = []
        for name, cats in zip(X.columns, self.categories_, strict=True):
            column = X[name]
            if cats is None:
                numeric = pd.to_numeric(column, errors="coerce")
                columns.append(numeric.to_numpy(dtype=float, na_value=np.nan))
            else:
                codes = cats.get_indexer(column.astype(object)).astype(float)
                codes[codes < 0] = np.nan  # missing or never seen: missing
                columns.append(codes)
        return np.column_stack(columns) if columns else np.zeros((len(X), 0))

    def fit(self, X: pd.DataFrame, abs_residuals: np.ndarray) -> ResidualScale:
        """Fit the scale to the absolute residuals of the rows of ``X``.

        Parameters
        ----------
        X : pandas.DataFrame
            Raw features (text columns allowed).
        abs_residuals : numpy.ndarray
            ``|y - y_pred|`` of those rows.

        Returns
        -------
        ResidualScale
            self
        """
        from sklearn.ensemble import HistGradientBoostingRegressor

        target = np.abs(np.asarray(abs_residuals, dtype=float))
        self.columns_ = list(X.columns)
        self.categories_ = [
            None
            if pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])
            else pd.Index(pd.unique(X[c].dropna().astype(object)))
            for c in X.columns
        ]
        mean = float(target.mean()) if len(target) else 0.0
        self.mean_ = mean
        self.floor_ = max(FLOOR_SHARE * mean, np.finfo(float).tiny)
        self.model_ = None
        if len(target) < _MIN_ROWS_TO_MODEL or not X.shape[1]:
            return self
        categorical = [
            cats is not None and len(cats) <= _MAX_CATEGORIES for cats in self.categories_
        ]
        # a smooth, strongly regularised scale: an overfitted one widens the intervals (on
        # Wage, 15-leaf trees gave a mean width 10% above these 7-leaf ones at equal coverage)
        self.model_ = HistGradientBoostingRegressor(
            max_iter=50,
            learning_rate=0.05,
            max_leaf_nodes=7,
            min_samples_leaf=int(np.clip(len(target) // 20, 10, 40)),
            categorical_features=np.array(categorical) if any(categorical) else None,
            early_stopping=False,
            random_state=self.random_state,
        )
        with threadpool_limits(limits=1):  # no OpenMP oversubscription on small machines
            self.model_.fit(self._encode(X), target)
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """``sigma(x)`` for each row of ``X`` (same columns as when fitted), at least
        ``floor_``.

        Parameters
        ----------
        X : pandas.DataFrame
            Raw features of the rows.

        Returns
        -------
        numpy.ndarray
        """
        if self.model_ is None:
            return np.full(len(X), max(self.mean_, self.floor_))
        with threadpool_limits(limits=1):
            predicted = self.model_.predict(self._encode(X[self.columns_]))
        return np.maximum(predicted, self.floor_)


@dataclass(frozen=True)
class RegressionScores:
    """Calibration scores of a regression conformal method.

    Attributes
    ----------
    scores : numpy.ndarray
        Each calibration row's conformity score (NaN for rows that fitted the scale).
    use : numpy.ndarray
        Which calibration rows set the threshold.
    signed : numpy.ndarray
        ``(y - y_pred) / sigma(x)`` of the calibration rows (NaN where not used): the spread
        of a case's outcomes, in units of its scale.
    scale_model : ResidualScale or None
        ``sigma(x)`` (None for the absolute method, whose scale is 1).
    """

    scores: np.ndarray
    use: np.ndarray
    signed: np.ndarray
    scale_model: ResidualScale | None


def regression_scores(
    method: str,
    y_cal: np.ndarray,
    y_pred_cal: np.ndarray,
    features_cal: pd.DataFrame,
    *,
    random_state: int | None = 0,
) -> RegressionScores:
    """Conformity scores of the calibration rows for ``method``.

    Parameters
    ----------
    method : {"normalized", "absolute"}
        Normalised residuals ``|y - y_pred| / sigma(x)`` (the scale fitted on a seeded half of
        the calibration rows, the scores of the other half set the threshold), or absolute
        residuals ``|y - y_pred|`` on every calibration row.
    y_cal, y_pred_cal : numpy.ndarray
        True values and predictions of the calibration rows.
    features_cal : pandas.DataFrame
        Their raw features.
    random_state : int, optional
        Seed of the split and of the scale model (None: 0).

    Returns
    -------
    RegressionScores
    """
    residual = np.asarray(y_cal, dtype=float) - np.asarray(y_pred_cal, dtype=float)
    n = len(residual)
    if method == "absolute":
        return RegressionScores(np.abs(residual), np.ones(n, dtype=bool), residual, None)
    seed = 0 if random_state is None else int(random_state)
    fit = np.zeros(n, dtype=bool)
    fit[np.random.default_rng(seed).permutation(n)[: int(n * SCALE_FIT_SHARE)]] = True
    scale_model = ResidualScale(random_state=seed).fit(
        features_cal.iloc[np.flatnonzero(fit)], np.abs(residual[fit])
    )
    use = ~fit
    signed = np.full(n, np.nan)
    signed[use] = residual[use] / scale_model.predict(features_cal.iloc[np.flatnonzero(use)])
    return RegressionScores(np.abs(signed), use, signed, scale_model)
