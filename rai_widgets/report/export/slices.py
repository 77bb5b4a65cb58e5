"""The slice picker of an HTML export: its slices, their labels and sizes, and a metrics line each.

"all rows" comes first, then one entry per slice of the grouping. Each metrics line reads the
slice's size and its accuracy (classification) or mean absolute error (regression) with its 95%
interval, and flags a slice with few rows.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target,
...                     sensitive_features=data.data["race"], random_state=0)
>>> picker = slice_picker(s, "race")
>>> picker.texts[:2], picker.sizes[:2]
(['all rows', '1. White'], [3000, 2480])
>>> picker.metric_lines[0]
'3,000 rows · mean absolute error 28.7 (95% interval 27.7 to 29.7)'
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.formatting import NOT_AVAILABLE, label, number, percent
from rai_widgets.readings.groups import low_support_words
from rai_widgets.report.export.text import rows_text, unique_texts
from rai_widgets.report.small_groups import DEFAULT_MIN_GROUP_SIZE, TOO_FEW

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["ALL_ROWS", "SlicePicker", "metric_lines", "slice_picker"]

ALL_ROWS = "all rows"
"""The first entry of the slice picker, and its key in :class:`ExportResult` counts."""


@dataclass
class SlicePicker:
    """The slices of an export, "all rows" first.

    Attributes
    ----------
    labels : list
        The slice labels as the session gives them (without "all rows").
    names : list
        The columns (or named sensitive features) that make the slices.
    by_text : str or None
        The grouping as shown in the file ("sex & race"); None without slices.
    texts : list of str
        "all rows", then each slice's label as shown in the file (made distinct).
    sizes : list of int
        Rows of "all rows", then of each slice.
    codes : numpy.ndarray or None
        The slice of each row (None without slices).
    extra : dict
        Columns to show that are not in X (sensitive features given as values).
    metric_lines : list of str
        The metrics line of "all rows", then of each slice.
    """

    labels: list[Any]
    names: list[Hashable]
    by_text: str | None
    texts: list[str]
    sizes: list[int]
    codes: np.ndarray | None
    extra: dict[Hashable, Any] = field(default_factory=dict)
    metric_lines: list[str] = field(default_factory=list)


def slice_picker(
    session: ModelSession, by: Any, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE
) -> SlicePicker:
    """The slices of ``session`` grouped by ``by`` (None: only "all rows").

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : grouping or None
        Anything :meth:`ModelSession.slices` takes.
    min_group_size : int, default 10
        Slices with fewer rows read "too few to report" instead of their metrics.

    Returns
    -------
    SlicePicker

    Raises
    ------
    ColumnNotFoundError
        ``by`` names no column.
    """
    labels: list[Any] = []
    names: list[Hashable] = []
    sizes: list[int] = []
    codes = None
    extra: dict[Hashable, Any] = {}
    if by is not None:
        slices = session.core.slices(by)
        labels = list(slices.labels)
        sizes = [int(n) for n in slices.sizes]
        codes = slices.codes
        names = [n for n in slices.names if n is not None]
        for name in names:
            if name not in session.core.frame.columns:
                with contextlib.suppress(RaiWidgetsError, KeyError):
                    extra[name] = session.core.column(name).to_numpy()
    return SlicePicker(
        labels=labels,
        names=names,
        by_text=" & ".join(map(str, names)) or None,
        texts=[ALL_ROWS, *unique_texts([label(x) for x in labels], taken=(ALL_ROWS,))],
        sizes=[session.core.n_rows_, *sizes],
        codes=codes,
        extra=extra,
        metric_lines=metric_lines(session, by, labels, min_group_size=min_group_size),
    )


def _metric_text(value: float, metric: str) -> str:
    """Accuracy as "86.1%", a mean absolute error to three significant digits."""
    if not np.isfinite(value):
        return NOT_AVAILABLE
    if metric == "accuracy":
        return percent(value)
    return number(value, 3)


def metric_lines(
    session: ModelSession,
    by: Any,
    labels: list[Any],
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> list[str]:
    """The metrics line of "all rows" and of each slice.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    by : grouping or None
        The grouping of the slices (None: "all rows" only).
    labels : list
        The slice labels of ``by`` (empty: "all rows" only).
    min_group_size : int, default 10
        Slices with fewer rows are named with their size and "too few to report".

    Returns
    -------
    list of str
        Without true values, only the number of rows of each.
    """
    if not session.core.has_y:
        sizes = [session.core.n_rows_, *session.core.slices(by).sizes.tolist()] if labels else []
        sizes = sizes or [session.core.n_rows_]
        return [f"{rows_text(n)} (no true values were given, so no accuracy)" for n in sizes]
    metric = "mae" if session.task_ == "regression" else "accuracy"
    word = "mean absolute error" if metric == "mae" else "accuracy"
    tables = [session.slice_metrics(None, metrics=[metric])]
    if labels:
        tables.append(session.slice_metrics(by, metrics=[metric]))
    lines = []
    for table in tables:
        for _, row in table.iterrows():
            n = int(row["n"])
            if n < min_group_size:
                lines.append(f"{rows_text(n)} · {TOO_FEW}")
                continue
            text = f"{rows_text(n)} · {word} {_metric_text(float(row[metric]), metric)}"
            lo, hi = float(row[f"{metric}_lo"]), float(row[f"{metric}_hi"])
            if np.isfinite(lo) and np.isfinite(hi):
                text += f" (95% interval {_metric_text(lo, metric)} to {_metric_text(hi, metric)})"
            if bool(row["low_support"]):
                text += f" · {low_support_words(n)}: read with care"
            lines.append(text)
    return lines
