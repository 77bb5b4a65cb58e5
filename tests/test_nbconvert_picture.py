"""A notebook run with no front end (``jupyter nbconvert --execute``) and converted to HTML shows
each view's static picture, with the one line that says why the live view is missing.

No front end answers the views' handshake in an unattended run, so after the wait the picture
is redrawn with its line; a later cell's output carries that redraw into the notebook. The
notebook is converted as a notebook saved without widget state is (JupyterLab's default; for
an executed one, ``--ExecutePreprocessor.store_widget_state=False``): nbconvert then shows the
``text/html`` picture, which needs no script and no network.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rai_widgets.readings.hosts import no_live_view_line
from rai_widgets.widgets.handshake import WAIT_SECONDS, WAIT_VARIABLE

pytestmark = pytest.mark.slow

BUILD = """\
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

data = rw.datasets.load_german_credit()
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    (StandardScaler(), make_column_selector(dtype_include="number")),
)
model = make_pipeline(encode, LogisticRegression(max_iter=1_000)).fit(data.data, data.target)
session = rw.ModelSession(model, data.data, data.target, sensitive_features=["foreign_worker"],
                          random_state=0)
board = rw.Dashboard(session)
board
"""

# A later cell: it ends once the board's wait for a front end has (a condition, not a sleep).
LATER = """\
import time
deadline = time.monotonic() + 120
while board.front_end == "waiting" and time.monotonic() < deadline:
    time.sleep(0.05)
print(board.front_end, board.rendered, board.status, sep="|")
"""

HOST_VARIABLES = (
    "VSCODE_PID",
    "VSCODE_CWD",
    "DATABRICKS_RUNTIME_VERSION",
    "KAGGLE_KERNEL_RUN_TYPE",
    "VOILA_APP_PORT",
    "VOILA_SERVER_URL",
    "VOILA_BASE_URL",
    "VOILA_KERNEL_ID",
    WAIT_VARIABLE,
)


def test_nbconvert_html_of_an_executed_notebook_shows_the_picture_and_its_line(tmp_path: Path):
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbconvert")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(BUILD), nbformat.v4.new_code_cell(LATER)]
    path = tmp_path / "board.ipynb"
    nbformat.write(nb, path)

    env = {k: v for k, v in os.environ.items() if k not in HOST_VARIABLES}  # a plain Jupyter
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [
        sys.executable,
        "-m",
        "nbconvert",
        "--to",
        "html",
        "--execute",
        "--ExecutePreprocessor.store_widget_state=False",
        "--ExecutePreprocessor.timeout=600",
        "--output-dir",
        str(tmp_path),
        str(path),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    page = (tmp_path / "board.html").read_text(encoding="utf-8")

    # the later cell saw the wait end with no answer, the board complete
    assert "no answer|False|ready" in page
    # the picture is there, with its line at its top, once
    assert 'class="rai-dashboard rai-dashboard-static' in page
    assert "is right for" in page
    line = html.escape(no_live_view_line("jupyter", WAIT_SECONDS), quote=True)
    assert page.count(line) == 1, "the general line, once"
    assert page.index(line) < page.index("rai-dashboard-static")
    # no widget view, and no widget manager to fetch for one (nbconvert's template still
    # links require.js and MathJax, for pages that need them): the picture is plain HTML
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "html-manager" not in page and "embed-amd" not in page
