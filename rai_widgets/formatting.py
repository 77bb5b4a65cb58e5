"""How every number, share, difference, count and label reads, in one place.

Readings, views, the HTML export and the model card all format through this module, so a
missing value, a percentage or a difference in points reads the same everywhere. It is pure
Python (stdlib only): it duck-types numpy scalars, pandas ``NA`` and ``NaT``.

Two words for "no value":

* :data:`MISSING` ("missing") is a *data* value that is absent: a NaN feature value, a slice
  of rows whose column is missing. :func:`number`, :func:`count`, :func:`value` and
  :func:`label` read it so.
* :data:`NOT_AVAILABLE` ("–") is a *statistic* that could not be computed, such as the true
  positive rate of a slice with no positives. The ``metric_*`` functions of
  :mod:`rai_widgets.formatting_metrics` read it so.

Examples
--------
>>> value(15024), value(float("nan")), label(("Female", None))
('15,024', 'missing', 'Female & missing')
>>> value(2007, "year"), value(1191, "identifier"), row_label(1191)
('2007', '1191', '1191')
>>> percent(0.1234), points(0.032), count(48842)
('12.3%', '+3.2 pts', '48,842')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MISSING",
    "NOT_AVAILABLE",
    "VALUE_KINDS",
    "bounds",
    "chance",
    "count",
    "finite_number",
    "is_missing",
    "label",
    "number",
    "percent",
    "points",
    "row_label",
    "slice_description",
    "value",
]

#: How a missing data value (None, NaN, pandas NA, NaT) reads everywhere.
MISSING = "missing"
#: How a statistic that could not be computed reads (a metric of a slice with no positives).
NOT_AVAILABLE = "–"
#: How the parts of an intersection label are joined ("Female & Black").
LABEL_SEPARATOR = " & "
#: What a column can hold, for :func:`value`: years and identifiers never get separators.
VALUE_KINDS = ("number", "year", "identifier")

_INFINITY = "∞"


# -- missing values -----------------------------------------------------------------------------
def is_missing(value: Any) -> bool:
    """Whether a scalar is a missing value: None, NaN (float or numpy), pandas NA or NaT.

    Parameters
    ----------
    value : object
        Any scalar. Arrays and other containers are never missing.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("nan")
    (True, True, False, False)
    >>> import pandas as pd
    >>> is_missing(pd.NA), is_missing(pd.NaT), is_missing(pd.Timestamp("2024-01-01"))
    (True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are the values not equal to themselves
    except (TypeError, ValueError):  # pandas NA refuses bool(); arrays are ambiguous
        return type(value).__name__ == "NAType"


def _float(value: Any) -> float | None:
    """The value as a float, or None when it is missing or not a number."""
    if is_missing(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def finite_number(value: Any) -> float | None:
    """The value as a finite float, or None when it is missing, infinite or not a number.

    Examples
    --------
    >>> finite_number(3), finite_number(float("inf")), finite_number(None), finite_number("x")
    (3.0, None, None, None)
    """
    x = _float(value)
    return x if x is not None and math.isfinite(x) else None


def _infinite(number: float, signed: bool) -> str:
    if number > 0:
        return ("+" if signed else "") + _INFINITY
    return "-" + _INFINITY


# -- numbers ------------------------------------------------------------------------------------
def number(
    value: Any, digits: int | None = None, *, decimals: int | None = None, signed: bool = False
) -> str:
    """A number as a person reads it, with thousands separators for large values.

    Parameters
    ----------
    value : float or int
        The number (numpy scalars welcome).
    digits : int, optional
        Significant digits. Values that would need scientific notation to show that few
        digits (123456.7 with three) are rounded to a whole number instead. By default whole
        numbers are written whole, values of 100 or more with two decimals and smaller ones
        with four significant digits.
    decimals : int, optional
        Fixed number of decimals instead (takes precedence over ``digits``).
    signed : bool, default False
        Write a "+" before positive values (for differences).

    Returns
    -------
    str
        :data:`MISSING` for a missing value, "∞" / "-∞" for infinities.

    Examples
    --------
    >>> number(15024.0), number(355412.372), number(0.123456), number(-2.5)
    ('15,024', '355,412.37', '0.1235', '-2.5')
    >>> number(0.0123456, 3), number(123456.7, 3), number(999.7, 3), number(1.5, decimals=2)
    ('0.0123', '123,457', '1,000', '1.50')
    >>> number(0.25, 3, signed=True), number(float("inf")), number(None)
    ('+0.25', '∞', 'missing')
    """
    x = _float(value)
    if x is None:
        return MISSING if is_missing(value) else str(value)
    if math.isinf(x):
        return _infinite(x, signed)
    sign = "+" if signed else ""
    if decimals is not None:
        return f"{x:{sign},.{decimals}f}"
    if digits is None:
        if x.is_integer():
            return f"{x:{sign},.0f}"
        return f"{x:{sign},.2f}" if abs(x) >= 100 else f"{x:{sign}.4g}"
    text = f"{x:{sign},.{digits}g}"
    # no scientific notation for values of one or more: 123456.7 reads "123,457", not "1.23e+05"
    return f"{x:{sign},.0f}" if "e" in text and abs(x) >= 1 else text


def count(n: Any) -> str:
    """A count of rows (or anything) with thousands separators.

    Parameters
    ----------
    n : int
        The count (a whole float or numpy integer is fine).

    Returns
    -------
    str

    Examples
    --------
    >>> count(48842), count(7.0), count(None)
    ('48,842', '7', 'missing')
    """
    if is_missing(n):
        return MISSING
    return f"{int(n):,}"


def percent(p: Any, digits: int = 1, *, signed: bool = False) -> str:
    """A proportion as a percentage: 0.1234 -> "12.3%".

    Parameters
    ----------
    p : float
        A proportion (1.0 is 100%).
    digits : int, default 1
        Decimals of the percentage.
    signed : bool, default False
        Write a "+" before positive values.

    Returns
    -------
    str
        :data:`MISSING` for a missing value.

    Examples
    --------
    >>> percent(0.1234), percent(0.9, 0), percent(0.05, signed=True), percent(float("nan"))
    ('12.3%', '90%', '+5.0%', 'missing')
    """
    x = _float(p)
    if x is None:
        return MISSING if is_missing(p) else str(p)
    if math.isinf(x):
        return _infinite(x, signed) + "%"
    return f"{x:{'+' if signed else ''}.{digits}%}"


def chance(p: Any) -> str:
    """A probability in a plain reading: "72%", with "under 1%" and "over 99%" at the ends.

    Parameters
    ----------
    p : float
        A probability.

    Returns
    -------
    str

    Examples
    --------
    >>> chance(0.724), chance(0.001), chance(0.9999), chance(None)
    ('72%', 'under 1%', 'over 99%', 'missing')
    """
    x = _float(p)
    if x is None:
        return MISSING if is_missing(p) else str(p)
    if x < 0.005:
        return "under 1%"
    if x > 0.995:
        return "over 99%"
    return f"{x:.0%}"


def points(d: Any, digits: int = 1, signed: bool = True) -> str:
    """A difference of proportions in percentage points: 0.032 -> "+3.2 pts".

    Parameters
    ----------
    d : float
        A difference of two proportions (0.01 is one point).
    digits, signed : int, bool, default 1, True
        Decimals of the points; a "+" before positive values.

    Returns
    -------
    str
        :data:`MISSING` for a missing value.

    Examples
    --------
    >>> points(0.032), points(-0.1), points(0.032, signed=False), points(0.2, 0)
    ('+3.2 pts', '-10.0 pts', '3.2 pts', '+20 pts')
    """
    x = _float(d)
    if x is None:
        return MISSING if is_missing(d) else str(d)
    if math.isinf(x):
        return _infinite(x, signed) + " pts"
    return f"{100 * x:{'+' if signed else ''}.{digits}f} pts"


def bounds(
    lo: Any,
    hi: Any,
    *,
    kind: str = "number",
    digits: int | None = None,
    decimals: int | None = None,
    sep: str = " to ",
) -> str:
    """An interval as text: "85.8% to 86.4%".

    Parameters
    ----------
    lo, hi : float
        The ends of the interval.
    kind : {"number", "percent", "points"}, default "number"
        How each end reads (:func:`number`, :func:`percent` or :func:`points`).
    digits : int, optional
        Passed to the formatter of the ends (its own default when None).
    decimals : int, optional
        Fixed decimals of a ``kind="number"`` interval (see :func:`number`).
    sep : str, default " to "
        Between the two ends ("–" for a compact table cell).

    Returns
    -------
    str
        :data:`NOT_AVAILABLE` when either end is missing or not finite.

    Examples
    --------
    >>> bounds(0.121, 0.14, kind="percent"), bounds(12.5, 14, digits=3, sep="–")
    ('12.1% to 14.0%', '12.5–14')
    >>> bounds(-0.02, 0.03, kind="points"), bounds(1, 2.5, decimals=2), bounds(float("nan"), 1)
    ('-2.0 pts to +3.0 pts', '1.00 to 2.50', '–')
    """
    if kind not in ("number", "percent", "points"):
        raise ValueError(f"kind must be 'number', 'percent' or 'points'; got {kind!r}.")
    ends = (_float(lo), _float(hi))
    if any(e is None or not math.isfinite(e) for e in ends):
        return NOT_AVAILABLE
    texts = []
    for end in ends:
        if kind == "number":
            texts.append(number(end, digits, decimals=decimals))
        elif kind == "percent":
            texts.append(percent(end) if digits is None else percent(end, digits))
        else:
            texts.append(points(end) if digits is None else points(end, digits))
    return sep.join(texts)


# -- labels and values --------------------------------------------------------------------------
def label(value: Any) -> str:
    """A category, group or slice label as text.

    Parameters
    ----------
    value : object
        A label; a tuple is an intersection of several columns' values.

    Returns
    -------
    str
        :data:`MISSING` for a missing value; the parts of an intersection joined with " & ";
        anything else (bin labels such as "17–28" or a pandas Interval) as ``str`` gives it.

    Examples
    --------
    >>> label("Female"), label(("Female", "Black")), label(float("nan")), label(3)
    ('Female', 'Female & Black', 'missing', '3')
    >>> import pandas as pd
    >>> label(pd.Interval(0, 30, closed="right")), label(("Male", pd.NA))
    ('(0, 30]', 'Male & missing')
    """
    if isinstance(value, tuple):
        return LABEL_SEPARATOR.join(label(part) for part in value)
    return MISSING if is_missing(value) else str(value)


def slice_description(spec: Mapping[Any, Any] | None) -> str:
    """A slice given as column -> value, as text: "sex = Female & race = Black".

    Parameters
    ----------
    spec : mapping or None
        The value each column takes in the slice; empty or None for all rows.

    Returns
    -------
    str
        "all rows" for an empty slice; values read as :func:`label` writes them.

    Examples
    --------
    >>> slice_description({"sex": "Female", "workclass": None}), slice_description(None)
    ('sex = Female & workclass = missing', 'all rows')
    """
    if not spec:
        return "all rows"
    return LABEL_SEPARATOR.join(f"{column} = {label(v)}" for column, v in spec.items())


def value(v: Any, kind: str | None = None) -> str:
    """A feature value as a person reads it in readings and tables.

    Parameters
    ----------
    v : object
        A raw value from the data.
    kind : {"number", "year", "identifier"}, optional
        What its column holds (``rai_widgets.formatting_kinds.column_kind`` tells): a whole
        year or identifier is written without thousands separators ("2007", not "2,007");
        numbers (the default) get them.

    Returns
    -------
    str
        :data:`MISSING` for a missing value, "yes"/"no" for booleans, integers with thousands
        separators, other numbers as :func:`number` writes them, anything else as ``str``.

    Examples
    --------
    >>> value(15024), value(355412.37), value(0.123456), value(True), value("Male")
    ('15,024', '355,412.37', '0.1235', 'yes', 'Male')
    >>> import numpy as np
    >>> value(np.int64(7)), value(np.float32(2.5)), value(np.bool_(False)), value(np.nan)
    ('7', '2.5', 'no', 'missing')
    >>> value(np.int64(2007), "year"), value(2007.0, "year"), value(123456, "identifier")
    ('2007', '2007', '123456')
    """
    if kind is not None and kind not in VALUE_KINDS:
        raise ValueError(f"kind must be one of {VALUE_KINDS} or None; got {kind!r}.")
    if is_missing(v):
        return MISSING
    if type(v).__name__ in ("bool", "bool_"):  # Python and numpy booleans
        return "yes" if v else "no"
    whole = isinstance(v, numbers.Integral) or (
        isinstance(v, numbers.Real) and math.isfinite(v) and float(v).is_integer()
    )
    if kind in ("year", "identifier") and whole:
        return str(int(v))
    if kind == "identifier" or not isinstance(v, numbers.Real):
        return str(v)
    return f"{int(v):,}" if isinstance(v, numbers.Integral) else number(v)


def row_label(index_value: Any) -> str:
    """How a row is named everywhere (tables, details, static pictures): its index label as
    is, never with thousands separators.

    Parameters
    ----------
    index_value : object
        A label of X's index (a tuple for a MultiIndex).

    Returns
    -------
    str

    Examples
    --------
    >>> row_label(1191), row_label(1191.0), row_label("client-7"), row_label(("a", 3))
    ('1191', '1191', 'client-7', 'a, 3')
    """
    if isinstance(index_value, tuple):
        return ", ".join(row_label(part) for part in index_value)
    return value(index_value, "identifier")
