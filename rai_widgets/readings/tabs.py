"""The titles of the Dashboard's tabs: the words a user reads on each tab, and in the audit's
"See ..." links to the tab that shows a finding's evidence.

Examples
--------
>>> TAB_TITLES["fairness"]
'Fairness by group'
"""

from __future__ import annotations

__all__ = ["TAB_TITLES"]

#: The dashboard's tab titles, by the ``view`` a finding names.
TAB_TITLES = {
    "audit": "What to look at",
    "examples": "Examples",
    "explanation": "Why it decided",
    "fairness": "Fairness by group",
    "uncertainty": "How sure",
}
