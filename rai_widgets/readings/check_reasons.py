"""Reasons shared by several audit checks for not running, as the end of a sentence
(:func:`rai_widgets.compute.audit.cannot_run` starts it with "Not checked:").

Examples
--------
>>> f"Not checked: {NO_SENSITIVE_REASON}."
'Not checked: no sensitive features were given (ModelSession(..., sensitive_features=[...])).'
"""

from __future__ import annotations

__all__ = ["NO_SENSITIVE_REASON"]

#: Why a check that compares groups cannot run: the session names no sensitive features.
NO_SENSITIVE_REASON = (
    "no sensitive features were given (ModelSession(..., sensitive_features=[...]))"
)
