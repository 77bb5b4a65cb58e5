"""The model card's blocks rendered as Markdown or HTML, every piece of text escaped.

HTML output has no script and no external resource: the card's stylesheet
(``assets/card.css``) is inlined, and a full page forbids everything else with its
Content-Security-Policy.

Examples
--------
>>> from rai_widgets.report.card.blocks import Heading, Para
>>> print(render_markdown([Heading(1, "Card: <b>"), Para.of("a|b", style="muted")]))
# Card: &lt;b&gt;
<BLANKLINE>
*a\\|b*
<BLANKLINE>
>>> render_html([Heading(1, "Card: <b>")])
'<h1>Card: &lt;b&gt;</h1>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from rai_widgets.report.card.blocks import Block, Bullets, Heading, Para, Segment, Strong, Table
from rai_widgets.report.frontend import card_css
from rai_widgets.static_html.page import design_tokens

__all__ = ["card_fragment", "card_page", "md_escape", "render_html", "render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|$~#])")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# a list item ("- x", "+ x", "1. x", "2) x") or a setext underline ("===") at a line's start
_MD_LEADING = re.compile(r"^(\s*)([-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[=-]+\s*$)")


def md_escape(text: Any) -> str:
    """Text that Markdown shows as it is, on one line.

    ``<``/``>`` become entities (so no raw tag survives), ``|`` and the other characters that
    start emphasis, code, links, math or headings get a backslash, and a leading list or heading
    marker is neutralised. Newlines become spaces, so a table row cannot be split.

    Examples
    --------
    >>> md_escape("<img src=x onerror=alert(1)> a|b")
    '&lt;img src=x onerror=alert(1)&gt; a\\\\|b'
    >>> md_escape("1. first")
    '1\\\\. first'
    """
    text = " ".join(str(text).splitlines())
    text = _ENTITY_START.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    match = _MD_LEADING.match(text)
    if match:  # "- x", "+ x", "1. x" at the start of a line would make a list
        at = match.end(2) if match.group(2)[0].isdigit() else match.end(1)
        text = text[:at] + "\\" + text[at:]
    return text


def _segments(
    segments: Sequence[Segment], escape: Callable[[Any], str], bold: Callable[[str], str]
) -> str:
    """Runs of text escaped with ``escape``, the :class:`Strong` ones wrapped by ``bold``."""
    return "".join(
        bold(escape(segment.text)) if isinstance(segment, Strong) else escape(segment)
        for segment in segments
    )


def _md_segments(segments: Sequence[Segment]) -> str:
    return _segments(segments, md_escape, lambda text: f"**{text}**")


def render_markdown(blocks: Sequence[Block]) -> str:
    """Blocks as GitHub-flavoured Markdown (every text escaped).

    Parameters
    ----------
    blocks : list of Block
        The card, block by block.

    Returns
    -------
    str
        Blocks separated by blank lines, ending with a newline.

    Examples
    --------
    >>> from rai_widgets.report.card.blocks import Table
    >>> print(render_markdown([Table(("Group", "n"), (("a|b", "3"),))]))
    | Group | n |
    |---|---|
    | a\\|b | 3 |
    <BLANKLINE>
    """
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {md_escape(block.text)}")
        elif isinstance(block, Para):
            text = _md_segments(block.segments)
            out.append(f"*{text}*" if block.style == "muted" and text else text)
        elif isinstance(block, Bullets):
            out.append("\n".join(f"- {_md_segments(item)}" for item in block.items))
        elif isinstance(block, Table):
            header = "| " + " | ".join(md_escape(h) for h in block.header) + " |"
            rule = "|" + "|".join("---" for _ in block.header) + "|"
            body = ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join([header, rule, *body]))
    return "\n\n".join(out) + "\n"


def _html_segments(segments: Sequence[Segment]) -> str:
    return _segments(segments, lambda text: html.escape(str(text)), "<strong>{}</strong>".format)


def render_html(blocks: Sequence[Block]) -> str:
    """Blocks as an HTML fragment (every text escaped); no script, no external resource.

    Parameters
    ----------
    blocks : list of Block
        The card, block by block.

    Returns
    -------
    str
        One element per block, separated by newlines.

    Examples
    --------
    >>> from rai_widgets.report.card.blocks import Bullets, Strong
    >>> render_html([Bullets((("n = ", Strong("<3>")),))])
    '<ul><li>n = <strong>&lt;3&gt;</strong></li></ul>'
    """
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Para):
            css = f' class="rai-{block.style}"' if block.style else ""
            out.append(f"<p{css}>{_html_segments(block.segments)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_html_segments(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            left = [' class="rai-text"' if k in block.text_columns else "" for k in range(99)]
            head = "".join(
                f"<th{left[k]}>{html.escape(h)}</th>" for k, h in enumerate(block.header)
            )
            rows = []
            for j, row in enumerate(block.rows):
                low = j < len(block.muted) and block.muted[j]
                css = ' class="rai-low"' if low else ""
                cells = "".join(f"<td{left[k]}>{html.escape(c)}</td>" for k, c in enumerate(row))
                rows.append(f"<tr{css}>{cells}</tr>")
            out.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
    return "\n".join(out)


def card_fragment(blocks: Sequence[Block]) -> str:
    """The card as an HTML fragment for a notebook: its stylesheet, then its blocks.

    Examples
    --------
    >>> from rai_widgets.report.card.blocks import Heading
    >>> fragment = card_fragment([Heading(1, "Card")])
    >>> fragment.startswith("<style>"), fragment.endswith('<h1>Card</h1>\\n</div>')
    (True, True)
    """
    style = f"<style>{design_tokens()}{card_css()}</style>"
    return f'{style}\n<div class="rai-card">\n{render_html(blocks)}\n</div>'


def card_page(title: str, blocks: Sequence[Block]) -> str:
    """The card as one self-contained HTML page: inline CSS, no script, no external resource.

    Parameters
    ----------
    title : str
        The page title (escaped).
    blocks : list of Block
        The card, block by block.

    Returns
    -------
    str

    Examples
    --------
    >>> from rai_widgets.report.card.blocks import Heading
    >>> page = card_page("Card <1>", [Heading(1, "Card")])
    >>> "<title>Card &lt;1&gt;</title>" in page, "default-src 'none'" in page
    (True, True)
    """
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"{card_fragment(blocks)}\n</body>\n</html>\n"
    )
