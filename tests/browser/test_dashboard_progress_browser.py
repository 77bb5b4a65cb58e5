"""A Dashboard on a session whose predictions take a while appears at once, shows its progress,
leaves the kernel free for other cells, and fills in: in JupyterLab, Notebook 7 and Voila (the
widget updates come from a background thread)."""

from __future__ import annotations

import nbformat
import pytest

from tests.browser.helpers import (
    VOILA_TEMPLATE_CDN,
    expect,
    run_all_cells_in_notebook7,
    run_notebook_in_lab,
    save_tall_screenshot,
    watch_notebook7_known_error,
)

pytestmark = pytest.mark.browser

# ~290,000 rows through a model that needs 1 s per 30,000 rows: about 10 s of predicting
SLOW_SESSION = """\
import time
import pandas as pd
import rai_widgets as rw
from sklearn.linear_model import LogisticRegression

data = rw.datasets.load_adult()
X = pd.concat([data.data] * 6, ignore_index=True)
y = pd.concat([data.target] * 6, ignore_index=True)
COLUMNS = ["age", "hours-per-week", "education-num"]
fitted = LogisticRegression(max_iter=500).fit(data.data[COLUMNS], data.target)


class SlowModel:
    classes_ = fitted.classes_

    def predict(self, Z):
        return fitted.predict(Z[COLUMNS])

    def predict_proba(self, Z):
        time.sleep(len(Z) / 30_000)  # a remote model: the time grows with the rows
        return fitted.predict_proba(Z[COLUMNS])


session = rw.ModelSession(SlowModel(), X, y, sensitive_features=["sex"], random_state=0)
board = rw.Dashboard(session)
board
"""
OTHER_CELL = 'print("the kernel is free while the dashboard computes:", board.status)\n'


def _write(notebook_dir, name: str, cells: list[str]):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    path = notebook_dir / name
    nbformat.write(nb, path)
    return path


def _appears_then_fills_in(page, *, other_cell: bool, name: str) -> None:
    board = page.locator(".rai-dashboard").first
    expect(board).to_be_visible(timeout=120_000)
    progress = board.locator(".rai-dashboard-progress-text")
    expect(progress).to_contain_text("rows", timeout=60_000)  # progress, before the answers
    expect(board.locator(".rai-dashboard-tabs")).to_contain_text("hours-per-week")  # the data
    save_tall_screenshot(page, f"{name}-computing", element=".rai-dashboard")
    if other_cell:
        expect(page.get_by_text("the kernel is free while the dashboard computes: computing"))\
            .to_be_visible()  # fmt: skip
    # the visible tab (what to look at first) fills in from the background, then the others
    expect(board.locator(".rai-audit-view")).to_contain_text(
        "What to look at first", timeout=120_000
    )
    board.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text="Examples").click()
    rows = board.locator(".rai-example-table tr.rai-table-row")
    expect(rows.first).to_be_visible(timeout=120_000)
    expect(board.locator(".rai-dashboard-summary")).to_contain_text("is right for")
    expect(board.locator(".rai-dashboard-progress-box")).to_be_hidden()
    save_tall_screenshot(page, name, element=".rai-dashboard")


def test_dashboard_appears_at_once_in_jupyterlab(page, page_log, jupyterlab_server, notebook_dir):
    path = _write(notebook_dir, "progress_lab.ipynb", [SLOW_SESSION, OTHER_CELL])
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    _appears_then_fills_in(page, other_cell=True, name="dashboard-progress-lab")
    page_log.assert_clean()


def test_dashboard_appears_at_once_in_notebook_7(page, page_log, notebook7_server, notebook_dir):
    forget_known_error = watch_notebook7_known_error(page, page_log)
    path = _write(notebook_dir, "progress_nb7.ipynb", [SLOW_SESSION, OTHER_CELL])
    run_all_cells_in_notebook7(page, notebook7_server, path, timeout=240)
    _appears_then_fills_in(page, other_cell=True, name="dashboard-progress-notebook7")
    forget_known_error()
    page_log.assert_clean()


def test_dashboard_appears_at_once_in_voila(page, page_log, voila_server, notebook_dir):
    _write(notebook_dir, "progress_voila.ipynb", [SLOW_SESSION])
    page.goto(f"{voila_server.url}/voila/render/progress_voila.ipynb", timeout=180_000)
    _appears_then_fills_in(page, other_cell=False, name="dashboard-progress-voila")
    page_log.assert_clean(allow_external=[VOILA_TEMPLATE_CDN])


# -- a view on its own appears at once too -----------------------------------------------------
VIEW_CELLS = {
    "fairness": "view = rw.FairnessView(session)\nview\n",
    "uncertainty": "view = rw.UncertaintyView(session)\nview\n",
    "examples": "view = rw.ExampleBrowser(session)\nview\n",
}
FILLED = {  # what the view shows once its numbers are in
    "fairness": (".rai-fairness-table", "Female"),
    "uncertainty": (".rai-case-uncertainty", "Of 100 cases"),
    "examples": (".rai-example-table", "hours-per-week"),
}
VIEW_OTHER_CELL = 'print("the kernel is free while the view computes:", view.status)\n'


def _view_appears_then_fills_in(page, kind: str, *, other_cell: bool, name: str) -> None:
    view = page.locator(".rai-view").first
    expect(view).to_be_visible(timeout=120_000)
    expect(view.locator(".rai-view-progress-text")).to_contain_text("rows", timeout=60_000)
    expect(view.locator(".rai-waiting, .rai-data-preview").first).to_be_visible()
    save_tall_screenshot(page, f"{name}-computing", element=".rai-view")
    if other_cell:
        expect(page.get_by_text("the kernel is free while the view computes: computing"))\
            .to_be_visible()  # fmt: skip
    selector, text = FILLED[kind]
    expect(view.locator(selector)).to_contain_text(text, timeout=120_000)
    expect(view.locator(".rai-view-progress-box")).to_be_hidden()
    save_tall_screenshot(page, name, element=".rai-view")


def _view_session(kind: str) -> str:
    return SLOW_SESSION.replace("board = rw.Dashboard(session)\nboard\n", VIEW_CELLS[kind])


def test_fairness_view_appears_at_once_in_jupyterlab(
    page, page_log, jupyterlab_server, notebook_dir
):
    cells = [_view_session("fairness"), VIEW_OTHER_CELL]
    path = _write(notebook_dir, "view_progress_lab.ipynb", cells)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    _view_appears_then_fills_in(page, "fairness", other_cell=True, name="fairness-progress-lab")
    page_log.assert_clean()


def test_uncertainty_view_appears_at_once_in_notebook_7(
    page, page_log, notebook7_server, notebook_dir
):
    forget_known_error = watch_notebook7_known_error(page, page_log)
    cells = [_view_session("uncertainty"), VIEW_OTHER_CELL]
    path = _write(notebook_dir, "view_progress_nb7.ipynb", cells)
    run_all_cells_in_notebook7(page, notebook7_server, path, timeout=240)
    _view_appears_then_fills_in(
        page, "uncertainty", other_cell=True, name="uncertainty-progress-notebook7"
    )
    forget_known_error()
    page_log.assert_clean()


def test_example_browser_appears_at_once_in_voila(page, page_log, voila_server, notebook_dir):
    _write(notebook_dir, "view_progress_voila.ipynb", [_view_session("examples")])
    page.goto(f"{voila_server.url}/voila/render/view_progress_voila.ipynb", timeout=180_000)
    _view_appears_then_fills_in(page, "examples", other_cell=False, name="examples-progress-voila")
    page_log.assert_clean(allow_external=[VOILA_TEMPLATE_CDN])
