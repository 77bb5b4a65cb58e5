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
    expect(page.locator(".rai-example-detail svg").first).to_be_visible()  # the waterfall
    expect(page.locator(".rai-example-detail .rai-case-effect svg")).to_contain_text("Dashed: case")

    # what-if and pin
    page.locator(".rai-what-if-value input").fill("52")
    page.locator(".rai-what-if-apply").click()
    expect(page.locator(".rai-what-if-result")).to_contain_text("instead of", timeout=30_000)
    page.locator(".rai-pin").click()
    expect(page.locator(".rai-example-browser")).to_contain_text("Pinned: 1 case in")
    save_screenshot(page, "example-browser-detail", element=".rai-example-browser")
    page_log.assert_clean()


GERMAN_SESSION = """\
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

data = rw.datasets.load_german_credit()
X, y = data.data, data.target
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    (StandardScaler(), make_column_selector(dtype_include="number")),
)
model = make_pipeline(encode, LogisticRegression(max_iter=1000)).fit(X, y)
session = rw.ModelSession(model, X, y, sensitive_features=["foreign_worker"], random_state=0)
"""


def _truth() -> dict[str, bool]:
    """Which rows the model gets wrong, computed here from the same code the kernel runs."""
    scope: dict = {}
    exec(GERMAN_SESSION, scope)  # our own fixed source, as the kernel runs it
    wrong = ~scope["session"].predictions()["correct"]
    return {str(label): bool(flag) for label, flag in wrong.items()}


def test_highlighted_rows_are_the_errors_on_every_page(
    page, page_log, jupyterlab_server, notebook_dir
):
    """Paging and changing the query never shows a stale error mark (one page snapshot)."""
    source = (
        GERMAN_SESSION
        + "browser = rw.ExampleBrowser(session, page_size=20)\n"
        + 'browser.slice = {"housing": "rent"}\n'
        + "browser\n"
    )
    run_notebook_in_lab(
        page, jupyterlab_server, write_notebook(notebook_dir, "errors.ipynb", source), timeout=180
    )
    truth = _truth()
    assert sum(truth.values()) > 100  # a slice with many errors to page through
    rows = page.locator(".rai-example-table tr.rai-table-row")
    status = page.locator(".rai-example-status")
    expect(rows).to_have_count(20)

    def check_page() -> None:
        labels = rows.evaluate_all("rs => rs.map(r => r.cells[0].textContent)")
        marked = rows.evaluate_all("rs => rs.map(r => r.classList.contains('rai-error-row'))")
        assert len(labels) == 20
        assert marked == [truth[label] for label in labels], labels

    check_page()
    seen_errors = 0
    for number in range(2, 6):
        first = rows.first.locator("td").first.inner_text()
        page.locator(".rai-next").click()
        expect(status).to_contain_text(f"page {number} of")
        expect(rows.first.locator("td").first).not_to_have_text(first)
        check_page()
        seen_errors += sum(
            truth[label] for label in rows.evaluate_all("rs => rs.map(r => r.cells[0].textContent)")
        )
    # the "Show" menu changes the rows and their flags in the same message
    page.locator(".rai-example-browser select").nth(0).select_option(index=1)
    expect(status).to_contain_text("page 1 of")
    check_page()
    assert seen_errors > 0
    page_log.assert_clean()
