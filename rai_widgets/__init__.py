"""rai_widgets: see how any scikit-learn-compatible model behaves, by example and by slice.

Examples
--------
>>> import rai_widgets as rw
>>> data = rw.datasets.load_wage()
>>> data.target.name
'wage'
"""

from rai_widgets import datasets, display
from rai_widgets._version import __version__
from rai_widgets.core.cache import CacheInfo
from rai_widgets.core.errors import (
    Cancelled,
    ColumnNotFoundError,
    MissingDependencyError,
    ModelError,
    NotFittedModelError,
    NotOfferedError,
    RaiWidgetsError,
    RaiWidgetsWarning,
    RowNotFoundError,
    TooManyGroupsError,
    ValidationError,
)
from rai_widgets.core.slices import Bins, SliceSet
from rai_widgets.session import ModelSession
from rai_widgets.testcases import TestCases

# Widgets load ipywidgets: imported on first use, so `import rai_widgets` stays light.
_LAZY = {
    name: "rai_widgets.widgets"
    for name in (
        "AuditView",
        "ComparisonView",
        "Dashboard",
        "EffectsView",
        "ExampleBrowser",
        "ExplanationView",
        "FairnessView",
        "ModelCardView",
        "SinglePageDashboard",
        "UncertaintyView",
    )
}
_LAZY["ModelCard"] = "rai_widgets.report.card.model_card"


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rai_widgets' has no attribute {name!r}")


__all__ = [
    "AuditView",
    "Bins",
    "CacheInfo",
    "Cancelled",
    "ColumnNotFoundError",
    "ComparisonView",
    "Dashboard",
    "EffectsView",
    "ExampleBrowser",
    "ExplanationView",
    "FairnessView",
    "MissingDependencyError",
    "ModelCard",
    "ModelCardView",
    "ModelError",
    "ModelSession",
    "NotFittedModelError",
    "NotOfferedError",
    "RaiWidgetsError",
    "RaiWidgetsWarning",
    "RowNotFoundError",
    "SinglePageDashboard",
    "SliceSet",
    "TestCases",
    "TooManyGroupsError",
    "UncertaintyView",
    "ValidationError",
    "__version__",
    "datasets",
    "display",
]
