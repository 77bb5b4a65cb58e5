"""Charts you can draw on their own: computed data in, a chart out (SVG always, plotly on request).

Each Display holds the tidy data behind one chart (``frame()``) and draws it (``to_svg()``,
``figure()`` for plotly). Build one from a session (``from_session``), or, for the disparity
and reliability charts, from arrays you already have (``from_predictions``), with no model and
no session, as scikit-learn's Displays do.

Examples
--------
>>> import numpy as np
>>> import rai_widgets as rw
>>> rng = np.random.default_rng(0)
>>> y_true, y_pred = rng.integers(0, 2, 400), rng.integers(0, 2, 400)
>>> groups = rng.choice(["a", "b"], 400)
>>> chart = rw.display.DisparityDisplay.from_predictions(
...     y_true, y_pred, sensitive_features=groups, metric="selection_rate")
>>> chart.frame().index.tolist(), chart.to_svg().startswith("<svg")
(['a', 'b'], True)
"""

from rai_widgets.display.base import Display
from rai_widgets.display.effects import EffectsDisplay
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
    "EffectsDisplay",
    "ImportanceDisplay",
    "OutcomeDisplay",
    "ReliabilityDisplay",
    "ThresholdDisplay",
    "WaterfallDisplay",
]
