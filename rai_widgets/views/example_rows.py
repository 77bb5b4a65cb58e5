"""Which rows the example browser shows, in which order, and the frame of one page.

A slice (a mask), a query (ranked positions: confident errors, ambiguous cases, largest errors)
and a sort by any column of X or of the predictions give the ordered row positions; a page is
a slice of them, and :func:`page_frame` copies only that page's rows. The widget, the export
and tests all page through the same rows.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> order = row_order(s, sort_by="age")
>>> page_frame(s, order[:3])["age"].tolist() == sorted(X["age"])[:3]
True
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.examples import rank_examples
from rai_widgets.compute.table import ColumnOrder
from rai_widgets.core.errors import ValidationError
from rai_widgets.session.examples import ambiguity

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "MAX_SLICE_VALUES",
    "MAX_SORTED_COLUMNS",
    "QUERIES",
    "PageColumns",
    "column_values",
    "page_frame",
    "query_applies",
    "row_order",
    "slice_options",
]

#: The queries of the "Show" picker: key -> what it reads as.
QUERIES = {
    "": "all rows",
    "confident_errors": "confident errors",
    "ambiguous": "ambiguous (near the boundary)",
    "large_errors": "largest errors",
}
MAX_SLICE_VALUES = 30  # a sensitive feature with more values offers no slices in the picker
MAX_SORTED_COLUMNS = 4  # sorted orders kept per browser (two arrays of row positions each)


# -- which rows, in which order -------------------------------------------------------------------
def query_applies(session: ModelSession, kind: str) -> bool:
    """Whether the query ``kind`` (a key of :data:`QUERIES`) makes sense for this session."""
    if kind == "confident_errors":
        return session.core.has_y and session.task_ != "regression"
    if kind == "large_errors":
        return session.core.has_y and session.task_ == "regression"
    return True


def slice_options(session: ModelSession) -> list[tuple[str, Any]]:
    """``(label, value)`` of every one-column slice the browser offers: "all rows" (value
    ``""``) and each value of each sensitive feature with at most 30 values (value
    ``((column, value),)``)."""
    options: list = [("all rows", "")]
    for column in session.sensitive_features_:
        values = session.core.column(column)
        if values.nunique() > MAX_SLICE_VALUES:
            continue
        for value in sorted(values.dropna().unique().tolist(), key=str):
            options.append((f"{column} = {formatting.label(value)}", ((column, value),)))
    return options


def _column_source(X: pd.DataFrame, preds: pd.DataFrame, column: Any) -> Any:
    """Where a table column comes from: ``(frame, name)``; X wins over the predictions."""
    if column not in X.columns and column not in preds.columns:
        by_text = {str(c): c for c in [*X.columns, *preds.columns]}
        column = by_text.get(str(column), column)
    source = preds if column in preds.columns and column not in X.columns else X
    if column not in source.columns:
        raise ValidationError(
            f"sort_by={column!r} is not a column of the table; choose from "
            f"{list(X.columns) + list(preds.columns)}."
        )
    return source, column


class PageColumns:
    """The browser's columns as arrays a page is taken from: the identifiers (optionally),
    X's columns, then the predictions' (X's wins a shared name).

    Built once per model state, it makes a page cost one ``take`` of each column: no frame of
    every row is copied, aligned or indexed per page.

    Parameters
    ----------
    session : ModelSession
        The model and data (its predictions must be computed or computable now).
    identifiers : bool, default True
        Put the session's identifier columns first (the live view); the saved picture leaves
        them out.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
    >>> columns = PageColumns(s)
    >>> labels, values = columns.take(np.array([2, 0]))
    >>> columns.names[:3], values[1].tolist() == X["age"].iloc[[2, 0]].tolist()
    (['year', 'age', 'y_true'], True)
    """

    def __init__(self, session: ModelSession, *, identifiers: bool = True) -> None:
        X = session.core.frame
        preds = session.predictions()
        frames = [session.core.identifiers(), X] if identifiers else [X]
        pairs = [(name, values) for frame in frames for name, values in frame.items()]
        pairs += [(name, values) for name, values in preds.items() if name not in X.columns]
        #: Column names, in the table's order.
        self.names: list = [name for name, _ in pairs]
        self._dtypes = [values.dtype for _, values in pairs]
        self._arrays = [_page_source(values) for _, values in pairs]
        self._arrow = [_is_arrow_text(values.dtype) for _, values in pairs]
        self._index = X.index

    def take(self, positions: np.ndarray) -> tuple[pd.Index, list]:
        """The rows at ``positions``: their labels in X's index, and each column's values in
        the order of :attr:`names`: a numpy or pandas array, or for Arrow-backed text a list
        of str (None where missing)."""
        values = [
            array.take(positions).to_pylist() if arrow else array.take(positions)
            for array, arrow in zip(self._arrays, self._arrow, strict=True)
        ]
        return self._index[positions], values

    def frame(self, positions: np.ndarray) -> pd.DataFrame:
        """The rows at ``positions`` as a frame indexed by X's labels, in the data's dtypes."""
        labels, values = self.take(positions)
        arrays = {
            i: pd.array(page, dtype=dtype) if isinstance(page, list) else page
            for i, (page, dtype) in enumerate(zip(values, self._dtypes, strict=True))
        }
        frame = pd.DataFrame(arrays, index=labels, copy=False)
        frame.columns = pd.Index(self.names)
        return frame


def _page_source(values: pd.Series) -> Any:
    """What a page of ``values`` is taken from: a numpy array (one fancy index), the Arrow
    array of Arrow-backed text (taken by pyarrow itself, five times faster than through
    pandas), else the pandas array."""
    if isinstance(values.dtype, np.dtype):
        return values.to_numpy()
    if _is_arrow_text(values.dtype):
        return values.array.__arrow_array__()  # the Arrow protocol: no copy
    return values.array


def _is_arrow_text(dtype: Any) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def page_frame(
    session: ModelSession, positions: np.ndarray, columns: list | None = None
) -> pd.DataFrame:
    """X's rows at ``positions`` next to their predictions (only ``columns`` when given).

    Only the rows asked for are copied (a page of a million rows costs what the page costs).

    Parameters
    ----------
    session : ModelSession
        The model and data.
    positions : numpy.ndarray
        Row positions.
    columns : list, optional
        Columns of X or of ``session.predictions()`` (a column named 3 may be asked for as
        "3", as a table header shows it).

    Returns
    -------
    pandas.DataFrame
        Indexed by X's labels.

    Raises
    ------
    ValidationError
        A column that is in neither.
    """
    if columns is None:  # every column (a page of the browser): X's, then the predictions'
        return PageColumns(session, identifiers=False).frame(positions)
    X = session.core.frame
    preds = session.predictions()
    sources = [_column_source(X, preds, column) for column in columns]
    data = {name: source[name].array.take(positions) for source, name in sources}
    return pd.DataFrame(data, index=X.index[positions], copy=False)


def column_values(session: ModelSession, column: Hashable) -> pd.Series:
    """One column of the table (X's, else the predictions'), every row, without a copy.

    Raises
    ------
    ValidationError
        A column that is in neither.
    """
    source, name = _column_source(session.core.frame, session.predictions(), column)
    return source[name]


def _ranked(session: ModelSession, candidates: np.ndarray, kind: str) -> np.ndarray:
    if kind not in QUERIES or not query_applies(session, kind):
        raise ValidationError(f"query must be one of {list(QUERIES)}; got {kind!r}.")
    preds = session.predictions()
    if kind == "confident_errors":
        arrays = {
            "correct": preds["correct"].to_numpy(),
            "confidence": preds["confidence"].to_numpy(),
        }
    elif kind == "large_errors":
        arrays = {"abs_error": np.abs(preds["residual"].to_numpy())}
    else:
        margins = ambiguity(session.core, preds, 0.5)
        arrays = {k: v for k, v in margins.items() if k != "threshold"}
    positions, _ = rank_examples(kind, candidates=candidates, **arrays)
    return positions


def row_order(
    session: ModelSession,
    *,
    query: str = "",
    slice: Any = None,
    sort_by: Hashable = "",
    ascending: bool = True,
    keys: MutableMapping | None = None,
) -> np.ndarray:
    """Positions of the rows the browser shows, in order.

    A sort keeps ties in row order (in the query's order for a query) and missing values
    last, in both directions.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    query : str, default ""
        A key of :data:`QUERIES` ("" for all rows, in the data's order).
    slice : dict or mask, optional
        Only the rows of this slice (``{"sex": "Female"}``).
    sort_by : column name, default ""
        Sort by this column of X or of the predictions ("" for no sort).
    ascending : bool, default True
        Sort direction.
    keys : dict, optional
        A cache of sorted orders per column (:class:`~rai_widgets.compute.table.ColumnOrder`),
        kept by the caller between calls: a column sorted before costs no sort again.

    Returns
    -------
    numpy.ndarray
        Read-only when it is a cached order.
    """
    with session.core.consistent() as state:
        mask = None if slice is None else session.core.slice_mask(slice)
        if query:
            every = np.arange(session.core.n_rows_) if mask is None else np.flatnonzero(mask)
            candidates = _ranked(session, every, query)
        if sort_by == "":
            if query:
                return candidates
            return np.arange(session.core.n_rows_) if mask is None else np.flatnonzero(mask)
        column = _column_order(session, sort_by, {} if keys is None else keys, state.model)
    if query:
        return column.sort(candidates, ascending=ascending)
    return column.rows(mask, ascending=ascending)


def _column_order(
    session: ModelSession, sort_by: Hashable, keys: MutableMapping, model_state: Any
) -> ColumnOrder:
    """The cached :class:`ColumnOrder` of ``sort_by`` (built if new, or if the model changed
    since); the cache keeps the columns used last."""
    values = column_values(session, sort_by)
    # X never changes; a prediction column changes with the model's fitted state
    token = None if sort_by in session.core.frame.columns else model_state
    entry = keys.pop(sort_by, None)
    if entry is None or entry[0] != token:
        entry = (token, ColumnOrder(values))
    keys[sort_by] = entry  # last used last
    while len(keys) > MAX_SORTED_COLUMNS:
        del keys[next(iter(keys))]
    return entry[1]
