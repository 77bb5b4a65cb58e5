"""How a :class:`~rai_widgets.ModelSession` shows its components' verbs: each as one public
call that keeps the component method's signature (:func:`delegate`), some only for the tasks
they fit (:class:`OfferedFor`), and the names that moved to the session's core
(:data:`MOVED_TO_CORE`).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_diabetes
>>> from sklearn.linear_model import Ridge
>>> X, y = load_diabetes(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
>>> hasattr(s, "calibration"), "frame" in MOVED_TO_CORE
(False, True)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, Generic, ParamSpec, TypeVar

if TYPE_CHECKING:
    from rai_widgets.session.model_session import ModelSession

from rai_widgets.core.errors import NotOfferedError

__all__ = ["MOVED_TO_CORE", "RENAMED", "OfferedFor", "delegate"]

P = ParamSpec("P")
R = TypeVar("R")
C = TypeVar("C")


def delegate(
    component: str, function: Callable[Concatenate[C, P], R]
) -> Callable[Concatenate[ModelSession, P], R]:
    """A session method that runs ``function`` of one component as one public call; it keeps
    the component method's parameters and return type for editors and type checkers."""

    @functools.wraps(function)
    def method(self: ModelSession, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.core.consistent():
            return function(getattr(self, component), *args, **kwargs)

    return method


class OfferedFor(Generic[P, R]):
    """A verb offered only for some tasks (as skore's ``available_if``): on a session of
    another task it is not there (``hasattr`` is False, ``dir`` and completion leave it out),
    and asking for it raises :class:`~rai_widgets.core.errors.NotOfferedError` saying why."""

    def __init__(
        self, tasks: tuple[str, ...], why: str, method: Callable[Concatenate[ModelSession, P], R]
    ) -> None:
        self.tasks, self.why, self.method = tasks, why, method
        functools.update_wrapper(self, method)  # type: ignore[arg-type]

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def offered(self, session: ModelSession) -> bool:
        """Whether ``session``'s task has this verb."""
        return session.task_ in self.tasks

    def __get__(self, session: ModelSession | None, owner: type) -> Callable[P, R]:
        if session is None:
            return self.method  # type: ignore[return-value]  # the class: its documentation
        if not self.offered(session):
            raise NotOfferedError(
                f"{self.name} is not offered for a {session.task_} task: {self.why}"
            )
        return functools.partial(self.method, session)


#: Names a ModelSession once showed that are plumbing for the views: they live on ``s.core``.
MOVED_TO_CORE = frozenset(
    {
        "adapter",
        "as_model_input",
        "cache",
        "cache_clear",
        "cache_info",
        "class_description",
        "class_labels",
        "column",
        "column_names",
        "consistent",
        "frame",
        "group_frame",
        "has_y",
        "identifiers",
        "metric_inputs",
        "model_input",
        "model_takes_frame",
        "n_jobs",
        "n_rows_",
        "outputs",
        "positions_of",
        "predictions_ready",
        "random_state",
        "require_probabilities",
        "slice_mask",
        "slices",
        "start_predictions",
        "state",
        "target_name_",
        "y_values",
    }
)

#: Verbs a ModelSession once showed under another name, and what to call now.
RENAMED = {
    "dependence": (
        'use s.effects(feature, kind="shap", by=color_by, n_ice=max_rows): the SHAP '
        "dependence is one kind of feature effect."
    ),
    "confusion_at_thresholds": (
        "use s.threshold_tradeoffs(by, thresholds={group: threshold}) (or one number for every "
        "group): each group at its own threshold, one row per group."
    ),
    "nearest_counterfactuals": (
        'use s.similar(row, prediction="other") for the nearest real cases with another '
        "answer, or s.counterfactuals(row) for the smallest changes that get it."
    ),
}
