"""What a model card holds: the attributes its prose, layout and renderers read.

:class:`rai_widgets.ModelCard` has these attributes; the modules that turn them into words
(:mod:`~rai_widgets.report.card_prose`) and blocks (:mod:`~rai_widgets.report.card_layout`)
depend on this description only, not on the class.

Examples
--------
>>> "training_data" in AUTHOR_SECTIONS
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol

import pandas as pd

__all__ = ["AUTHOR_SECTIONS", "CardContent"]

AUTHOR_SECTIONS = (
    "intended_use",
    "out_of_scope_uses",
    "owners",
    "training_data",
    "ethical_considerations",
    "caveats",
)
"""The sections only the model's author can write."""


class CardContent(Protocol):
    """What a model card holds (see :class:`rai_widgets.ModelCard` for each attribute)."""

    details_: dict[str, Any]
    author_: dict[str, str | None]
    data_: dict[str, Any]
    target_: pd.DataFrame
    metrics_: list[str]
    overall_: pd.DataFrame
    by_group_: dict[Hashable, pd.DataFrame]
    disparities_: pd.DataFrame
    calibration_: pd.DataFrame | None
    coverage_: pd.DataFrame | None
    weak_slices_: pd.DataFrame
    n_slices_tested_: int
    n_weak_slices_: int
    confidence_level_: float
    min_support_: int
    min_group_size_: int
    summary_: list[str]
    limitations_: list[str]
    notes_: dict[str, str]
    audit_: pd.DataFrame | None
