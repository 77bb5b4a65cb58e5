"""The documentation site builds and works offline.

The site is the one ``scripts/docs`` builds into ``docs/_build/html`` when that build is newer
than every source it comes from (the docs, the notebooks, the package); otherwise the test
builds it itself into a temporary directory (``sphinx-build -W``: a warning or a failing
notebook cell fails the test). Every page is then checked for resources that would be fetched
from another host: scripts, style sheets, images, frames, and CSS ``@import`` / ``url()``.
Links (``<a href>``) to other sites are fine: nothing is fetched until a reader clicks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import rai_widgets

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
BUILD = DOCS / "_build" / "html"

# Attributes whose URL the browser fetches on its own, per element.
FETCHED = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
}
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?\s*((?:https?:)?//[^'")\s]*)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+['"]\s*((?:https?:)?//[^'"\s;]*)""", re.I)  # url() above

_built: dict[str, Path] = {}


def _requirements() -> None:
    for module in ("sphinx", "myst_nb", "furo"):
        pytest.importorskip(
            module,
            reason=f"{module} is not installed: the docs tools come with the 'docs' dependency "
            "group (scripts/docs, or pip install --group docs)",
        )


def newest_source() -> float:
    """The time (``st_mtime``) of the newest file the site is built from: the docs, the
    notebooks of ``notebooks/`` and the package. A build older than it is stale."""
    sources = [
        path
        for path in DOCS.rglob("*")
        if path.is_file()
        and not {"_build", "generated", "__pycache__"} & set(path.relative_to(DOCS).parts)
        and not (path.parent == DOCS / "notebooks" and path.suffix == ".ipynb")  # copies
    ]
    sources += list((REPO / "notebooks").glob("*.ipynb"))
    sources += list((REPO / "rai_widgets").rglob("*.py"))
    return max(path.stat().st_mtime for path in sources)


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML of the site: ``docs/_build/html`` if it is up to date, else a fresh build."""
    _requirements()
    if "html" in _built:
        return _built["html"]
    index = BUILD / "index.html"
    if index.exists() and index.stat().st_mtime >= newest_source():
        _built["html"] = BUILD
        return BUILD
    out = tmp_path_factory.mktemp("docs")
    # autosummary never deletes a page it wrote: stale pages of a moved name would clash
    shutil.rmtree(DOCS / "generated", ignore_errors=True)
    argv = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-E", "-b", "html"]
    argv += ["-d", str(out / "doctrees"), str(DOCS), str(out / "html")]
    result = subprocess.run(
        argv, cwd=REPO, capture_output=True, text=True, timeout=1800, env=dict(os.environ)
    )
    assert result.returncode == 0, (
        f"sphinx-build failed ({result.returncode}):\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-8000:]}"
    )
    _built["html"] = out / "html"
    return _built["html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


class _Resources(HTMLParser):
    """Collects every URL a page would fetch, and the CSS inside the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in FETCHED.get(tag, ()):
            value = values.get(name, "")
            if name == "srcset":
                self.urls += [part.strip().split(" ")[0] for part in value.split(",")]
            elif value:
                self.urls.append(value)
        if "style" in values:
            self.css.append(values["style"])
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


def external_in_css(css: str) -> list[str]:
    return CSS_URL.findall(css) + CSS_IMPORT.findall(css)


def external_resources(site: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = [url for url in parser.urls if EXTERNAL.match(url)]
        bad += [url for css in parser.css for url in external_in_css(css)]
        if bad:
            found[str(page.relative_to(site))] = bad
    for sheet in sorted(site.rglob("*.css")):
        bad = external_in_css(sheet.read_text(encoding="utf-8", errors="replace"))
        if bad:
            found[str(sheet.relative_to(site))] = bad
    return found


def test_the_scanner_finds_outside_resources(tmp_path):
    (tmp_path / "a.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css">'
        "<style>@import url('https://fonts.example.org/g.css');@import '//x.org/h.css';</style>"
        "</head>"
        '<body><img src="data:image/png;base64,AAAA"><img srcset="a.png 1x, http://x.org/b.png 2x">'
        '<a href="https://example.org/">a link is fine</a>'
        '<div style="background: url(http://x.org/bg.png)"></div>'
        '<iframe src="local.html"></iframe></body></html>'
    )
    (tmp_path / "s.css").write_text(
        "a{background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")}"
        "b{background:url(https://x.org/c.png)}"
    )
    assert external_resources(tmp_path) == {
        "a.html": [
            "https://cdn.example.org/x.js",
            "//fonts.example.org/f.css",
            "http://x.org/b.png",
            "https://fonts.example.org/g.css",
            "//x.org/h.css",
            "http://x.org/bg.png",
        ],
        "s.css": ["https://x.org/c.png"],
    }


def test_no_page_fetches_anything_from_another_host(site):
    found = external_resources(site)
    assert not found, "resources from other hosts (the site must work offline):\n" + "\n".join(
        f"{page}: {urls}" for page, urls in found.items()
    )


def test_every_notebook_and_public_name_has_a_page(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    for page in ("index.html", "getting_started.html", "sharing.html", "teaching.html"):
        assert page in pages
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    missing = [nb.name for nb in notebooks if f"notebooks/{nb.stem}.html" not in pages]
    assert not missing, f"notebooks without a page: {missing}"
    names = [n for n in rai_widgets.__all__ if not n.startswith("__")]
    missing = [n for n in names if f"generated/rai_widgets.{n}.html" not in pages]
    assert not missing, f"public names without an API page: {missing}"


def test_pages_show_the_static_pictures_not_widget_views(site):
    getting_started = (site / "getting_started.html").read_text(encoding="utf-8")
    assert 'class="rai-dashboard rai-dashboard-static' in getting_started
    assert "rai-dashboard-summary" in getting_started
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # no live widget view, no saved widget state, no ipywidgets html-manager
        assert "application/vnd.jupyter.widget-view+json" not in text, page
        assert "application/vnd.jupyter.widget-state+json" not in text, page
        assert "embed-amd" not in text and "require.min.js" not in text, page
        # an executed cell that raised would show a traceback
        assert 'class="output traceback' not in text, page
