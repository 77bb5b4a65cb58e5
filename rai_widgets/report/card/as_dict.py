"""The model card as JSON data and back: ``ModelCard.to_dict()`` and ``ModelCard.from_dict()``.

The keys are the sections of Mitchell et al. (2019) in snake_case
(:data:`~rai_widgets.report.card.content.SECTIONS`), plus ``schema_version``, ``title``,
``summary``, ``not_stated`` and ``notes``; the file ``assets/model_card.schema.json``
describes them. An author's part sits under its section with the name of its keyword argument
(``data["training_data"]["training_data"]``). Groups are named as text (an intersection as a
list of names), NaN is null. :func:`card_state` turns the data back into a card's attributes,
so that a card loaded from JSON renders as the card that wrote it.

Examples
--------
>>> import pandas as pd
>>> rows = frame_rows(pd.DataFrame({"n": [3, 4]}, index=pd.Index(["a", "b"], name="sex")))
>>> rows
[{'group': 'a', 'n': 3}, {'group': 'b', 'n': 4}]
>>> frame_from_rows(rows, index_name="sex")["n"].tolist()
[3, 4]
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ValidationError
from rai_widgets.formatting import label
from rai_widgets.report.card.audit import audit_records
from rai_widgets.report.card.content import AUTHOR_SECTIONS, SCHEMA_VERSION, CardContent
from rai_widgets.report.card.factors import (
    BOUNDS_LEVEL,
    audit_features,
    group_sizes,
    metric_methods,
    metric_rows,
)
from rai_widgets.report.card.json_values import plain
from rai_widgets.report.card.layout import missing_author_sections
from rai_widgets.report.card.numbers import DISPARITY_COLUMNS
from rai_widgets.report.card.schema import check_card_dict

__all__ = ["card_dict", "card_state", "frame_from_rows", "frame_rows", "table_rows"]

_TEXT_COLUMNS = {"feature", "group", "reference_group", "metric", "slice", "spec", "check"}
_TEXT_COLUMNS |= {"severity", "finding", "view"}


def _group_name(value: Any) -> Any:
    if isinstance(value, tuple):
        return [label(v) for v in value]
    return label(value)


def frame_rows(frame: pd.DataFrame, key: str = "group", *, labels: bool = True) -> list[dict]:
    """A per-group table as JSON-safe rows: the group first (under ``key``), then each column.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per group (a MultiIndex for an intersection).
    key : str, default "group"
        The name of the group's entry.
    labels : bool, default True
        Name the groups as text (a list of texts for an intersection); False keeps numbers.

    Returns
    -------
    list of dict
    """
    names = [_group_name(g) if labels else plain(g) for g in frame.index]
    return [{key: name, **row} for name, row in zip(names, table_rows(frame) or [], strict=True)]


def table_rows(frame: pd.DataFrame | None) -> list[dict] | None:
    """A tidy table (its index dropped) as JSON-safe rows; None stays None.

    Examples
    --------
    >>> import pandas as pd
    >>> table_rows(pd.DataFrame({"n": [3], "gap": [float("nan")], "spec": [{"a": 1}]}))
    [{'n': 3, 'gap': None, 'spec': {'a': 1}}]
    """
    if frame is None:
        return None
    return [
        {str(k): plain(v) for k, v in row.items()}
        for row in frame.reset_index(drop=True).to_dict(orient="records")
    ]


def _column(values: list, name: str) -> Any:
    """A column of JSON values as numbers, booleans or objects, as a card's tables hold them."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(values):
        return np.array(values, dtype=bool)
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if numeric and (present or name not in _TEXT_COLUMNS):
        if present and len(present) == len(values) and all(isinstance(v, int) for v in present):
            return np.array(values, dtype=np.int64)
        return np.array([np.nan if v is None else v for v in values], dtype=float)
    return pd.Series(values, dtype=object)  # object, never pandas 3's str: None stays None


def frame_from_rows(
    rows: list[dict] | None,
    key: str | None = "group",
    *,
    index_name: Any = None,
    columns: list[str] | None = None,
) -> pd.DataFrame | None:
    """The table of :func:`frame_rows` (or of :func:`table_rows`, with ``key=None``).

    Parameters
    ----------
    rows : list of dict or None
        The rows; None gives None.
    key : str or None, default "group"
        The entry holding each row's group (lists become a MultiIndex); None: a RangeIndex.
    index_name : object or list, optional
        The index's name (names for a MultiIndex).
    columns : list of str, optional
        The columns of an empty table.

    Returns
    -------
    pandas.DataFrame or None
    """
    if rows is None:
        return None
    if not rows:
        return pd.DataFrame(columns=[c for c in (columns or []) if c != key])
    names = list(dict.fromkeys(k for row in rows for k in row if k != key))
    frame = pd.DataFrame({c: _column([row.get(c) for row in rows], c) for c in names})
    if key is not None:
        lacking = [i for i, row in enumerate(rows) if key not in row]
        if lacking:
            raise ValidationError(
                f"row {lacking[0]} of a table has no {key!r} (every row names its {key}); "
                "pass the unchanged output of ModelCard.to_dict()."
            )
        groups = [row[key] for row in rows]
        if groups and all(isinstance(g, list) for g in groups):
            frame.index = pd.MultiIndex.from_tuples([tuple(g) for g in groups], names=index_name)
        else:
            frame.index = pd.Index(groups, name=index_name, dtype=object)
    if "feature" in frame:  # feature names are text on a loaded card
        names_ = [None if v is None else str(v) for v in frame["feature"]]
        frame["feature"] = pd.Series(names_, index=frame.index, dtype=object)
    return frame


def card_dict(card: CardContent) -> dict[str, Any]:
    """Every section of the card as JSON data that follows ``model_card.schema.json``.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    dict
    """
    author = card.author_
    task = card.details_["task"]
    intersections = getattr(card, "intersectional_", {})
    data = plain(card.data_)
    out = {
        "schema_version": SCHEMA_VERSION,
        "title": f"Model card: {card.details_['name']}",
        "summary": list(card.summary_),
        "not_stated": missing_author_sections(card),
        "model_details": {**plain(card.details_), "owners": author.get("owners")},
        "intended_use": {
            "intended_use": author.get("intended_use"),
            "out_of_scope_uses": author.get("out_of_scope_uses"),
        },
        "factors": {
            "sensitive_features": [str(f) for f in card.by_group_],
            "groups": group_sizes(card),
            "intersections": [
                {
                    "features": [str(f) for f in features],
                    "n_groups": len(table),
                    "n_too_few": int(table["too_few"].astype(bool).sum())
                    if "too_few" in table
                    else 0,
                }
                for features, table in intersections.items()
            ],
            "audit_features": audit_features(card),
        },
        "metrics": {
            "metrics": metric_rows(card),
            "bounds_confidence_level": BOUNDS_LEVEL,
            "conformal_confidence_level": float(card.confidence_level_),
            "methods": metric_methods(card),
            "min_support": int(card.min_support_),
            "min_group_size": int(card.min_group_size_),
        },
        "evaluation_data": {
            **data,
            "evaluation_data": author.get("evaluation_data"),
            "target_distribution": frame_rows(
                card.target_, "column" if task == "regression" else "class", labels=False
            ),
        },
        "training_data": {
            "training_data": author.get("training_data"),
            "numbers": training_json(card),
        },
        "quantitative_analyses": {
            "in_numbers": list(getattr(card, "in_numbers_", [])),
            "overall": frame_rows(card.overall_),
            "unitary": [
                {"feature": str(f), "groups": frame_rows(t)} for f, t in card.by_group_.items()
            ],
            "intersectional": [
                {"features": [str(f) for f in features], "groups": frame_rows(t)}
                for features, t in intersections.items()
            ],
            "disparities": table_rows(card.disparities_),
            "calibration": table_rows(card.calibration_),
            "coverage": table_rows(card.coverage_),
            "weak_slices": table_rows(card.weak_slices_),
            "recourse": table_rows(getattr(card, "recourse_", None)),
            "n_slices_tested": int(card.n_slices_tested_),
            "n_weak_slices": int(card.n_weak_slices_),
        },
        "ethical_considerations": {
            "ethical_considerations": author.get("ethical_considerations"),
        },
        "caveats_and_recommendations": {
            "caveats": author.get("caveats"),
            "limitations": list(card.limitations_),
            "audit": None if card.audit_ is None else audit_records(card.audit_),
        },
        "notes": dict(card.notes_),
    }
    json.dumps(out, allow_nan=False)  # fail here, not in the caller's json.dump
    return out


def training_json(card: Any) -> dict[str, Any] | None:
    """The training rows' numbers (``training_data.numbers``), or None without them."""
    facts = getattr(card, "training_facts_", {}) or {}
    if facts.get("n_rows") is None:
        return None
    return {
        "n_rows": int(facts["n_rows"]),
        "n_eval": int(facts["n_eval"]),
        "overlap": int(facts["overlap"]),
        "groups": table_rows(getattr(card, "training_", None)),
    }


def training_state(numbers: dict[str, Any] | None) -> dict[str, Any]:
    """A card's ``training_`` and ``training_facts_`` from ``training_data.numbers``."""
    if not numbers:
        return {"training_": None, "training_facts_": {}}
    facts = {k: numbers[k] for k in ("n_rows", "n_eval", "overlap")}
    return {"training_": frame_from_rows(numbers.get("groups"), None), "training_facts_": facts}


def card_state(data: Any) -> dict[str, Any]:
    """A card's attributes from its JSON data, after checking its schema version and structure.

    Parameters
    ----------
    data : dict
        The output of :func:`card_dict` (e.g. read back from a file).

    Returns
    -------
    dict
        Attribute name (``details_``, ``by_group_`` ...) -> value.

    Raises
    ------
    ValidationError
        Another ``schema_version``, or data that does not follow the schema.
    """
    check_card_dict(data)
    details = {k: v for k, v in data["model_details"].items() if k != "owners"}
    evaluation = data["evaluation_data"]
    author = {name: data[section].get(name) for name, (section, _) in AUTHOR_SECTIONS.items()}
    quant, metrics = data["quantitative_analyses"], data["metrics"]
    caveats = data["caveats_and_recommendations"]
    key = "column" if details["task"] == "regression" else "class"
    target = frame_from_rows(
        evaluation["target_distribution"], key, index_name=None if key == "column" else "class"
    )
    return {
        "details_": details,
        "author_": author,
        "data_": {
            k: v
            for k, v in evaluation.items()
            if k not in ("evaluation_data", "target_distribution")
        },
        "target_": target,
        "metrics_": [m["name"] for m in metrics["metrics"]],
        "overall_": frame_from_rows(quant["overall"]),
        "by_group_": {
            u["feature"]: frame_from_rows(u["groups"], index_name=u["feature"])
            for u in quant["unitary"]
        },
        "intersectional_": {
            tuple(i["features"]): frame_from_rows(i["groups"], index_name=i["features"])
            for i in quant["intersectional"]
        },
        "disparities_": frame_from_rows(quant["disparities"], None, columns=DISPARITY_COLUMNS),
        "calibration_": frame_from_rows(quant["calibration"], None),
        "coverage_": frame_from_rows(quant["coverage"], None),
        "weak_slices_": frame_from_rows(quant["weak_slices"], None),
        "recourse_": frame_from_rows(quant.get("recourse"), None),
        **training_state(data["training_data"].get("numbers")),
        "n_slices_tested_": quant["n_slices_tested"],
        "n_weak_slices_": quant["n_weak_slices"],
        "confidence_level_": metrics["conformal_confidence_level"],
        "min_support_": metrics["min_support"],
        "min_group_size_": metrics["min_group_size"],
        "summary_": list(data["summary"]),
        "in_numbers_": list(quant.get("in_numbers", [])),
        "limitations_": list(caveats["limitations"]),
        "notes_": dict(data["notes"]),
        "audit_": frame_from_rows(caveats["audit"], None),
    }
