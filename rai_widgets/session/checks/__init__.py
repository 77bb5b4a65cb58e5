"""The audit's checks: each asks the session for its cached results and returns findings.

``CHECKS`` (:mod:`~rai_widgets.session.checks.registry`) maps each check's name to its
function, in the order the audit runs them; :func:`~rai_widgets.session.checks.run.run_checks`
runs them, one check's failure a note naming it.
"""

from rai_widgets.session.checks.registry import CHECKS

__all__ = ["CHECKS"]
