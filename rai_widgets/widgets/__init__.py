"""Widgets: thin ipywidgets layers over the display objects, state in traitlets."""

from rai_widgets.widgets.example_browser import ExampleBrowser
from rai_widgets.widgets.explanation_view import ExplanationView

__all__ = ["ExampleBrowser", "ExplanationView"]
