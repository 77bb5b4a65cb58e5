"""Export a session (or a Dashboard) as one self-contained HTML file that works offline.

The file inlines all its CSS and JavaScript and loads nothing: no CDN, no font, no image by URL
(a Content-Security-Policy in the file forbids it, and allows only the file's own script). It has
a slice picker that swaps the metrics line and the example table, the example rows of every
slice paged 25 at a time, and the fairness, uncertainty and explanation views drawn once as
static inline SVG by the widgets' own ``static_html()``.

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
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target,
...                     sensitive_features=data.data["race"], random_state=0)
>>> path = os.path.join(tempfile.mkdtemp(), "wage.html")
>>> result = export_html(s, path, views=["examples"])
>>> result.rows_total["all rows"], result.rows_included["2. Black"]
(3000, 293)
>>> result.n_bytes == os.path.getsize(path) <= result.max_bytes
True
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import hashlib
import html
import os
import re
import tempfile
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rai_widgets._version import __version__
from rai_widgets.core.errors import RaiWidgetsError, ValidationError
from rai_widgets.core.validation import check_int
from rai_widgets.report._export_assets import EXPORT_CSS, EXPORT_JS
from rai_widgets.report._export_data import (
    ExampleTable,
    build_example_table,
    escape_json,
    format_bytes,
    label_text,
)

__all__ = ["DEFAULT_MAX_BYTES", "PAGE_SIZE", "VIEWS", "ExportResult", "export_html"]

DEFAULT_MAX_BYTES = 10_000_000
"""Default size budget of an exported file: 10 MB (decimal), what e-mail and chat tools take."""

PAGE_SIZE = 25
"""Example rows per page in the exported file."""

VIEWS = ("examples", "explanation", "fairness", "uncertainty")
"""The parts an export can hold; ``views=`` picks a subset."""

ALL_ROWS = "all rows"
MAX_SLICES_EXPLAINED = 3  # more slices: feature importance over the whole data

_SVG_NAMESPACE = re.compile(r'\sxmlns(?::[A-Za-z]+)?="http://www\.w3\.org/[^"]*"')
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(EXPORT_JS.encode("utf-8")).digest()).decode()
_CSP = (
    "default-src 'none'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; "
    "style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_TASKS = {
    "binary": "binary classification",
    "multiclass": "multiclass classification",
    "regression": "regression",
}


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
                f"; example rows capped at {self.row_cap:,} per slice to fit the budget "
                f"({shown:,} of {total:,} rows of all rows; {self.order})"
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


def _check_path(path: Any) -> Path:
    try:
        target = Path(os.fspath(path))
    except TypeError:
        raise ValidationError(f"path must be a file path; got {path!r}.") from None
    if target.is_dir():
        raise ValidationError(f"path {str(target)!r} is a directory; give a file name.")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ValidationError(
            f"path {str(target)!r}: its folder {str(parent)!r} does not exist; create it first."
        )
    return target


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


def _unique_texts(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {ALL_ROWS: 1}
    out = []
    for label in labels:
        text = label
        while text in seen:
            seen[label] += 1
            text = f"{label} ({seen[label]})"
        seen[text] = 1
        out.append(text)
    return out


def _slice_text(label: Any) -> str:
    """A slice label as text: intersections joined with " & ", missing values as "missing"."""
    parts = label if isinstance(label, tuple) else (label,)
    return " & ".join(label_text(part) for part in parts)


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _number(value: float, metric: str) -> str:
    if not np.isfinite(value):
        return "–"
    if metric == "accuracy":
        return f"{value:.1%}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _metric_lines(session: Any, by: Any, labels: list[Any]) -> list[str]:
    """The metrics line of "all rows" and of each slice."""
    if session.y is None:
        sizes = [session.n_rows_, *session.slices(by).sizes.tolist()] if labels else []
        sizes = sizes or [session.n_rows_]
        return [f"{_rows(n)} (no true values were given, so no accuracy)" for n in sizes]
    metric = "mae" if session.task_ == "regression" else "accuracy"
    word = "mean absolute error" if metric == "mae" else "accuracy"
    tables = [session.slice_metrics(None, metrics=[metric])]
    if labels:
        tables.append(session.slice_metrics(by, metrics=[metric]))
    lines = []
    for table in tables:
        for _, row in table.iterrows():
            n = int(row["n"])
            text = f"{_rows(n)} · {word} {_number(float(row[metric]), metric)}"
            lo, hi = float(row[f"{metric}_lo"]), float(row[f"{metric}_hi"])
            if np.isfinite(lo) and np.isfinite(hi):
                text += f" (95% interval {_number(lo, metric)} to {_number(hi, metric)})"
            if bool(row["low_support"]):
                text += " · few rows: read with care"
            lines.append(text)
    return lines


@dataclass
class _Section:
    key: str
    title: str
    lead: str
    body: str
    problem: str | None = None


def _static_views(session: Any, views: tuple[str, ...], by: Any, n_slices: int) -> list[_Section]:
    """The views that are not per slice, each drawn once by its widget's ``static_html()``."""
    import traitlets

    import rai_widgets.widgets as rw_widgets

    column_by = by if isinstance(by, Hashable) and not isinstance(by, tuple) else None
    sections = []

    def make(factory, **kwargs):
        try:
            return factory(session, **kwargs)
        except (traitlets.TraitError, RaiWidgetsError):
            if not kwargs:
                raise
            return factory(session)  # a grouping the view cannot use: its own default

    specs = {
        "fairness": (
            "Fairness: how the model does for each group",
            "Quality per group with its 95% interval, how far each group is from the largest "
            "one, and slices where the model does significantly worse. Computed on all rows.",
        ),
        "uncertainty": (
            "Uncertainty: how far to trust the model's numbers",
            "Does a score of 80% come true 80% of the time, per group; and one case read "
            "honestly. Computed on all rows.",
        ),
        "explanation": (
            "Explanation: why the model said what it said",
            "One representative row explained feature by feature, then which features matter "
            "across slices and how one feature moves the prediction.",
        ),
    }
    for key in ("fairness", "uncertainty", "explanation"):
        if key not in views:
            continue
        title, lead = specs[key]
        try:
            if key in ("fairness", "uncertainty"):
                factory = (
                    rw_widgets.FairnessView if key == "fairness" else rw_widgets.UncertaintyView
                )
                view = make(factory, **({} if column_by is None else {"by": column_by}))
                if getattr(view, "by", None) is not None:
                    lead += f" Groups: {_slice_text(view.by)}."
            else:
                row = _representative_row(session)
                view = rw_widgets.ExplanationView(session, row=row)
                lead = f"Row {row} (a typical row). " + lead
                with contextlib.suppress(RaiWidgetsError, traitlets.TraitError):
                    # importance per slice stays readable for a few slices only
                    if column_by in session.X.columns and n_slices <= MAX_SLICES_EXPLAINED:
                        view.slice_by = column_by
                for tab in ("Across slices", "One feature"):
                    view.select_tab(tab)
            body = _SVG_NAMESPACE.sub("", view.static_html())
            sections.append(_Section(key, title, lead, body))
        except RaiWidgetsError as err:
            problem = f"{key}: {err}"
            body = f'<div class="rai-x-problem">This view could not be drawn: {_e(err)}</div>'
            sections.append(_Section(key, title, lead, body, problem))
    return sections


def _representative_row(session: Any) -> Any:
    """A typical row of the most common prediction, else the first row."""
    with contextlib.suppress(RaiWidgetsError, ValueError, KeyError):
        if session.y is not None:
            typical = session.examples("typical", n=1)
            if len(typical):
                return typical.index[0]
    return session.X.index[0]


class _Report:
    """Pieces of the document that do not depend on the row cap, and the builder for one cap."""

    def __init__(
        self,
        *,
        title: str,
        session: Any,
        views: tuple[str, ...],
        by_text: str | None,
        slice_texts: list[str],
        sizes: list[int],
        metric_lines: list[str],
        table: ExampleTable | None,
        sections: list[_Section],
        max_bytes: int,
        presenter: bool,
    ) -> None:
        self.title = title
        self.session = session
        self.views = views
        self.by_text = by_text
        self.slice_texts = slice_texts
        self.sizes = sizes
        self.metric_lines = metric_lines
        self.table = table
        self.sections = sections
        self.max_bytes = max_bytes
        self.presenter = presenter
        self.overall = ""
        if session.y is not None:
            self.overall = " · overall " + metric_lines[0].split(" · ", 1)[1]
        self.created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    # -- texts ---------------------------------------------------------------------------
    def note(self, shown: int, total: int) -> str:
        order = self.table.order_text if self.table is not None else ""
        if shown < total:
            return (
                f"Showing the first {shown:,} of {total:,} rows of this slice (export budget "
                f"{format_bytes(self.max_bytes)}). Rows are ordered: {order}."
            )
        return f"All {total:,} rows of this slice are in this file, ordered: {order}."

    def slice_payload(self, cap: int | None) -> list[dict[str, Any]]:
        totals = self.table.totals if self.table is not None else [0] * len(self.metric_lines)
        entries = []
        for g, line in enumerate(self.metric_lines):
            entry: dict[str, Any] = {"metrics": line}
            if self.table is not None:
                shown = totals[g] if cap is None else min(cap, totals[g])
                entry["note"] = self.note(shown, totals[g])
                entry["capped"] = shown < totals[g]
            entries.append(entry)
        return entries

    # -- html ----------------------------------------------------------------------------
    def _header(self, cap: int | None) -> str:
        s = self.session
        task = _TASKS.get(s.task_, s.task_)
        target = f" of {_e(s.target_name_)}" if getattr(s, "target_name_", None) else ""
        pos = getattr(s, "pos_label_", None)
        positive = f" (positive class: {_e(pos)})" if s.task_ == "binary" else ""
        nav = [
            '<a href="#slices">Slices and examples</a>'
            if "examples" in self.views
            else '<a href="#slices">Slices</a>'
        ]
        nav += [f'<a href="#{sec.key}">{_e(sec.title.split(":")[0])}</a>' for sec in self.sections]
        nav.append('<a href="#about">About this file</a>')
        if self.table is None:
            rows_line = ""
        elif cap is None:
            rows_line = "Every row of every slice is in the table below."
        else:
            rows_line = (
                f"The table below keeps at most {cap:,} rows per slice, to fit the "
                f"{format_bytes(self.max_bytes)} export budget; it says so wherever rows are "
                "left out."
            )
        return (
            f"<header><h1>{_e(self.title)}</h1>"
            f'<p class="rai-x-sub">Model <b>{_e(s.name)}</b> · {_e(task)}{target}{positive} · '
            f"{s.n_rows_:,} rows{_e(self.overall)}</p>"
            f'<p class="rai-x-sub">A self-contained report: it works offline and loads nothing '
            f"from the network. {_e(rows_line)}</p>"
            f'<nav class="rai-x-nav">{"".join(nav)}</nav></header>'
        )

    def _slices_section(self, cap: int | None) -> str:
        texts = [ALL_ROWS, *self.slice_texts]
        options = [
            f'<option value="{g}"{" selected" if g == 0 else ""}>'
            f"{_e(text)} ({_rows(self.sizes[g])})</option>"
            for g, text in enumerate(texts)
        ]
        picker_label = f"Slice of {self.by_text}" if self.by_text else "Slice"
        lead = (
            "Pick a slice to see how the model does there"
            + (" and its real rows, with the model's answer next to each." if self.table else ".")
            + " The sections further down cover all rows at once; they do not follow this picker."
        )
        parts = [
            '<section id="slices" class="rai-x-section">',
            "<h2>Slices and examples</h2>" if self.table else "<h2>Slices</h2>",
            f'<p class="rai-x-lead">{_e(lead)}</p>',
            '<div class="rai-x-controls">'
            f'<label for="rai-slice">{_e(picker_label)}</label>'
            f'<select id="rai-slice">{"".join(options)}</select></div>',
            f'<div id="rai-metrics" class="rai-x-metrics">{_e(self.metric_lines[0])}</div>',
        ]
        if self.table is not None:
            total = self.table.totals[0]
            shown = total if cap is None else min(cap, total)
            capped = " rai-x-capped" if shown < total else ""
            legend = ""
            if self.table.wrong is not None:
                legend = (
                    '<span class="rai-x-legend"><span class="rai-x-swatch"></span>'
                    "shaded: the model got this row wrong</span>"
                )
            parts += [
                f'<p id="rai-note" class="rai-x-note{capped}">{_e(self.note(shown, total))}</p>',
                '<div class="rai-x-pager"><button type="button" id="rai-prev">◀ previous</button>'
                '<span id="rai-page">page 1</span>'
                f'<button type="button" id="rai-next">next ▶</button>{legend}</div>',
                '<div class="rai-x-scroll"><table class="rai-x-table">'
                f"<thead><tr>{self.table.headers_html(_e)}</tr></thead>"
                '<tbody id="rai-rows"></tbody></table></div>',
                '<noscript><p class="rai-x-note">The example table needs JavaScript, which is '
                "turned off.</p></noscript>",
            ]
        parts.append("</section>")
        return "".join(parts)

    def _footer(self, cap: int | None) -> str:
        s = self.session
        kind = type(s.model).__name__
        rows = (
            "no example table"
            if self.table is None
            else ("all rows" if cap is None else f"at most {cap:,} per slice")
        )
        items = [
            ("Created", self.created),
            ("With", f"rai_widgets {__version__}"),
            ("Model", s.name if s.name == kind else f"{s.name} ({kind})"),
            ("Views", ", ".join(self.views) or "none"),
            ("Example rows", rows),
            ("Size budget", format_bytes(self.max_bytes)),
        ]
        body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
        return (
            '<footer id="about" class="rai-x-footer"><b>About this file</b>'
            f'<dl class="rai-tech">{body}</dl>'
            "<p>Every number comes from the model's own predictions on the data it was given; "
            "intervals are 95%. Nothing in this file is fetched from the network.</p></footer>"
        )

    def build(self, cap: int | None) -> bytes:
        """The whole document for a per-slice row cap (None: no cap), as UTF-8 bytes."""
        payload: dict[str, Any] = {"page_size": PAGE_SIZE}
        if self.table is not None:
            payload.update(self.table.payload(cap, self.slice_payload(cap)))
        else:
            slices = self.slice_payload(cap)
            for g, entry in enumerate(slices):
                entry.update({"first": 0} if g == 0 else {"rows": []})
            payload.update({"columns": [], "codes": [], "wrong": None, "slices": slices})
        sections = "".join(
            f'<section id="{sec.key}" class="rai-x-section"><h2>{_e(sec.title)}</h2>'
            f'<p class="rai-x-lead">{_e(sec.lead)}</p>'
            f'<div class="rai-x-static">{sec.body}</div></section>'
            for sec in self.sections
        )
        body_class = ' class="rai-presenter"' if self.presenter else ""
        document = (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="rai_widgets {_e(__version__)}">'
            f"<title>{_e(self.title)}</title><style>{EXPORT_CSS}</style></head>"
            f'<body{body_class}><div class="rai-x-page">'
            f"{self._header(cap)}{self._slices_section(cap)}{sections}{self._footer(cap)}"
            "</div>"
            f'<script type="application/json" id="rai-data">{escape_json(payload)}</script>'
            f"<script>{EXPORT_JS}</script></body></html>\n"
        )
        return document.encode("utf-8")


def _largest_cap(report: _Report, largest: int) -> tuple[int | None, bytes]:
    """The largest per-slice cap whose document fits the budget, and that document."""
    full = report.build(None)
    if len(full) <= report.max_bytes:
        return None, full
    lo, lo_doc = 0, report.build(0)
    if len(lo_doc) > report.max_bytes:
        raise _TooSmall(len(lo_doc))
    hi, hi_size = largest, len(full)  # hi never fits
    lo_size = len(lo_doc)
    step = 0
    while hi - lo > 1:
        step += 1
        # interpolate on size (it grows about linearly with the cap), bisect every third step
        if step % 3 and hi_size > lo_size:
            guess = lo + int((hi - lo) * (report.max_bytes - lo_size) / (hi_size - lo_size))
            guess = min(max(guess, lo + 1), hi - 1)
        else:
            guess = (lo + hi) // 2
        doc = report.build(guess)
        if len(doc) <= report.max_bytes:
            lo, lo_doc, lo_size = guess, doc, len(doc)
        else:
            hi, hi_size = guess, len(doc)
    return lo, lo_doc


class _TooSmall(Exception):
    def __init__(self, n_bytes: int) -> None:
        super().__init__(n_bytes)
        self.n_bytes = n_bytes


def _write_atomically(target: Path, data: bytes) -> None:
    parent = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def export_html(
    session: Any,
    path: str | os.PathLike[str],
    *,
    views: Iterable[str] | None = None,
    by: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    presenter: bool = False,
    title: str | None = None,
) -> ExportResult:
    """Write one self-contained HTML report of a session that works offline.

    Parameters
    ----------
    session : ModelSession or Dashboard
        What to export (a Dashboard exports its session).
    path : str or path-like
        The file to write; replaced atomically (written to a temporary file, then renamed).
    views : list of str, optional
        A subset of ``("examples", "explanation", "fairness", "uncertainty")``; default all.
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
    target = _check_path(path)
    if by is None and dashboard is not None:
        # the grouping the dashboard shows (its own, or its fairness view's)
        by = getattr(dashboard, "by", None) or getattr(
            getattr(dashboard, "fairness", None), "by", None
        )
    if by is None and session.sensitive_features_:
        by = session.sensitive_features_[0]

    labels: list[Any] = []
    by_names: list[Hashable] = []
    sizes: list[int] = []
    slice_codes = None
    by_text = None
    extra: dict[Hashable, Any] = {}
    if by is not None:
        slices = session.slices(by)
        labels = list(slices.labels)
        sizes = [int(n) for n in slices.sizes]
        slice_codes = slices.codes
        names = [n for n in slices.names if n is not None]
        by_names = names
        by_text = " & ".join(map(str, names)) or None
        for name in names:
            if name not in session.X.columns:
                with contextlib.suppress(RaiWidgetsError, KeyError):
                    extra[name] = session._column(name).to_numpy()
    slice_texts = _unique_texts([_slice_text(label) for label in labels])
    metric_lines = _metric_lines(session, by, labels)
    table = None
    if "examples" in views:
        table = build_example_table(session, slice_codes, len(labels), extra, first=by_names)
    sections = _static_views(session, views, by, len(labels))
    report = _Report(
        title=title if title is not None else f"{session.name}: model report",
        session=session,
        views=views,
        by_text=by_text,
        slice_texts=slice_texts,
        sizes=[session.n_rows_, *sizes],
        metric_lines=metric_lines,
        table=table,
        sections=sections,
        max_bytes=max_bytes,
        presenter=bool(presenter),
    )
    largest = max(table.totals) if table is not None else 0
    try:
        cap, document = _largest_cap(report, largest)
    except _TooSmall as err:
        raise ValidationError(_too_small_message(err.n_bytes, max_bytes, sections)) from None
    _write_atomically(target, document)

    keys = [ALL_ROWS, *slice_texts]
    totals = table.totals if table is not None else [session.n_rows_, *sizes]
    included = table.rows_included(cap) if table is not None else [0] * len(keys)
    return ExportResult(
        path=target,
        n_bytes=len(document),
        max_bytes=max_bytes,
        rows_included=dict(zip(keys, map(int, included), strict=True)),
        rows_total=dict(zip(keys, map(int, totals), strict=True)),
        row_cap=cap,
        views=views,
        by=by_text,
        order=table.order_text if table is not None else "",
        problems=tuple(sec.problem for sec in sections if sec.problem),
    )


def _too_small_message(fixed: int, max_bytes: int, sections: list[_Section]) -> str:
    sizes = sorted(
        ((sec.key, len(sec.body.encode("utf-8"))) for sec in sections), key=lambda kv: -kv[1]
    )
    parts = ", ".join(f"{key} {format_bytes(n)}" for key, n in sizes)
    text = (
        f"max_bytes={max_bytes:,} ({format_bytes(max_bytes)}) is too small: the report without "
        f"any example row already takes {fixed:,} bytes ({format_bytes(fixed)})"
        + (f"; of that, {parts}." if parts else ".")
    )
    if sizes:
        keep = [v for v in VIEWS if v not in {k for k, _ in sizes[:1]}]
        text += f" Drop the largest view (views={tuple(keep)!r}) or"
    else:
        text += " Use fewer slices (by=...) or"
    room = max(fixed * 2, fixed + 1_000_000)
    return text + f" set max_bytes to at least {fixed:,}, better {room:,} to leave room for rows."
