"""A notebook saved with a full-size dashboard and its widget state stays small enough to share.

The notebook is executed by nbclient (as ``jupyter nbconvert --execute`` does), which stores the
widget state in the notebook's metadata: every model of the dashboard, its views and their data
goes into the file. On the full Adult data (48,842 rows) that file must stay <= 8 MB, and every
display output must carry a ``text/html`` fallback for places that show no widgets, and that
fallback shows the case and the group selected after the dashboard was displayed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.browser.helpers import ADULT_SESSION

pytestmark = pytest.mark.slow

MAX_BYTES = 8 * 1024 * 1024
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_FIRST_6000 = "data.data.iloc[:6000], data.target.iloc[:6000]"
assert _FIRST_6000 in ADULT_SESSION
BUILD = (
    "import sys\n"
    + ADULT_SESSION.replace(_FIRST_6000, "data.data, data.target")  # all 48,842 rows
    + "kernel_python, n_rows = sys.executable, len(X)\n"
)

SHOW = """\
board = rw.Dashboard(session)
board
"""

SELECT = """\
board.selected_row = X.index[(X["race"] == "Black").to_numpy()][3]
board.selected_slice = {"race": "Black"}
print(kernel_python, n_rows, board.selected_row, board.examples.n_rows, sep="|")
"""


def test_saved_notebook_with_a_full_dashboard_stays_small(tmp_path: Path, record_property):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (BUILD, SHOW, SELECT)]

    # One native thread in the kernel: OpenMP oversubscription on a busy 2-core machine can make
    # the fit many times slower (see tests/conftest.py).
    env = os.environ.copy()
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=900,
        startup_timeout=120,
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)

    # The kernel was this venv's Python, on the full data, and the selection went through.
    printed = "".join(
        out.get("text", "") for out in nb.cells[2].outputs if out.output_type == "stream"
    )
    kernel_python, n_rows, row, slice_rows = printed.strip().split("|")
    assert Path(kernel_python).resolve() == Path(sys.executable).resolve(), printed
    assert int(n_rows) == 48_842, printed
    assert row != "None", printed
    assert 0 < int(slice_rows.replace(",", "")) < 48_842, printed

    # nbclient stored the widget state: without it this test would measure nothing.
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert len(state) > 10, f"no widget state saved: metadata={sorted(nb.metadata)}"

    outputs = [
        out
        for cell in nb.cells
        for out in cell.outputs
        if out.output_type in ("display_data", "execute_result")
    ]
    assert outputs, "the dashboard displayed nothing"
    assert any(WIDGET_VIEW in out.data for out in outputs), "no widget view was displayed"
    view_ids = {out.data[WIDGET_VIEW]["model_id"] for out in outputs if WIDGET_VIEW in out.data}
    assert view_ids <= set(state), "a displayed widget's model is missing from the saved state"
    for out in outputs:
        assert "text/html" in out.data, (
            f"an output without a text/html fallback: {sorted(out.data)}"
        )
    picture = outputs[0].data["text/html"]
    assert "is right for" in picture
    # the picture shows the case and the group chosen in a later cell, not the first state
    assert f"case <b>{row}</b>" in picture and "<b>race = Black</b>" in picture, picture[:2000]
    assert f"<h4>Row {row}</h4>" in picture

    path = tmp_path / "full_dashboard.ipynb"
    nbformat.write(nb, path)
    size = path.stat().st_size
    state_size = len(json.dumps(nb.metadata["widgets"], indent=1))
    record_property("saved_notebook_bytes", size)
    record_property("widget_models", len(state))
    print(f"saved notebook: {size:,} bytes ({size / 2**20:.2f} MB), widget state ~{state_size:,}")
    assert size <= MAX_BYTES, (
        f"the saved notebook is {size:,} bytes ({size / 2**20:.2f} MB) > 8 MB; "
        f"{len(state)} widget models, their state ~{state_size:,} bytes"
    )
