"""Widgets: thin ipywidgets layers over the display objects, state in traitlets."""

from rai_widgets.widgets.audit_view import AuditView
from rai_widgets.widgets.comparison_view import ComparisonView
from rai_widgets.widgets.dashboard import Dashboard
from rai_widgets.widgets.effects_view import EffectsView
from rai_widgets.widgets.example_browser import ExampleBrowser
from rai_widgets.widgets.explanation_view import ExplanationView
from rai_widgets.widgets.fairness_view import FairnessView
from rai_widgets.widgets.model_card_view import ModelCardView
from rai_widgets.widgets.single_page import SinglePageDashboard
from rai_widgets.widgets.uncertainty_view import UncertaintyView

__all__ = [
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
]
