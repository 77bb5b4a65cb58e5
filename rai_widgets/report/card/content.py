"""What a model card holds: its sections, and the attributes its prose, layout and renderers read.

:class:`rai_widgets.ModelCard` has these attributes; the modules that turn them into words
(:mod:`~rai_widgets.report.card.prose`), blocks (:mod:`~rai_widgets.report.card.layout`) and
JSON (:mod:`~rai_widgets.report.card.as_dict`) depend on this description only, not on the class.

The card's sections are those of Mitchell et al. (2019), "Model Cards for Model Reporting",
by their names and in their order (:data:`SECTIONS`); ``to_dict()`` uses their snake_case keys.

Examples
--------
>>> "training_data" in AUTHOR_SECTIONS
True
>>> list(SECTIONS.values())[:3]
['Model details', 'Intended use', 'Factors']
>>> AUTHOR_SECTIONS["out_of_scope_uses"]
('intended_use', 'Out-of-scope uses')
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol

import pandas as pd

__all__ = ["AUTHOR_SECTIONS", "SCHEMA_VERSION", "SECTIONS", "CardContent"]

SCHEMA_VERSION = "1.0"
"""The version of the card's JSON (``to_dict()["schema_version"]``, ``model_card.schema.json``)."""

SECTIONS = {
    "model_details": "Model details",
    "intended_use": "Intended use",
    "factors": "Factors",
    "metrics": "Metrics",
    "evaluation_data": "Evaluation data",
    "training_data": "Training data",
    "quantitative_analyses": "Quantitative analyses",
    "ethical_considerations": "Ethical considerations",
    "caveats_and_recommendations": "Caveats and recommendations",
}
"""The sections of Mitchell et al. (2019), in order: ``to_dict()`` key -> Markdown heading."""

AUTHOR_SECTIONS = {
    "owners": ("model_details", "Owners"),
    "intended_use": ("intended_use", "Intended use"),
    "out_of_scope_uses": ("intended_use", "Out-of-scope uses"),
    "evaluation_data": ("evaluation_data", "Where the evaluation data came from"),
    "training_data": ("training_data", "Training data"),
    "ethical_considerations": ("ethical_considerations", "Ethical considerations"),
    "caveats": ("caveats_and_recommendations", "Caveats and recommendations"),
}
"""What only the model's author can write: keyword argument of ``ModelCard.from_session`` ->
(the key of its section, what it is called on the card)."""


class CardContent(Protocol):
    """What a model card holds (see :class:`rai_widgets.ModelCard` for each attribute)."""

    details_: dict[str, Any]
    author_: dict[str, str | None]
    data_: dict[str, Any]
    target_: pd.DataFrame
    metrics_: list[str]
    overall_: pd.DataFrame
    by_group_: dict[Hashable, pd.DataFrame]
    intersectional_: dict[tuple, pd.DataFrame]
    disparities_: pd.DataFrame
    calibration_: pd.DataFrame | None
    coverage_: pd.DataFrame | None
    weak_slices_: pd.DataFrame
    recourse_: pd.DataFrame | None
    training_: pd.DataFrame | None
    training_facts_: dict[str, Any]
    group_tests_: dict[Hashable, tuple[pd.DataFrame, int]]
    n_slices_tested_: int
    n_weak_slices_: int
    confidence_level_: float
    min_support_: int
    min_group_size_: int
    summary_: list[str]
    in_numbers_: list[str]
    limitations_: list[str]
    notes_: dict[str, str]
    audit_: pd.DataFrame | None
