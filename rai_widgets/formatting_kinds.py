"""What a column holds, so that its values read right: years and identifiers are written
without thousands separators ("2007", "1191"), counts and money with them ("15,024").

The kind is decided by the column, never by the size of one value: a column is a *year* when
its name says so ("year", "yr", "*_year", "YearBuilt"), or when its name is a date-ish word
("built", "founded", "season", ...) and all its values are whole numbers from 1800 to 2100;
an *identifier* when its name says so ("id", "*_id", "zip", "postcode"); a *number* otherwise.
Identifier columns a session was given (``identifier_columns``) and row labels are identifiers
whatever their name (:func:`rai_widgets.formatting.row_label`).

Examples
--------
>>> from rai_widgets import formatting
>>> kind = column_kind("year", [2003, 2009])
>>> kind, formatting.value(2007, kind), formatting.value(15024, column_kind("capital-gain"))
('year', '2007', '15,024')
>>> column_kind("built", [1995, 2001]), column_kind("built", [3, 5]), column_kind("customer_id")
('year', 'number', 'identifier')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["YEAR_RANGE", "column_kind", "name_words"]

#: Whole numbers in this range (inclusive) can be years when the column's name is date-ish.
YEAR_RANGE = (1800, 2100)
_YEAR_WORDS = frozenset({"year", "yr", "yyyy"})
_ID_WORDS = frozenset({"id", "uuid", "guid", "zip", "zipcode", "postcode", "fips"})
_DATE_WORDS = frozenset(
    {
        "date", "built", "founded", "established", "born", "birth", "since", "season",
        "vintage", "cohort", "graduated", "graduation", "opened", "released", "release",
        "manufactured", "renovated", "remodeled", "sold", "start", "started", "end", "ended",
    }
)  # fmt: skip


def name_words(name: Any) -> list[str]:
    """The lower-case words of a column name: split at non-letters and at camelCase.

    Examples
    --------
    >>> name_words("YearBuilt"), name_words("customer_ID"), name_words(3)
    (['year', 'built'], ['customer', 'id'], [])
    """
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(name))
    return [w.lower() for w in re.split(r"[^A-Za-z]+", text) if w]


def _present(values: Any) -> Any:
    """The present values of a numeric numpy array or pandas Series (None for others)."""
    if getattr(getattr(values, "dtype", None), "kind", "") not in ("i", "u", "f"):
        return None
    if hasattr(values, "dropna"):  # pandas: NaN and NA
        return values.dropna()
    return values[values == values]  # numpy: NaN is not equal to itself


def _scalars(values: Iterable[Any]) -> list[float] | None:
    """The present values as floats (None when one is not a number)."""
    out = []
    for v in values:
        if v is None or type(v).__name__ in ("NAType", "NaTType"):
            continue
        if type(v).__name__ in ("bool", "bool_"):
            return None
        try:
            x = float(v)
        except (TypeError, ValueError):
            return None
        if not math.isnan(x):
            out.append(x)
    return out


def _all_years(values: Iterable[Any]) -> bool:
    """Whether every present value is a whole number in :data:`YEAR_RANGE` (and one is)."""
    low, high = YEAR_RANGE
    present = _present(values)
    if present is not None:  # vectorised
        return bool(
            len(present) and present.min() >= low and present.max() <= high
            and (present % 1 == 0).all()
        )  # fmt: skip
    numbers = _scalars(values)
    if not numbers:  # None (not all numbers) or empty
        return False
    return all(x.is_integer() and low <= x <= high for x in numbers)


def column_kind(name: Any, values: Iterable[Any] | None = None) -> str:
    """What a column holds: "year", "identifier" or "number" (the kinds of
    :func:`rai_widgets.formatting.value`).

    Parameters
    ----------
    name : column name
        The name decides alone when it says "year" or "id"; a date-ish name ("built",
        "founded", "season", ...) makes a year only when the values agree.
    values : iterable, optional
        The column's values (a pandas Series or numpy array is checked without a Python loop;
        they are only looked at for a date-ish name). A named year column whose values are
        not whole numbers (2007.5) reads as a number.

    Returns
    -------
    str

    Examples
    --------
    >>> column_kind("year"), column_kind("yr_renovated", [0, 1991]), column_kind("age")
    ('year', 'year', 'number')
    >>> column_kind("years_of_experience", [3, 12]), column_kind("season", [2019, 2020])
    ('number', 'year')
    >>> column_kind("year", [2007.5]), column_kind("zip", [98101])
    ('number', 'identifier')
    """
    words = name_words(name)
    if any(w in _ID_WORDS for w in words):
        return "identifier"
    if any(w in _YEAR_WORDS for w in words):
        return "number" if values is not None and _fractional(values) else "year"
    if values is not None and any(w in _DATE_WORDS for w in words) and _all_years(values):
        return "year"
    return "number"


def _fractional(values: Iterable[Any]) -> bool:
    """Whether some present numeric value is not whole (2007.5)."""
    present = _present(values)
    if present is not None:
        return bool(len(present)) and not bool((present % 1 == 0).all())
    numbers = _scalars(values) or []
    return any(math.isfinite(x) and not x.is_integer() for x in numbers)
