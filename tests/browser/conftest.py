"""Fixtures for real-browser tests: Chromium through Playwright; JupyterLab, Notebook 7 and
Voila servers.

- ``chromium_browser`` (session): Debian's ``/usr/bin/chromium`` driven by Playwright's sync API.
  Without it the browser tests are skipped, unless the environment variable ``CI`` is set: then
  they fail, because CI must run them.
- ``jupyterlab_server`` / ``notebook7_server`` / ``voila_server`` (session): servers started on
  127.0.0.1 on a free port, serving ``notebook_dir``, with isolated config/runtime/IPython
  dirs; stopped by their PID.
- ``page`` (per test): a fresh browser context and page whose console errors, uncaught
  exceptions and dialogs are recorded in ``page_log``; requests to any host but this machine
  are blocked and recorded there too. A failing test saves a screenshot
  (``test-artifacts/screenshots/FAILED-*.png``) and gets the server log tails in its report.

Helpers (``run_notebook_in_lab``, ``save_screenshot``) are in ``tests/browser/helpers.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rai_widgets.demo import FOREIGN_EXTENSIONS
from tests.browser.helpers import (
    ARTIFACTS_DIR,
    SCREENSHOT_DIR,
    JupyterServer,
    PageLog,
    run_notebook_in_lab,
    save_screenshot,
    watch_page,
)

__all__ = ["run_notebook_in_lab", "save_screenshot"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # Without these Chromium keeps trying to reach Google services on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SERVER_READY_TIMEOUT = 60.0
SERVER_STOP_TIMEOUT = 15.0
LOG_DIR = ARTIFACTS_DIR / "logs"
HERE = Path(__file__).resolve().parent

# JupyterLab settings that keep the page quiet and deterministic: no "news" toast over the page,
# no update check, and every cell attached to the DOM (no virtual scrolling of cells).
LAB_SETTINGS_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing_browser_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright is not importable: {exc}"
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: runs in a real browser (Chromium) against a Jupyter server"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item of the session: only touch the ones in this folder.
    ours = [item for item in items if HERE in Path(item.path).resolve().parents]
    if not ours:
        return
    reason = _missing_browser_reason()
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if reason and not _in_ci():
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


_REPORTS = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    if report.failed:
        # Server logs are where a failing kernel or extension shows up: attach them.
        for value in getattr(item, "funcargs", {}).values():
            if isinstance(value, JupyterServer):
                report.sections.append((f"{value.name} log (tail)", value.log_tail()))
    return report


# -- browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_browser():
    reason = _missing_browser_reason()
    if reason:
        if _in_ci():
            pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    # Screenshots of failures of an earlier run would read as failures of this one.
    for stale in SCREENSHOT_DIR.glob("FAILED-*.png"):
        stale.unlink(missing_ok=True)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=60_000
        )
    except BaseException:
        playwright.stop()
        raise
    yield browser
    try:
        browser.close()
    finally:
        playwright.stop()


_PAGE_LOG = pytest.StashKey[PageLog]()


@pytest.fixture
def page(chromium_browser, request: pytest.FixtureRequest):
    """A new page in a fresh browser context; a failing test leaves a screenshot."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    request.node.stash[_PAGE_LOG] = watch_page(page)
    yield page
    reports = request.node.stash.get(_REPORTS, {})
    if any(r.failed for r in reports.values()):
        with contextlib.suppress(Exception):
            save_screenshot(page, f"FAILED-{request.node.nodeid}")
    context.close()


@pytest.fixture
def page_log(page, request: pytest.FixtureRequest) -> PageLog:
    """Console errors, uncaught exceptions and dialogs seen so far on ``page``."""
    return request.node.stash[_PAGE_LOG]


# -- servers -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Never go through a proxy from the environment to reach 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _responds(url: str) -> bool:
    try:
        with _OPENER.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time) from /proc; empty where there is no /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            table[int(stat.parent.name)] = (int(fields[1]), fields[19])
        except (OSError, IndexError, ValueError):
            continue
    return table


def _descendants(pid: int) -> dict[int, str]:
    """Descendants of ``pid`` (kernels started by a server) as pid -> start time."""
    table = _process_table()
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, start) in table.items():
            if ppid == parent and child not in found:
                found[child] = start
                todo.append(child)
    return found


def _stop_server(server: JupyterServer) -> None:
    """SIGTERM the server we started (it shuts its kernels down), SIGKILL if it hangs; then
    end any of its own child processes left behind, checking they are still the same ones."""
    proc = server.process
    children = _descendants(proc.pid)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=SERVER_STOP_TIMEOUT)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        table = _process_table()
        alive = [pid for pid, start in children.items() if table.get(pid, (0, None))[1] == start]
        if not alive:
            return
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        time.sleep(2)


def _start_server(
    name: str,
    argv: Callable[[int], list[str]],
    ready_path: str,
    root_dir: Path,
    env: dict[str, str],
    work_dir: Path,
    attempts: int = 3,
) -> JupyterServer:
    """Start ``argv(port)`` on a free port and wait until ``ready_path`` answers 200.

    The free port is only free when we looked: if the server exits because someone took it
    meanwhile, try again with another one.
    """
    for attempt in range(1, attempts + 1):
        port = _free_port()
        log_path = work_dir / f"{name}-{port}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                argv(port),
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in the terminal goes to pytest, not to it
            )
        server = JupyterServer(name, f"http://127.0.0.1:{port}", port, root_dir, log_path, process)
        deadline = time.monotonic() + SERVER_READY_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _responds(server.url + ready_path):
                return server
            time.sleep(0.25)
        exited = process.poll() is not None
        _stop_server(server)
        if exited and "address already in use" in server.log_tail().lower() and attempt < attempts:
            continue
        what = f"exited with {process.returncode}" if exited else "did not become ready"
        raise RuntimeError(
            f"{name} {what} within {SERVER_READY_TIMEOUT:.0f} s "
            f"({server.url}{ready_path}). Log tail:\n{server.log_tail()}"
        )
    raise AssertionError("unreachable")


def _keep_log(server: JupyterServer) -> None:
    """Copy the server log to test-artifacts/logs/ so CI can upload it."""
    with contextlib.suppress(OSError):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(server.log_path, LOG_DIR / f"{server.name}.log")


@pytest.fixture(scope="session")
def notebook_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory both servers serve: tests write their notebooks here."""
    return tmp_path_factory.mktemp("notebooks")


def _isolated_env(base: Path) -> dict[str, str]:
    """Environment for a server and its kernels: own config/runtime/IPython/temp dirs.

    JUPYTER_DATA_DIR is left alone: the lab extensions of ipywidgets, anywidget and plotly are
    found through it (and through sys.prefix). The venv's bin comes first on PATH so that the
    kernels are started with this Python.
    """
    env = os.environ.copy()
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("TMPDIR", "tmp"),
    ):
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(base / sub)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _jupyter_app(
    app: str, notebook_dir: Path, tmp_path_factory: pytest.TempPathFactory, extra: list[str]
) -> Iterator[JupyterServer]:
    """Start ``python -m <app>`` (jupyterlab or notebook) on 127.0.0.1 serving
    ``notebook_dir``, with no token, isolated dirs and the news/update checks off; stop it by
    its PID."""
    base = tmp_path_factory.mktemp(app)
    env = _isolated_env(base)
    settings_dir = base / "app-settings"
    settings_dir.mkdir()
    (settings_dir / "overrides.json").write_text(json.dumps(LAB_SETTINGS_OVERRIDES, indent=2))
    settings_trait = "LabApp" if app == "jupyterlab" else "JupyterNotebookApp"

    def argv(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            app,
            "--no-browser",
            f"--port={port}",
            "--port-retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={notebook_dir}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            "--ServerApp.allow_root=True",
            f"--{settings_trait}.app_settings_dir={settings_dir}",
            *extra,
        ]

    server = _start_server(app, argv, "/api/status", notebook_dir, env, base)
    _JUPYTER_SERVERS.append(server)
    try:
        yield server
    finally:
        _JUPYTER_SERVERS.remove(server)
        _stop_server(server)
        _keep_log(server)


#: The JupyterLab and Notebook 7 servers running now (session-scoped, shared by the tests).
_JUPYTER_SERVERS: list[JupyterServer] = []


def _shut_down_kernels(server: JupyterServer) -> None:
    """Shut down every kernel of ``server`` (its REST API on loopback), waiting for each."""
    with urllib.request.urlopen(f"{server.url}/api/kernels", timeout=30) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(
            f"{server.url}/api/kernels/{kernel['id']}", method="DELETE"
        )
        with contextlib.suppress(urllib.error.HTTPError):  # already gone
            urllib.request.urlopen(request, timeout=60).close()


@pytest.fixture(autouse=True)
def _kernels_end_with_their_test() -> Iterator[None]:
    """A notebook's kernel ends with the test that opened it: a view still computing in the
    background (a slow model's explanations, say) must not take the cores of the next test."""
    yield
    for server in list(_JUPYTER_SERVERS):
        _shut_down_kernels(server)


@pytest.fixture(scope="session")
def jupyterlab_server(
    notebook_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """JupyterLab 4, its app exposed as ``window.jupyterapp`` for ``run_notebook_in_lab``."""
    extra = ["--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly"]
    yield from _jupyter_app("jupyterlab", notebook_dir, tmp_path_factory, extra)


@pytest.fixture(scope="session")
def notebook7_server(
    notebook_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """Jupyter Notebook 7 (``python -m notebook``) serving ``notebook_dir``.

    Unlike ``jupyterlab_server`` the app is not exposed as ``window.jupyterapp``: tests drive it
    as a user does, through its menus (see ``run_all_cells_in_notebook7``).
    """
    yield from _jupyter_app("notebook", notebook_dir, tmp_path_factory, [])


@pytest.fixture(scope="session")
def voila_server(
    notebook_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    base = tmp_path_factory.mktemp("voila")
    env = _isolated_env(base)

    def argv(port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "voila",
            "--no-browser",
            f"--port={port}",
            "--Voila.port_retries=0",
            "--Voila.ip=127.0.0.1",
            f"--Voila.root_dir={notebook_dir}",
            "--VoilaConfiguration.show_tracebacks=True",
            # as the demo does: Notebook 7's lab extension throws when Voila loads it
            *(f"--VoilaConfiguration.extension_denylist={n}" for n in FOREIGN_EXTENSIONS),
        ]

    # A static file: asking for it does not start a kernel.
    server = _start_server("voila", argv, "/voila/static/voila.js", notebook_dir, env, base)
    try:
        yield server
    finally:
        _stop_server(server)
        _keep_log(server)
