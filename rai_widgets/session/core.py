"""The session core: one data snapshot, one model adapter, one cache, and the interface every
component, view and report uses.

The core owns what every question about a model needs: the data (snapshotted at construction,
so a caller's later edit cannot reach it), the model behind a validated adapter, the predictions
(computed once and cached), the slices, and the result cache. Its public methods and properties
are the *only* way the session's components (explanations, examples, fairness, uncertainty,
comparison) and the layers above (display, static HTML, widgets, report) reach a session.

Staleness is checked once per public call: :meth:`SessionCore.state` fingerprints the model's
fitted state at the start of a call and every nested call reuses it (see
:meth:`SessionCore.consistent`). The data cannot change, so it is never re-fingerprinted.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.datasets import load_breast_cancer
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y)
>>> X.loc[0, "mean radius"] = 1e6   # the caller edits its own frame ...
>>> float(s.X.loc[0, "mean radius"])  # ... the session's snapshot is untouched
17.99
>>> with s.core.consistent() as state:     # one model check for several calls
...     n = len(s.predictions()); m = s.slice_metrics(metrics=["accuracy"], ci=None)
>>> n
569
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.slice_metrics import MetricInputs
from rai_widgets.core.arguments import check_favorable, check_int, check_n_jobs, check_seed
from rai_widgets.core.cache import DEFAULT_MAX_BYTES
from rai_widgets.core.errors import (
    ModelError,
    ValidationError,
)
from rai_widgets.core.fingerprint import model_fingerprint
from rai_widgets.core.model import PREDICT_CHUNK_ROWS, ModelAdapter, ModelOutputs
from rai_widgets.readings.units import check_unit
from rai_widgets.session.background import PredictionJob
from rai_widgets.session.data import SessionData
from rai_widgets.session.inputs import (
    snapshot_frame,
)
from rai_widgets.session.predictions import predictions_frame
from rai_widgets.session.state import SessionState, public_call
from rai_widgets.session.training import TrainingData, check_population

__all__ = [
    "SessionCore",
    "SessionState",
    "public_call",
    "snapshot_frame",
]


class SessionCore(SessionData):
    """Model adapter, predictions and the state of each call, over the data snapshot, slices
    and cache of :class:`~rai_widgets.session.data.SessionData`.

    Not made on its own: every :class:`~rai_widgets.ModelSession` holds one, as ``s.core``,
    which its components, the views, the checks and the reports use. The parameters are
    ModelSession's; see its documentation.

    Parameters
    ----------
    model, X, y, sensitive_features, task, pos_label, name, random_state, feature_names,
    cache_max_bytes, identifier_columns, n_jobs, target_unit, favorable, train, population
        As in :class:`~rai_widgets.ModelSession`.
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
        check_seed(random_state)
        super().__init__(
            X,
            y,
            sensitive_features=sensitive_features,
            feature_names=feature_names,
            identifier_columns=identifier_columns,
            cache_max_bytes=cache_max_bytes,
        )
        self._adapter_args = {"task": task, "pos_label": pos_label}
        self._adapter = ModelAdapter(model, y=self._y, **self._adapter_args)
        self._adapter_model_state = ""  # fingerprinted at the first call, not here
        self.name = name if name is not None else type(model).__name__
        self.random_state = random_state
        self._local = threading.local()
        self.n_jobs = check_n_jobs(n_jobs)
        self.target_unit = check_unit(target_unit)
        if self.target_unit is not None and self.task_ != "regression":
            raise ValidationError(
                f"target_unit is for regression targets; this is a {self.task_} task, whose "
                "classes need no unit. Leave target_unit out."
            )
        self._favorable = check_favorable(favorable, task=self.task_, classes=self.classes_)
        self.training: TrainingData | None = (
            None
            if train is None
            else TrainingData.from_argument(
                train,
                columns=self.feature_names_,
                takes_frame=self.model_takes_frame,
                task=self.task_,
                classes=self.classes_,
                identifier_columns=self.identifier_columns_,
            )
        )
        """The training rows (``train=``), or None: the audit's lifecycle checks read them;
        no evaluation number uses them."""
        self.population = check_population(population, self.sensitive_features_)
        """Each group's share of the population served (``population=``), or None."""
        self._jobs: dict[tuple, PredictionJob] = {}
        self._jobs_lock = threading.Lock()

    # -- what the session is about -------------------------------------------------------
    @property
    def model(self) -> Any:
        """The wrapped model."""
        return self._adapter.model

    @property
    def task_(self) -> str:
        """The task: "binary", "multiclass" or "regression"."""
        return self._adapter.task

    @property
    def classes_(self) -> np.ndarray | None:
        """The model's classes, or None for regression."""
        return self._adapter.classes

    def class_labels(self) -> np.ndarray:
        """The model's classes, for code that runs only for classifiers.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        ValidationError
            For a regression model, which has no classes.
        """
        classes = self._adapter.classes
        if classes is None:
            raise ValidationError("this is a regression model: it has no classes.")
        return classes

    @property
    def pos_label_(self) -> Any:
        """The positive class of a binary task (None otherwise)."""
        return self._adapter.pos_label

    @property
    def favorable_(self) -> Any:
        """The outcome that is good for the person: a class, ``"higher"`` / ``"lower"`` for a
        regression, or None when the session was not told."""
        return self._favorable

    def wanted_class(self) -> Any:
        """The class a selection rate and the four-fifths rule count as being selected: the
        favourable class when the session was told it, else the positive class (binary).

        Returns
        -------
        object
            A class of the model.
        """
        if self._favorable is not None and self.task_ != "regression":
            return self._favorable
        return self.pos_label_

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
        >>> s.core.class_description(1)
        'target = 1'
        """
        if isinstance(label, str):
            return label
        name = self.target_name_ if self.target_name_ is not None else "class"
        return f"{name} = {label}"

    @property
    def adapter(self) -> ModelAdapter:
        """The validated model adapter, current for the model's fitted state of this call."""
        self.state()
        return self._adapter

    def state(self) -> SessionState:
        """The state of the current public call (fingerprinted once, at its start).

        Outside a call (see :meth:`consistent`) it fingerprints the model now.

        Returns
        -------
        SessionState
        """
        current = getattr(self._local, "state", None)
        return current if current is not None else self._check_state()

    @contextmanager
    def consistent(self) -> Iterator[SessionState]:
        """Hold one state for every call made inside the block (per thread).

        A view that asks several questions for one render wraps them in this block, so the
        model is fingerprinted once. A model refitted in place *inside* the block is seen by
        the next block.

        Yields
        ------
        SessionState
        """
        outer = getattr(self._local, "state", None)
        if outer is not None:
            yield outer
            return
        self._local.state = self._check_state()
        try:
            yield self._local.state
        finally:
            self._local.state = None

    def _check_state(self) -> SessionState:
        model_state = model_fingerprint(self._adapter.model)
        if model_state != self._adapter_model_state:
            # refitted in place: classes, task and pos_label may have changed
            self._adapter = ModelAdapter(self._adapter.model, y=self._y, **self._adapter_args)
            self._adapter_model_state = model_state
        return SessionState(model=model_state, data=self._data_token)

    def require_probabilities(self, purpose: str) -> None:
        """Raise a :class:`ModelError` saying ``purpose`` needs the model's probabilities.

        Parameters
        ----------
        purpose : str
            What needs them, as the start of a sentence ("kind='ambiguous'").

        Raises
        ------
        ModelError
            The model is a classifier without ``predict_proba``.
        """
        adapter = self._adapter
        if self.task_ == "regression" or adapter.has_proba:
            return
        has = "predict and decision_function" if adapter.has_decision else "only predict"
        raise ModelError(
            f"{purpose} needs the model's probabilities (predict_proba); "
            f"{type(adapter.model).__name__} has {has}. Everything that needs labels only "
            "(slice metrics, disparities, errors, comparison) works; for the rest, wrap the "
            "model in sklearn.calibration.CalibratedClassifierCV to give it probabilities."
        )

    # -- predictions ---------------------------------------------------------------------
    def outputs(self) -> ModelOutputs:
        """The model's raw outputs on every row (labels, probabilities, decision values).

        Waits for predictions already running in the background (see
        :meth:`start_predictions`) instead of predicting twice.

        Returns
        -------
        ModelOutputs
        """
        key = self._outputs_key()
        job = self._jobs.get(key)
        if job is not None:
            job.wait()
            if job.error is not None:  # never cached: the call below tries again
                with self._jobs_lock:
                    self._jobs.pop(key, None)
        return self._cache.get_or_compute(
            key,
            lambda: self._adapter.outputs(self.model_input, n_jobs=self.n_jobs),
            pinned=True,  # never dropped for cheaper results: the model predicts every row once
        )

    def _outputs_key(self) -> tuple:
        state = self.state()
        return ("outputs", state.model, state.data)

    def predictions_ready(self) -> bool:
        """Whether every row's prediction is computed (so views can draw at once).

        Returns
        -------
        bool
        """
        return self._outputs_key() in self._cache

    def start_predictions(self, *, chunk_rows: int | None = None) -> PredictionJob:
        """Predict every row in a background thread, chunk by chunk, and return at once.

        The kernel stays free; the job reports rows done and time left, can be cancelled
        between chunks, and keeps its error for whoever waits on it. Calling it again while it
        runs returns the same job; once done, :meth:`outputs` and everything built on it read
        the cached result. Chunks go through joblib with the session's ``n_jobs``.

        Parameters
        ----------
        chunk_rows : int, optional
            Rows per model call; default about a twentieth of the data (10,000 to 100,000).

        Returns
        -------
        PredictionJob
        """
        key = self._outputs_key()
        n_rows = self.n_rows_
        with self._jobs_lock:
            if key in self._cache:
                return PredictionJob.finished(self.outputs(), n_rows=n_rows)
            job = self._jobs.get(key)
            if job is not None and (not job.done or job.error is None):
                return job
            rows = chunk_rows or min(PREDICT_CHUNK_ROWS, max(10_000, -(-n_rows // 20)))
            check_int(rows, argument="chunk_rows", minimum=1)
            adapter, model_input, n_jobs = self._adapter, self.model_input, self.n_jobs

            def work(progress: Any, cancelled: Any) -> ModelOutputs:
                outputs = adapter.outputs(
                    model_input,
                    chunk_rows=rows,
                    n_jobs=n_jobs,
                    progress=progress,
                    cancelled=cancelled,
                )
                return self._cache.get_or_compute(key, lambda: outputs, pinned=True)

            job = PredictionJob(work, n_rows=n_rows)
            self._jobs[key] = job
        return job.start()

    def metric_inputs(self) -> MetricInputs:
        """Targets, predictions and scores as arrays, for metric computations.

        Returns
        -------
        MetricInputs

        Raises
        ------
        ValidationError
            The session has no y.
        """
        y = self._y
        if y is None:
            raise ValidationError(
                "This session has no y; metrics need the true targets. Create the session "
                "with ModelSession(model, X, y, ...)."
            )
        state = self.state()

        def build() -> MetricInputs:
            outputs = self.outputs()
            return MetricInputs(
                task=self.task_,
                y_true=y.array,
                y_pred=outputs.y_pred,
                score=self._adapter.positive_score(outputs),
                proba=outputs.proba,
                classes=self.classes_,
                pos_label=self.pos_label_,
                score_is_probability=outputs.proba is not None,
            )

        # cached, so the label encodings it derives lazily are computed once per state
        return self._cache.get_or_compute(
            ("metric_inputs", state.model, state.data), build, pinned=True
        )

    @public_call
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
        state = self.state()
        predictions = self._cache.get_or_compute(
            ("predictions", state.model, state.data),
            lambda: predictions_frame(self),
            pinned=True,
        )
        return snapshot_frame(predictions)

    # -- columns, rows and slices --------------------------------------------------------
