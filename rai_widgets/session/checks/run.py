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
from typing import TYPE_CHECKING, Any

from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Audit, Finding, cannot_run, check_failed
from rai_widgets.core.errors import Cancelled, RaiWidgetsWarning

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


#: A check: ``check(session, *, alpha, test_cases[, tolerance]) -> list[Finding]``.
Check = Callable[..., list[Finding]]


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
        The checks to run, in order.
    alpha : float
        Passed to every check.
    test_cases : TestCases, optional
        Passed to every check.
    progress : callable, optional
        Called after each check with the audit so far (its ``checks`` are the checks done),
        so that a view can fill in check by check.
    tolerance : float, default 0.05
        The difference that matters, given to every check that takes ``tolerance``.

    Returns
    -------
    Audit
        A check that raises gives a note naming it (:func:`check_failed`) and a
        ``RaiWidgetsWarning``; only :class:`~rai_widgets.core.errors.Cancelled` stops the
        audit.
    """
    findings: list[Finding] = []
    done: list[str] = []
    for name, check in checks.items():
        try:
            options: dict[str, Any] = {"alpha": alpha, "test_cases": test_cases}
            if "tolerance" in inspect.signature(check).parameters:
                options["tolerance"] = tolerance
            found = check(session, **options)
        except Cancelled:
            raise
        except Exception as err:  # one broken check is a note, never the end of the audit
            warnings.warn(
                f"The audit check {name!r} raised {type(err).__name__}: {err}",
                RaiWidgetsWarning,
                stacklevel=2,
            )
            found = check_failed(name, err)
        findings.extend(found)
        done.append(name)
        if progress is not None and len(done) < len(checks):
            progress(Audit(list(findings), tuple(done), alpha, session.target_unit))
    return Audit(findings, tuple(checks), alpha, session.target_unit)
