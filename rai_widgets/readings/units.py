"""Regression numbers with the target's unit ("64.3 thousand dollars").

A session made with ``ModelSession(..., target_unit="thousand dollars")`` reads every
regression number (a prediction, an interval, an error) with its unit; without one, numbers
read bare.

Examples
--------
>>> amount(64.3456, "thousand dollars", digits=3)
'64.3 thousand dollars'
>>> amount(2.5, None)
'2.5'
"""

from __future__ import annotations

from typing import Any

from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError

__all__ = ["amount", "check_unit"]


def check_unit(unit: Any, *, argument: str = "target_unit") -> str | None:
    """``unit`` if it is None or a non-empty string, else a ``ValidationError`` naming it.

    Parameters
    ----------
    unit : object
        The unit the user gave.
    argument : str, default "target_unit"
        The argument's name in the error.

    Returns
    -------
    str or None
        The unit without surrounding spaces.

    Raises
    ------
    ValidationError
        For anything but None or a string with a visible character.

    Examples
    --------
    >>> check_unit(" years "), check_unit(None)
    ('years', None)
    """
    if unit is None:
        return None
    if not isinstance(unit, str) or not unit.strip():
        raise ValidationError(
            f"{argument} must be a word or phrase naming the target's unit, such as "
            f'"thousand dollars" or "years"; got {unit!r}.'
        )
    return unit.strip()


def amount(value: Any, unit: str | None, *, digits: int | None = None) -> str:
    """A regression number with its unit.

    Parameters
    ----------
    value : float
        The number.
    unit : str or None
        The target's unit (None: the number alone).
    digits : int, optional
        Significant digits, as :func:`rai_widgets.formatting.number` takes them.

    Returns
    -------
    str

    Examples
    --------
    >>> amount(160.94, "thousand dollars", digits=3), amount(None, "years")
    ('161 thousand dollars', 'missing')
    """
    text = formatting.number(value, digits)
    if unit is None or formatting.is_missing(value):
        return text
    return f"{text} {unit}"
