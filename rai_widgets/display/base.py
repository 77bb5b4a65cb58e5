"""The base of every Display: the tidy data behind a chart, the chart as SVG, plotly on request.

Examples
--------
>>> import pandas as pd
>>> class Counts(Display):
...     def __init__(self, frame):
...         self.frame_ = frame
...     def to_svg(self):
...         return "<svg></svg>"
>>> Counts(pd.DataFrame({"n": [1, 2]})).frame()["n"].sum()
np.int64(3)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import MissingDependencyError

__all__ = ["ArrayLike", "Display"]

#: What ``from_predictions`` takes for one value per row: a list, a numpy array or a Series.
ArrayLike = Sequence[Any] | np.ndarray | pd.Series


class Display(ABC):
    """Shared behaviour of displays: ``frame()``, ``to_svg()``, ``_repr_html_`` and plotly.

    Subclasses set ``frame_`` (the tidy data behind the chart) and draw it in ``to_svg()``;
    ``figure()``, where offered, builds the same chart in plotly.
    """

    frame_: pd.DataFrame

    def frame(self) -> pd.DataFrame:
        """The tidy data behind the chart (a copy)."""
        return self.frame_.copy()

    @abstractmethod
    def to_svg(self) -> str:
        """The chart as inline SVG."""

    def _repr_html_(self) -> str:
        return self.to_svg()

    @staticmethod
    def _plotly() -> Any:
        try:
            import plotly.graph_objects as go
        except ImportError as err:
            raise MissingDependencyError(
                "figure() needs plotly: pip install plotly (to_svg() needs nothing)."
            ) from err
        return go

    def _bars_with_bounds(self, column: str, labels: list[str]) -> Any:
        """A plotly figure of horizontal bars of ``frame_[column]`` with its ``_lo``/``_hi``
        bounds as error bars."""
        go = self._plotly()
        f = self.frame_
        return go.Figure(
            go.Bar(
                y=labels,
                x=f[column],
                orientation="h",
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": f[f"{column}_hi"] - f[column],
                    "arrayminus": f[column] - f[f"{column}_lo"],
                },
            )
        )
