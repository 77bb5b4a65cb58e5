"""The layer rules of DESIGN.md: imports go one way (core <- compute <- session <- display
<- widgets), and core, compute and the session never load plotting or widget libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rai_widgets"
HEAVY_UI = ("plotly", "ipywidgets", "anywidget")
LAYERS = ["core", "compute", "session", "display", "widgets"]


@pytest.mark.parametrize(
    "module", ["rai_widgets.core", "rai_widgets.compute", "rai_widgets.session", "rai_widgets"]
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


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "rai_widgets" or len(parts) < 2:
        return None
    name = parts[1]
    return LAYERS.index(name) if name in LAYERS else None


@pytest.mark.parametrize("layer", ["core", "compute"])
def test_lower_layers_import_only_lower_layers(layer):
    own = LAYERS.index(layer)
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    for path in files:
        for module in _imported_modules(path):
            level = _layer_of(module)
            assert level is None or level <= own, f"{path.name} imports {module}"
            assert module.split(".")[0] not in HEAVY_UI, f"{path.name} imports {module}"
