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
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.examples import rank_examples
from rai_widgets.compute.table import ColumnOrder
from rai_widgets.core.errors import ValidationError

__all__ = [
    "MAX_SLICE_VALUES",
    "MAX_SORTED_COLUMNS",
    "QUERIES",
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
def query_applies(session: Any, kind: str) -> bool:
    """Whether the query ``kind`` (a key of :data:`QUERIES`) makes sense for this session."""
    if kind == "confident_errors":
        return session.has_y and session.task_ != "regression"
    if kind == "large_errors":
        return session.has_y and session.task_ == "regression"
    return True


def slice_options(session: Any) -> list[tuple[str, Any]]:
    """``(label, value)`` of every one-column slice the browser offers: "all rows" (value
    ``""``) and each value of each sensitive feature with at most 30 values (value
    ``((column, value),)``)."""
    options: list = [("all rows", "")]
    for column in session.sensitive_features_:
        values = session.column(column)
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


def page_frame(session: Any, positions: np.ndarray, columns: list | None = None) -> pd.DataFrame:
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
    X = session.frame
    preds = session.predictions()
    if columns is None:  # every column (a page of the browser): X's, then the predictions'
        own = [c for c in preds.columns if c not in X.columns]  # X's wins a shared name
        parts = [X.iloc[positions], preds.iloc[positions]]
        if len(own) < len(preds.columns):
            parts[1] = parts[1][own]
        at = pd.RangeIndex(len(positions))  # labels may repeat in X's index: joined on positions
        frame = pd.concat([part.set_axis(at) for part in parts], axis=1)
        return frame.set_axis(X.index[positions])
    wanted = columns
    sources = [_column_source(X, preds, column) for column in wanted]
    names = list(dict.fromkeys(column for _, column in sources))  # X's wins a shared name
    parts = []
    for source in (X, preds):  # only the page's rows are copied, once per source
        mine = [column for column in names if any(s is source and c == column for s, c in sources)]
        if mine:
            rows = source.iloc[positions]
            rows = rows if mine == list(source.columns) else rows[mine]
            parts.append(rows.set_axis(pd.RangeIndex(len(positions))))
    if not parts:
        parts = [pd.DataFrame(index=pd.RangeIndex(len(positions)))]
    elif len(parts) > 1:  # labels may repeat in X's index: joined on positions
        parts = [pd.concat(parts, axis=1)]
    frame = parts[0] if list(parts[0].columns) == names else parts[0][names]
    return frame.set_axis(X.index[positions])


def column_values(session: Any, column: Hashable) -> pd.Series:
    """One column of the table (X's, else the predictions'), every row, without a copy.

    Raises
    ------
    ValidationError
        A column that is in neither.
    """
    source, name = _column_source(session.frame, session.predictions(), column)
    return source[name]


def _ranked(session: Any, candidates: np.ndarray, kind: str) -> np.ndarray:
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
        ambiguity = session.ambiguity(preds, 0.5)
        arrays = {k: v for k, v in ambiguity.items() if k != "threshold"}
    positions, _ = rank_examples(kind, candidates=candidates, **arrays)
    return positions


def row_order(
    session: Any,
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
    with session.consistent() as state:
        mask = None if slice is None else session.slice_mask(slice)
        if query:
            every = np.arange(session.n_rows_) if mask is None else np.flatnonzero(mask)
            candidates = _ranked(session, every, query)
        if sort_by == "":
            if query:
                return candidates
            return np.arange(session.n_rows_) if mask is None else np.flatnonzero(mask)
        column = _column_order(session, sort_by, {} if keys is None else keys, state.model)
    if query:
        return column.sort(candidates, ascending=ascending)
    return column.rows(mask, ascending=ascending)


def _column_order(
    session: Any, sort_by: Hashable, keys: MutableMapping, model_state: Any
) -> ColumnOrder:
    """The cached :class:`ColumnOrder` of ``sort_by`` (built if new, or if the model changed
    since); the cache keeps the columns used last."""
    values = column_values(session, sort_by)
    # X never changes; a prediction column changes with the model's fitted state
    token = None if sort_by in session.frame.columns else model_state
    entry = keys.pop(sort_by, None)
    if entry is None or entry[0] != token:
        entry = (token, ColumnOrder(values))
    keys[sort_by] = entry  # last used last
    while len(keys) > MAX_SORTED_COLUMNS:
        del keys[next(iter(keys))]
    return entry[1]
