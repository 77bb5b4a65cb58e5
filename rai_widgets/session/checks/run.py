"""Running the audit's checks on a session: each check's failure is a note, never the end.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, random_state=0)
>>> [f.severity for f in without_y(s, "baseline")]
['note']
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Audit, Finding, cannot_run, check_failed
from rai_widgets.core.cache import is_cacheable_seed
from rai_widgets.core.errors import Cancelled, RaiWidgetsWarning
from rai_widgets.session.checks.order import ONE_THREAD, cheapest_first

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["Check", "run_checks", "without_y"]


def without_y(session: ModelSession, check: str) -> list[Finding]:
    """The note of ``check`` when the session has no y (which it needs), else ``[]``.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    check : str
        The check's name.

    Returns
    -------
    list of Finding
        Empty when the session has y.
    """
    if session.core.has_y:
        return []
    return cannot_run(check, "this session has no y to compare predictions with")


def _native_threads(check: str) -> AbstractContextManager[object]:
    """OpenMP on one thread for a check of :data:`ONE_THREAD` (the limit belongs to the
    calling thread only: other threads of the kernel keep theirs), else no change."""
    if check not in ONE_THREAD:
        return nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="openmp")


#: A check: ``check(session, *, alpha, test_cases[, tolerance]) -> list[Finding]``.
Check = Callable[..., list[Finding]]


#: Checks whose findings are never kept: they read pinned cases, which may change in place.
NOT_KEPT = frozenset({"test_cases"})


def _findings(
    session: ModelSession, name: str, check: Check, options: dict[str, Any]
) -> tuple[Finding, ...]:
    """``check``'s findings, kept by the session for its model's state and data, the check and
    its options (a second audit, the card's or a view's, runs nothing again); computed every
    time when the session's seed does not make them reproducible."""

    def run() -> tuple[Finding, ...]:
        with _native_threads(name):
            return tuple(check(session, **options))

    core = session.core
    state = core.state()
    options_key = tuple(sorted((k, v) for k, v in options.items() if k != "test_cases"))
    return core.cache.get_or_compute(
        ("audit_check", name, check, state.model, state.data, options_key),
        run,
        cacheable=name not in NOT_KEPT and is_cacheable_seed(core.random_state),
    )


def run_checks(
    session: ModelSession,
    checks: dict[str, Check],
    *,
    alpha: float,
    test_cases: Any = None,
    progress: Callable[[Audit], None] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Audit:
    """Run ``checks`` (name -> function) on ``session`` and collect an :class:`Audit`.

    Parameters
    ----------
    session : ModelSession
        The model and data (its public interface).
    checks : dict
        The checks to run. They run cheapest first
        (:func:`~rai_widgets.session.checks.order.cheapest_first`); the audit lists them,
        and their findings, in this dict's order.
    alpha : float
        Passed to every check.
    test_cases : TestCases, optional
        Passed to every check.
    progress : callable, optional
        Called after each check but the last with the audit so far (its ``checks`` are the
        checks done, in the order they ran), so that a view can fill in check by check.
    tolerance : float, default 0.05
        The difference that matters, given to every check that takes ``tolerance``.

    Returns
    -------
    Audit
        A check that raises gives a note naming it (:func:`check_failed`) and a
        ``RaiWidgetsWarning``; only :class:`~rai_widgets.core.errors.Cancelled` stops the
        audit.
    """
    found_by: dict[str, list[Finding]] = {}
    done: list[str] = []
    for name in cheapest_first(list(checks)):
        check = checks[name]
        try:
            options: dict[str, Any] = {"alpha": alpha, "test_cases": test_cases}
            if "tolerance" in inspect.signature(check).parameters:
                options["tolerance"] = tolerance
            found = _findings(session, name, check, options)
        except Cancelled:
            raise
        except Exception as err:  # one broken check is a note, never the end of the audit
            warnings.warn(
                f"The audit check {name!r} raised {type(err).__name__}: {err}",
                RaiWidgetsWarning,
                stacklevel=2,
            )
            found = tuple(check_failed(name, err))
        found_by[name] = list(found)
        done.append(name)
        if progress is not None and len(done) < len(checks):
            so_far = [f for asked in checks if asked in found_by for f in found_by[asked]]
            progress(Audit(so_far, tuple(done), alpha, session.target_unit))
    # the findings in the order the checks were asked for, whatever order they ran in
    findings = [f for asked in checks for f in found_by[asked]]
    return Audit(findings, tuple(checks), alpha, session.target_unit)
