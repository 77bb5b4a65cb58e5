"""The dashboard where people share notebooks: Jupyter Notebook 7, and a notebook received from
someone else (untrusted, its saved widget state ignored), which must show the static fallback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rai_widgets.widgets.dashboard import TABS as DASHBOARD_TABS
from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    open_notebook_in_lab,
    run_all_cells_in_notebook7,
    save_tall_screenshot,
    watch_notebook7_known_error,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = (
    ADULT_SESSION
    + """\
board = rw.Dashboard(session)
board
"""
)


def test_dashboard_in_notebook_7(page, page_log, notebook7_server, notebook_dir):
    forget_known_error = watch_notebook7_known_error(page, page_log)
    run_all_cells_in_notebook7(
        page,
        notebook7_server,
        write_notebook(notebook_dir, "dashboard_notebook7.ipynb", SOURCE),
        timeout=180,
    )
    board = page.locator(".rai-dashboard").first
    expect(board).to_be_visible()
    expect(page.locator(".rai-dashboard-static")).to_have_count(0)  # the live widget, not HTML
    expect(board.locator(".rai-dashboard-summary")).to_contain_text("is right for")
    expect(board.locator(".rai-dashboard-tabs")).to_be_visible()
    expect(board.locator(".rai-audit-view")).to_be_visible()  # the first tab: what to look at
    board.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text="Examples").click()
    rows = board.locator(".rai-example-table tr.rai-table-row")
    expect(rows.first).to_be_visible()
    assert rows.count() > 1

    following = board.locator(".rai-dashboard-following")
    expect(following).not_to_contain_text("case")
    rows.nth(2).click()
    expect(following).to_contain_text("case", timeout=30_000)
    save_tall_screenshot(page, "dashboard-notebook7", element=".rai-dashboard")
    forget_known_error()
    page_log.assert_clean()


def _execute_and_save(path: Path) -> None:
    """Run SOURCE with nbclient (which stores outputs and widget state) and save it to ``path``
    unsigned, as a notebook received from someone else is."""
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(PYTHON3)
    nb.cells = [nbformat.v4.new_code_cell(SOURCE)]
    env = os.environ.copy()
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=600, startup_timeout=120, store_widget_state=True
    ).execute(env=env)
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {})
    assert any("text/html" in out.get("data", {}) for out in nb.cells[0].outputs)
    nbformat.write(nb, path)  # nbformat.write does not sign it: the notebook is not trusted


PYTHON3 = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# A kernel the sender had and this machine has not: JupyterLab opens it with no kernel at all.
NOT_INSTALLED = {"name": "rai-not-installed", "display_name": "Not installed", "language": "none"}


@pytest.fixture(scope="module")
def received_notebooks(notebook_dir: Path) -> dict[str, Path]:
    """The executed notebook as received: with the python3 kernel, and with a kernel that is
    not installed here (so that nothing can run when it is opened)."""
    import nbformat

    with_kernel = notebook_dir / "received_dashboard.ipynb"
    _execute_and_save(with_kernel)
    nb = nbformat.read(with_kernel, as_version=4)
    nb.metadata["kernelspec"] = dict(NOT_INSTALLED)
    without_kernel = notebook_dir / "received_dashboard_no_kernel.ipynb"
    nbformat.write(nb, without_kernel)
    return {"python3 kernel": with_kernel, "no kernel": without_kernel}


_SESSIONS = "() => fetch('/api/sessions').then((r) => r.json())"


def _assert_static_fallback(page) -> None:
    """What a user sees of the dashboard in an untrusted notebook: the text/html fallback."""
    static = page.locator('.jp-OutputArea-output[data-mime-type="text/html"] .rai-dashboard-static')
    expect(static).to_have_count(1)
    expect(static).to_be_visible()
    expect(static.locator(".rai-dashboard-summary")).to_contain_text("is right for")
    expect(static.locator(".rai-dashboard-following")).to_contain_text("all rows")
    # the audit's own heading, then one per view (h3 elements: a notebook's sanitizer keeps
    # them, where it drops a div's heading role)
    headings = static.locator("h3")
    expect(headings).to_have_count(5)
    texts = headings.all_inner_texts()
    assert texts == ["What to look at first", *DASHBOARD_TABS[1:]], texts
    assert "Fairness by group" in texts
    expect(static.locator("table").first).to_be_visible()
    expect(static.locator("table").first).to_contain_text("Bachelors")  # Adult's rows
    # The widget view was not drawn instead: untrusted, its saved widget state is ignored.
    widget_views = (
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"]'
    )
    expect(page.locator(widget_views)).to_have_count(0)
    expect(page.locator(".rai-dashboard-tabs")).to_have_count(0)


@pytest.mark.parametrize("kernel", ["python3 kernel", "no kernel"])
def test_untrusted_saved_notebook_shows_the_static_fallback(
    page, page_log, jupyterlab_server, received_notebooks, kernel
):
    path = received_notebooks[kernel]
    panel = open_notebook_in_lab(
        page, jupyterlab_server, path, timeout=120, wait_for_kernel=kernel == "python3 kernel"
    )
    assert panel["trusted"] is False, panel
    assert panel["executionCounts"] == [1], panel  # as saved: nothing ran here
    if kernel == "no kernel":
        assert panel["kernel"] is None, panel
        sessions = [s for s in page.evaluate(_SESSIONS) if s["path"] == path.name]
        assert not any(s.get("kernel") for s in sessions), sessions
    else:
        assert panel["kernel"] == "python3", panel
    _assert_static_fallback(page)
    name = "dashboard-untrusted-fallback" + ("-no-kernel" if kernel == "no kernel" else "")
    save_tall_screenshot(page, name, element=".rai-dashboard-static")
    page_log.assert_clean()


def test_untrusted_static_fallback_keeps_its_charts(page, jupyterlab_server, received_notebooks):
    # JupyterLab's sanitizer drops <svg> from untrusted outputs: the charts travel as images
    open_notebook_in_lab(page, jupyterlab_server, received_notebooks["python3 kernel"])
    static = page.locator(".rai-dashboard-static").first
    expect(static).to_be_visible()
    charts = static.locator('img[src^="data:image/svg+xml"]')
    expect(charts.first).to_be_visible(timeout=5_000)
    assert charts.count() >= 5  # waterfall, disparity, thresholds, reliability, coverage
    decoded = charts.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert all(decoded), decoded
    save_tall_screenshot(page, "dashboard-untrusted-charts", element=".rai-dashboard-static")
