"""The front-end files of the reports: CSS and JavaScript read from ``report/assets/``.

The files ship inside the package (and the wheel) and are read with :mod:`importlib.resources`,
so an installed package always has them. The reports inline them: an exported HTML file or a
model card page is one self-contained file that loads nothing, and the export's
Content-Security-Policy allows exactly the script it inlines, by its hash.

The export's script never writes data through ``innerHTML``: every string that came from data is
set with ``textContent``, and the data itself is read with ``JSON.parse`` from a
``<script type="application/json">`` block whose ``<``, ``>`` and ``&`` are escaped.

Examples
--------
>>> "rai-x-page" in export_css(), "textContent" in export_js(), ".rai-card" in card_css()
(True, True, True)
>>> script_hash("alert(1)")
'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='
"""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources

__all__ = ["asset_text", "card_css", "export_css", "export_js", "script_hash"]

ASSETS = "assets"
"""The folder of the front-end files, inside the ``rai_widgets.report`` package."""


@functools.cache
def asset_text(name: str) -> str:
    """The text of one file of ``rai_widgets/report/assets/`` (read once, then cached).

    Parameters
    ----------
    name : str
        The file name, e.g. ``"export.js"``.

    Returns
    -------
    str
        The file's text, preceded by a newline so that it starts on its own line where it is
        inlined (``<style>`` / ``<script>``).

    Examples
    --------
    >>> asset_text("export.js").startswith("\\n(function () {")
    True
    """
    files = resources.files("rai_widgets.report").joinpath(ASSETS).joinpath(name)
    return "\n" + files.read_text(encoding="utf-8")


def export_css() -> str:
    """The stylesheet of an exported HTML report (``assets/export.css``).

    Examples
    --------
    >>> "body.rai-presenter" in export_css()
    True
    """
    return asset_text("export.css")


def export_js() -> str:
    """The script of an exported HTML report (``assets/export.js``): slice picker and pager.

    Examples
    --------
    >>> 'getElementById("rai-data")' in export_js()
    True
    """
    return asset_text("export.js")


def card_css() -> str:
    """The stylesheet of a model card (``assets/card.css``).

    Examples
    --------
    >>> ".rai-card table" in card_css()
    True
    """
    return asset_text("card.css")


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly one inline script.

    Parameters
    ----------
    script : str
        The text between ``<script>`` and ``</script>``, exactly as inlined.

    Returns
    -------
    str
        ``"sha256-<base64 digest>"``, for ``script-src``.

    Examples
    --------
    >>> script_hash(export_js()).startswith("sha256-")
    True
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode()
