"""Display objects: computed data in, a chart out (SVG always, plotly on request)."""

from rai_widgets.display.base import Display
from rai_widgets.display.explanation import (
    AgreementDisplay,
    DependenceDisplay,
    ImportanceDisplay,
    WaterfallDisplay,
)
from rai_widgets.display.fairness import DisparityDisplay, ThresholdDisplay
from rai_widgets.display.uncertainty import CoverageDisplay, OutcomeDisplay, ReliabilityDisplay

__all__ = [
    "AgreementDisplay",
    "CoverageDisplay",
    "DependenceDisplay",
    "DisparityDisplay",
    "Display",
    "ImportanceDisplay",
    "OutcomeDisplay",
    "ReliabilityDisplay",
    "ThresholdDisplay",
    "WaterfallDisplay",
]
