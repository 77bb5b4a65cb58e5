"""Slices: named sets of row positions, resolved once from a grouping specification.

A grouping specification (``by``) is what users pass to ``slice_metrics`` and friends:

* ``None``: one slice, ``"overall"``;
* a column name (of X or of the session's extra sensitive features). Text, boolean and
  categorical columns give one slice per value; numeric columns with more than
  ``max_numeric_levels`` distinct values are cut into quartiles (use :class:`Bins` to choose);
* :class:`Bins`: a numeric column cut at quantiles (``q``) or at explicit ``edges``;
* a boolean mask or any 1-D array / Series aligned with X (e.g. ``X["age"] > 60``);
* a list of any of those: their intersections (only combinations that occur).

Missing values are a slice of their own, labelled NaN: rows with unknown group are where models
fail silently, so they are never dropped.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"sex": ["F", "M", "F"], "age": [20, 40, 60]})
>>> s = resolve_slices(["sex", Bins("age", edges=[0, 30, 100])], X.__getitem__, X.index)
>>> s.sizes.tolist()
[1, 1, 1]
>>> s.positions(("F", s.labels[1][1])).tolist()
[2]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import TooManyGroupsError, ValidationError
from rai_widgets.core.validation import align_to_rows, is_numeric
from rai_widgets.formatting import number

__all__ = ["Bins", "SliceSet", "labels_like", "resolve_slices", "spec_key"]

DEFAULT_MAX_GROUPS = 250
DEFAULT_MAX_NUMERIC_LEVELS = 10
DEFAULT_QUANTILES = 4


@dataclass(frozen=True)
class Bins:
    """Cut a numeric column into intervals for slicing.

    Parameters
    ----------
    column : str
        A numeric column of X (or an extra sensitive feature).
    q : int, optional
        Number of quantile bins (4 = quartiles). Used when ``edges`` is not given.
    edges : sequence of float, optional
        Explicit bin edges, increasing; values outside them form a slice labelled NaN.

    Examples
    --------
    >>> Bins("age", q=5)
    Bins(column='age', q=5, edges=None)
    """

    column: Hashable
    q: int | None = None
    edges: tuple[float, ...] | None = field(default=None)

    def __post_init__(self) -> None:
        if self.edges is not None:
            object.__setattr__(self, "edges", tuple(float(e) for e in self.edges))
            if self.q is not None:
                raise ValidationError("Bins takes q or edges, not both.")
            if len(self.edges) < 2 or np.any(np.diff(self.edges) <= 0):
                raise ValidationError(
                    f"Bins edges for {self.column!r} must be at least two increasing numbers; "
                    f"got {list(self.edges)}."
                )
        elif self.q is None:
            object.__setattr__(self, "q", DEFAULT_QUANTILES)
        if self.q is not None and (not isinstance(self.q, (int, np.integer)) or self.q < 1):
            raise ValidationError(f"Bins q must be a positive integer; got {self.q!r}.")


def small_int_codes(codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Codes in the smallest integer type that holds them.

    numpy's stable sort of 8- and 16-bit integers is a radix sort: linear in the rows.
    """
    if n_groups <= np.iinfo(np.int8).max:
        return codes.astype(np.int8)
    if n_groups <= np.iinfo(np.int16).max:
        return codes.astype(np.int16)
    return codes


@dataclass(frozen=True)
class SliceSet:
    """A partition of the rows into named slices.

    Attributes
    ----------
    codes : numpy.ndarray
        For every row, the position of its slice in ``labels`` (int64).
    labels : pandas.Index or pandas.MultiIndex
        One label per slice; its name(s) are the grouping column(s).
    bounds : numpy.ndarray
        Slice boundaries in ``order`` (length ``len(labels) + 1``).
    order : numpy.ndarray
        Row positions sorted by slice (stable): slice g is ``order[bounds[g]:bounds[g + 1]]``.
        Sorted when first asked for (a search that counts by ``codes`` never needs it: on
        10,000,000 rows it is 80 MB per grouping).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = SliceSet.from_codes(np.array([1, 0, 1]), pd.Index(["a", "b"], name="g"))
    >>> s.positions("b").tolist(), s.sizes.tolist()
    ([0, 2], [1, 2])
    """

    codes: np.ndarray
    labels: pd.Index
    bounds: np.ndarray = field(repr=False)
    _order: list[np.ndarray] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        for array in (self.codes, self.bounds):
            array.setflags(write=False)  # shared through the cache: never edited in place

    @classmethod
    def from_codes(cls, codes: np.ndarray, labels: pd.Index) -> SliceSet:
        """Build a SliceSet from per-row codes into ``labels``."""
        codes = np.asarray(codes, dtype=np.int64)
        counts = np.bincount(codes, minlength=len(labels))
        bounds = np.concatenate([[0], np.cumsum(counts)])
        return cls(codes=codes, labels=labels, bounds=bounds)

    @property
    def order(self) -> np.ndarray:
        """Row positions sorted by slice (stable), sorted once when first asked for."""
        if not self._order:
            order = np.argsort(small_int_codes(self.codes, len(self.labels)), kind="stable")
            order.setflags(write=False)
            if not self._order:  # another thread may have sorted meanwhile: same array
                self._order.append(order)
        return self._order[0]

    @property
    def names(self) -> list[Hashable]:
        """Names of the grouping columns."""
        return list(self.labels.names)

    @property
    def sizes(self) -> pd.Series:
        """Number of rows per slice, indexed by ``labels``."""
        return pd.Series(np.diff(self.bounds), index=self.labels, name="n")

    def __len__(self) -> int:
        return len(self.labels)

    def _locate(self, label: Any) -> int:
        try:
            loc = self.labels.get_loc(label)
        except (KeyError, TypeError):
            loc = None
        if not isinstance(loc, (int, np.integer)):
            raise ValidationError(
                f"{label!r} is not a slice of {self.names}; slices are {self.labels.tolist()[:20]}."
            )
        return int(loc)

    def positions(self, label: Any) -> np.ndarray:
        """Row positions (0-based, increasing) of one slice.

        Parameters
        ----------
        label : hashable or tuple
            A value of ``labels`` (a tuple for intersections).

        Returns
        -------
        numpy.ndarray
        """
        g = self._locate(label)
        return self.order[self.bounds[g] : self.bounds[g + 1]]

    def mask(self, label: Any) -> np.ndarray:
        """Boolean mask over rows of one slice."""
        return self.codes == self._locate(label)

    def __iter__(self) -> Iterator[tuple[Any, np.ndarray]]:
        for g, label in enumerate(self.labels):
            yield label, self.order[self.bounds[g] : self.bounds[g + 1]]


def spec_key(by: Any) -> Hashable:
    """Return a hashable cache key for a grouping specification.

    Arrays and Series are keyed by their content fingerprint.
    """
    from rai_widgets.core.fingerprint import array_fingerprint

    if by is None:
        return ("overall",)
    if isinstance(by, Bins):
        return ("bins", by.column, by.q, by.edges)
    if isinstance(by, pd.DataFrame):
        return ("frame", array_fingerprint(by))
    if isinstance(by, (list, tuple)) and not isinstance(by, str):
        if by and all(isinstance(v, (bool, np.bool_)) for v in by):
            return ("mask", array_fingerprint(np.asarray(by, dtype=bool)))
        return ("intersection", *(spec_key(b) for b in by))
    if isinstance(by, (pd.Series, np.ndarray, pd.Index)):
        return ("values", array_fingerprint(by), getattr(by, "name", None))
    try:
        hash(by)
    except TypeError:
        raise ValidationError(
            "by must be None, a column name, Bins(...), values aligned with X (a Series or "
            f"array), or a list of those; got {type(by).__name__}."
        ) from None
    return ("column", by)


def _factorize(values: pd.Series, name: Hashable) -> tuple[np.ndarray, pd.Index]:
    """Codes and sorted labels of a column, with missing values as a final NaN label."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    labels = pd.Index(uniques, name=name)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = labels.append(pd.Index([np.nan], name=name))
        labels.name = name
    return codes.astype(np.int64), labels


def _bound(edge: float) -> str:
    """A bin edge as its label writes it: four significant digits, whole numbers whole."""
    return number(edge, 4)


def _bin(values: pd.Series, bins: Bins) -> tuple[np.ndarray, pd.Index]:
    """Codes and readable labels of a numeric column cut into bins.

    Quantile bins are labelled by the smallest and largest value they hold ("17–28"); explicit
    edges by their interval ("[0, 30]", "(30, 60]"), with values outside the edges in slices of
    their own ("< 0", "> 100") and missing values in a NaN slice.
    """
    name = bins.column
    if not is_numeric(values):
        raise ValidationError(
            f"Bins({name!r}) needs a numeric column; {name!r} has dtype {values.dtype}. "
            f"Slice by {name!r} directly to get one slice per value."
        )
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(numbers)
    present = numbers[~missing]
    if bins.edges is not None:
        edges = np.asarray(bins.edges, dtype=float)
    elif len(present):
        assert bins.q is not None  # Bins.__post_init__ sets q whenever edges is None
        edges = np.unique(np.quantile(present, np.linspace(0.0, 1.0, bins.q + 1)))
    else:
        edges = np.array([0.0, 0.0])
    n_bins = max(len(edges) - 1, 1)
    # right-closed bins, the first one also closed on the left: (a, b], with [e0, e1] first
    inner = np.clip(np.searchsorted(edges, numbers, side="left") - 1, 0, n_bins - 1)
    below = numbers < edges[0]
    above = numbers > edges[-1]
    labels: list = []
    if bins.edges is not None:
        for b in range(n_bins):
            left = "[" if b == 0 else "("
            labels.append(f"{left}{_bound(edges[b])}, {_bound(edges[b + 1])}]")
    else:
        for b in range(n_bins):
            held = present[inner[~missing] == b]
            if len(held) == 0:
                labels.append(f"{_bound(edges[b])}–{_bound(edges[b + 1])}")
            elif held.min() == held.max():
                labels.append(_bound(held.min()))
            else:
                labels.append(f"{_bound(held.min())}–{_bound(held.max())}")
    codes = inner + (1 if below.any() else 0)
    if below.any():
        labels.insert(0, f"< {_bound(edges[0])}")
        codes = np.where(below, 0, codes)
    if above.any():
        codes = np.where(above, len(labels), codes)
        labels.append(f"> {_bound(edges[-1])}")
    if missing.any():
        codes = np.where(missing, len(labels), codes)
        labels.append(np.nan)
    return codes.astype(np.int64), pd.Index(labels, dtype=object, name=name)


def _resolve_one(
    by: Any,
    get_column: Callable[[Hashable], pd.Series],
    index: pd.Index,
    max_numeric_levels: int,
) -> tuple[np.ndarray, pd.Index]:
    if isinstance(by, Bins):
        return _bin(get_column(by.column), by)
    if isinstance(by, (pd.Series, np.ndarray, pd.Index)):
        values = align_to_rows(by, index, argument="by")
        name = values.name if values.name is not None else "slice"
    else:
        values = get_column(by)
        name = by
    if is_numeric(values) and values.nunique(dropna=True) > max_numeric_levels:
        return _bin(values.rename(name), Bins(name))
    return _factorize(values, name)


def resolve_slices(
    by: Any,
    get_column: Callable[[Hashable], pd.Series],
    index: pd.Index,
    *,
    max_groups: int = DEFAULT_MAX_GROUPS,
    max_numeric_levels: int = DEFAULT_MAX_NUMERIC_LEVELS,
) -> SliceSet:
    """Resolve a grouping specification into a :class:`SliceSet`.

    Parameters
    ----------
    by : None, column name, Bins, 1-D values, or a list of those
        See the module docstring.
    get_column : callable
        Returns the column of that name as a Series (raises ColumnNotFoundError if absent).
    index : pandas.Index
        X's index: values given as a Series are aligned to it by label.
    max_groups : int, default 250
        More slices than this raise :class:`TooManyGroupsError`.
    max_numeric_levels : int, default 10
        Numeric columns with more distinct values are cut into quartiles.

    Returns
    -------
    SliceSet
    """
    n_rows = len(index)
    if by is None:
        return SliceSet.from_codes(np.zeros(n_rows, dtype=np.int64), pd.Index(["overall"]))
    if isinstance(by, pd.DataFrame):  # several columns of values: their intersections
        by = [by[column] for column in by.columns]
    if (
        isinstance(by, (list, tuple))
        and len(by) == n_rows
        and all(isinstance(v, (bool, np.bool_)) for v in by)
    ):
        by = pd.Series(np.asarray(by, dtype=bool), index=index, name="mask")  # a list mask
    parts = list(by) if isinstance(by, (list, tuple)) else [by]
    if not parts:
        raise ValidationError("by is an empty list; pass None for the whole data.")
    resolved = [_resolve_one(p, get_column, index, max_numeric_levels) for p in parts]
    for (_, labels), part in zip(resolved, parts, strict=True):
        if len(labels) > max_groups:
            shown = part.column if isinstance(part, Bins) else labels.name
            raise TooManyGroupsError(
                f"{shown!r} has {len(labels)} distinct values, more than max_groups="
                f"{max_groups} slices can show usefully. Group rare values together, "
                "slice by Bins(...) for a numeric column, or raise max_groups."
            )
    if len(resolved) == 1:
        codes, labels = resolved[0]
        return SliceSet.from_codes(codes, labels)
    combined = np.zeros(n_rows, dtype=np.int64)
    cells = 1
    for codes, labels in resolved:
        combined = combined * (len(labels) + 1) + codes
        cells *= len(labels) + 1
    if cells <= max(4 * n_rows, 1 << 16):  # count the cells: linear, no sort
        observed = np.flatnonzero(np.bincount(combined, minlength=cells))
        lookup = np.zeros(cells, dtype=np.int64)
        lookup[observed] = np.arange(len(observed))
        inverse = lookup[combined]
    else:
        observed, inverse = np.unique(combined, return_inverse=True)
    if len(observed) > max_groups:
        raise TooManyGroupsError(
            f"The intersection of {[lab.name for _, lab in resolved]} has {len(observed)} "
            f"slices, more than max_groups={max_groups}. Use fewer or coarser columns, or "
            "raise max_groups."
        )
    level_codes = []
    remainder = observed
    for _, labels in reversed(resolved):
        level_codes.append(remainder % (len(labels) + 1))
        remainder = remainder // (len(labels) + 1)
    level_codes.reverse()
    levels = []
    for position, (_, labels) in enumerate(resolved):
        if len(labels) and pd.isna(labels[-1]):  # MultiIndex levels hold NaN as code -1
            last = len(labels) - 1
            level_codes[position] = np.where(
                level_codes[position] == last, -1, level_codes[position]
            )
            labels = labels[:-1]
        levels.append(labels)
    index = pd.MultiIndex(
        levels=levels,
        codes=level_codes,
        names=[labels.name for _, labels in resolved],
        verify_integrity=False,
    )
    return SliceSet.from_codes(inverse.ravel(), index)


def labels_like(
    values: pd.Series,
    reference: pd.Series,
    *,
    max_numeric_levels: int = DEFAULT_MAX_NUMERIC_LEVELS,
) -> pd.Series:
    """Other rows' values of a column, named as the slices of ``reference`` name theirs.

    A numeric column with many values is cut into ``reference``'s quartile bins (the labels
    :func:`resolve_slices` gives it, "17–28"); values beyond them read "< 17" and "> 90";
    any other column keeps its values. Used to put training rows into the groups of the
    evaluation data.

    Parameters
    ----------
    values : pandas.Series
        The other rows' values of the column.
    reference : pandas.Series
        The column in the rows the slices were made on (the evaluation data).
    max_numeric_levels : int, default 10
        As in :func:`resolve_slices`.

    Returns
    -------
    pandas.Series
        Indexed like ``values``; missing values stay missing.

    Examples
    --------
    >>> reference = pd.Series(range(17, 91), name="age")
    >>> labels_like(pd.Series([17, 30, 95]), reference).tolist()
    ['17–35', '17–35', '> 90']
    """
    if not (is_numeric(reference) and reference.nunique(dropna=True) > max_numeric_levels):
        return values.astype(object)
    name = reference.name if reference.name is not None else "slice"
    numbers = reference.to_numpy(dtype=float, na_value=np.nan)
    present = numbers[~np.isnan(numbers)]
    edges = np.unique(np.quantile(present, np.linspace(0.0, 1.0, DEFAULT_QUANTILES + 1)))
    n_bins = max(len(edges) - 1, 1)
    labels = list(_bin(reference.rename(name), Bins(name))[1])[:n_bins]
    other = values.to_numpy(dtype=float, na_value=np.nan)
    inner = np.clip(np.searchsorted(edges, other, side="left") - 1, 0, n_bins - 1)
    out = np.asarray(labels, dtype=object)[inner]
    out[other < edges[0]] = f"< {_bound(edges[0])}"
    out[other > edges[-1]] = f"> {_bound(edges[-1])}"
    out[np.isnan(other)] = np.nan
    return pd.Series(out, index=values.index, name=values.name, dtype=object)
