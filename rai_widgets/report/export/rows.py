"""The example rows of an HTML export: formatted, ordered, capped per slice and encoded as JSON.

Every cell is formatted in Python (as the widgets format it) and stored once per distinct text:
each column is a list of distinct display strings plus one integer code per included row. That
keeps a census-like table (Adult: 48,842 rows x 19 columns) at 3.4 MB instead of about 10 MB of
repeated strings. The rows of each slice are ordered so that the informative ones come first,
and a per-slice cap keeps the file within its size budget.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target)
>>> table = build_example_table(s, None, 0, {})
>>> table.totals, table.order_text
([3000], 'largest errors first')
>>> [column.header for column in table.columns]
['row', 'actual', 'prediction', 'error (actual − prediction)', 'year', 'age']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.formatting import MISSING, NOT_AVAILABLE, chance, is_missing
from rai_widgets.formatting import value as value_text

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "ExampleColumn",
    "ExampleTable",
    "build_example_table",
    "cell_text",
    "confidence_text",
    "row_label",
]

OUTPUT_CLASS = "rai-x-out"


def cell_text(value: Any) -> str:
    """A cell as the widgets show it, but whole numbers under 10,000 without a separator.

    Years, ages and counts read better as 2003 than as 2,003.

    Examples
    --------
    >>> cell_text(2003), cell_text(77516), cell_text(2.0), cell_text("Male")
    ('2003', '77,516', '2', 'Male')
    """
    if isinstance(value, (bool, np.bool_)):
        return value_text(value)
    if isinstance(value, (int, np.integer)) and abs(int(value)) < 10_000:
        return str(int(value))
    if (
        isinstance(value, (float, np.floating))
        and np.isfinite(value)
        and float(value).is_integer()
        and abs(float(value)) < 10_000
    ):
        return str(int(value))
    return value_text(value)


def confidence_text(confidence: Any) -> str:
    """A row's confidence as a plain chance ("72%", "under 1%"); "–" when there is none.

    Examples
    --------
    >>> confidence_text(0.724), confidence_text(0.999), confidence_text(float("nan"))
    ('72%', 'over 99%', '–')
    """
    if confidence is None or not np.isfinite(float(confidence)):
        return NOT_AVAILABLE
    return chance(float(confidence))


def row_label(label: Any) -> str:
    """A row label as text, "missing" for a missing value.

    Examples
    --------
    >>> row_label(float("nan")), row_label(3), row_label(("a", 1))
    ('missing', '3', "('a', 1)")
    """
    return MISSING if is_missing(label) else str(label)


def _encode(values: Any, fmt: Callable[[Any], str]) -> tuple[np.ndarray, np.ndarray]:
    """Codes into distinct display strings: format each distinct raw value once."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=False)
    texts = [fmt(u) for u in uniques]
    if (codes < 0).any():  # a categorical dtype may still mark missing values with -1
        texts.append(MISSING)
        codes = np.where(codes < 0, len(texts) - 1, codes)
    text_codes, text_uniques = pd.factorize(pd.Index(texts, dtype=object))
    return np.asarray(text_codes[codes], dtype=np.int64), np.asarray(text_uniques, dtype=object)


@dataclass
class ExampleColumn:
    """One column of the example table: header, CSS class, and its cells as codes into texts."""

    header: str  # unescaped: escaped where it is written into HTML
    css: str
    codes: np.ndarray  # one code per row of the session
    values: np.ndarray  # display strings


@dataclass
class ExampleTable:
    """All rows of a session ready to be written, ordered and grouped by slice.

    Attributes
    ----------
    columns : list
        Header, CSS class, codes and display strings of each column.
    wrong : numpy.ndarray or None
        Wrong predictions (classification with y), shaded in the table.
    order : numpy.ndarray
        Row positions, most informative first.
    order_text : str
        How ``order`` was chosen, in words.
    slice_rows : list of numpy.ndarray
        For "all rows" then each slice: its row positions in the order of ``order``.
    """

    columns: list[ExampleColumn]
    wrong: np.ndarray | None
    order: np.ndarray
    order_text: str
    slice_rows: list[np.ndarray]

    @property
    def totals(self) -> list[int]:
        """Number of rows of each slice ("all rows" first)."""
        return [len(rows) for rows in self.slice_rows]

    def rows_included(self, cap: int | None) -> list[int]:
        """Rows written for each slice under a per-slice ``cap`` (None: no cap)."""
        return [n if cap is None else min(cap, n) for n in self.totals]

    def headers_html(self, escape: Callable[[str], str]) -> str:
        """The ``<th>`` cells of the table, escaped with ``escape``."""
        cells = []
        for column in self.columns:
            css = f' class="{column.css}"' if column.css else ""
            cells.append(f'<th scope="col"{css}>{escape(column.header)}</th>')
        return "".join(cells)

    def payload(self, cap: int | None, slice_texts: list[dict[str, Any]]) -> dict[str, Any]:
        """The JSON data of the file: only the rows that some slice shows under ``cap``."""
        rank = np.empty(len(self.order), dtype=np.int64)
        rank[self.order] = np.arange(len(self.order))
        kept = [rows if cap is None else rows[:cap] for rows in self.slice_rows]
        kept_ranks = np.unique(np.concatenate([rank[rows] for rows in kept]))
        included = self.order[kept_ranks]
        columns, codes = [], []
        for column in self.columns:
            used, inverse = np.unique(column.codes[included], return_inverse=True)
            columns.append({"values": column.values[used].tolist(), "cls": column.css})
            codes.append(inverse.tolist())
        slices = []
        for g, (rows, texts) in enumerate(zip(kept, slice_texts, strict=True)):
            entry = dict(texts)
            if g == 0:
                # "all rows" keeps the first ranks: they are the first included rows
                entry["first"] = len(rows)
            else:
                entry["rows"] = np.searchsorted(kept_ranks, rank[rows]).tolist()
            slices.append(entry)
        wrong = None if self.wrong is None else self.wrong[included].astype(int).tolist()
        return {"columns": columns, "codes": codes, "wrong": wrong, "slices": slices}


def _row_order(predictions: pd.DataFrame, task: str) -> tuple[np.ndarray, str, np.ndarray | None]:
    n = len(predictions)
    positions = np.arange(n)
    if task == "regression":
        if "residual" not in predictions:
            return positions, "in the order of the data", None
        error = np.abs(predictions["residual"].to_numpy(dtype=float))
        error = np.where(np.isnan(error), -np.inf, error)
        return np.lexsort((positions, -error)), "largest errors first", None
    confidence = (
        predictions["confidence"].to_numpy(dtype=float) if "confidence" in predictions else None
    )
    if "correct" not in predictions:
        if confidence is None:
            return positions, "in the order of the data", None
        conf = np.where(np.isnan(confidence), np.inf, confidence)
        return np.lexsort((positions, conf)), "least confident predictions first", None
    wrong = ~predictions["correct"].to_numpy(dtype=bool)
    if confidence is None:
        text = "wrong predictions first, then right ones, each in the order of the data"
        return np.lexsort((positions, ~wrong)), text, wrong
    conf = np.where(np.isnan(confidence), 0.5, confidence)
    secondary = np.where(wrong, -conf, conf)
    text = (
        "wrong predictions first, the most confident mistakes at the top; "
        "then right ones, least confident first"
    )
    return np.lexsort((positions, secondary, ~wrong)), text, wrong


def build_example_table(
    session: ModelSession,
    slice_codes: np.ndarray | None,
    n_slices: int,
    extra: dict[Hashable, Any],
    first: Sequence[Hashable] = (),
) -> ExampleTable:
    """Format every row of ``session`` and group its positions by slice.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    slice_codes : numpy.ndarray or None
        Slice of each row (codes of a ``SliceSet``); None for no slices.
    n_slices : int
        Number of slices.
    extra : dict
        Columns to show that are not in X (sensitive features given as values), aligned with X.
    first : list, optional
        Columns of X shown first, right after the model's answer (the slice's columns).

    Returns
    -------
    ExampleTable
    """
    predictions = session.predictions()
    task = session.task_
    columns: list[ExampleColumn] = []

    def add(header: str, css: str, values: Any, fmt: Callable[[Any], str]) -> None:
        codes, texts = _encode(values, fmt)
        columns.append(ExampleColumn(header, css, codes, texts))

    add("row", "rai-tech", session.core.frame.index, row_label)
    outputs: list[tuple[str, str, Callable[[Any], str], str]] = []
    if "y_true" in predictions:
        outputs.append(("y_true", "actual", cell_text, ""))
    outputs.append(("y_pred", "prediction", cell_text, ""))
    if task == "regression":
        if "residual" in predictions:
            outputs.append(("residual", "error (actual − prediction)", cell_text, ""))
    else:
        if "confidence" in predictions:
            outputs.append(("confidence", "confidence", confidence_text, ""))
        if "correct" in predictions:
            outputs.append(("correct", "correct", value_text, "rai-x-flag"))
    for i, (name, header, fmt, css) in enumerate(outputs):
        classes = [OUTPUT_CLASS, css, "rai-x-last" if i == len(outputs) - 1 else ""]
        add(header, " ".join(c for c in classes if c), predictions[name].to_numpy(), fmt)
    for extra_name, values in extra.items():
        add(str(extra_name), "", np.asarray(values), cell_text)
    leading = [name for name in first if name in session.core.frame.columns]
    for name in [*leading, *(c for c in session.core.frame.columns if c not in leading)]:
        add(str(name), "", session.core.frame[name].to_numpy(), cell_text)

    order, order_text, wrong = _row_order(predictions, task)
    slice_rows = [order]
    if slice_codes is not None and n_slices:
        in_order = np.asarray(slice_codes)[order]
        grouped = order[np.argsort(in_order, kind="stable")]
        bounds = np.concatenate([[0], np.cumsum(np.bincount(in_order, minlength=n_slices))])
        slice_rows += [grouped[bounds[g] : bounds[g + 1]] for g in range(n_slices)]
    return ExampleTable(columns, wrong, order, order_text, slice_rows)
