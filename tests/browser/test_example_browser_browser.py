"""ExampleBrowser in a real JupyterLab: pages, header sorting, row clicks and the detail pane,
what-if and pinning, all through the kernel."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = (
    ADULT_SESSION
    + """\
browser = rw.ExampleBrowser(session, page_size=10)
browser
"""
)


def test_example_browser_in_jupyterlab(page, page_log, jupyterlab_server, notebook_dir):
    run_notebook_in_lab(
        page,
        jupyterlab_server,
        write_notebook(notebook_dir, "example_browser.ipynb", SOURCE),
        timeout=180,
    )
    rows = page.locator(".rai-example-table tr.rai-table-row")
    expect(rows).to_have_count(10)
    status = page.locator(".rai-example-status")
    expect(status).to_contain_text("6,000 rows match")
    save_screenshot(page, "example-browser-first-page", element=".rai-example-browser")

    # next page, then sort by age with a header click
    page.locator(".rai-next").click()
    expect(status).to_contain_text("page 2 of 600")
    page.locator(".rai-example-table th", has_text="age").first.click()
    expect(page.locator(".rai-example-table th", has_text="age ▲")).to_be_visible()
    headers = page.locator(".rai-example-table th").all_inner_texts()
    assert headers[:4] == ["row", "prediction", "actual", "confidence"]  # the answer comes first
    age = next(i for i, text in enumerate(headers) if text.startswith("age"))
    expect(rows.first.locator("td").nth(age)).to_have_text("17")

    # a click on a row opens its details
    rows.nth(2).click()
    detail = page.locator(".rai-example-detail")
    expect(detail).to_contain_text("confidence")
    expect(detail).to_contain_text("Similar real cases")
    expect(page.locator(".rai-example-detail svg")).to_be_visible()

    # what-if and pin
    page.locator(".rai-what-if-value input").fill("52")
    page.locator(".rai-what-if-apply").click()
    expect(page.locator(".rai-what-if-result")).to_contain_text("instead of", timeout=30_000)
    page.locator(".rai-pin").click()
    expect(page.locator(".rai-example-browser")).to_contain_text("Pinned: 1 case(s)")
    save_screenshot(page, "example-browser-detail", element=".rai-example-browser")
    page_log.assert_clean()
