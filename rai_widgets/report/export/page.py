"""The HTML document of an export: header, slice picker, example table, views and footer.

The document inlines its stylesheet and script (``assets/export.css``, ``assets/export.js``) and
loads nothing; its Content-Security-Policy allows exactly that script, by its hash. Everything
that came from data is escaped here; the example rows travel as JSON inside
``<script type="application/json">`` (see :func:`~.export_text.escape_json`).
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import TYPE_CHECKING, Any

from rai_widgets._version import __version__
from rai_widgets.formatting import count
from rai_widgets.report.export.rows import ExampleTable
from rai_widgets.report.export.slices import ALL_ROWS, SlicePicker
from rai_widgets.report.export.text import escape_json, format_bytes, rows_text
from rai_widgets.report.export.views import ViewSection
from rai_widgets.report.frontend import export_css, export_js, script_hash
from rai_widgets.static_html.page import stylesheet

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["PAGE_SIZE", "ExportPage", "content_security_policy", "page_script", "page_style"]

PAGE_SIZE = 25
"""Example rows per page in the exported file."""

_TASKS = {
    "binary": "binary classification",
    "multiclass": "multiclass classification",
    "regression": "regression",
}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def page_script() -> str:
    """The script inlined into every export (the slice picker and the pager).

    Examples
    --------
    >>> "textContent" in page_script() and "innerHTML" not in page_script()
    True
    """
    return export_js()


def page_style() -> str:
    """The stylesheet inlined into every export.

    Examples
    --------
    >>> ".rai-x-table" in page_style()
    True
    """
    return export_css() + stylesheet()


def content_security_policy() -> str:
    """The export's Content-Security-Policy: nothing from the network, only its own script.

    Examples
    --------
    >>> policy = content_security_policy()
    >>> policy.startswith("default-src 'none'; script-src 'sha256-"), "img-src data:" in policy
    (True, True)
    """
    return (
        "default-src 'none'; "
        f"script-src '{script_hash(page_script())}'; "
        "style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


class ExportPage:
    """Pieces of the document that do not depend on the row cap, and the builder for one cap.

    Parameters
    ----------
    title : str
        The page title.
    session : ModelSession
        The session exported.
    views : tuple of str
        The views in the file.
    picker : SlicePicker
        The slices, their sizes and metrics lines.
    table : ExampleTable or None
        The example rows (None without the "examples" view).
    sections : list of ViewSection
        The views drawn once for all rows.
    max_bytes : int
        The size budget (shown in the file).
    presenter : bool
        Larger type, technical columns hidden.
    """

    def __init__(
        self,
        *,
        title: str,
        session: ModelSession,
        views: tuple[str, ...],
        picker: SlicePicker,
        table: ExampleTable | None,
        sections: list[ViewSection],
        max_bytes: int,
        presenter: bool,
    ) -> None:
        self.title = title
        self.session = session
        self.views = views
        self.by_text = picker.by_text
        self.slice_texts = picker.texts[1:]
        self.sizes = picker.sizes
        self.metric_lines = picker.metric_lines
        self.table = table
        self.sections = sections
        self.max_bytes = max_bytes
        self.presenter = presenter
        self.overall = ""
        if session.core.has_y:
            self.overall = " · overall " + self.metric_lines[0].split(" · ", 1)[1]
        self.created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    # -- texts ---------------------------------------------------------------------------
    def note(self, shown: int, total: int) -> str:
        """What the file says about a slice's rows: all of them, or the first ``shown``."""
        order = self.table.order_text if self.table is not None else ""
        if shown < total:
            return (
                f"Showing the first {count(shown)} of {count(total)} rows of this slice (export "
                f"budget {format_bytes(self.max_bytes)}). Rows are ordered: {order}."
            )
        return f"All {count(total)} rows of this slice are in this file, ordered: {order}."

    def slice_payload(self, cap: int | None) -> list[dict[str, Any]]:
        """Per slice: its metrics line, and (with examples) its note and whether it is capped."""
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
        target = f" of {_e(s.core.target_name_)}" if getattr(s, "target_name_", None) else ""
        pos = getattr(s, "pos_label_", None)
        positive = f" (positive class: {_e(pos)})" if s.task_ == "binary" else ""
        links = [f'<a href="#{sec.key}">{_e(sec.title.split(":")[0])}</a>' for sec in self.sections]
        first = [link for sec, link in zip(self.sections, links, strict=True) if sec.key == "audit"]
        nav = [
            *first,
            '<a href="#slices">Slices and examples</a>'
            if "examples" in self.views
            else '<a href="#slices">Slices</a>',
        ]
        nav += [link for link in links if link not in first]
        nav.append('<a href="#about">About this file</a>')
        if self.table is None:
            rows_line = ""
        elif cap is None:
            rows_line = "Every row of every slice is in the table below."
        else:
            rows_line = (
                f"The table below keeps at most {count(cap)} rows per slice, to fit the "
                f"{format_bytes(self.max_bytes)} export budget; it says so wherever rows are "
                "left out."
            )
        return (
            f"<header><h1>{_e(self.title)}</h1>"
            f'<p class="rai-x-sub">Model <b>{_e(s.name)}</b> · {_e(task)}{target}{positive} · '
            f"{count(s.core.n_rows_)} rows{_e(self.overall)}</p>"
            f'<p class="rai-x-sub">A self-contained report: it works offline and loads nothing '
            f"from the network. {_e(rows_line)}</p>"
            f'<nav class="rai-x-nav">{"".join(nav)}</nav></header>'
        )

    def _slices_section(self, cap: int | None) -> str:
        texts = [ALL_ROWS, *self.slice_texts]
        options = [
            f'<option value="{g}"{" selected" if g == 0 else ""}>'
            f"{_e(text)} ({rows_text(self.sizes[g])})</option>"
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
            else ("all rows" if cap is None else f"at most {count(cap)} per slice")
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
                where: dict[str, Any] = {"first": 0} if g == 0 else {"rows": []}
                entry.update(where)
            empty: dict[str, Any] = {"columns": [], "codes": [], "wrong": None, "slices": slices}
            payload.update(empty)
        drawn = {
            sec.key: f'<section id="{sec.key}" class="rai-x-section"><h2>{_e(sec.title)}</h2>'
            f'<p class="rai-x-lead">{_e(sec.lead)}</p>'
            f'<div class="rai-x-static">{sec.body}</div></section>'
            for sec in self.sections
        }
        audit = drawn.pop("audit", "")  # what to look at first comes before the slices
        sections = "".join(drawn.values())
        body_class = ' class="rai-presenter"' if self.presenter else ""
        document = (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="rai_widgets {_e(__version__)}">'
            f"<title>{_e(self.title)}</title><style>{page_style()}</style></head>"
            f'<body{body_class}><div class="rai-x-page">'
            f"{self._header(cap)}{audit}{self._slices_section(cap)}{sections}{self._footer(cap)}"
            "</div>"
            f'<script type="application/json" id="rai-data">{escape_json(payload)}</script>'
            f"<script>{page_script()}</script></body></html>\n"
        )
        return document.encode("utf-8")
