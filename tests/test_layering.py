"""The layer rules of DESIGN.md, enforced over every module of the package.

``core, formatting <- compute <- session <- views <- display <- static_html <- widgets, report``:
a module imports only from its own layer or lower ones (imports inside functions included),
report never imports widgets (nor widgets report), there is no import circle, and no module
uses another module's private (underscore) names. The one upward hand-off is listed in
``ALLOWED_UPWARD``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rai_widgets"
HEAVY_UI = ("plotly", "ipywidgets", "anywidget")

#: Rank of each top-level part of the package; a module imports only ranks <= its own.
RANKS = {
    "formatting": 0,
    "core": 0,
    "datasets": 0,
    "readings": 0,
    "formatting_kinds": 0,
    "formatting_metrics": 0,
    "_version": 0,
    "compute": 1,
    "session": 2,
    "testcases": 2,
    "views": 3,
    "display": 4,
    "static_html": 5,
    "widgets": 6,
    "report": 6,
    "demo": 7,
    "cli": 7,
    "__init__": 7,
}
#: Parts of the same rank that must still not import each other: (importer, imported).
FORBIDDEN_SIDEWAYS = {("report", "widgets"), ("widgets", "report"), ("core", "datasets")}
#: The only upward imports allowed: (importing module, imported module). Each is an import
#: inside a function (as pandas' ``DataFrame.plot`` imports plotting lazily).
ALLOWED_UPWARD = {
    ("rai_widgets.session.model_session", "rai_widgets.report.export"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "rai_widgets":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _is_module(name: str) -> bool:
    if not name.startswith("rai_widgets."):
        return False
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def _imports(path: Path) -> list[tuple[str, bool, list[str]]]:
    """(imported module, at module level?, names imported from it) for every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    top_level |= {
        id(child)
        for node in tree.body
        if isinstance(node, (ast.If, ast.Try))
        for child in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [alias.name for alias in node.names]
            # "from rai_widgets import formatting" imports the module rai_widgets.formatting
            submodules = [n for n in names if _is_module(f"{base}.{n}")]
            if len(submodules) < len(names):
                found.append((base, id(node) in top_level, names))
            found += [(f"{base}.{n}", id(node) in top_level, []) for n in submodules]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, id(node) in top_level, []))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def _layer_violations(files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        importer = _module_name(path)
        own = _part(importer)
        for imported, _, _ in _imports(path):
            target = _part(imported)
            if target is None or target not in RANKS or target == own:
                if target is None and imported.split(".")[0] in HEAVY_UI and RANKS[own] <= 2:
                    problems.append(f"{importer} imports the UI library {imported}")
                continue
            if (importer, imported) in ALLOWED_UPWARD:
                continue
            if RANKS[target] > RANKS[own] or (own, target) in FORBIDDEN_SIDEWAYS:
                problems.append(f"{importer} ({own}) imports {imported} ({target})")
    return problems


def test_every_part_of_the_package_has_a_rank():
    parts = {_part(_module_name(path)) for path in MODULES}
    assert parts <= set(RANKS), f"give these a rank in RANKS: {sorted(parts - set(RANKS))}"


def test_imports_go_one_way_inside_functions_too():
    assert _layer_violations(MODULES) == []


def test_formatting_imports_nothing_of_the_package():
    imported = [m for m, _, _ in _imports(PACKAGE / "formatting.py") if _part(m)]
    assert imported == []


def test_a_planted_back_edge_is_caught(tmp_path):
    """The checker itself: an import from compute into widgets, inside a function, fails."""
    planted = PACKAGE / "compute" / "_planted_for_test.py"
    source = "def f():\n    from rai_widgets.widgets import dashboard\n    return dashboard\n"
    planted.write_text(source, encoding="utf-8")
    try:
        problems = _layer_violations([planted])
    finally:
        planted.unlink()
    assert problems == [
        "rai_widgets.compute._planted_for_test (compute) imports "
        "rai_widgets.widgets.dashboard (widgets)",
    ]


def _type_only(path: Path) -> set[str]:
    """Modules imported only for the type checker (under ``if TYPE_CHECKING:``): never at run
    time, so no circle of imports; the ranks above still hold for them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in ast.walk(node):
                if isinstance(child, ast.ImportFrom) and child.module:
                    found.add(child.module)
    return found


def test_no_import_circle():
    graph: dict[str, set[str]] = {}
    names = {_module_name(path) for path in MODULES}
    for path in MODULES:
        edges = set()
        type_only = _type_only(path)
        for imported, _, _ in _imports(path):
            if imported in type_only:
                continue
            while imported and imported not in names:
                imported = imported.rpartition(".")[0]
            if imported and imported != _module_name(path):
                edges.add(imported)
        graph[_module_name(path)] = edges
    allowed = {(a, b) for a, b in ALLOWED_UPWARD}
    # a package's __init__ re-exporting its own modules is not a circle of concern
    for module, edges in graph.items():
        graph[module] = {
            e for e in edges if (module, e) not in allowed and not module.startswith(e + ".")
        }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for nxt in sorted(graph.get(module, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def _private_uses(path: Path) -> list[str]:
    """Private names of *other* modules or objects that a module reaches for."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rai_widgets"):
            found += [
                f"from {node.module} import {alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
        elif isinstance(node, ast.Attribute):
            attr = node.attr
            if not attr.startswith("_") or attr.startswith("__"):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "super"
            ):
                continue
            found.append(f"line {node.lineno}: .{attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE.parent)) for p in MODULES])
def test_no_module_uses_another_modules_private_names(path):
    assert _private_uses(path) == []


@pytest.mark.parametrize(
    "module",
    [
        "rai_widgets.core",
        "rai_widgets.compute",
        "rai_widgets.session",
        "rai_widgets.formatting",
        "rai_widgets",
    ],
)
def test_import_does_not_load_ui_libraries(module):
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        "import rai_widgets.compute.slice_metrics, rai_widgets.compute.disparities\n"
        f"loaded = [m for m in {HEAVY_UI!r} if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loaded {result.stdout.strip()}"


def _session_parameters(path: Path) -> list[str]:
    """Functions of ``path`` that take a parameter named like a session."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            names = [
                a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            ]
            if any(name == "session" or name.startswith("session_") for name in names):
                found.append(f"{path.name}:{node.lineno} {node.name}")
    return found


def test_compute_takes_no_session():
    """compute/ is pure functions over arrays and frames: what asks a session lives in
    session/ (the audit's checks are in session/checks/)."""
    found = [
        f for path in sorted((PACKAGE / "compute").glob("*.py")) for f in _session_parameters(path)
    ]
    assert not found, found


def test_displays_take_a_session_only_in_from_session():
    """A Display is data in, chart out: only its ``from_session`` constructor takes a session
    (as scikit-learn's ``from_estimator``), and hands it to the views layer or its verbs."""
    found = [
        f
        for path in sorted((PACKAGE / "display").glob("*.py"))
        for f in _session_parameters(path)
        if not f.endswith(" from_session")
    ]
    assert not found, found


def test_the_session_parameter_check_sees_one(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def check(session, *, alpha):\n    return session.audit()\n")
    assert _session_parameters(planted) == ["planted.py:1 check"]


def _untyped_sessions(path: Path) -> list[str]:
    """Parameters named like a session whose annotation is missing or ``Any``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if a.arg in ("session", "session_a", "session_b"):
                    note = a.annotation
                    if note is None or (isinstance(note, ast.Name) and note.id == "Any"):
                        found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    return found


def test_views_and_reports_know_the_session_type():
    """Outside session/ a session is a ``ModelSession`` to the type checker, never ``Any``."""
    found = [
        f
        for path in sorted(PACKAGE.rglob("*.py"))
        if "session" not in path.relative_to(PACKAGE).parts[:1]
        for f in _untyped_sessions(path)
    ]
    assert not found, found
