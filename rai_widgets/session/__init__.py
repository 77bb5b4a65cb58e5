"""The session layer: :class:`ModelSession`, a core with one component per concern.

See ``docs/architecture.md``: :mod:`rai_widgets.session.core` holds the data snapshot,
predictions, slices and cache behind a public interface; each concern (metrics, explanations,
examples, what-if, fairness, uncertainty, comparison) is a component over that interface.
"""

from rai_widgets.session.core import SessionCore, SessionState
from rai_widgets.session.model_session import ModelSession
from rai_widgets.session.what_if import WhatIf

__all__ = ["ModelSession", "SessionCore", "SessionState", "WhatIf"]
