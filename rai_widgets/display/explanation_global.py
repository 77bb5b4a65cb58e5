"""The explanation charts across rows: what the model relies on per slice (feature importance)
and how one feature moves predictions (SHAP dependence).

Each follows scikit-learn's Display pattern: ``from_data`` draws a view model's data
(:mod:`rai_widgets.views.explanation`), ``from_session(...)`` computes it first, ``frame()``
returns the tidy data behind the chart and ``to_svg()`` draws it.

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.views.explanation import DependenceData
>>> data = DependenceData(pd.DataFrame({"value": [20, 40], "contribution": [-0.1, 0.2]}),
...                       feature="age", color_by=None, task="binary")
>>> svg = DependenceDisplay.from_data(data).to_svg()
>>> svg.startswith("<svg") and "How age moves predictions" in svg
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets.display.base import Display
from rai_widgets.display.svg import bar_chart, scatter_chart
from rai_widgets.formatting import MISSING, is_missing, number, points
from rai_widgets.readings.explanation import (
    DEPENDENCE_NOTE,
    IMPORTANCE_NOTE,
    dependence_title,
    importance_title,
)
from rai_widgets.views.explanation import (
    DependenceData,
    ImportanceData,
    contribution_formats,
    dependence_data,
    importance_data,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["DependenceDisplay", "ImportanceDisplay"]


class ImportanceDisplay(Display):
    """Which features matter most, per slice: mean absolute contribution with 95% bounds."""

    def __init__(self, table: pd.DataFrame, *, by_name: str | None, fmt: Any) -> None:
        self.frame_ = table.reset_index(drop=True)
        self.by_name, self.fmt = by_name, fmt

    @classmethod
    def from_data(cls, data: ImportanceData) -> ImportanceDisplay:
        """The chart of :func:`~rai_widgets.views.explanation.importance_data`: a classifier's
        importance in percentage points."""
        fmt = (
            (lambda v: points(v, signed=False))
            if data.task != "regression"
            else (lambda v: number(v, 3))
        )
        return cls(data.table, by_name=data.by_name, fmt=fmt)

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        by: Any = None,
        *,
        method: str = "shap",
        max_rows: int = 300,
        random_state: int | None = None,
    ) -> ImportanceDisplay:
        """Compute feature importance per slice of ``by`` and build the display."""
        return cls.from_data(
            importance_data(
                session, by, method=method, max_rows=max_rows, random_state=random_state
            )
        )

    def to_svg(self, max_features: int = 8) -> str:
        """Bars per (feature, slice) as inline SVG."""
        table = self.frame_
        slice_cols = [
            c
            for c in table.columns
            if c not in ("feature", "n", "importance", "importance_lo", "importance_hi")
        ]
        overall = table.groupby("feature")["importance"].mean().sort_values(ascending=False)
        features = overall.index[:max_features]
        shown = table[table["feature"].isin(features)].copy()
        shown["order"] = shown["feature"].map({f: i for i, f in enumerate(features)})
        shown = shown.sort_values(["order", *slice_cols], kind="stable")
        if slice_cols and shown[slice_cols[0]].nunique() > 1:
            labels = [
                f"{f} · {' & '.join(str(r[c]) for c in slice_cols)} (n={r['n']})"
                for f, (_, r) in zip(shown["feature"], shown.iterrows(), strict=True)
            ]
        else:
            labels = list(shown["feature"])
        return bar_chart(
            labels,
            shown["importance"],
            lo=shown["importance_lo"],
            hi=shown["importance_hi"],
            title=importance_title(self.by_name),
            note=IMPORTANCE_NOTE,
            fmt=self.fmt,
            signed_colors=False,
            width=720,
        )


class DependenceDisplay(Display):
    """One feature's effect against its value, coloured by a (sensitive) column."""

    def __init__(
        self, frame: pd.DataFrame, *, feature: str, color_by: str | None, fmt: Any
    ) -> None:
        self.frame_ = frame.reset_index(drop=True)
        self.feature, self.color_by, self.fmt = feature, color_by, fmt

    @classmethod
    def from_data(cls, data: DependenceData) -> DependenceDisplay:
        """The plot of :func:`~rai_widgets.views.explanation.dependence_data`."""
        fmt, _, _ = contribution_formats(data.task)
        return cls(data.frame, feature=data.feature, color_by=data.color_by, fmt=fmt)

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        feature: Hashable,
        *,
        color_by: Hashable | None = None,
        max_rows: int = 300,
        random_state: int | None = None,
    ) -> DependenceDisplay:
        """Compute the dependence data of ``feature`` and build the display."""
        return cls.from_data(
            dependence_data(
                session, feature, color_by=color_by, max_rows=max_rows, random_state=random_state
            )
        )

    def to_svg(self) -> str:
        """A scatter of value against contribution as inline SVG."""
        groups = self.frame_["color"] if "color" in self.frame_.columns else None
        return scatter_chart(
            [MISSING if is_missing(v) else v for v in self.frame_["value"]],
            self.frame_["contribution"],
            groups=groups,
            title=dependence_title(self.feature, self.color_by),
            note=DEPENDENCE_NOTE,
            x_label=self.feature,
            y_fmt=self.fmt,
        )
