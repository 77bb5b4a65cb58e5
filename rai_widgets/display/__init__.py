"""Display objects: computed data in, a chart out (SVG always, plotly on request)."""

from rai_widgets.display.explanation import (
    AgreementDisplay,
    DependenceDisplay,
    ImportanceDisplay,
    WaterfallDisplay,
)

__all__ = ["AgreementDisplay", "DependenceDisplay", "ImportanceDisplay", "WaterfallDisplay"]
