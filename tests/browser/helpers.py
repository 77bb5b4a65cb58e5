"""Helpers for the browser tests: driving a notebook in JupyterLab, screenshots, page problems.

The fixtures live in ``conftest.py``; tests import the helpers from here::

    from tests.browser.helpers import run_notebook_in_lab, save_screenshot
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


def wait_for_idle_kernel(page, idle_js: str, arg=None, *, timeout_ms: int) -> None:
    """Wait until ``idle_js(arg)`` is true, answering a "Select Kernel" dialog on the way.

    On a fresh machine (a kernelspec not yet cached, a slow first kernel start) JupyterLab and
    Notebook 7 may ask which kernel to start; a user would pick Python 3 and press Select. We
    do the same, on a condition, never after a fixed sleep.
    """
    probe = f"""
    (arg) => {{
      if (({idle_js})(arg)) return 'idle';
      return document.querySelector('.jp-Dialog') ? 'dialog' : false;
    }}
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        left = max(1_000, int((deadline - time.monotonic()) * 1000))
        state = page.wait_for_function(probe, arg=arg, timeout=left).json_value()
        if state == "idle":
            return
        dialog = page.locator(".jp-Dialog").first
        choice = dialog.locator("select")
        if choice.count():
            options = choice.first.locator("option").all_inner_texts()
            python = next((o for o in options if "Python" in o), None)
            if python is not None:
                choice.first.select_option(label=python)
        dialog.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        dialog.wait_for(state="detached", timeout=left)
        if time.monotonic() > deadline:
            raise AssertionError("the kernel never became idle")


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
    # the kernel idle (a "Select Kernel" dialog answered on the way), then the panel ready
    wait_for_idle_kernel(page, _KERNEL_IDLE, panel_id, timeout_ms=ms)
    page.evaluate(_PANEL_READY, {"id": panel_id, "ms": ms})

    page.evaluate(_START_RUN_ALL, panel_id)
    outcome = page.wait_for_function("() => window.__raiRunAll", timeout=ms).json_value()
    if "error" in outcome:
        raise AssertionError(f"notebook:run-all-cells failed: {outcome['error']}")
    # runAll resolves to false when a cell raised: the cells after it never run.
    if outcome.get("result") is not False:
        page.wait_for_function(_ALL_CELLS_RAN, arg=panel_id, timeout=ms)
    wait_for_idle_kernel(page, _KERNEL_IDLE, panel_id, timeout_ms=ms)

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


# -- Notebook 7 ----------------------------------------------------------------------------------

# Notebook 7 (7.6 with JupyterLab 4.6 packages) throws this on every notebook page, from its own
# bundle: JupyterLab's shortcuts-extension reacts to a settings change of another plugin
# ('@jupyterlab/docmanager-extension:plugin') and reads the settings of the shortcuts plugin,
# which Notebook 7 never loads. It is thrown while the page loads, before any cell runs.
NOTEBOOK7_KNOWN_PAGE_ERROR = re.compile(
    r"^Cannot read properties of undefined \(reading 'schema'\)$"
)
_NOTEBOOK7_CORE = re.compile(r"/static/notebook/notebook_core\.[0-9a-f]+\.js")

# Every code cell has run: its prompt shows a number, not "[*]:" (running) or "[ ]:" (never ran).
_NB7_ALL_CELLS_RAN = """
() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell'));
  return cells.length > 0 && cells.every((cell) => {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    return prompt && /\\[\\d+\\]/.test(prompt.textContent);
  });
}
"""

_NB7_A_CELL_STARTED = """
() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'))
  .some((prompt) => /\\[(\\*|\\d+)\\]/.test(prompt.textContent))
"""

_NB7_KERNEL_IDLE = """
() => !!document.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
"""

_NB7_TRACEBACKS = """
() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
  .map((el) => el.textContent)
  .filter((text) => /Traceback|Error\\s*$|^-{20,}/m.test(text))
"""


def watch_notebook7_known_error(page, page_log: PageLog) -> Callable[[], None]:
    """Record the stacks of uncaught exceptions on ``page``; returns a function that removes
    from ``page_log`` the one known Notebook 7 error (``NOTEBOOK7_KNOWN_PAGE_ERROR``), and only
    where it was thrown from Notebook 7's own core bundle. Call this before ``page.goto``."""
    stacks: list[tuple[str, str]] = []
    page.on("pageerror", lambda exc: stacks.append((str(exc), exc.stack or "")))

    def forget() -> None:
        known = [
            message
            for message, stack in stacks
            if NOTEBOOK7_KNOWN_PAGE_ERROR.match(message)
            and _NOTEBOOK7_CORE.search(stack.splitlines()[1] if "\n" in stack else "")
        ]
        for message in known:
            if message in page_log.page_errors:
                page_log.page_errors.remove(message)

    return forget


def run_all_cells_in_notebook7(
    page,
    server: JupyterServer,
    notebook_path: str | Path,
    timeout: float = 90.0,
):
    """Open a notebook in Jupyter Notebook 7, wait for its kernel to be idle, run all cells
    through the Run menu ("Run All Cells") as a user does, and wait until they have all run.

    Notebook 7 has no ``window.jupyterapp``: everything goes through the page. Raises
    AssertionError if a cell printed a traceback. Returns ``page``.
    """
    path = Path(notebook_path)
    rel = (path.relative_to(server.root_dir) if path.is_absolute() else path).as_posix()
    ms = int(timeout * 1000)

    page.goto(f"{server.url}/notebooks/{quote(rel)}", timeout=ms)
    page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=ms)
    wait_for_idle_kernel(page, _NB7_KERNEL_IDLE, timeout_ms=ms)

    def run_all() -> None:
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text="Run All Cells").first.click()

    run_all()
    try:  # the first cell is queued or running within moments of the click ...
        page.wait_for_function(_NB7_A_CELL_STARTED, timeout=min(ms, 60_000))
    except PlaywrightTimeoutError:
        # ... unless the click reached Notebook 7 before it had a current notebook (seen once
        # under load): no cell has started, so running all again runs each cell once
        if page.evaluate(_NB7_A_CELL_STARTED):
            raise
        run_all()
    page.wait_for_function(_NB7_ALL_CELLS_RAN, timeout=ms)
    wait_for_idle_kernel(page, _NB7_KERNEL_IDLE, timeout_ms=ms)

    tracebacks = page.evaluate(_NB7_TRACEBACKS)
    if tracebacks:
        raise AssertionError(f"{rel}: cells raised:\n" + "\n\n".join(tracebacks))
    return page


_PANEL_STATE = """
(id) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  const cells = panel.content.model.cells;
  const code = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code') code.push(cell);
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return {
    id,
    trusted: code.length > 0 && code.every((cell) => cell.trusted),
    executionCounts: code.map((cell) => cell.executionCount),
    kernel: kernel ? kernel.name : null,
  };
}
"""

# The document is loaded (its cells and outputs are in the model); the kernel may never start.
_CONTEXT_READY = f"""
async ({{id, ms}}) => {{
  {_WITH_TIMEOUT}
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find((w) => w.id === id);
  await withTimeout(panel.context.ready, ms, 'notebook context ready');
  app.shell.activateById(id);
}}
"""


def open_notebook_in_lab(
    page,
    server: JupyterServer,
    notebook_path: str | Path,
    timeout: float = 90.0,
    *,
    wait_for_kernel: bool = True,
) -> dict:
    """Open a notebook in JupyterLab without running any cell: as a user opening a notebook
    they received. Waits until the document (and, with ``wait_for_kernel``, its kernel) is
    ready. Returns ``{"id", "trusted", "executionCounts", "kernel"}`` of the notebook panel."""
    path = Path(notebook_path)
    rel = (path.relative_to(server.root_dir) if path.is_absolute() else path).as_posix()
    ms = int(timeout * 1000)

    page.goto(f"{server.url}/lab/tree/{quote(rel)}?reset", timeout=ms)
    panel_id = page.wait_for_function(_FIND_PANEL, arg=rel, timeout=ms).json_value()
    if wait_for_kernel:
        wait_for_idle_kernel(page, _KERNEL_IDLE, panel_id, timeout_ms=ms)
        page.evaluate(_PANEL_READY, {"id": panel_id, "ms": ms})
    else:
        page.evaluate(_CONTEXT_READY, {"id": panel_id, "ms": ms})
    return page.evaluate(_PANEL_STATE, panel_id)


def save_tall_screenshot(page, name: str, *, element: str, max_height: int = 8000) -> Path:
    """``save_screenshot`` of one element taller than the window. Inside JupyterLab's or
    Notebook 7's scrolling panels only the part of an element in the window is painted, the
    rest comes out blank: make the window tall enough for all of it, then put it back."""
    size = page.viewport_size
    box = page.locator(element).first.bounding_box()
    needed = int(box["height"] + 400) if box else size["height"]
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(needed, size["height"]), max_height)}
    )
    try:
        page.locator(element).first.scroll_into_view_if_needed()
        return save_screenshot(page, name, element=element)
    finally:
        page.set_viewport_size(size)
