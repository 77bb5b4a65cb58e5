"""The audit component of a session: ``audit()``, a ranked list of what is wrong or worth a
look, each finding with its numbers, bounds, rows and the view that shows the evidence.

:class:`Auditor` depends on the :class:`~rai_widgets.session.core.SessionCore` interface (the
checks read the session's public, cached results).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rai_widgets.compute.audit import DEFAULT_TOLERANCE, Audit
from rai_widgets.core.arguments import check_fraction, check_names
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.validation import closest_names
from rai_widgets.session.checks.registry import CHECKS, OPTIONAL_CHECKS
from rai_widgets.session.checks.run import run_checks
from rai_widgets.session.core import SessionCore

if TYPE_CHECKING:
    from rai_widgets.session.model_session import ModelSession

__all__ = ["Auditor"]


class Auditor:
    """Runs the audit's checks on a session.

    Parameters
    ----------
    core : ModelSession
        The session (the checks use its public methods: its verbs and its core's).
    """

    def __init__(self, core: ModelSession) -> None:
        self._core = core

    def audit(
        self,
        *,
        checks: Iterable[str] | str | None = None,
        alpha: float = 0.05,
        test_cases: Any = None,
        progress: Callable[[Audit], None] | None = None,
        tolerance: float = DEFAULT_TOLERANCE,
    ) -> Audit:
        """What to look at first: every check's findings, concerns first, with evidence.

        Parameters
        ----------
        checks : list of str, optional
            Which checks to run (default all of ``rai_widgets.session.checks.registry.CHECKS``,
            listed in this order; they run cheapest first, see
            ``rai_widgets.session.checks.order``): ``baseline``, ``disparity``,
            ``four_fifths``, ``blind_spot``, ``calibration``, ``coverage``, ``data_gap``,
            ``proxy``, ``leakage``, ``explanation_trust``, ``test_cases``, ``recourse``. The
            optional ones
            (``OPTIONAL_CHECKS``: ``effect_difference``) run only when named.
        alpha : float, default 0.05
            Error rate of the bounds and false discovery rate of the searches (shared among
            comparisons where several groups are compared).
        test_cases : TestCases, optional
            Pinned cases to re-run (the ``test_cases`` check).
        progress : callable, optional
            Called after each check but the last with the audit so far (``checks`` holds the
            checks done, in the order they ran), so that a view fills in check by check.
        tolerance : float, default 0.05
            The difference that matters: a finding passes ("ok") only when its bounds rule
            out a difference this large (5 points of a rate, 5% of an error, a four-fifths
            ratio 0.05 under 0.8 ...); when they neither rule it out nor show a difference it
            is "unclear" (the data cannot tell yet).

        Returns
        -------
        Audit
            ``frame()``: one row per finding with ``check``, ``severity`` ("concern", "note",
            "unclear", "ok"), ``finding``, ``estimate``, ``lo``, ``hi``, ``n``, ``slice``,
            ``feature``, ``view``, ``metric``; ordered by severity, then by effect size. A
            check that cannot run gives a note saying why.

        Raises
        ------
        ValidationError
            An unknown check, ``alpha`` outside (0, 1), ``test_cases`` that are not TestCases
            or were pinned on other columns, a ``progress`` that is not callable.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        >>> large = X["mean radius"].gt(15).rename("large")
        >>> model = LogisticRegression(max_iter=5000).fit(X, y)
        >>> s = rw.ModelSession(model, X, y, sensitive_features=large, random_state=0)
        >>> frame = s.audit(checks=["baseline", "data_gap"]).frame()
        >>> frame.columns.tolist()[:4]
        ['check', 'severity', 'finding', 'estimate']
        """
        check_fraction(alpha, argument="alpha")
        check_fraction(tolerance, argument="tolerance")
        if progress is not None and not callable(progress):
            raise ValidationError(
                f"progress must be a function taking the audit so far; got {progress!r}."
            )
        available = {**CHECKS, **OPTIONAL_CHECKS}  # read now: a check may be registered late
        if checks is None:
            names = list(CHECKS)
        else:
            names = check_names(checks, argument="checks")
            if not names:
                raise ValidationError(f"checks is empty; choose from {list(available)}.")
            for name in names:
                if name not in available:
                    raise ValidationError(
                        f"checks: unknown check {name!r}.{closest_names(name, available)} "
                        f"Choose from {list(available)}."
                    )
        if test_cases is not None:
            _check_test_cases(self._core.core, test_cases)
        chosen = {name: available[name] for name in dict.fromkeys(names)}
        return run_checks(
            self._core,
            chosen,
            alpha=alpha,
            test_cases=test_cases,
            progress=progress,
            tolerance=tolerance,
        )


def _check_test_cases(core: SessionCore, test_cases: Any) -> None:
    from rai_widgets.testcases import TestCases

    if not isinstance(test_cases, TestCases):
        raise ValidationError(f"test_cases must be rw.TestCases; got {type(test_cases).__name__}.")
    columns = set(core.feature_names_)
    for case in test_cases.cases:
        missing = [c for c in core.feature_names_ if c not in case.values]
        if missing or not set(case.values) <= columns | set(core.identifier_columns_):
            raise ValidationError(
                f"test_cases: case {case.row!r} was pinned on other columns than this "
                f"session's X (missing {missing[:5]}); pin the cases on this model's data."
            )
