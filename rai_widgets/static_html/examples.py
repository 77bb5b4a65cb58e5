"""The example browser as static HTML: a page of rows with the model's answers, and one row's
details (the verdict, the plain-language reading and waterfall, similar real cases).

The order of the rows (a slice, a query, a sort) and a page's frame come from
:mod:`rai_widgets.views.example_rows`, re-exported here for the widget.

Examples
--------
>>> import rai_widgets as rw
>>> from rai_widgets.static_html import examples
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> page = examples.view_html(s, page_size=5, sort_by="age")
>>> "3,000 rows match" in page and page.count("<tr>") == 6
True
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.table import page_count, page_of
from rai_widgets.display.effects import EffectsDisplay
from rai_widgets.formatting_kinds import column_kind
from rai_widgets.static_html.explanation import case_html
from rai_widgets.static_html.page import escape, part_html, safe, table
from rai_widgets.static_html.recourse import recourse_html
from rai_widgets.views.case import CaseModel, SimilarCases, case_model
from rai_widgets.views.example_rows import (
    QUERIES,
    PageColumns,
    column_values,
    page_frame,
    query_applies,
    row_order,
    slice_options,
)

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "ANSWER",
    "HEADERS",
    "QUERIES",
    "TECHNICAL",
    "PageColumns",
    "cell",
    "column_kinds",
    "column_values",
    "detail_html",
    "page_cells",
    "page_cells_at",
    "page_frame",
    "page_table",
    "pinned_html",
    "query_applies",
    "row_order",
    "similar_html",
    "slice_options",
    "small_table",
    "status_html",
    "view_html",
    "what_if_html",
]

#: Prediction columns hidden in presenter mode (with every ``proba_*``).
TECHNICAL = ("score",)
#: Table headers a reader understands.
HEADERS = {"y_pred": "prediction", "y_true": "actual"}

#: The model's answer, shown right after the row label (a reader should not scroll for it).
ANSWER = ("y_pred", "y_true", "confidence", "residual")
_REPEATED = (str, int, bool, np.int64, np.bool_)  # cell texts worth remembering within a page


def cell(value: Any, kind: str | None = None) -> str:
    """A table cell as text: yes/no, numbers to three decimals (whole above 1,000), missing;
    a year or an identifier (``kind``, see :func:`column_kinds`) without separators.

    Examples
    --------
    >>> cell(0.87654), cell(12345.6), cell(True), cell(float("nan")), cell(7)
    ('0.877', '12,346', 'yes', 'missing', '7')
    >>> cell(2007, "year"), cell(2007.0, "year"), cell(1191, "identifier")
    ('2007', '2007', '1191')
    """
    if kind in ("year", "identifier"):
        return formatting.value(value, kind)
    if isinstance(value, (float, np.floating)) and not formatting.is_missing(value):
        return formatting.number(value, decimals=3 if abs(float(value)) < 1000 else 0)
    return formatting.value(value)


def column_kinds(session: ModelSession) -> dict:
    """What each column of the browser holds (``formatting_kinds.column_kind``): X's columns
    by name (and values, for a date-ish name), the identifier columns always "identifier"."""
    kinds = {c: column_kind(c, session.core.frame[c]) for c in session.core.frame.columns}
    kinds.update({c: "identifier" for c in session.core.identifiers().columns})
    return kinds


def _cells(
    labels: pd.Index, names: list, arrays: list, shown: list, kinds: dict | None
) -> list[list[str]]:
    """Rows of cell texts: the row label, then the ``shown`` columns of ``names`` (their page
    values in ``arrays``), each column's values in its own dtype (an integer column stays
    whole) and read by its kind."""
    kinds = kinds or {}
    where = {column: i for i, column in enumerate(names)}
    texts: dict = {}  # a page repeats its categories: each text and integer is written once

    def text(value: Any, kind: str | None) -> str:
        if type(value) not in _REPEATED:
            return cell(value, kind)
        key = (type(value), value, kind)
        if key not in texts:
            texts[key] = cell(value, kind)
        return texts[key]

    def column_texts(values: Any, kind: str | None) -> list[str]:
        # what cell() writes, a whole column at a time where the dtype says it all
        if isinstance(values, list):  # Arrow text (PageColumns.take): written as it is
            return [v if type(v) is str else text(v, kind) for v in values]
        if isinstance(values.dtype, pd.StringDtype):  # text is written as it is
            return [v if type(v) is str else text(v, kind) for v in values.tolist()]
        if not isinstance(values.dtype, np.dtype):  # nullable ints stay ints, NA stays NA
            return [text(v, kind) for v in values.astype(object).tolist()]
        values = np.asarray(values)
        plain = kind in (None, "number")
        if values.dtype.kind == "f" and plain and np.isfinite(values).all():
            return [f"{v:,.3f}" if abs(v) < 1000 else f"{v:,.0f}" for v in values.tolist()]
        if values.dtype.kind in "iu":
            whole = "{:,}" if plain else "{}"
            return [whole.format(v) for v in values.tolist()]
        if values.dtype.kind == "b":
            return ["yes" if v else "no" for v in values.tolist()]
        return [text(v, kind) for v in values]

    columns = [column_texts(arrays[where[c]], kinds.get(c)) for c in shown]
    row_labels = [formatting.row_label(key) for key in labels]
    return [[label, *(column[i] for column in columns)] for i, label in enumerate(row_labels)]


def _frame_arrays(frame: pd.DataFrame) -> tuple[pd.Index, list, list]:
    """A frame as :func:`_cells` reads it: labels, column names, and each column's array."""
    return frame.index, list(frame.columns), [series.array for _, series in frame.items()]


def small_table(frame: pd.DataFrame, kinds: dict | None = None) -> str:
    """A frame as a small HTML table, its index as the first column ("row", the labels as
    typed to pick a row, :func:`~rai_widgets.formatting.row_label`), every cell escaped;
    ``kinds`` (column -> kind, :func:`column_kinds`) writes years and identifiers without
    separators."""
    labels, names, arrays = _frame_arrays(frame)
    rows = _cells(labels, names, arrays, names, kinds)
    return table(["row", *(str(c) for c in frame.columns)], rows, css="rai-small-table")


# -- the page -----------------------------------------------------------------------------------
def _shown(names: list, presenter: bool) -> list:
    answer = [c for c in ANSWER if c in names]
    rest = [c for c in names if c not in answer and c != "correct"]
    if presenter:
        rest = [c for c in rest if c not in TECHNICAL and not str(c).startswith("proba_")]
    return answer + rest


def page_cells(
    frame: pd.DataFrame, *, presenter: bool = False, kinds: dict | None = None
) -> tuple[list, list, list]:
    """What the live table shows of a page: headers, rows of cell texts, and error flags.

    The model's answer comes first, next to the row label (a reader should not scroll right
    to find it); presenter mode leaves out the raw scores (:data:`TECHNICAL`, ``proba_*``).
    ``kinds`` (column -> kind, :func:`column_kinds`) writes years and identifiers without
    thousands separators.

    Returns
    -------
    columns : list of str
    rows : list of list of str
    flags : list of bool
        True for a row the model gets wrong.
    """
    return _page_cells(*_frame_arrays(frame), presenter=presenter, kinds=kinds)


def page_cells_at(
    columns: PageColumns,
    positions: np.ndarray,
    *,
    presenter: bool = False,
    kinds: dict | None = None,
) -> tuple[list, list, list]:
    """:func:`page_cells` of the rows at ``positions``, taken straight from ``columns`` (the
    live table's way: no frame is built for a page).

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
    >>> rows = [3, 1]
    >>> page_cells_at(PageColumns(s), np.array(rows)) == page_cells(page_frame(s, rows))
    True
    """
    labels, arrays = columns.take(positions)
    return _page_cells(labels, columns.names, arrays, presenter=presenter, kinds=kinds)


def _page_cells(
    labels: pd.Index, names: list, arrays: list, *, presenter: bool, kinds: dict | None
) -> tuple[list, list, list]:
    shown = _shown(names, presenter)
    headers = ["row", *(HEADERS.get(c, str(c)) for c in shown)]
    rows = _cells(labels, names, arrays, shown, kinds)
    where = {column: i for i, column in enumerate(names)}  # a repeated name: its last column
    if "correct" in where:
        flags = (~np.asarray(arrays[where["correct"]], dtype=bool)).tolist()
    else:
        flags = [False] * len(labels)
    return headers, rows, flags


def page_table(frame: pd.DataFrame, *, presenter: bool = False, kinds: dict | None = None) -> str:
    """A page as the static picture shows it: the live table's columns in the live table's
    order (:func:`page_cells`), as an escaped HTML table."""
    columns, rows, _ = page_cells(frame, presenter=presenter, kinds=kinds)
    return table(columns, rows, css="rai-small-table")


def status_html(n_rows: int, *, page: int, page_size: int) -> str:
    """The line under the controls: rows matching, the page, and what a click does."""
    pages = page_count(n_rows, page_size)
    return (
        f'<span class="rai-muted">{formatting.count(n_rows)} rows match · page '
        f"{formatting.count(page + 1)} of {formatting.count(pages)} · click a row for "
        "details, a header to sort</span>"
    )


def detail_html(case: CaseModel, kinds: dict | None = None) -> str:
    """One case's detail pane (:func:`~rai_widgets.views.case.case_model`): the verdict, the
    reading and waterfall, how its answer moves with one feature, what would change its answer
    (counterfactuals), and similar real cases; a part that failed shows its error in place.

    Parameters
    ----------
    case : CaseModel
        The case's detail pane, computed.
    kinds : dict, optional
        Column kinds (:func:`column_kinds`) for the similar cases' cells.

    Returns
    -------
    str
    """
    css = "rai-verdict rai-wrong" if case.wrong else "rai-verdict"
    parts = [
        '<div class="rai-detail">',
        f"<h4>{escape(case.title)}</h4>",
        f'<div class="{css}">{escape(case.verdict)}</div>',
        part_html(case.reading, lambda text: f"<p>{escape(text)}</p>"),
        part_html(case.explanation, case_html),
        part_html(
            case.effect,
            lambda effects: (
                '<div class="rai-effects rai-case-effect">'
                f"{EffectsDisplay.from_data(effects).to_svg()}</div>"
            ),
        ),
        part_html(case.recourse, recourse_html),
        part_html(case.similar, lambda similar: similar_html(similar, kinds)),
        "</div>",
    ]
    return "".join(parts)


def similar_html(similar: SimilarCases, kinds: dict | None = None) -> str:
    """The "Similar real cases" of a row: the model's answer next to each row label, then the
    distance, then X's columns, those that drove this case's prediction first."""
    frame = similar.frame
    headers = ["row", *(HEADERS.get(c, str(c)) for c in frame.columns)]
    rows = _cells(*_frame_arrays(frame), list(frame.columns), kinds or {})
    return (
        f"<h4>Similar real cases</h4><p>{escape(similar.summary)}</p>"
        f"{table(headers, rows, css='rai-small-table')}"
        f'<p class="rai-muted">{escape(similar.note)}</p>'
    )


def what_if_html(result: Any) -> str:
    """The answer of a what-if (``ModelSession.what_if``) as a verdict box."""
    return f'<div class="rai-verdict">{escape(result.summary)}</div>'


def pinned_html(test_cases: Any) -> str:
    """The note after pinning a row to a :class:`~rai_widgets.TestCases` set."""
    n = len(test_cases)
    return (
        f'<span class="rai-muted">Pinned: {n} {"case" if n == 1 else "cases"} in '
        f'"{escape(test_cases.name)}".</span>'
    )


def view_html(
    session: ModelSession,
    *,
    page: int = 0,
    page_size: int = 20,
    query: str = "",
    slice: Any = None,
    sort_by: Hashable = "",
    ascending: bool = True,
    selected_row: Hashable | None = None,
    presenter: bool = False,
) -> str:
    """The example browser as static HTML: the status line, one page, and a row's details.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    page, page_size : int
        Which page (0-based; clamped to the last) of how many rows.
    query, slice, sort_by, ascending
        The rows and their order (see :func:`row_order`).
    selected_row : label of X's index, optional
        A row whose details follow the page.
    presenter : bool, default False
        Leave out the raw scores, as presenter mode does.

    Returns
    -------
    str
        What ``ExampleBrowser.static_html()`` shows in the same state.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
    >>> page = view_html(s, query="confident_errors", page_size=3, selected_row=0)
    >>> "Similar real cases" in page and "<script" not in page
    True
    """
    order = row_order(session, query=query, slice=slice, sort_by=sort_by, ascending=ascending)
    page = min(page, page_count(len(order), page_size) - 1)
    frame = page_frame(session, page_of(order, page=page, page_size=page_size))
    parts = [status_html(len(order), page=page, page_size=page_size)]
    parts.append(page_table(frame, presenter=presenter, kinds=column_kinds(session)))
    if selected_row is not None:
        kinds = column_kinds(session)
        parts.append(safe(lambda: detail_html(case_model(session, selected_row), kinds)))
    return "".join(parts)
