"""Pieces every static view shares: the stylesheet, the error box, tables and escaping.

Everything that came from data goes through :func:`escape` (or :func:`table`, which escapes
every cell) before it reaches HTML: data is untrusted.

Examples
--------
>>> from rai_widgets.core.errors import ValidationError
>>> error_box(ValidationError("no column <b>"))
'<div class="rai-error">no column &lt;b&gt;</div>'
>>> table(["group", "rows"], [["<img>", "12"]])
'<table><tr><th>group</th><th>rows</th></tr><tr><td>&lt;img&gt;</td><td>12</td></tr></table>'
>>> ".rai-error" in stylesheet() and style_tag().startswith("<style>")
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from rai_widgets.views.parts import Failed, attempt

T = TypeVar("T")

__all__ = [
    "design_tokens",
    "error_box",
    "escape",
    "note_box",
    "part_html",
    "row_html",
    "safe",
    "style_tag",
    "stylesheet",
    "table",
]


def escape(text: object) -> str:
    """``text`` as HTML text: ``str()`` of it with ``& < > " '`` escaped.

    Parameters
    ----------
    text : object
        Anything; data values, column names, messages.

    Returns
    -------
    str

    Examples
    --------
    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The one stylesheet of the views, as CSS text: the design tokens (``assets/tokens.css``,
    every colour as a CSS custom property) then the rules (``assets/views.css``), which name
    tokens, never colours.

    Returns
    -------
    str
    """
    return design_tokens() + (resources.files(__package__) / "assets" / "views.css").read_text(
        "utf-8"
    )


@lru_cache(maxsize=1)
def design_tokens() -> str:
    """The design tokens (``assets/tokens.css``): every colour of the views, the export and the
    model card as a ``--rai-*`` custom property, for every page that draws any of them.

    Returns
    -------
    str

    Examples
    --------
    >>> "--rai-blue:" in design_tokens() and design_tokens().startswith("/*")
    True
    """
    return (resources.files(__package__) / "assets" / "tokens.css").read_text("utf-8")


def style_tag() -> str:
    """The views' stylesheet wrapped in a ``<style>`` element.

    Returns
    -------
    str
    """
    return f"<style>\n{stylesheet()}</style>"


def error_box(err: BaseException | str) -> str:
    """The box every view shows in the pane that failed: the error's message, escaped.

    Parameters
    ----------
    err : Exception or str
        The error (usually a ``RaiWidgetsError``) or a message.

    Returns
    -------
    str

    Examples
    --------
    >>> error_box("No row labelled <7>")
    '<div class="rai-error">No row labelled &lt;7&gt;</div>'
    """
    return f'<div class="rai-error">{escape(err)}</div>'


def note_box(text: str) -> str:
    """The box a view shows where something cannot be shown for a reason that is no error
    (a model without scores): the sentence, escaped.

    Examples
    --------
    >>> note_box("No scores <here>")
    '<div class="rai-view-note">No scores &lt;here&gt;</div>'
    """
    return f'<div class="rai-view-note">{escape(text)}</div>'


def safe(make: Callable[[], str]) -> str:
    """``make()``, or the error box of the error it raised, so a failure shows in the pane
    that needed it and never only in the browser's log.

    A ``RaiWidgetsError`` shows its own message (it says what to do). Any other exception is a
    fault of rai_widgets or of the model: the box names it and the rest of the view keeps
    working; the traceback goes to the ``rai_widgets`` logger.

    Parameters
    ----------
    make : callable
        Builds a pane's HTML.

    Returns
    -------
    str

    Examples
    --------
    >>> from rai_widgets.core.errors import ValidationError
    >>> def fail():
    ...     raise ValidationError("bad")
    >>> safe(lambda: "<p>ok</p>"), safe(fail)
    ('<p>ok</p>', '<div class="rai-error">bad</div>')
    """
    made = attempt(make)
    return error_box(made.message) if isinstance(made, Failed) else made


def part_html(part: T | Failed | None, draw: Callable[[T], str]) -> str:
    """A part of a view model drawn by ``draw``: its error box when it failed (a
    :class:`~rai_widgets.views.parts.Failed`), nothing when it is absent (not computed), and
    the error box of anything ``draw`` raises (:func:`safe`). Every static view draws the
    parts of its view model with it.

    Parameters
    ----------
    part : object, Failed or None
        The part's data.
    draw : callable
        Draws the data as HTML.

    Returns
    -------
    str

    Examples
    --------
    >>> part_html(Failed("no model"), str), part_html(None, str), part_html(3, str)
    ('<div class="rai-error">no model</div>', '', '3')
    """
    if part is None:
        return ""
    if isinstance(part, Failed):
        return error_box(part.message)
    return safe(lambda: draw(part))


def row_html(cells: Iterable[str], *, css: str = "", raw: bool = False) -> str:
    """One table row of text cells (escaped unless ``raw``, for cells already HTML).

    Parameters
    ----------
    cells : iterable of str
        The cells' texts.
    css : str, optional
        A class of the row (e.g. "rai-low").
    raw : bool, default False
        The cells are HTML already (built from escaped parts): do not escape them again.

    Returns
    -------
    str

    Examples
    --------
    >>> row_html(["a&b", "1"], css="rai-low")
    '<tr class="rai-low"><td>a&amp;b</td><td>1</td></tr>'
    """
    attr = f' class="{escape(css)}"' if css else ""
    inner = "".join(f"<td>{c if raw else escape(c)}</td>" for c in cells)
    return f"<tr{attr}>{inner}</tr>"


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "", raw_head: bool = False
) -> str:
    """A table of text: a header row and body rows, every cell escaped.

    Parameters
    ----------
    head : sequence of str
        Header texts.
    rows : iterable of sequences of str
        Body rows, as texts.
    css : str, optional
        Class of the table element.
    raw_head : bool, default False
        The header cells are HTML already (e.g. with a ``<br>``).

    Returns
    -------
    str
    """
    attr = f' class="{escape(css)}"' if css else ""
    th = "".join(f"<th>{h if raw_head else escape(h)}</th>" for h in head)
    body = "".join(row_html(r) for r in rows)
    return f"<table{attr}><tr>{th}</tr>{body}</table>"
