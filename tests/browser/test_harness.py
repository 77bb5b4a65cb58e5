"""The harness itself: an ipywidgets notebook rendered and driven in JupyterLab and in Voila.

A slider press goes front end -> kernel (``observe``) -> front end, so a changed HTML text proves
that the widget manager, the comms and the kernel all work in the real page.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tests.browser.helpers import (
    VOILA_TEMPLATE_CDN,
    expect,
    run_notebook_in_lab,
    save_screenshot,
)

pytestmark = pytest.mark.browser

NOTEBOOK_NAME = "harness_slider.ipynb"

SOURCE = """\
import ipywidgets as widgets

slider = widgets.IntSlider(value=3, min=0, max=10, description="n")
slider.add_class("rai-test-slider")
shown = widgets.HTML(value="value=3")
shown.add_class("rai-test-html")


def _show(change):
    shown.value = f"value={change['new']}"


slider.observe(_show, names="value")
widgets.VBox([slider, shown])
"""


@pytest.fixture(scope="module")
def slider_notebook(notebook_dir: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Browser harness check"),
        nbformat.v4.new_code_cell(SOURCE),
    ]
    path = notebook_dir / NOTEBOOK_NAME
    nbformat.write(nb, path)
    return path


def _press_right_and_expect_update(page) -> None:
    slider = page.locator(".rai-test-slider")
    shown = page.locator(".rai-test-html")
    expect(slider).to_be_visible()
    expect(shown).to_have_text("value=3")
    slider.locator(".noUi-handle").press("ArrowRight")
    # The text only changes after the kernel ran the observer and synced the HTML widget back.
    expect(shown).to_have_text("value=4", timeout=15_000)


def test_widgets_render_and_round_trip_in_jupyterlab(
    page, page_log, jupyterlab_server, slider_notebook
):
    run_notebook_in_lab(page, jupyterlab_server, slider_notebook, timeout=90)
    _press_right_and_expect_update(page)
    save_screenshot(page, "jupyterlab-harness-slider")
    page_log.assert_clean()


def test_widgets_render_and_round_trip_in_voila(page, page_log, voila_server, slider_notebook):
    # The notebook runs on the server while the page is requested: the first render is slow.
    page.goto(f"{voila_server.url}/voila/render/{slider_notebook.name}", timeout=90_000)
    expect(page.locator(".rai-test-slider")).to_be_visible(timeout=60_000)
    _press_right_and_expect_update(page)
    save_screenshot(page, "voila-harness-slider")
    page_log.assert_clean(allow_external=[VOILA_TEMPLATE_CDN])
