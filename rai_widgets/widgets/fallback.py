"""The static ``text/html`` picture every widget carries next to its live view.

Shown when the live view cannot be: a notebook reopened untrusted, without a kernel, on a site
that renders notebooks, or in VS Code (which never saves widget state). Untrusted notebooks go
through JupyterLab's HTML sanitizer, which drops ``<svg>`` and ``<style>`` elements; so each
inline chart is turned into an ``<img>`` with a ``data:image/svg+xml`` URI (an image cannot run
script, and every string in the chart was escaped when it was drawn), and the style sheet is
kept for the renderers that allow it.

Examples
--------
>>> page = '<p>x</p><svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"></svg>'
>>> html = fallback_html(page)
>>> html.startswith('<p>x</p><img ') and "data:image/svg+xml;base64," in html
True
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from typing import Any

__all__ = ["StaticFallbackMixin", "fallback_html"]

_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
_SIZE = re.compile(r'\b(width|height)="(\d+(?:\.\d+)?)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def _as_image(match: re.Match[str]) -> str:
    svg = match.group(0)
    head = svg[: svg.index(">")]
    size = dict(_SIZE.findall(head))
    title = _TITLE.search(svg)
    alt = title.group(1) if title else "chart"  # already escaped when the chart was drawn
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    dims = "".join(f' {k}="{v}"' for k, v in size.items())
    return (
        f'<img alt="{html_lib.escape(html_lib.unescape(alt), quote=True)}"{dims} '
        f'style="max-width:100%;height:auto" src="data:image/svg+xml;base64,{encoded}">'
    )


def fallback_html(page: str) -> str:
    """Replace every inline ``<svg>`` chart of ``page`` by an equivalent data-URI image.

    Parameters
    ----------
    page : str
        HTML whose charts are inline SVG (as the widgets' ``static_html()`` produce).

    Returns
    -------
    str
        The same HTML, readable after an HTML sanitizer that removes SVG elements.
    """
    return _SVG.sub(_as_image, page)


class StaticFallbackMixin:
    """Adds the ``text/html`` fallback to a widget's mime bundle.

    The widget class defines ``static_html()``: its current state as self-contained HTML.
    """

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})  # type: ignore[misc]
        bundle["text/html"] = fallback_html(self.static_html())  # type: ignore[attr-defined]
        return bundle
