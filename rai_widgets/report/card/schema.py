"""The JSON schema of a model card (``assets/model_card.schema.json``) and a small validator.

``ModelCard.to_dict()`` follows the schema; ``ModelCard.from_dict()`` checks a card's
``schema_version`` first, then its structure, with the subset of JSON Schema the file uses
(``type``, ``const``, ``enum``, ``required``, ``properties``, ``additionalProperties``,
``items``, ``minimum``, local ``$ref``), so that rai_widgets needs no JSON Schema library. Any
JSON Schema validator (e.g. ``jsonschema``) reads the same file.

Examples
--------
>>> card_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
True
>>> schema_errors({"schema_version": "1.0"})[0]
"(top level): 'title' is required"
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

from rai_widgets.core.errors import ValidationError
from rai_widgets.report.card.content import SCHEMA_VERSION
from rai_widgets.report.frontend import asset_text

__all__ = ["SCHEMA_FILE", "card_schema", "check_card_dict", "schema_errors"]

SCHEMA_FILE = "model_card.schema.json"
"""The schema's file name in ``rai_widgets/report/assets/``."""

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


@functools.cache
def _schema_text() -> str:
    return asset_text(SCHEMA_FILE)


def card_schema() -> dict[str, Any]:
    """The JSON schema of ``ModelCard.to_dict()`` (a fresh copy).

    Returns
    -------
    dict

    Examples
    --------
    >>> list(card_schema()["required"])[:3]
    ['schema_version', 'title', 'summary']
    """
    return json.loads(_schema_text())


def schema_errors(data: Any, *, limit: int = 10) -> list[str]:
    """What in ``data`` does not follow the card's schema, one message per problem.

    Parameters
    ----------
    data : object
        A card as JSON data (e.g. ``json.load`` of a card file).
    limit : int, default 10
        Most messages returned.

    Returns
    -------
    list of str
        Empty when ``data`` follows the schema.

    Examples
    --------
    >>> schema_errors([])
    ['(top level): expected object, got list']
    """
    schema = card_schema()
    errors: list[str] = []
    _check(data, schema, schema, "", errors, limit)
    return errors[:limit]


def _where(path: str) -> str:
    return path or "(top level)"


def _check(value: Any, rule: dict, root: dict, path: str, errors: list[str], limit: int) -> None:
    if len(errors) >= limit:
        return
    if "$ref" in rule:
        name = rule["$ref"].rpartition("/")[2]
        _check(value, root["$defs"][name], root, path, errors, limit)
        return
    if isinstance(value, float) and not math.isfinite(value):
        errors.append(f"{_where(path)}: {value} is not valid JSON (use null)")
        return
    kinds = rule.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[k](value) for k in kinds):
            wanted = " or ".join(kinds)
            errors.append(f"{_where(path)}: expected {wanted}, got {type(value).__name__}")
            return
    if "const" in rule and value != rule["const"]:
        errors.append(f"{_where(path)}: must be {rule['const']!r}, got {value!r}")
    if "enum" in rule and value not in rule["enum"]:
        errors.append(f"{_where(path)}: must be one of {rule['enum']}, got {value!r}")
    if "minimum" in rule and _TYPES["number"](value) and value < rule["minimum"]:
        errors.append(f"{_where(path)}: must be at least {rule['minimum']}, got {value!r}")
    if isinstance(value, dict):
        for key in rule.get("required", ()):
            if key not in value:
                errors.append(f"{_where(path)}: {key!r} is required")
        properties = rule.get("properties", {})
        extra = rule.get("additionalProperties", True)
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in properties:
                _check(item, properties[key], root, where, errors, limit)
            elif extra is False:
                errors.append(f"{_where(path)}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                _check(item, extra, root, where, errors, limit)
    if isinstance(value, list) and isinstance(rule.get("items"), dict):
        for i, item in enumerate(value):
            _check(item, rule["items"], root, f"{path}[{i}]", errors, limit)


def check_card_dict(data: Any) -> None:
    """Refuse a card's JSON data of another schema version, or that does not follow the schema.

    Parameters
    ----------
    data : object
        A card as JSON data.

    Raises
    ------
    ValidationError
        ``data`` is not a dict; its ``schema_version`` is missing or not
        :data:`SCHEMA_VERSION`; it does not follow the schema (the first problems are named).

    Examples
    --------
    >>> check_card_dict({"schema_version": "0.9"})
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: schema_version: this model card has \
schema_version '0.9', but this version of rai_widgets reads schema_version '1.0'. Load it \
with the rai_widgets version that wrote it, or generate the card again with \
ModelCard.from_session.
    """
    if not isinstance(data, dict):
        raise ValidationError(
            f"A model card must be a dict (the JSON of ModelCard.to_dict()); got "
            f"{type(data).__name__}."
        )
    found = data.get("schema_version")
    if found != SCHEMA_VERSION:
        written = data.get("model_details", {})
        version = written.get("rai_widgets_version") if isinstance(written, dict) else None
        which = f" ({version})" if isinstance(version, str) else ""
        what = "has no schema_version" if found is None else f"has schema_version {found!r}"
        raise ValidationError(
            f"schema_version: this model card {what}, but this version of rai_widgets reads "
            f"schema_version {SCHEMA_VERSION!r}. Load it with the rai_widgets version that "
            f"wrote it{which}, or generate the card again with ModelCard.from_session."
        )
    errors = schema_errors(data)
    if errors:
        raise ValidationError(
            "This model card does not follow the model card schema "
            f"(rai_widgets/report/assets/{SCHEMA_FILE}): " + "; ".join(errors) + ". Pass the "
            "unchanged output of ModelCard.to_dict() (or the file of ModelCard.to_json())."
        )
