"""Is a piece of HTML inert? What data put in it must stay text.

``problems(html, scripts=N)`` parses the HTML as a browser's tokenizer does and lists every
way it could run something: an event-handler attribute (``onerror=``...), a ``javascript:``
address, an element that loads or runs (``<img>``, ``<iframe>``, ``<object>``, ``<embed>``,
``<base>``, ``<form>``), a marker class planted by the tests (``rai-evil``), and more
``<script>`` elements than the page's own ``N`` (a ``</script>`` inside data ends the page's
JSON block early and opens a new one, which this counts).
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that fetch, embed or run something: never written by the library's views.
ACTIVE = frozenset({"img", "iframe", "object", "embed", "base", "form", "frame", "applet"})
#: A class only the tests' hostile values carry.
MARKER = "rai-evil"


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>: an event handler")
            if value and "javascript:" in value.lower().replace(" ", ""):
                self.found.append(f"<{tag} {name}={value!r}>: a javascript: address")
            if name == "class" and value and MARKER in value:
                self.found.append(f"<{tag} class={value!r}>: an element made from data")
        if tag in ACTIVE:
            self.found.append(f"<{tag} {dict(attrs)}>: an active element")
        if tag == "script":
            self.scripts += 1

    handle_startendtag = handle_starttag


def problems(html: str, *, scripts: int = 0) -> list[str]:
    """Every way ``html`` could run or load something (empty when it is inert).

    Parameters
    ----------
    html : str
        A fragment or a whole page.
    scripts : int, default 0
        How many ``<script>`` elements the page itself writes.

    Returns
    -------
    list of str
    """
    parser = _Inert()
    parser.feed(html)
    parser.close()
    found = list(parser.found)
    if parser.scripts != scripts:
        found.append(f"{parser.scripts} <script> elements where the page writes {scripts}")
    return found
