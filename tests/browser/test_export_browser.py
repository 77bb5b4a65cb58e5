"""The exported HTML report in a real browser, opened from file:// with the network cut off.

Every request that is not the file itself is aborted and recorded: the page must render, switch
slices and page through rows with nothing but what the file carries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rai_widgets.report.export import export_html
from tests.browser.helpers import expect, save_screenshot
from tests.report.test_export import (
    HOSTILE_COLUMN,
    HOSTILE_IMG_VALUE,
    HOSTILE_VALUE,
    make_hostile_session,
)

pytestmark = pytest.mark.browser


def open_offline(page, path: Path) -> list[str]:
    """Open ``path`` from file://, aborting every other request; returns the aborted URLs."""
    url = path.resolve().as_uri()
    aborted: list[str] = []

    def only_the_file(route) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort("blockedbyclient")

    page.route("**/*", only_the_file)  # registered last: takes precedence over the fixture's
    page.goto(url)
    return aborted


def cell_texts(page, column: int) -> list[str]:
    return page.locator(f"#rai-rows tr td:nth-child({column + 1})").all_inner_texts()


def header_index(page, name: str) -> int:
    return page.locator(".rai-x-table thead th").all_inner_texts().index(name)


def test_export_renders_switches_slices_and_pages_offline(page, page_log, adult_session, tmp_path):
    path = tmp_path / "adult.html"
    result = export_html(adult_session, path, by="race", max_bytes=2_000_000)
    assert result.capped  # the note about the cap must be visible too
    aborted = open_offline(page, path)

    rows = page.locator("#rai-rows tr")
    expect(rows).to_have_count(25)
    expect(rows.first).to_be_visible()
    expect(page.locator("#fairness svg").first).to_be_visible()
    expect(page.locator("#explanation svg").first).to_be_visible()
    cap = result.row_cap
    expect(page.locator("#rai-note")).to_contain_text(
        f"Showing the first {cap:,} of 48,842 rows of this slice (export budget 2 MB)"
    )
    pages = -(-cap // 25)
    counter = page.locator("#rai-page")
    expect(counter).to_have_text(f"page 1 of {pages:,}")
    expect(page.locator("#rai-prev")).to_be_disabled()
    save_screenshot(page, "export")

    # next page: the counter moves and other rows are shown
    first_rows = cell_texts(page, 0)
    page.locator("#rai-next").click()
    expect(counter).to_have_text(f"page 2 of {pages:,}")
    assert cell_texts(page, 0) != first_rows
    expect(page.locator("#rai-prev")).to_be_enabled()

    # switch the slice: metrics line, note and table follow, and paging starts again
    race = header_index(page, "race")
    page.locator("#rai-slice").select_option(label="Black (4,685 rows)")
    expect(page.locator("#rai-metrics")).to_contain_text("4,685 rows · accuracy ")
    expect(page.locator("#rai-note")).to_contain_text("All 4,685 rows of this slice")
    expect(counter).to_have_text(f"page 1 of {-(-4685 // 25)}")
    assert set(cell_texts(page, race)) == {"Black"}
    page.locator("#rai-slice").select_option(label="Other (406 rows)")
    expect(counter).to_have_text("page 1 of 17")
    assert set(cell_texts(page, race)) == {"Other"}
    save_screenshot(page, "export-slice")

    assert aborted == []  # the file asked for nothing
    page_log.assert_clean()


def test_export_with_hostile_data_shows_it_as_text(page, page_log, wage, tmp_path):
    path = tmp_path / "hostile.html"
    export_html(make_hostile_session(wage), path, max_bytes=3_000_000)
    aborted = open_offline(page, path)
    expect(page.locator("#rai-rows tr").first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("u.rai-evil").count() == 0
    assert page.locator("script").count() == 2
    # shown as text: the column header, the picker's label and the cells
    column = header_index(page, HOSTILE_COLUMN)
    expect(page.locator("label[for=rai-slice]")).to_have_text(f"Slice of {HOSTILE_COLUMN}")
    page.locator("#rai-slice").select_option(index=1)
    values = set(cell_texts(page, column))
    assert len(values) == 1 and values <= {HOSTILE_VALUE, HOSTILE_IMG_VALUE}
    page.locator("#rai-slice").select_option(index=2)
    other = set(cell_texts(page, column))
    assert len(other) == 1 and other | values == {HOSTILE_VALUE, HOSTILE_IMG_VALUE}
    expect(page.locator("h1")).to_have_text(f"{HOSTILE_VALUE}: model report")
    page.wait_for_timeout(300)  # any injected handler would have fired by now
    assert page_log.dialogs == []
    assert aborted == []
    save_screenshot(page, "export-hostile")
    page_log.assert_clean()


def test_export_presenter_mode_hides_technical_columns(page, page_log, adult_session, tmp_path):
    path = tmp_path / "talk.html"
    export_html(adult_session, path, views=["examples", "fairness"], presenter=True)
    aborted = open_offline(page, path)
    expect(page.locator("#rai-rows tr").first).to_be_visible()
    expect(page.locator("th.rai-tech")).to_be_hidden()
    expect(page.locator("th", has_text="prediction").first).to_be_visible()
    size = page.evaluate("getComputedStyle(document.querySelector('.rai-x-table')).fontSize")
    assert size == "16px"
    save_screenshot(page, "export-presenter")
    assert aborted == []
    page_log.assert_clean()
