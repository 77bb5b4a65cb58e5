"""The model adapter: one place that knows how to call any scikit-learn-compatible model.

:class:`ModelAdapter` checks the model up front (has ``predict``, is fitted, fits the task),
infers the task and the classes, and computes every output the views need in one batched pass
over the data (:meth:`ModelAdapter.outputs`). Nothing else in rai_widgets calls the model's
prediction methods directly for whole-data work.

Examples
--------
>>> from sklearn.datasets import load_iris
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_iris(return_X_y=True, as_frame=True)
>>> adapter = ModelAdapter(LogisticRegression(max_iter=500).fit(X, y), y=y)
>>> adapter.task, adapter.classes.tolist()
('multiclass', [0, 1, 2])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from rai_widgets.core.errors import Cancelled, ModelError, NotFittedModelError, ValidationError
from rai_widgets.core.outputs import ModelOutputs, check_outputs
from rai_widgets.core.validation import is_numeric

__all__ = ["ARGMAX_CLASSIFIERS", "TASKS", "ModelAdapter", "ModelOutputs", "predict_is_argmax"]

TASKS = ("binary", "multiclass", "regression")
PREDICT_CHUNK_ROWS = 100_000
MAX_AMBIGUOUS_CLASSES = 20  # whole-number targets with this few values may be class labels


#: scikit-learn classifiers whose ``predict`` is, by definition, the class given the highest
#: ``predict_proba`` (ties to the first class, as ``numpy.argmax``): for them (and Pipelines
#: ending in one) the model is called once per row. Anything else, SVC with
#: ``probability=True`` (Platt scaling can disagree with its decision function) and duck-typed
#: models included, is asked for ``predict`` as well.
ARGMAX_CLASSIFIERS = frozenset(
    {
        "CalibratedClassifierCV",
        "DecisionTreeClassifier",
        "ExtraTreeClassifier",
        "ExtraTreesClassifier",
        "GaussianNB",
        "GradientBoostingClassifier",
        "HistGradientBoostingClassifier",
        "LogisticRegression",
        "LogisticRegressionCV",
        "RandomForestClassifier",
    }
)


def predict_is_argmax(model: Any) -> bool:
    """Whether ``model.predict`` is the argmax of ``model.predict_proba`` by definition.

    Parameters
    ----------
    model : object
        An estimator or a Pipeline.

    Returns
    -------
    bool

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.svm import SVC
    >>> predict_is_argmax(make_pipeline(StandardScaler(), LogisticRegression()))
    True
    >>> predict_is_argmax(SVC(probability=True))
    False
    """
    final = model
    while isinstance(final, Pipeline) and len(final.steps):
        final = final.steps[-1][1]
    kind = type(final)
    return kind.__module__.startswith("sklearn.") and kind.__name__ in ARGMAX_CLASSIFIERS


def _chunk_outputs(adapter: ModelAdapter, X: Any, limit_threads: bool) -> ModelOutputs:
    """One chunk's outputs, run in a joblib worker: with several workers, each runs OpenMP
    (tree ensembles, HistGradientBoosting) on one thread, so workers do not fight over cores.
    The OpenMP limit belongs to the calling thread, so worker threads can set it side by side;
    process workers are limited by joblib itself."""
    if not limit_threads:
        return adapter.outputs_of_chunk(X)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="openmp"):
        return adapter.outputs_of_chunk(X)


def _take_rows(X: Any, start: int, stop: int) -> Any:
    """Rows ``start:stop`` of a DataFrame or an array, keeping its type."""
    if start == 0 and stop >= len(X):
        return X
    return X.iloc[start:stop] if isinstance(X, (pd.DataFrame, pd.Series)) else X[start:stop]


def _has_method(model: Any, name: str) -> bool:
    try:
        return callable(getattr(model, name, None))
    except Exception:  # sklearn's available_if raises AttributeError-like errors on access
        return False


def _check_fitted(model: Any) -> None:
    if not hasattr(model, "get_params"):  # not a scikit-learn estimator: cannot check
        return
    try:
        check_is_fitted(model)
    except NotFittedError as err:
        raise NotFittedModelError(
            f"The model {type(model).__name__} is not fitted. Call model.fit(X_train, "
            "y_train) before creating the session."
        ) from err
    except TypeError:  # objects scikit-learn does not consider estimators
        return


class ModelAdapter:
    """Validated access to a model's predictions, probabilities and decision scores.

    Parameters
    ----------
    model : object
        Anything with ``predict``; classifiers should also have ``predict_proba`` or
        ``decision_function``.
    y : pandas.Series, optional
        True labels, used to infer the task and classes of duck-typed models and to check that
        every label is one the model knows.
    task : {"auto", "binary", "multiclass", "regression"}, default "auto"
        The kind of problem.
    pos_label : optional
        The positive class of a binary task. Default: ``classes[1]``.

    Raises
    ------
    ModelError
        No ``predict``; a regressor with a classification task; a classifier with ``task=
        "regression"``; classes that do not fit the task.
    NotFittedModelError
        The model was never fitted.
    ValidationError
        ``pos_label`` not among the classes; labels in ``y`` the model never saw.
    """

    def __init__(
        self,
        model: Any,
        *,
        y: pd.Series | None = None,
        task: str = "auto",
        pos_label: Any = None,
    ) -> None:
        if not _has_method(model, "predict"):
            raise ModelError(
                f"model must have a predict method; got {type(model).__name__}. Pass a fitted "
                "estimator, Pipeline, or any object with predict(X)."
            )
        if task not in ("auto", *TASKS):
            raise ValidationError(f"task must be 'auto' or one of {TASKS}; got {task!r}.")
        _check_fitted(model)
        self.model = model
        self.has_proba = _has_method(model, "predict_proba")
        self.has_decision = _has_method(model, "decision_function")
        self.task = self._infer_task(task, y)
        self.classes = self._infer_classes(y)
        self.pos_label = self._infer_pos_label(pos_label)
        # predict is the argmax of predict_proba by definition: call the model once per row
        self.one_pass = (
            self.task != "regression"
            and self.has_proba
            and predict_is_argmax(model)
            and self.classes is not None  # always, for a classification task
            and np.array_equal(self.classes, np.asarray(getattr(model, "classes_", [])))
        )
        if y is not None and self.classes is not None:
            self._check_labels_known(y)

    # -- task and classes -------------------------------------------------------------
    def _looks_like_classifier(self) -> bool | None:
        try:  # scikit-learn >= 1.6 raises on objects without __sklearn_tags__
            if is_classifier(self.model):
                return True
            if is_regressor(self.model):
                return False
        except (AttributeError, TypeError):
            pass
        if hasattr(self.model, "classes_") or self.has_proba or self.has_decision:
            return True
        return None  # a duck-typed model with only predict: it does not say

    def _infer_task(self, task: str, y: pd.Series | None) -> str:
        kind = self._looks_like_classifier()
        name = type(self.model).__name__
        if task == "regression":
            if kind is True:
                raise ModelError(f"task='regression' but {name} is a classifier; use task='auto'.")
            return task
        if task in ("binary", "multiclass") and kind is False:
            raise ModelError(
                f"task={task!r} but {name} is a regressor (it has no classes or "
                "probabilities); use task='regression', or pass a classifier."
            )
        classes = self._model_classes()
        if classes is None and y is not None and kind is None and task == "auto":
            return self._task_from_target(y)
        if classes is None and y is not None and kind is not False:
            target_type = type_of_target(y.to_numpy())
            if target_type in ("binary", "multiclass"):
                classes = np.unique(y.to_numpy())
            elif target_type == "continuous":
                raise ModelError(f"task={task!r} but y is continuous; use task='regression'.")
        if classes is None:
            if kind is None and task == "auto":
                raise ModelError(
                    f"Cannot tell whether {name} is a classifier or a regressor: it has no "
                    "classes_ and no predict_proba, and no y was given. Pass task='regression' "
                    "(or 'binary'/'multiclass' with y)."
                )
            if task == "auto" or kind is None:
                return "regression" if task == "auto" else task
            raise ModelError(f"{name} has no classes_; pass y so the classes can be inferred.")
        inferred = "binary" if len(classes) == 2 else "multiclass"
        if len(classes) < 2:
            raise ModelError(f"{name} knows only {len(classes)} class; it cannot be evaluated.")
        if task != "auto" and task != inferred:
            raise ModelError(
                f"task={task!r} but the model has {len(classes)} classes "
                f"({classes.tolist()[:10]}); use task={inferred!r} or task='auto'."
            )
        return inferred

    def _task_from_target(self, y: pd.Series) -> str:
        """Task of a model that only has ``predict``, read from y; ambiguous cases raise."""
        name = type(self.model).__name__
        values = y.to_numpy()
        if not is_numeric(y):
            n_classes = len(pd.unique(values))
            return "binary" if n_classes == 2 else "multiclass"
        integral = bool(np.all(np.mod(values.astype(float), 1) == 0))
        n_unique = len(np.unique(values))
        if integral and n_unique <= MAX_AMBIGUOUS_CLASSES:
            raise ModelError(
                f"{name} has only predict (no classes_, predict_proba or decision_function) and "
                f"y holds {n_unique} distinct whole numbers: it could be a classifier or a "
                "regressor. Pass task='binary', 'multiclass' or 'regression'."
            )
        return "regression"

    def _model_classes(self) -> np.ndarray | None:
        try:
            classes = getattr(self.model, "classes_", None)
        except Exception:
            classes = None
        return None if classes is None else np.asarray(classes)

    def _infer_classes(self, y: pd.Series | None) -> np.ndarray | None:
        if self.task == "regression":
            return None
        classes = self._model_classes()
        if classes is None:
            if y is None:
                raise ModelError(
                    f"{type(self.model).__name__} has no classes_; pass y so the classes can be "
                    "inferred."
                )
            classes = np.unique(y.to_numpy())
        return classes

    def _known_classes(self) -> np.ndarray:
        """``classes``, for code that runs only on classification tasks (where it is set)."""
        if self.classes is None:
            raise ModelError(f"A {self.task} model has no classes.")
        return self.classes

    def _infer_pos_label(self, pos_label: Any) -> Any:
        if self.task != "binary":
            if pos_label is not None:
                raise ValidationError(
                    f"pos_label applies to binary tasks only; this task is {self.task!r}. "
                    "Multiclass metrics are reported per class (one-vs-rest)."
                )
            return None
        known = self._known_classes()
        classes = known.tolist()
        if pos_label is None:
            return known[1]
        if pos_label not in classes:
            raise ValidationError(
                f"pos_label={pos_label!r} is not one of the model's classes {classes}."
            )
        return known[classes.index(pos_label)]

    def _check_labels_known(self, y: pd.Series) -> None:
        # the same lookup the metrics use: True and 1 are different labels here
        known = self._known_classes()
        # an extension array (Arrow strings) stays one: no Python object for every row
        values = y.array if isinstance(y.dtype, pd.api.extensions.ExtensionDtype) else y.to_numpy()
        seen = pd.unique(values)
        unknown = seen[pd.Index(known).get_indexer(seen) < 0]
        if len(unknown):
            raise ValidationError(
                f"y has label(s) {unknown.tolist()[:10]} that the model never saw (its classes "
                f"are {known.tolist()[:10]}). Check that y is the target the model was "
                "trained on, with the same encoding and dtype (e.g. bool vs 0/1)."
            )

    # -- predictions ------------------------------------------------------------------
    def _call(self, method: str, X: Any) -> np.ndarray:
        try:
            return np.asarray(getattr(self.model, method)(X))
        except Exception as err:
            raise ModelError(
                f"{type(self.model).__name__}.{method}(X) failed: {type(err).__name__}: {err}. "
                "Check that X has the columns and dtypes the model was trained on."
            ) from err

    def outputs(
        self,
        X: Any,
        *,
        chunk_rows: int = PREDICT_CHUNK_ROWS,
        n_jobs: int | None = None,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ModelOutputs:
        """Predict, and compute probabilities or decision scores, for every row of X.

        Rows go to the model in chunks of ``chunk_rows``: a model's predictions do not depend on
        which other rows share the call, and chunking bounds the memory the model's own
        transforms take (a Pipeline copies and encodes whatever it is given). The chunks go
        through ``joblib.Parallel``, so ``n_jobs`` or ``joblib.parallel_config(backend="dask")``
        spreads them over cores or a cluster; the result is the same as in one process. Every
        chunk's outputs are validated (see :class:`ModelError`).

        Parameters
        ----------
        X : DataFrame or array
            The data in the form the model was trained on.
        chunk_rows : int, default 100,000
            Largest number of rows per model call.
        n_jobs : int, optional
            joblib ``n_jobs``; None: joblib's default (one worker, unless a
            ``parallel_config`` says otherwise). Workers are threads unless a
            ``parallel_config`` asks for processes or a cluster; each runs OpenMP on one
            thread, so workers do not fight over cores.
        progress : callable, optional
            Called with the number of rows done after each chunk (otherwise a tqdm bar shows
            when there is more than one chunk).
        cancelled : callable, optional
            Asked after each chunk; when it returns True, :class:`Cancelled` is raised.

        Returns
        -------
        ModelOutputs

        Raises
        ------
        ModelError
            The model failed on X or returned outputs of the wrong shape or values.
        Cancelled
            ``cancelled()`` returned True.
        """
        from joblib import Parallel, delayed

        n_rows = len(X)
        starts = list(range(0, n_rows, chunk_rows)) or [0]
        bar = None
        if progress is None and len(starts) > 1:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_rows, desc="predicting", unit="row", leave=False)
        limit = n_jobs is not None and n_jobs != 1
        tasks = (
            delayed(_chunk_outputs)(self, _take_rows(X, a, a + chunk_rows), limit) for a in starts
        )
        parts: list[ModelOutputs] = []
        try:
            # threads unless told otherwise (parallel_config): no copy of the data or the
            # model per worker, and native predict code runs without the GIL
            with Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator") as parallel:
                for start, part in zip(starts, parallel(tasks), strict=True):
                    parts.append(
                        check_outputs(
                            part,
                            X,
                            start,
                            task=self.task,
                            classes=self.classes,
                            model_name=type(self.model).__name__,
                        )
                    )
                    done = min(start + chunk_rows, n_rows)
                    if bar is not None:
                        bar.update(done - bar.n)
                    if progress is not None:
                        progress(done)
                    if cancelled is not None and cancelled() and done < n_rows:
                        raise Cancelled("Predicting was cancelled; nothing was kept.")
        finally:
            if bar is not None:
                bar.close()
        if len(parts) == 1:
            return parts[0]

        def join(name: str) -> np.ndarray | None:
            arrays = [getattr(part, name) for part in parts]
            return None if arrays[0] is None else np.concatenate(arrays)

        y_pred = np.concatenate([part.y_pred for part in parts])  # never None
        return ModelOutputs(y_pred=y_pred, proba=join("proba"), decision=join("decision"))

    def outputs_of_chunk(self, X: Any) -> ModelOutputs:
        """The outputs of one chunk of rows, in one call per model method (not validated:
        :meth:`outputs` validates every chunk with its position in the data)."""
        n_rows = len(X)
        if self.one_pass:
            return self._argmax_outputs(X, n_rows)
        y_pred = self._call("predict", X)
        if y_pred.ndim == 2 and y_pred.shape[1] == 1:
            y_pred = y_pred[:, 0]
        if y_pred.shape != (n_rows,):
            raise ModelError(
                f"predict returned shape {y_pred.shape} for {n_rows} rows; expected "
                f"({n_rows},). Multi-output models are not supported."
            )
        if self.task == "regression":
            return ModelOutputs(y_pred=y_pred.astype(float, copy=False))
        proba = decision = None
        n_classes = len(self._known_classes())
        if self.has_proba:
            proba = self._proba(X, n_rows)
        elif self.has_decision:
            decision = self._call("decision_function", X).astype(float, copy=False)
            expected = (n_rows,) if n_classes == 2 else (n_rows, n_classes)
            if decision.shape != expected:
                raise ModelError(
                    f"decision_function returned shape {decision.shape}; expected {expected}."
                )
        return ModelOutputs(y_pred=y_pred, proba=proba, decision=decision)

    def _proba(self, X: Any, n_rows: int) -> np.ndarray:
        """``predict_proba`` as floats, of the shape the classes ask for."""
        proba = self._call("predict_proba", X).astype(float, copy=False)
        classes = self._known_classes()
        if proba.shape != (n_rows, len(classes)):
            raise ModelError(
                f"predict_proba returned shape {proba.shape}; expected ({n_rows}, "
                f"{len(classes)}) for the classes {classes.tolist()}."
            )
        return proba

    def _argmax_outputs(self, X: Any, n_rows: int) -> ModelOutputs:
        """One model call: ``predict_proba``, with ``y_pred`` its argmax (see
        :func:`predict_is_argmax`)."""
        proba = self._proba(X, n_rows)
        finite = np.where(np.isfinite(proba), proba, -np.inf)  # bad rows are refused later
        y_pred = self._known_classes()[np.argmax(finite, axis=1)]
        return ModelOutputs(y_pred=y_pred, proba=proba)

    def positive_score(self, outputs: ModelOutputs) -> np.ndarray | None:
        """Return the score of ``pos_label`` for a binary task (probability or margin).

        Returns
        -------
        numpy.ndarray or None
            None when the model has neither probabilities nor a decision function.
        """
        if self.task != "binary":
            return None
        pos_index = list(self._known_classes()).index(self.pos_label)
        if outputs.proba is not None:
            return outputs.proba[:, pos_index]
        if outputs.decision is not None:
            # decision_function is positive for classes[1]
            return outputs.decision if pos_index == 1 else -outputs.decision
        return None
