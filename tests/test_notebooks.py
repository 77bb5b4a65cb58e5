"""The notebooks shipped in notebooks/ run from top to bottom on the bundled data, are stored
without outputs, and keep what each audience needs: the workshop's solutions stay folded until
asked for and its glossary covers every term the views show; the stakeholder page shows views,
not code output.

The documentation build (``scripts/docs``, run by ``scripts/test`` before the tests) executes
every one of these notebooks and fails on any error; where its executed copy
(``docs/_build/jupyter_execute/notebooks/``) is newer than every source and holds the same
cells, the tests read it instead of running the notebook a second time. Otherwise they run it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_docs_site import newest_source

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
EXECUTED_BY_THE_DOCS = REPO / "docs" / "_build" / "jupyter_execute" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

#: One notebook per audience (issue 15): each must exist.
AUDIENCES = ("quickstart", "stakeholder_demo", "workshop", "comparing_models", "audit")

#: Terms the views show that the workshop's glossary must explain.
GLOSSARY_TERMS = (
    "slice",
    "support",
    "confidence interval",
    "calibration",
    "coverage",
    "conformal set",
    "SHAP",
    "LIME",
    "blind spot",
    "disparity",
    "four-fifths rule",
    "ECE",
    "q-value",
    "AUC",
)

FENCE = "`" * 3
DETAILS = re.compile(
    r"<details>\s*<summary>(?P<summary>.*?)</summary>(?P<body>.*?)</details>", re.S
)
CODE_BLOCK = re.compile(FENCE + r"python\n(?P<code>.*?)\n" + FENCE, re.S)
EXERCISE = re.compile(r"^#+\s*Exercise\s+\d+", re.M)


def _read(name: str):
    import nbformat

    return nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)


def _code(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def _executed_by_the_docs(path: Path, nb):
    """The documentation build's executed copy of ``path``, or None where it is missing, older
    than a source of the site (the package, the docs, the notebooks) or ran other cells."""
    import nbformat

    executed = EXECUTED_BY_THE_DOCS / path.name
    if not executed.is_file() or executed.stat().st_mtime < newest_source():
        return None
    copy = nbformat.read(executed, as_version=4)
    return copy if _code(copy) == _code(nb) else None


def _run_or_reuse(path: Path, tmp_path: Path):
    """``path`` run from top to bottom: the documentation build's run where it is up to date
    (it fails on any error, as ``_execute`` does), else run here."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    executed = _executed_by_the_docs(path, nb)
    return _execute(nb, tmp_path) if executed is None else _without_errors(executed)


def _execute(nb, tmp_path: Path):
    from nbclient import NotebookClient

    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return _without_errors(nb)


def _without_errors(nb):
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors, errors
    return nb


# -- running -------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    nb = _run_or_reuse(path, tmp_path)
    code = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]
    ran = [cell.execution_count for cell in code]
    assert ran and all(ran), "a code cell did not run"
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert all("text/html" in o["data"] or "text/plain" in o["data"] for o in shown)
    if path.stem == "stakeholder_demo":
        # A Voila page for a meeting: views only, no printed text, no warnings, no tables of
        # code output a stakeholder would have to read.
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o["output_type"] == "stream"], outputs
        widget = "application/vnd.jupyter.widget-view+json"
        assert shown and all(widget in o["data"] for o in shown)
    assert len(NOTEBOOKS) >= len(AUDIENCES)


@pytest.mark.slow
def test_workshop_solutions_run(tmp_path):
    """Every solution's code, run where a participant would paste it, works."""
    import nbformat

    nb = _read("workshop")
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "markdown":
            for match in DETAILS.finditer(cell.source):
                for block in CODE_BLOCK.finditer(match["body"]):
                    cells.append(nbformat.v4.new_code_cell(block["code"]))
    assert len(cells) > len(nb.cells)
    nb.cells = cells
    _execute(nb, tmp_path)


# -- how they are stored -------------------------------------------------------------------------


def test_a_notebook_for_each_audience():
    names = {p.stem for p in NOTEBOOKS}
    assert set(AUDIENCES) <= names, sorted(set(AUDIENCES) - names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_without_outputs(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata  # no saved widget state
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs"
            assert cell.execution_count is None, f"cell {i} has an execution count"


def test_stakeholder_demo_opens_the_dashboard_in_presenter_mode():
    nb = _read("stakeholder_demo")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "rw.Dashboard(session, presenter=True)" in code
    assert "rw.AuditView(" in code
    # narrated: a stakeholder follows the markdown, Voila hides the code
    prose = [c for c in nb.cells if c.cell_type == "markdown"]
    assert nb.cells[0].cell_type == "markdown" and len(prose) >= len(nb.cells) // 2


# -- the workshop --------------------------------------------------------------------------------


def test_workshop_glossary_explains_every_term():
    nb = _read("workshop")
    glossary = [
        c.source for c in nb.cells if c.cell_type == "markdown" and "## Glossary" in c.source
    ]
    assert len(glossary) == 1, "the workshop needs one markdown cell headed '## Glossary'"
    rows = [line for line in glossary[0].splitlines() if line.startswith("|")]
    terms = {row.split("|")[1].strip().casefold() for row in rows[2:]}  # after header, rule
    explained = {row.split("|")[1].strip().casefold(): row.split("|")[3] for row in rows[2:]}
    for term in GLOSSARY_TERMS:
        matches = [t for t in terms if t == term.casefold() or t.startswith(term.casefold())]
        assert matches, f"glossary has no row for {term!r}"
        assert len(explained[matches[0]].split()) >= 8, f"{term!r} is not explained"


def test_workshop_solutions_are_hidden_until_asked_for():
    nb = _read("workshop")
    exercises, solutions = 0, 0
    waiting = False  # an exercise whose solution has not come yet
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if waiting:  # the cell for the participant's answer: empty but for comments
                lines = [line for line in cell.source.splitlines() if line.strip()]
                assert all(line.lstrip().startswith("#") for line in lines), i
            continue
        text = cell.source
        hidden = DETAILS.sub("", text)
        # nothing of a solution outside a <details> block: no code, no "Solution" heading
        assert FENCE not in hidden, f"cell {i}: a code block outside <details>"
        assert not re.search(r"^#+\s*Solution", hidden, re.M | re.I), i
        found = list(DETAILS.finditer(text))
        if found:
            assert waiting, f"cell {i}: a solution without an exercise before it"
            # the whole cell is the folded block: nothing shows until it is clicked
            assert text.strip().startswith("<details>") and text.strip().endswith("</details>")
            assert len(found) == 1 and "solution" in found[0]["summary"].lower()
            assert CODE_BLOCK.search(found[0]["body"]), f"cell {i}: a solution without code"
            solutions += 1
            waiting = False
        if EXERCISE.search(hidden):
            assert not waiting, f"cell {i}: the exercise before it has no solution"
            exercises += 1
            waiting = True
    assert not waiting, "the last exercise has no solution"
    assert exercises == solutions >= 5
