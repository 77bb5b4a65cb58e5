"""The documentation site in a real browser, opened from file:// with the network cut off.

The getting-started page shows a Dashboard: the static picture of its state that the widget
carries in its mime bundle, rendered by myst-nb at build time. Every request that is not a
local file (or a data: URI) is aborted and recorded: the page must draw with nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.helpers import expect, save_screenshot
from tests.test_docs_site import built_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory)


def block_outside(page) -> list[str]:
    """Abort every request of ``page`` that is not a local file; returns the aborted URLs."""
    aborted: list[str] = []

    def local_only(route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            aborted.append(url)
            route.abort("blockedbyclient")

    page.route("**/*", local_only)  # registered last: takes precedence over the fixture's
    return aborted


def loaded_images(page, selector: str) -> list[int]:
    """The natural widths of the images under ``selector`` (0: an image that did not load)."""
    return page.eval_on_selector_all(
        f"{selector} img", "imgs => imgs.map(img => img.complete ? img.naturalWidth : 0)"
    )


def test_getting_started_shows_the_dashboard_offline(page, page_log, site):
    aborted = block_outside(page)
    page.goto((site / "getting_started.html").as_uri())

    board = page.locator(".rai-dashboard.rai-dashboard-static").first
    expect(board).to_be_visible()
    expect(board.locator(".rai-dashboard-summary").first).to_be_visible()
    expect(board.locator(".rai-dashboard-summary").first).to_contain_text("%")
    board.evaluate("el => el.scrollIntoView({block: 'start', behavior: 'instant'})")  # its top
    # the charts travel as data: images inside the picture; every one of them is drawn
    widths = loaded_images(page, ".rai-dashboard")
    assert widths and all(w > 0 for w in widths), widths
    # the theme's own style sheet applied: the page is not a bare, unstyled document
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    assert page.locator("link[rel=stylesheet]").count() > 0
    save_screenshot(page, "docs-getting-started-dashboard")

    assert aborted == [], f"the page asked for outside resources: {aborted}"
    page_log.assert_clean()


def test_every_page_with_a_view_draws_it_offline(page, page_log, site):
    """Each page whose cells showed one of our views (the notebooks included)."""
    pages = [
        p
        for p in sorted(site.rglob("*.html"))
        if 'class="rai-' in (text := p.read_text(encoding="utf-8")) and "cell_output" in text
    ]
    assert any(p.name == "getting_started.html" for p in pages)
    aborted = block_outside(page)
    for path in pages:
        page.goto(path.as_uri())
        view = page.locator('.cell_output [class*="rai-"]').first
        expect(view).to_be_visible()
        widths = loaded_images(page, ".cell_output")
        assert all(w > 0 for w in widths), (path.name, widths)
    assert aborted == [], f"pages asked for outside resources: {aborted}"
    page_log.assert_clean()
