"""Helpers for the browser tests: driving a notebook in JupyterLab, screenshots, page problems.

The fixtures live in ``conftest.py``; tests import the helpers from here::

    from tests.browser.helpers import run_notebook_in_lab, save_screenshot
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"

# Console messages of type "error" that are not problems of the page under test. Keep this list
# short and explain every entry: anything added here can hide a real failure.
IGNORED_CONSOLE_ERRORS: tuple[re.Pattern[str], ...] = ()

# Voila's own page template links Font Awesome from cdn.jsdelivr.net; the page works without it.
VOILA_TEMPLATE_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@")

EXPECT_TIMEOUT_MS = 20_000

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass
class JupyterServer:
    """A Jupyter server (JupyterLab or Voila) started by the test session."""

    name: str
    url: str
    port: int
    root_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"<no log: {exc}>"
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class PageLog:
    """What went wrong on a page: console errors, uncaught exceptions, JS dialogs, and requests
    that tried to leave the machine (they are blocked: the tests run offline)."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self, allow_external: Iterable[re.Pattern[str]] = ()) -> list[str]:
        allowed = tuple(allow_external)
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"dialog: {m}" for m in self.dialogs]
            + [
                f"request to another host (blocked): {url}"
                for url in self.external_requests
                if not any(p.search(url) for p in allowed)
            ]
        )

    def assert_clean(self, allow_external: Iterable[re.Pattern[str]] = ()) -> None:
        """Fail if anything went wrong; ``allow_external``: URL patterns a page may ask for."""
        problems = self.problems(allow_external)
        assert not problems, "problems on the page:\n" + "\n".join(problems)


def watch_page(page) -> PageLog:
    """Record console errors, uncaught page exceptions and dialogs (dismissed) of ``page``;
    block and record every request to a host other than this machine."""
    log = PageLog()
    blocked: set[str] = set()

    def on_route(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname not in _LOCAL_HOSTS:
            blocked.add(url)
            log.external_requests.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        loc = msg.location or {}
        url = loc.get("url", "?")
        if url in blocked and msg.text.startswith("Failed to load resource"):
            return  # already in external_requests
        text = f"{msg.text} ({url}:{loc.get('lineNumber', '?')})"
        if not any(p.search(text) for p in IGNORED_CONSOLE_ERRORS):
            log.console_errors.append(text)

    def on_dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message!r}")
        # A dismissed "beforeunload" would cancel a navigation; let it through, but record it.
        if dialog.type == "beforeunload":
            dialog.accept()
        else:
            dialog.dismiss()

    page.route("**/*", on_route)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("dialog", on_dialog)
    return log


def expect(*args, **kwargs):
    """Playwright's ``expect``, imported on use: without Playwright, collecting the browser
    tests still works and the ``chromium_browser`` fixture skips them (or fails them in CI)."""
    from playwright.sync_api import expect as playwright_expect

    # Playwright's default of 5 s is short for a widget view drawn on a busy 2-core CI machine.
    playwright_expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    return playwright_expect(*args, **kwargs)


def save_screenshot(page, name: str, *, element: str | None = None) -> Path:
    """Save a PNG as ``test-artifacts/screenshots/<name>.png``: the page's viewport, or the
    whole of one element (a CSS selector), scrolled into view, however tall it is."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / f"{safe}.png"
    if element is None:
        page.screenshot(path=str(path))
    else:
        page.locator(element).first.screenshot(path=str(path))
    return path


# Every promise awaited inside the page is raced against a timeout: a page.evaluate on a promise
# that never settles would otherwise hang the test run.
_WITH_TIMEOUT = """
const withTimeout = (promise, ms, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
]);
"""

_FIND_PANEL = """
(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return false;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.sessionContext && w.content) return w.id;
  }
  return false;
}
"""

_PANEL_READY = f"""
async ({{id, ms}}) => {{
  {_WITH_TIMEOUT}
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  await withTimeout(panel.context.ready, ms, 'notebook context ready');
  await withTimeout(panel.sessionContext.ready, ms, 'notebook session ready');
  app.shell.activateById(id);
  return panel.sessionContext.kernelDisplayName;
}}
"""

# The notebook's own toolbar indicator, and the kernel itself, both say idle.
_KERNEL_IDLE = """
(id) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  const indicator = document.querySelector(
    `[id="${id}"] .jp-Notebook-ExecutionIndicator[data-status="idle"]`);
  return !!(kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
            && indicator);
}
"""

# "widgetId" makes the command act on this panel whatever has the focus.
_START_RUN_ALL = """
(id) => {
  window.__raiRunAll = null;
  window.jupyterapp.commands.execute('notebook:run-all-cells', {widgetId: id}).then(
    (result) => { window.__raiRunAll = {result: result === undefined ? null : result}; },
    (err) => { window.__raiRunAll = {error: String((err && err.stack) || err)}; });
}
"""

_ALL_CELLS_RAN = """
(id) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    if (cell.executionCount === null || cell.executionState === 'running') return false;
  }
  return true;
}
"""

_ERROR_OUTPUTS = """
(id) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  const cells = panel.content.model.cells;
  const errors = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      const out = cell.outputs.get(j).toJSON();
      if (out.output_type === 'error') {
        const traceback = (out.traceback || []).join('\\n');
        errors.push(`cell ${i}: ${out.ename}: ${out.evalue}\\n${traceback}`);
      }
    }
  }
  return errors;
}
"""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_notebook_in_lab(
    page,
    server: JupyterServer,
    notebook_path: str | Path,
    timeout: float = 90.0,
    *,
    allow_errors: bool = False,
):
    """Open a notebook in JupyterLab, run all its cells, and wait until they have all run.

    ``notebook_path`` is a path inside ``server.root_dir`` (absolute or relative to it). The
    workspace is reset so that tabs of earlier tests are not restored. Raises AssertionError if
    a cell raised (unless ``allow_errors``). Returns ``page`` for assertions.
    """
    path = Path(notebook_path)
    rel = (path.relative_to(server.root_dir) if path.is_absolute() else path).as_posix()
    ms = int(timeout * 1000)

    page.goto(f"{server.url}/lab/tree/{quote(rel)}?reset", timeout=ms)
    panel_id = page.wait_for_function(_FIND_PANEL, arg=rel, timeout=ms).json_value()
    page.evaluate(_PANEL_READY, {"id": panel_id, "ms": ms})
    page.wait_for_function(_KERNEL_IDLE, arg=panel_id, timeout=ms)

    page.evaluate(_START_RUN_ALL, panel_id)
    outcome = page.wait_for_function("() => window.__raiRunAll", timeout=ms).json_value()
    if "error" in outcome:
        raise AssertionError(f"notebook:run-all-cells failed: {outcome['error']}")
    # runAll resolves to false when a cell raised: the cells after it never run.
    if outcome.get("result") is not False:
        page.wait_for_function(_ALL_CELLS_RAN, arg=panel_id, timeout=ms)
    page.wait_for_function(_KERNEL_IDLE, arg=panel_id, timeout=ms)

    errors = page.evaluate(_ERROR_OUTPUTS, panel_id)
    if errors and not allow_errors:
        raise AssertionError(
            f"{rel}: cells raised:\n" + "\n\n".join(_ANSI.sub("", e) for e in errors)
        )
    if outcome.get("result") is False and not allow_errors:
        raise AssertionError(f"{rel}: notebook:run-all-cells reported that not all cells ran")
    return page


ADULT_SESSION = """\
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

data = rw.datasets.load_adult()
X, y = data.data.iloc[:6000], data.target.iloc[:6000]
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
     make_column_selector(dtype_exclude="number")),
    remainder="passthrough",
)
model = make_pipeline(encode, HistGradientBoostingClassifier(max_iter=60, random_state=0))
model.fit(X, y)
session = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)
"""


def write_notebook(directory: Path, name: str, source: str) -> Path:
    """Write a one-cell notebook with the python3 kernel into ``directory``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source)]
    path = directory / name
    nbformat.write(nb, path)
    return path
