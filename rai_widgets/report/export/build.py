"""Export a session (or a Dashboard) as one self-contained HTML file that works offline.

The file inlines all its CSS and JavaScript and loads nothing: no CDN, no font, no image by URL
(a Content-Security-Policy in the file forbids it, and allows only the file's own script). It has
a slice picker that swaps the metrics line and the example table, the example rows of every
slice paged 25 at a time, the audit's findings first ("What to look at first"), and the
fairness, uncertainty and explanation views drawn once as static inline SVG (see
:mod:`~rai_widgets.report.export.views`).

The file stays within a size budget (``max_bytes``, default 10 MB). When the example rows do not
all fit, each slice keeps its most informative rows (wrong predictions first, the most confident
mistakes at the top, then right ones from least confident; regression: largest errors first) up
to one cap for every slice, and the file says so where the rows are shown: "showing the first N
of M rows of this slice (export budget X)". The returned :class:`ExportResult` says the same.

Everything that came from data (column names, category values, text cells, the model's name) is
escaped before it reaches HTML; the example rows travel as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, and the script puts
them into the page with ``textContent`` only.

Examples
--------
>>> import os, tempfile
>>> import pandas as pd
>>> import rai_widgets as rw
>>> from sklearn.tree import DecisionTreeClassifier
>>> X = pd.DataFrame({"age": [25, 40, 61, 33] * 25})
>>> y = (X["age"] > 35).astype(int)
>>> group = pd.Series(["a", "b"] * 50, name="group")
>>> s = rw.ModelSession(DecisionTreeClassifier().fit(X, y), X, y, sensitive_features=group)
>>> result = export_html(s, os.path.join(tempfile.mkdtemp(), "ages.html"), views=["examples"])
>>> result.rows_total, result.by
({'all rows': 100, 'a': 50, 'b': 50}, 'group')
>>> result.n_bytes == os.path.getsize(result.path) <= result.max_bytes
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rai_widgets.core.arguments import check_int
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.files import check_output_path, write_atomically
from rai_widgets.formatting import count
from rai_widgets.report.export.budget import BudgetTooSmall, largest_cap, too_small_message
from rai_widgets.report.export.page import PAGE_SIZE, ExportPage
from rai_widgets.report.export.rows import build_example_table
from rai_widgets.report.export.slices import ALL_ROWS, slice_picker
from rai_widgets.report.export.text import format_bytes
from rai_widgets.report.export.views import VIEWS, view_sections
from rai_widgets.report.small_groups import DEFAULT_MIN_GROUP_SIZE
from rai_widgets.views.groupings import default_grouping

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["DEFAULT_MAX_BYTES", "PAGE_SIZE", "VIEWS", "ExportResult", "export_html"]

DEFAULT_MAX_BYTES = 10_000_000
"""Default size budget of an exported file: 10 MB (decimal), what e-mail and chat tools take."""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_html` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The file written.
    n_bytes : int
        Its size in bytes (equal to ``os.path.getsize(path)``).
    max_bytes : int
        The size budget it was written within.
    rows_included, rows_total : dict of str to int
        Example rows written and rows in the data, per slice ("all rows" first, then each
        slice under its label as shown in the file).
    row_cap : int or None
        The most example rows any slice keeps (None: every row of every slice is in the file).
    views : tuple of str
        The views in the file.
    by : str or None
        The grouping of the slice picker, as shown in the file.
    order : str
        How the example rows are ordered (and so which ones are kept under a cap).
    problems : tuple of str
        Views that could not be drawn, with the reason (the file shows it in their place).
    """

    path: Path
    n_bytes: int
    max_bytes: int
    rows_included: dict[str, int]
    rows_total: dict[str, int]
    row_cap: int | None
    views: tuple[str, ...]
    by: str | None
    order: str
    problems: tuple[str, ...] = field(default=())

    @property
    def capped(self) -> bool:
        """True if some slice has rows that are not in the file."""
        return any(self.rows_included[k] < n for k, n in self.rows_total.items())

    def summary(self) -> str:
        """One line: the file, its size against the budget, and any row cap."""
        text = (
            f"Wrote {self.path.name} ({format_bytes(self.n_bytes)} of a "
            f"{format_bytes(self.max_bytes)} budget)"
        )
        if self.capped:
            shown, total = self.rows_included[ALL_ROWS], self.rows_total[ALL_ROWS]
            text += (
                f"; example rows capped at {count(self.row_cap)} per slice to fit the budget "
                f"({count(shown)} of {count(total)} rows of all rows; {self.order})"
            )
        if self.problems:
            text += "; not drawn: " + "; ".join(self.problems)
        return text

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<div>{_e(self.summary())}</div>"


def _check_views(views: Any) -> tuple[str, ...]:
    if views is None:
        return VIEWS
    names = [views] if isinstance(views, str) else views
    if not isinstance(names, Iterable):
        raise ValidationError(f"views must be a list of view names from {VIEWS}; got {views!r}.")
    names = list(names)
    for name in names:
        if name not in VIEWS:
            raise ValidationError(
                f"views: unknown view {name!r}; choose from {', '.join(map(repr, VIEWS))}."
            )
    return tuple(v for v in VIEWS if v in names)


def _session_of(obj: Any) -> tuple[Any, Any]:
    """The ModelSession to export, and the Dashboard it came from (or None)."""
    from rai_widgets.session import ModelSession

    if isinstance(obj, ModelSession):
        return obj, None
    inner = getattr(obj, "session", None)
    if isinstance(inner, ModelSession):
        return inner, obj
    raise ValidationError(
        f"session must be a rai_widgets ModelSession or Dashboard; got {type(obj).__name__}."
    )


def export_html(
    session: ModelSession,
    path: str | os.PathLike[str],
    *,
    views: Iterable[str] | None = None,
    by: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    presenter: bool = False,
    title: str | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> ExportResult:
    """Write one self-contained HTML report of a session that works offline.

    Parameters
    ----------
    session : ModelSession or Dashboard
        What to export (a Dashboard exports its session).
    path : str or path-like
        The file to write; replaced atomically (written to a temporary file, then renamed).
    views : list of str, optional
        A subset of ``("audit", "examples", "explanation", "fairness", "uncertainty")``;
        default all.
        The slice picker and each slice's metrics line are always there.
    by : grouping, optional
        The slices of the slice picker: a column name, ``rw.Bins``, a list for intersections,
        anything :meth:`ModelSession.slices` takes. Default: the first sensitive feature (no
        slices, only "all rows", when there is none).
    max_bytes : int, default 10,000,000
        Size budget of the file (10 MB). Example rows beyond what fits are left out per slice,
        keeping the most informative ones, and the file says so where they are shown.
    presenter : bool, default False
        Larger type for showing the file on a screen, with technical columns (the row label,
        the file's metadata) hidden.
    title : str, optional
        The page title (default: "<session name>: model report").
    min_group_size : int, default 10
        Slices with fewer rows are named with their size and read "too few to report"
        instead of their metrics.

    Returns
    -------
    ExportResult
        Path, size in bytes, budget, and rows included / in the data per slice.

    Raises
    ------
    ValidationError
        An unknown view, a bad ``max_bytes`` or ``path``, or a budget too small for the parts
        that are not example rows (the message says which views to drop or what to set).
    ColumnNotFoundError
        ``by`` names no column.

    Examples
    --------
    >>> import os, tempfile
    >>> import rai_widgets as rw
    >>> from sklearn.linear_model import LinearRegression
    >>> data = rw.datasets.load_wage()
    >>> X = data.data[["year", "age"]]
    >>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target,
    ...                     sensitive_features=data.data["race"], random_state=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "wage.html")
    >>> result = export_html(s, path, views=["examples"], max_bytes=60_000)
    >>> result.capped, result.row_cap < 3000
    (True, True)
    >>> "rows of this slice (export budget 60 KB)" in open(path, encoding="utf-8").read()
    True
    """
    session, dashboard = _session_of(session)
    views = _check_views(views)
    max_bytes = check_int(max_bytes, argument="max_bytes", minimum=1)
    if not isinstance(presenter, (bool, np.bool_)):
        raise ValidationError(f"presenter must be True or False; got {presenter!r}.")
    if title is not None and not isinstance(title, str):
        raise ValidationError(f"title must be a string; got {title!r}.")
    target = check_output_path(path)
    if by is None and dashboard is not None:
        # the grouping the dashboard shows (its own, or its fairness view's)
        by = getattr(dashboard, "by", None) or getattr(
            getattr(dashboard, "fairness", None), "by", None
        )
    if by is None:
        by = default_grouping(session.core)

    check_int(min_group_size, argument="min_group_size", minimum=1)
    picker = slice_picker(session, by, min_group_size=min_group_size)
    n_slices = len(picker.labels)
    table = None
    if "examples" in views:
        table = build_example_table(
            session, picker.codes, n_slices, picker.extra, first=picker.names
        )
    sections = view_sections(session, views, by, n_slices, min_group_size=min_group_size)
    page = ExportPage(
        title=title if title is not None else f"{session.name}: model report",
        session=session,
        views=views,
        picker=picker,
        table=table,
        sections=sections,
        max_bytes=max_bytes,
        presenter=bool(presenter),
    )
    largest = max(table.totals) if table is not None else 0
    try:
        cap, document = largest_cap(page, largest)
    except BudgetTooSmall as err:
        raise ValidationError(too_small_message(err.n_bytes, max_bytes, sections)) from None
    write_atomically(target, document)

    keys = picker.texts
    totals = table.totals if table is not None else picker.sizes
    included = table.rows_included(cap) if table is not None else [0] * len(keys)
    return ExportResult(
        path=target,
        n_bytes=len(document),
        max_bytes=max_bytes,
        rows_included=dict(zip(keys, map(int, included), strict=True)),
        rows_total=dict(zip(keys, map(int, totals), strict=True)),
        row_cap=cap,
        views=views,
        by=picker.by_text,
        order=table.order_text if table is not None else "",
        problems=tuple(sec.problem for sec in sections if sec.problem),
    )
