"""ModelSession: one model, one dataset, one cache, and every question a view asks of them.

A :class:`ModelSession` holds one typed :class:`~rai_widgets.session.core.SessionCore` (data
snapshot, predictions, slices, cache), its ``core``, with one component per concern attached:
metrics, explanations, examples, what-if, fairness, uncertainty, comparison and the audit. Each
component depends on the core's public interface only. The session itself shows what a user
asks and reads: the verbs of the contract (``s.slice_metrics``, ``s.explain``, ``s.examples``,
``s.weak_slices`` ...), each run as one public call (the model's state is checked once, at its
start), and the attributes that describe the model and data (``s.X``, ``s.task_`` ...). The
plumbing the views and checks use (the data frame itself, the model's raw outputs, slice masks,
the cache) is on ``s.core`` alone.

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

import functools
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.core.cache import DEFAULT_MAX_BYTES
from rai_widgets.core.errors import ValidationError
from rai_widgets.session.audit import Auditor
from rai_widgets.session.comparison import Comparison
from rai_widgets.session.core import SessionCore
from rai_widgets.session.data_comparison import DataComparisons
from rai_widgets.session.effects import Effects
from rai_widgets.session.examples import Examples
from rai_widgets.session.explanations import Explanations
from rai_widgets.session.fairness import Fairness
from rai_widgets.session.metrics import Metrics
from rai_widgets.session.recourse import Recourse
from rai_widgets.session.uncertainty import Uncertainty
from rai_widgets.session.verbs import MOVED_TO_CORE, RENAMED, OfferedFor, delegate
from rai_widgets.session.what_if import WhatIfs

__all__ = ["ModelSession", "check_session"]


_BINARY = ("binary",)
_CLASSIFIERS = ("binary", "multiclass")
_THRESHOLDS = (
    "a decision threshold moves the cut between the two classes of a binary classifier's "
    "probability."
)


class ModelSession:
    """Bind a fitted model to data, predict once, and answer per-slice questions from a cache.

    Parameters
    ----------
    model : object
        A fitted model with ``predict`` (and ``predict_proba`` or ``decision_function`` for
        classifiers): scikit-learn estimators and Pipelines (also with a ColumnTransformer on raw
        string columns), xgboost/lightgbm scikit-learn wrappers, or any duck-typed object.
    X : pandas.DataFrame or 2-D array
        The data to look at, in the form the model takes. The session takes a snapshot (free
        under pandas' copy-on-write; a read-only copy of an array): changing X afterwards does
        not change the session. To look at other data, make another session.
    y : array-like or Series, optional
        True targets, aligned with X. Needed for metrics. Snapshotted like X.
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
    n_jobs : int, optional
        joblib workers for predicting every row (chunks go through ``joblib.Parallel``, so
        ``joblib.parallel_config(backend="dask")`` spreads them over a Dask cluster); None:
        joblib's default, one process. The results are the same either way.
    identifier_columns : str or list of str, optional
        Columns of X that the model never sees but people use to find a case (e.g.
        ``"person_id"``): kept out of the model's input, of ``X`` and of every computation,
        shown by the live views (see :meth:`identifiers`), and never written to exports, model
        cards, saved static pictures or the audit.
    target_unit : str, optional
        The unit of a regression target, such as ``"thousand dollars"``: every regression
        number the views, exports and cards show reads with it ("64.3 thousand dollars").
    favorable : optional
        The outcome that is good for the person a prediction is about: a class of a classifier
        (``">50K"``; for a credit model, ``"No"`` default), or ``"higher"`` / ``"lower"`` for
        a regression. The four-fifths rule counts it as being selected and the readings name
        it; without it the positive class is taken as the wanted one, and the audit says so.
    train : tuple (X_train, y_train), optional
        The rows the model was fitted on, with X's columns. They are kept beside the
        evaluation data and never mixed into it: no metric uses them. The audit then asks where
        a problem came from: groups the training data holds too few of (``representation``),
        training labels the data contradicts (``label_quality``), evaluation rows that were
        also trained on (``overlap``), features that moved between training and evaluation
        (``drift``). Everything works without them.
    population : dict, optional
        ``{sensitive feature: {group: share}}``: each group's share of the population the model
        serves (census shares, say), as fractions that add up to 1. The ``representation``
        check then also compares each group's share of the training rows with it.

    Attributes
    ----------
    task_ : str
        "binary", "multiclass" or "regression".
    classes_ : numpy.ndarray or None
        The model's classes (None for regression).
    pos_label_ : object or None
        The positive class of a binary task.
    favorable_ : object or None
        The favourable outcome, as given (None when not given).
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
        feature_names: Any = None,
        cache_max_bytes: int = DEFAULT_MAX_BYTES,
        identifier_columns: Any = None,
        n_jobs: int | None = None,
        target_unit: str | None = None,
        favorable: Any = None,
        train: Any = None,
        population: Any = None,
    ) -> None:
        self.core = SessionCore(
            model,
            X,
            y,
            sensitive_features=sensitive_features,
            task=task,
            pos_label=pos_label,
            name=name,
            random_state=random_state,
            feature_names=feature_names,
            cache_max_bytes=cache_max_bytes,
            identifier_columns=identifier_columns,
            n_jobs=n_jobs,
            target_unit=target_unit,
            favorable=favorable,
            train=train,
            population=population,
        )
        """The typed core the views, checks and reports use: the data snapshot itself, the
        model's raw outputs, slices and masks, the cache (``s.core.cache_info()``)."""

    # -- what a user reads -----------------------------------------------------------------
    @property
    def X(self) -> pd.DataFrame:
        """A copy of the data snapshot, with the user's column names and index."""
        return self.core.X

    @property
    def y(self) -> pd.Series | None:
        """A copy of the true targets, indexed like X (None if not given)."""
        return self.core.y

    @property
    def model(self) -> Any:
        """The wrapped model."""
        return self.core.model

    @property
    def name(self) -> str:
        """The label of this session in views and reports."""
        return self.core.name

    @name.setter
    def name(self, value: str) -> None:
        self.core.name = value

    @property
    def task_(self) -> str:
        """The task: "binary", "multiclass" or "regression"."""
        return self.core.task_

    @property
    def classes_(self) -> np.ndarray | None:
        """The model's classes, or None for regression."""
        return self.core.classes_

    @property
    def pos_label_(self) -> Any:
        """The positive class of a binary task (None otherwise)."""
        return self.core.pos_label_

    @property
    def favorable_(self) -> Any:
        """The outcome that is good for the person (``favorable=``), or None if not given."""
        return self.core.favorable_

    @property
    def feature_names_(self) -> list[Hashable]:
        """X's column names."""
        return self.core.feature_names_

    @property
    def sensitive_features_(self) -> list[Hashable]:
        """Names of the sensitive features (columns of X or extra columns)."""
        return self.core.sensitive_features_

    @property
    def identifier_columns_(self) -> list[Hashable]:
        """Columns of X kept to find a case by (e.g. an id), which the model never sees."""
        return self.core.identifier_columns_

    @property
    def target_unit(self) -> str | None:
        """The unit of a regression target (None if not given)."""
        return self.core.target_unit

    # -- one component per concern, each over the core's public interface -----------------
    @functools.cached_property
    def _metrics(self) -> Metrics:
        return Metrics(self.core)

    @functools.cached_property
    def _explanations(self) -> Explanations:
        return Explanations(self.core)

    @functools.cached_property
    def _examples(self) -> Examples:
        return Examples(self.core, self._explanations)

    @functools.cached_property
    def _what_ifs(self) -> WhatIfs:
        return WhatIfs(self.core, self._explanations)

    @functools.cached_property
    def _effects(self) -> Effects:
        return Effects(self.core, self._explanations)

    @functools.cached_property
    def _recourse(self) -> Recourse:
        return Recourse(self.core, self._explanations, self._examples)

    @functools.cached_property
    def _fairness(self) -> Fairness:
        return Fairness(self.core)

    @functools.cached_property
    def _uncertainty(self) -> Uncertainty:
        return Uncertainty(self.core)

    @functools.cached_property
    def _data_comparisons(self) -> DataComparisons:
        return DataComparisons(self.core)

    @functools.cached_property
    def _comparison(self) -> Comparison:
        return Comparison(self.core)

    @functools.cached_property
    def _auditor(self) -> Auditor:
        return Auditor(self)

    if not TYPE_CHECKING:  # a type checker sees only the real names

        def __getattr__(self, name: str) -> Any:
            """A name that moved to the core says where it went (instead of a bare
            AttributeError)."""
            offered = vars(type(self)).get(name)
            if isinstance(offered, OfferedFor):  # not offered for this task: say why
                return offered.__get__(self, type(self))
            if name in RENAMED:
                raise AttributeError(f"ModelSession.{name} was renamed: {RENAMED[name]}")
            if not name.startswith("_") and name in MOVED_TO_CORE:
                raise AttributeError(
                    f"ModelSession.{name} moved to the session's core: use s.core.{name}. The "
                    "session shows the questions a user asks; the plumbing the views use is on "
                    "s.core."
                )
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        """The names offered for this session's task (completion shows no verb that would only
        raise)."""
        hidden = {
            name
            for name, value in vars(type(self)).items()
            if isinstance(value, OfferedFor) and not value.offered(self)
        }
        return [name for name in super().__dir__() if name not in hidden]

    def __repr__(self) -> str:
        return (
            f"ModelSession(name={self.name!r}, task={self.task_!r}, rows={self.core.n_rows_}, "
            f"model={type(self.model).__name__}, sensitive_features={self.sensitive_features_})"
        )

    # -- the components' public methods, under the contract's names ----------------------
    predictions = delegate("core", SessionCore.predictions)

    metric_names = delegate("_metrics", Metrics.metric_names)
    slice_metrics = delegate("_metrics", Metrics.slice_metrics)
    disparities = delegate("_metrics", Metrics.disparities)

    explain = delegate("_explanations", Explanations.explain)
    feature_importance = delegate("_explanations", Explanations.feature_importance)
    explain_text = delegate("_explanations", Explanations.explain_text)
    effects = delegate("_effects", Effects.effects)

    examples = delegate("_examples", Examples.examples)
    similar = delegate("_examples", Examples.similar)
    counterfactuals = delegate("_recourse", Recourse.counterfactuals)
    what_if = delegate("_what_ifs", WhatIfs.what_if)

    weak_slices = delegate("_fairness", Fairness.weak_slices)
    threshold_tradeoffs = OfferedFor(
        _BINARY, _THRESHOLDS, delegate("_fairness", Fairness.threshold_tradeoffs)
    )
    equalizing_thresholds = OfferedFor(
        _BINARY, _THRESHOLDS, delegate("_fairness", Fairness.equalizing_thresholds)
    )

    conformal = delegate("_uncertainty", Uncertainty.conformal)
    calibration = OfferedFor(
        _CLASSIFIERS,
        "calibration compares a classifier's probabilities with how often they come true; "
        "for regression use conformal() intervals.",
        delegate("_uncertainty", Uncertainty.calibration),
    )

    compare = delegate("_comparison", Comparison.compare)
    compare_data = delegate("_data_comparisons", DataComparisons.compare_data)
    disagreements = delegate("_comparison", Comparison.disagreements)

    audit = delegate("_auditor", Auditor.audit)

    # -- sharing ---------------------------------------------------------------------------
    def to_html(
        self,
        path: Any,
        *,
        views: Sequence[str] | None = None,
        by: Any = None,
        max_bytes: int | None = None,
        presenter: bool = False,
        min_group_size: int = 10,
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
        min_group_size : int, default 10
            Slices with fewer rows are named with their size and read "too few to report"
            instead of their metrics. Identifier columns are never written.

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
            min_group_size=min_group_size,
        )


def check_session(value: Any, *, argument: str = "session") -> ModelSession:
    """Return ``value`` if it is a session, else raise a ValidationError naming ``argument``.

    Examples
    --------
    >>> check_session("model")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: session must be a rai_widgets ModelSession; ...
    """
    if not isinstance(value, ModelSession):
        raise ValidationError(
            f"{argument} must be a rai_widgets ModelSession; got {type(value).__name__}. "
            "Wrap the model first: s = rw.ModelSession(model, X, y)."
        )
    return value
