"""The static ``text/html`` picture every widget carries next to its live view.

Shown when the live view cannot be: a notebook reopened untrusted, without a kernel, on a site
that renders notebooks, or in VS Code (which never saves widget state). Untrusted notebooks go
through JupyterLab's HTML sanitizer, which drops ``<svg>`` and ``<style>`` elements; so each
inline chart is turned into an ``<img>`` with a ``data:image/svg+xml`` URI (an image cannot run
script, and every string in the chart was escaped when it was drawn), and the style sheet is
kept for the renderers that allow it.

The picture follows the widget: a widget shown with ``display`` (or as a cell's last line)
gets a display id, and after each cell that changed its state (the clicked case, the followed
group, ...) the output's picture is redrawn with ``update_display``, so a notebook saved after
an unattended run (nbclient, ``jupyter nbconvert --execute``, papermill) shows the current
selection, not the state when the widget was displayed. It is redrawn only while no front end
shows the live view (the widget's ``_view_count`` is 0): redrawing an output that a front end
renders live would rebuild the live view.

Every view also knows whether a front end drew it live (its ``rendered`` trait, from
:class:`~rai_widgets.widgets.handshake.FrontEndHandshake`). A view displayed in a kernel waits a
few seconds for that answer; when none comes, the displayed picture is redrawn with one line at
its top that says why the live view is missing and what to try where the kernel runs; where
the host would show its own error for the widget view, the picture is the whole output (see
:mod:`rai_widgets.widgets.handshake`).

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
from collections.abc import Callable
from typing import Any

import traitlets

from rai_widgets.static_html.page import style_tag
from rai_widgets.widgets.handshake import FrontEndHandshake, no_live_view_html

__all__ = ["StaticFallbackMixin", "fallback_html"]

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
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


class StaticFallbackMixin(FrontEndHandshake):
    """Adds the ``text/html`` fallback to a widget's mime bundle, and keeps it following the
    widget's state once displayed (see the module's notes); the ``rendered`` trait says
    whether a front end drew the live view.

    The widget class defines ``static_body()``: its current state as HTML without the
    stylesheet, so that a page holding several views (the Dashboard's picture) carries the
    stylesheet once; ``static_html()`` is the same state as self-contained HTML.
    """

    #: The current state as HTML without the stylesheet: every widget class defines it.
    static_body: Callable[[], str]

    def static_html(self) -> str:
        """The current state as self-contained HTML (no script, no external URL): the
        stylesheet once, then :meth:`static_body`."""
        return style_tag() + self.static_body()

    def drop_stylesheet(self) -> None:
        """Leave out this view's own stylesheet widget (its first child): a page that holds
        several views, the Dashboard, carries the stylesheet once for all of them."""
        children = tuple(getattr(self, "children", ()))
        first = children[0] if children else None
        if getattr(first, "value", None) == style_tag():
            self.set_trait("children", children[1:])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})  # type: ignore[misc]
        line = self.no_live_view_line()
        picture = self.static_html()
        bundle["text/html"] = fallback_html(no_live_view_html(line) + picture if line else picture)
        if self.picture_only():  # e.g. marimo shows a widget view as a "not supported" tab
            bundle.pop(_WIDGET_VIEW, None)
        return bundle

    def _ipython_display_(self, **kwargs: Any) -> None:
        from IPython import get_ipython
        from IPython.display import display

        shell = get_ipython()
        if getattr(self, "comm", None) is None:  # closed: no live view, no state to follow
            display({"text/plain": repr(self)}, raw=True)
            return
        if shell is None or not hasattr(shell, "events"):
            display(self._repr_mimebundle_(**kwargs), raw=True)
            return
        if self._view_count is None:
            self._view_count = 0  # the front end counts the live views it shows
        if getattr(shell, "kernel", None) is not None:  # a kernel: a front end may answer
            self.wait_for_front_end(self._draw_no_live_view)
        bundle = self._repr_mimebundle_(**kwargs)
        handle = display(bundle, raw=True, display_id=True)
        if not getattr(self, "_picture_handles", None):
            self._picture_handles: list = []
            self._picture_shell = shell
            self._picture_changed = False
            self.observe(self._note_change, names=traitlets.All)
            shell.events.register("post_run_cell", self._redraw_picture)
        self._picture_handles.append(handle)
        self._picture_bundle = bundle

    def _note_change(self, change: dict) -> None:
        if change["name"] not in ("_view_count", "rendered"):
            self._picture_changed = True

    def _draw_no_live_view(self) -> None:
        """No front end answered (called from the wait's timer thread): redraw the displayed
        picture with its line at once, and again after the next cell, whose output an
        unattended run (nbclient) records where it would drop a message sent between cells."""
        from IPython import get_ipython

        self._picture_changed = True
        handles = list(getattr(self, "_picture_handles", ()))
        shell = getattr(self, "_picture_shell", None)
        if not handles or shell is None or get_ipython() is not shell:
            return  # closed, or that shell is gone: nothing to redraw
        line = self.no_live_view_line()
        if not line:  # a front end answered meanwhile
            return
        bundle = dict(self._picture_bundle)  # the picture shown, not one drawn in this thread
        bundle["text/html"] = fallback_html(no_live_view_html(line)) + bundle["text/html"]
        if self.picture_only():
            bundle.pop(_WIDGET_VIEW, None)
        for handle in handles:
            handle.update(bundle, raw=True)

    def _redraw_picture(self, *_: Any) -> None:
        """After a cell: redraw the displayed picture if the state changed and no front end
        shows the widget live; a closed widget stops following."""
        if getattr(self, "comm", None) is None:
            self._stop_following()
            return
        if not self._picture_changed or self._view_count not in (0, None):
            return
        self._picture_changed = False
        bundle = self._repr_mimebundle_()
        self._picture_bundle = bundle
        for handle in self._picture_handles:
            handle.update(bundle, raw=True)

    def _stop_following(self) -> None:
        self.stop_waiting_for_front_end()
        self.unobserve(self._note_change, names=traitlets.All)
        self._picture_handles = []
        try:
            self._picture_shell.events.unregister("post_run_cell", self._redraw_picture)
        except ValueError:  # not registered
            pass
