"""ModelSession: one model, one dataset, one cache, and every question a view asks of them.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.compose import make_column_transformer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import OneHotEncoder, StandardScaler
>>> data = rw.datasets.load_german_credit()
>>> X, y = data.data, data.target
>>> model = make_pipeline(
...     make_column_transformer(
...         (OneHotEncoder(handle_unknown="ignore"), ["purpose", "credit_history"]),
...         (StandardScaler(), ["duration_in_month", "credit_amount"]),
...     ),
...     LogisticRegression(max_iter=1000),
... ).fit(X, y)
>>> s = rw.ModelSession(model, X, y, sensitive_features=["foreign_worker"], pos_label="good",
...                     random_state=0)
>>> s.task_, s.pos_label_
('binary', 'good')
>>> table = s.slice_metrics(by="foreign_worker", metrics=["accuracy"])
>>> table.columns.tolist()
['n', 'accuracy', 'accuracy_lo', 'accuracy_hi', 'low_support']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets._session_comparison import ComparisonMethods
from rai_widgets._session_examples import ExampleMethods
from rai_widgets._session_explain import ExplanationMethods
from rai_widgets._session_fairness import FairnessMethods
from rai_widgets._session_uncertainty import UncertaintyMethods
from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.intervals import DEFAULT_N_BOOT
from rai_widgets.compute.slice_metrics import (
    DEFAULT_MIN_SUPPORT,
    MetricInputs,
    available_metrics,
    compute_slice_metrics,
)
from rai_widgets.core.cache import DEFAULT_MAX_BYTES, CacheInfo, ResultCache, is_cacheable_seed
from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.core.fingerprint import (
    ObjectGuard,
    array_fingerprint,
    data_fingerprint,
    model_fingerprint,
)
from rai_widgets.core.model import ModelAdapter, ModelOutputs
from rai_widgets.core.slices import DEFAULT_MAX_GROUPS, SliceSet, resolve_slices, spec_key
from rai_widgets.core.validation import (
    align_to_rows,
    as_frame,
    check_int,
    check_names,
    check_no_missing,
    closest_names,
    resolve_sensitive_features,
)

__all__ = ["ModelSession"]


_PANDAS_MAJOR = int(pd.__version__.split(".")[0])


def _private_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy the caller may change freely without touching the cached frame.

    Under pandas' copy-on-write (the default from pandas 3) a shallow copy is enough and costs
    nothing; before it, only a deep copy protects the cache from in-place edits.
    """
    if _PANDAS_MAJOR >= 3 or pd.options.mode.copy_on_write is True:
        return frame.copy(deep=False)
    return frame.copy(deep=True)


@dataclass(frozen=True)
class _State:
    """Fingerprints of everything a result can depend on, taken at the start of a call."""

    model: str
    data: str
    target: str
    extra: str


def _check_random_state(random_state: Any) -> None:
    if random_state is None or is_cacheable_seed(random_state):
        return
    if isinstance(random_state, (np.random.Generator, np.random.RandomState)):
        return
    raise ValidationError(
        f"random_state must be None, an int or a numpy Generator; got {random_state!r}."
    )


class ModelSession(
    ExplanationMethods, ExampleMethods, UncertaintyMethods, FairnessMethods, ComparisonMethods
):
    """Bind a fitted model to data, predict once, and answer per-slice questions from a cache.

    Parameters
    ----------
    model : object
        A fitted model with ``predict`` (and ``predict_proba`` or ``decision_function`` for
        classifiers): scikit-learn estimators and Pipelines (also with a ColumnTransformer on raw
        string columns), xgboost/lightgbm scikit-learn wrappers, or any duck-typed object.
    X : pandas.DataFrame or 2-D array
        The data to look at, in the form the model takes. The session keeps a reference, not a
        copy: if X is later changed in place, the next call notices (the cache is keyed by a
        fingerprint of the content) and recomputes.
    y : array-like or Series, optional
        True targets, aligned with X. Needed for metrics.
    sensitive_features : str, list of str, Series, DataFrame or mapping, optional
        Column names in X, or values aligned with X that the model never sees (e.g. a protected
        attribute kept out of training).
    task : {"auto", "binary", "multiclass", "regression"}, default "auto"
        The kind of problem; inferred from the model (and y) by default.
    pos_label : optional
        The positive class of a binary task; default ``classes_[1]``.
    name : str, optional
        A label for this session in views and reports (default: the model's class name).
    random_state : int, numpy Generator or None
        Seed for randomised results (bootstrap bounds). Randomised results are cached only
        when this is an int.
    feature_names : sequence of str, optional
        Column names when X is an array.
    cache_max_bytes : int, default 1 GiB
        Memory bound of the result cache; least recently used entries are evicted.

    Attributes
    ----------
    task_ : str
        "binary", "multiclass" or "regression".
    classes_ : numpy.ndarray or None
        The model's classes (None for regression).
    pos_label_ : object or None
        The positive class of a binary task.
    sensitive_features_ : list
        Names of the sensitive features (columns of X or extra columns).
    feature_names_ : list
        X's column names.

    Raises
    ------
    RaiWidgetsError
        At once, for a model without ``predict`` or not fitted, X/y of different lengths,
        NaN in y, labels the model never saw, an unknown sensitive feature, or a task that does
        not fit the model. Nothing is predicted until a result is asked for.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X, y = data.data[["year", "age"]], data.target
    >>> s = rw.ModelSession(LinearRegression().fit(X, y), X, y,
    ...                     sensitive_features=data.data["race"], random_state=0)
    >>> s.task_
    'regression'
    >>> s.slice_metrics(by="race", metrics=["mae"], ci=None).round(1)
                 n   mae  low_support
    race
    1. White  2480  28.5        False
    2. Black   293  26.4        False
    3. Asian   190  34.6        False
    4. Other    37  30.0        False
    """

    def __init__(
        self,
        model: Any,
        X: Any,
        y: Any = None,
        *,
        sensitive_features: Any = None,
        task: str = "auto",
        pos_label: Any = None,
        name: str | None = None,
        random_state: int | np.random.Generator | None = None,
        feature_names: Sequence[str] | None = None,
        cache_max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        _check_random_state(random_state)
        self._X_model = X  # what the model is called on, as the user gave it
        self._X = as_frame(X, feature_names=feature_names)
        if y is None:
            self.target_name_ = None
            self._y = None
        else:
            self.target_name_ = getattr(y, "name", None)
            self._y = align_to_rows(y, self._X.index, argument="y", name="y_true")
            check_no_missing(self._y, argument="y")
        self._adapter = ModelAdapter(model, y=self._y, task=task, pos_label=pos_label)
        self._adapter_args = {"task": task, "pos_label": pos_label}
        self._adapter_model_state = ""  # model fingerprint the adapter was last checked at
        names, extra = resolve_sensitive_features(sensitive_features, self._X)
        self.sensitive_features_ = names
        self._extra = extra
        self.name = name if name is not None else type(model).__name__
        self.random_state = random_state
        self._cache = ResultCache(max_bytes=cache_max_bytes)
        self._guard = ObjectGuard()  # cheap re-fingerprints of unchanged text columns

    # -- public attributes ---------------------------------------------------------------
    @property
    def model(self) -> Any:
        """The wrapped model."""
        return self._adapter.model

    @property
    def X(self) -> pd.DataFrame:
        """The data, as a DataFrame with the user's column names and index."""
        return self._X

    @property
    def y(self) -> pd.Series | None:
        """A copy of the true targets, indexed like X (None if not given)."""
        return None if self._y is None else self._y.copy()

    @property
    def task_(self) -> str:
        """The task: "binary", "multiclass" or "regression"."""
        return self._adapter.task

    @property
    def classes_(self) -> np.ndarray | None:
        """The model's classes, or None for regression."""
        return self._adapter.classes

    @property
    def pos_label_(self) -> Any:
        """The positive class of a binary task (None otherwise)."""
        return self._adapter.pos_label

    @property
    def feature_names_(self) -> list[Hashable]:
        """X's column names."""
        return list(self._X.columns)

    def class_description(self, label: Any) -> str:
        """How a class reads in a sentence: the label itself if it is text (">50K"),
        else "<target> = <label>" ("income = 1"), so a bare number is never the subject.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
        >>> s.class_description(1)
        'target = 1'
        """
        if isinstance(label, str):
            return label
        name = self.target_name_ if self.target_name_ is not None else "class"
        return f"{name} = {label}"

    @property
    def n_rows_(self) -> int:
        """Number of rows of X."""
        return len(self._X)

    def __repr__(self) -> str:
        return (
            f"ModelSession(name={self.name!r}, task={self.task_!r}, rows={self.n_rows_}, "
            f"model={type(self.model).__name__}, sensitive_features={self.sensitive_features_})"
        )

    # -- the interface views and reports use (transitional aliases; see docs/architecture.md)
    @property
    def has_y(self) -> bool:
        """Whether the session has true targets (metrics need them)."""
        return self._y is not None

    def positions_of(self, rows: Any) -> np.ndarray:
        """Row positions of row labels (a label, a list of labels, or None for all rows)."""
        return self._positions_of(rows)

    def column(self, name: Hashable) -> pd.Series:
        """A column of X or a sensitive feature given as values, indexed like X."""
        return self._column(name)

    def slice_mask(self, spec: Any) -> np.ndarray:
        """Boolean mask of a slice: None (all rows), a mask aligned with X or {column: value}."""
        return self._slice_mask(spec)

    def ambiguity(self, predictions: pd.DataFrame, threshold: float = 0.5) -> dict:
        """How undecided each row's prediction is (margin to the threshold / runner-up)."""
        return self._ambiguity(predictions, threshold)

    def check_comparable(self, other: Any) -> None:
        """Raise a ValidationError unless ``other`` answers the same rows and task."""
        self._check_comparable(other)

    # -- cache -----------------------------------------------------------------------------
    def cache_info(self) -> CacheInfo:
        """Hits, misses, evictions, entries and bytes of the session's result cache.

        Returns
        -------
        CacheInfo
        """
        return self._cache.info()

    def cache_clear(self) -> None:
        """Drop every cached result."""
        self._cache.clear()

    def _state(self) -> _State:
        X, guard = self._X_model, self._guard
        model_state = model_fingerprint(self.model)
        if model_state != self._adapter_model_state:
            # refitted in place (or first call): classes, task and pos_label may have changed
            self._adapter = ModelAdapter(self.model, y=self._y, **self._adapter_args)
            self._adapter_model_state = model_state
        if isinstance(X, pd.DataFrame):
            data = data_fingerprint(X, guard=guard, key="X")
        else:
            data = array_fingerprint(X, guard=guard, key="X")
        return _State(
            model=model_state,
            data=data,
            target="" if self._y is None else array_fingerprint(self._y, guard=guard, key="y"),
            extra=data_fingerprint(self._extra, guard=guard, key="extra"),
        )

    # -- predictions -----------------------------------------------------------------------
    def _outputs(self, state: _State) -> ModelOutputs:
        return self._cache.get_or_compute(
            ("outputs", state.model, state.data),
            lambda: self._adapter.outputs(self._X_model),
        )

    def _metric_inputs(self, state: _State) -> MetricInputs:
        if self._y is None:
            raise ValidationError(
                "This session has no y; metrics need the true targets. Create the session "
                "with ModelSession(model, X, y, ...)."
            )

        def build() -> MetricInputs:
            outputs = self._outputs(state)
            return MetricInputs(
                task=self.task_,
                y_true=self._y.array,
                y_pred=outputs.y_pred,
                score=self._adapter.positive_score(outputs),
                proba=outputs.proba,
                classes=self.classes_,
                pos_label=self.pos_label_,
                score_is_probability=outputs.proba is not None,
            )

        # cached, so the label encodings it derives lazily are computed once per state
        return self._cache.get_or_compute(
            ("metric_inputs", state.model, state.data, state.target), build
        )

    def predictions(self) -> pd.DataFrame:
        """Every row's prediction, scores and outcome, computed once and cached.

        Returns
        -------
        pandas.DataFrame
            Indexed like X. Columns: ``y_true`` (when y was given), ``y_pred`` (the model's own
            ``predict``); for classifiers with probabilities ``proba_<class>`` for every class
            and ``confidence`` (the probability given to the predicted label); for binary tasks
            ``score`` (probability of ``pos_label_``, or the decision value when the model has no
            probabilities); ``correct`` (classification) or ``residual`` = y_true - y_pred
            (regression) when y was given.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.tree import DecisionTreeClassifier
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(DecisionTreeClassifier(random_state=0).fit(X, y), X, y)
        >>> s.predictions().columns.tolist()
        ['y_true', 'y_pred', 'proba_0', 'proba_1', 'proba_2', 'confidence', 'correct']
        """
        state = self._state()
        predictions = self._cache.get_or_compute(
            ("predictions", state.model, state.data, state.target),
            lambda: self._build_predictions(state),
        )
        return _private_copy(predictions)

    def _build_predictions(self, state: _State) -> pd.DataFrame:
        outputs = self._outputs(state)
        columns: dict[str, Any] = {}
        if self._y is not None:
            columns["y_true"] = self._y.array  # keeps the user's dtype (and its memory layout)
        columns["y_pred"] = outputs.y_pred
        if self.task_ != "regression":
            if outputs.proba is not None:
                for j, cls in enumerate(self.classes_):
                    columns[f"proba_{cls}"] = outputs.proba[:, j]
            score = self._adapter.positive_score(outputs)
            if score is not None:
                columns["score"] = score
            if outputs.proba is not None:
                pred_idx = pd.Index(self.classes_).get_indexer(outputs.y_pred)
                safe = np.where(pred_idx < 0, 0, pred_idx)
                confidence = outputs.proba[np.arange(len(safe)), safe]
                columns["confidence"] = np.where(pred_idx < 0, np.nan, confidence)
            if self._y is not None:
                true_idx, pred_idx = self._metric_inputs(state).class_indices
                columns["correct"] = (true_idx == pred_idx) & (true_idx >= 0)
        elif self._y is not None:
            columns["residual"] = self._y.to_numpy(dtype=float) - outputs.y_pred
        return pd.DataFrame(columns, index=self._X.index)

    # -- slices ----------------------------------------------------------------------------
    def _column(self, name: Hashable) -> pd.Series:
        if name in self._X.columns:
            return self._X[name]
        if name in self._extra.columns:
            return self._extra[name]
        known = [*self._X.columns, *self._extra.columns]
        raise ColumnNotFoundError(
            f"{name!r} is not a column of X nor a sensitive feature.{closest_names(name, known)}"
            " Slice by a column name, Bins(column, ...), or values aligned with X."
        )

    def _slices(self, by: Any, state: _State, max_groups: int) -> SliceSet:
        return self._cache.get_or_compute(
            ("slices", state.data, state.extra, spec_key(by), max_groups),
            lambda: resolve_slices(by, self._column, self._X.index, max_groups=max_groups),
        )

    def slices(self, by: Any, *, max_groups: int = DEFAULT_MAX_GROUPS) -> SliceSet:
        """Resolve a grouping into named sets of row positions (cached).

        Parameters
        ----------
        by : column name, Bins, boolean mask / values aligned with X, or a list of those
            A list gives the intersections. Numeric columns with many values are cut into
            quartiles; missing values form a slice of their own.
        max_groups : int, default 250
            More slices than this raise :class:`~rai_widgets.TooManyGroupsError`.

        Returns
        -------
        SliceSet
            ``labels``, ``codes``, ``sizes``, ``positions(label)``, ``mask(label)``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
        >>> s.slices(X["bmi"] > 0).sizes.tolist()
        [247, 195]
        """
        check_int(max_groups, argument="max_groups", minimum=1)
        return self._slices(by, self._state(), max_groups)

    # -- metrics ---------------------------------------------------------------------------
    def metric_names(self) -> list[str]:
        """The metrics :meth:`slice_metrics` can compute for this session.

        Returns
        -------
        list of str
        """
        return available_metrics(self._metric_inputs(self._state()))

    def slice_metrics(
        self,
        by: Any = None,
        *,
        metrics: Sequence[str] | str | None = None,
        ci: float | None = 0.95,
        min_support: int = DEFAULT_MIN_SUPPORT,
        n_boot: int = DEFAULT_N_BOOT,
        max_groups: int = DEFAULT_MAX_GROUPS,
        random_state: int | np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Model quality per slice, with bounds, from the cached predictions.

        Parameters
        ----------
        by : None, column name, Bins, mask/values aligned with X, or a list of those
            None: one row named "overall". A column: one row per value (index name = the column
            name). A list: one row per observed intersection (a MultiIndex, like fairlearn's
            ``MetricFrame.by_group``).
        metrics : str or list of str, optional
            Default: every metric available (see :meth:`metric_names`).
        ci : float or None, default 0.95
            Coverage of ``<metric>_lo``/``<metric>_hi``: Wilson score bounds for proportions,
            a seeded percentile bootstrap within each slice otherwise. None: no bounds.
        min_support : int, default 30
            Slices with fewer rows get ``low_support=True``.
        n_boot : int, default 200
            Bootstrap replicates.
        max_groups : int, default 250
            Largest number of slices.
        random_state : int, Generator or None
            Seed of the bootstrap; default the session's ``random_state``.

        Returns
        -------
        pandas.DataFrame
            ``n``, then each metric with its ``_lo``/``_hi`` bounds, then ``low_support``.

        Raises
        ------
        ValidationError
            No y, an unknown metric, a bad ``ci``.
        ColumnNotFoundError
            ``by`` names no column.
        """
        seed = self.random_state if random_state is None else random_state
        _check_random_state(seed)
        check_int(max_groups, argument="max_groups", minimum=1)
        metric_key = None if metrics is None else tuple(check_names(metrics, argument="metrics"))
        state = self._state()
        key = (
            "slice_metrics",
            state.model,
            state.data,
            state.target,
            state.extra,
            spec_key(by),
            metric_key,
            ci,
            min_support,
            n_boot,
            max_groups,
            seed if is_cacheable_seed(seed) else None,
        )

        def compute() -> pd.DataFrame:
            return compute_slice_metrics(
                self._metric_inputs(state),
                self._slices(by, state, max_groups),
                metrics=metrics,
                ci=ci,
                n_boot=n_boot,
                random_state=seed,
                min_support=min_support,
            )

        cacheable = ci is None or is_cacheable_seed(seed)
        return self._cache.get_or_compute(key, compute, cacheable=cacheable).copy()

    def disparities(
        self,
        by: Any,
        *,
        metric: str,
        reference: Any = None,
        ci: float | None = 0.95,
        min_support: int = DEFAULT_MIN_SUPPORT,
        n_boot: int = DEFAULT_N_BOOT,
        max_groups: int = DEFAULT_MAX_GROUPS,
        random_state: int | np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Each slice's ``metric`` against a reference slice: difference and ratio, with bounds.

        Parameters
        ----------
        by : grouping
            As in :meth:`slice_metrics`.
        metric : str
            One of :meth:`metric_names`.
        reference : label, optional
            The reference slice (a tuple for intersections); default the largest slice.
        ci : float or None, default 0.95
            Coverage of the bounds (MOVER intervals from each slice's own bounds).
        min_support, n_boot, max_groups : int
            As in :meth:`slice_metrics`.
        random_state : int, Generator or None
            Seed of the bootstrap, for non-proportion metrics.

        Returns
        -------
        pandas.DataFrame
            ``n``, ``<metric>``, ``reference`` (bool), ``difference``(``_lo``/``_hi``),
            ``ratio``(``_lo``/``_hi``), ``low_support``. ``.attrs["reference"]`` names the
            reference slice.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X, y, random_state=0)
        >>> d = s.disparities(X["bmi"] > 0, metric="mae")
        >>> bool(d.attrs["reference"]), float(d.loc[False, "difference"])
        (False, 0.0)
        >>> round(float(d.loc[True, "ratio"]), 2)
        1.3
        """
        if not isinstance(metric, str):
            raise ValidationError(f"metric must be one metric name; got {metric!r}.")
        table = self.slice_metrics(
            by,
            metrics=[metric],
            ci=ci,
            min_support=min_support,
            n_boot=n_boot,
            max_groups=max_groups,
            random_state=random_state,
        )
        return compute_disparities(table, metric=metric, reference=reference)

    def to_html(
        self,
        path: Any,
        *,
        views: Sequence[str] | None = None,
        by: Any = None,
        max_bytes: int | None = None,
        presenter: bool = False,
    ) -> Any:
        """Write one self-contained HTML report of this session that works offline.

        All CSS and JavaScript are inlined and nothing is loaded from the network. A slice
        picker swaps each slice's metrics line and its example rows (paged 25 at a time); the
        fairness, uncertainty and explanation views are drawn once as inline SVG. See
        :func:`rai_widgets.report.export.export_html` and ``docs/export.md``.

        Parameters
        ----------
        path : str or path-like
            The file to write (replaced atomically).
        views : list of str, optional
            A subset of ``("examples", "explanation", "fairness", "uncertainty")``; default all.
        by : grouping, optional
            Slices of the slice picker; default the first sensitive feature.
        max_bytes : int, optional
            Size budget of the file; default 10,000,000 (10 MB). Example rows beyond it are left
            out per slice, most informative kept, and the file says so.
        presenter : bool, default False
            Larger type, technical columns hidden.

        Returns
        -------
        ExportResult
            ``path``, ``n_bytes``, ``max_bytes``, ``rows_included`` / ``rows_total`` per slice.

        Examples
        --------
        >>> import os, tempfile
        >>> import rai_widgets as rw
        >>> from sklearn.linear_model import LinearRegression
        >>> data = rw.datasets.load_wage()
        >>> X = data.data[["year", "age"]]
        >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
        >>> result = s.to_html(os.path.join(tempfile.mkdtemp(), "r.html"), views=["examples"])
        >>> result.rows_included["all rows"]
        3000
        """
        from rai_widgets.report.export import DEFAULT_MAX_BYTES, export_html

        return export_html(
            self,
            path,
            views=views,
            by=by,
            max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
            presenter=presenter,
        )
