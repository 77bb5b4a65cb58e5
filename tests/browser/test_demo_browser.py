"""``rai-widgets demo``: Voila on 127.0.0.1 serves the Dashboard on bundled data, loads nothing
from the internet, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.browser.helpers import expect, save_screenshot

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _start_demo(tmp_path: Path, *extra: str):
    port = _free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp_path / name.lower())
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rai_widgets.cli",
            "demo",
            "--port",
            str(port),
            "--dataset",
            "german",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    return process, port


@pytest.fixture
def demo(tmp_path: Path):
    process, port = _start_demo(tmp_path)
    yield from _serving(process, port)


@pytest.fixture
def quick_freeing_demo(tmp_path: Path):
    process, port = _start_demo(tmp_path, "--free-after", "6")
    yield from _serving(process, port)


def _serving(process: subprocess.Popen, port: int):
    first = process.stdout.readline()  # printed once Voila answers
    try:
        assert f"serving on http://127.0.0.1:{port}/" in first, first + process.stdout.read()
        yield process, port, first.split("serving on ")[1].strip()
    finally:
        if process.poll() is None:  # a failed test: stop it the clean way first
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_demo_serves_the_dashboard_offline_and_stops_on_ctrl_c(page, page_log, demo):
    process, port, url = demo
    page.goto(url, timeout=180_000)
    summary = page.locator(".rai-dashboard-summary")
    expect(summary).to_contain_text("is right for", timeout=180_000)
    expect(page.locator(".rai-dashboard .rai-audit-view")).to_contain_text("What to look at first")
    page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text="Examples").click()
    rows = page.locator(".rai-dashboard .rai-example-table tr.rai-table-row")
    rows.nth(2).click()
    expect(page.locator(".rai-dashboard-following")).to_contain_text("case", timeout=30_000)
    expect(page.locator(".rai-dashboard .rai-example-detail svg").first).to_be_visible()
    # the case's own curve on the feature that moves its answer most
    expect(page.locator(".rai-dashboard .rai-case-effect svg")).to_contain_text("Dashed: case")
    save_screenshot(page, "demo-voila")
    page_log.assert_clean()  # no allowance: the demo's page template links no CDN

    process.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
    assert process.wait(timeout=60) == 0
    output = process.stdout.read()
    assert "Stopping the demo" in output
    deadline = time.monotonic() + 10
    while _port_open(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _port_open(port), "Voila still listens after the demo stopped"


def _kernels(process: subprocess.Popen) -> list[psutil.Process]:
    """The kernels running under the demo (each page load starts one). A kernel being shut
    down may vanish, or linger as a zombie, while it is looked at: neither is running."""
    running = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                running.append(child)
        except psutil.Error:  # it ended between the listing and the look
            continue
    return running


def test_the_demo_frees_the_kernel_of_a_page_left(chromium_browser, quick_freeing_demo):
    process, _, url = quick_freeing_demo
    contexts = []
    for _ in range(3):  # three visitors, arriving together (a kernel each); the first two leave
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
        # "commit": on its way, not waiting for this page's kernel before the next visitor comes
        context.new_page().goto(url, timeout=180_000, wait_until="commit")
        contexts.append(context)
    for context in contexts:
        expect(context.pages[0].locator(".rai-dashboard-summary")).to_contain_text(
            "is right for", timeout=180_000
        )
    assert len(_kernels(process)) == 3
    for context in contexts[:2]:
        context.close()
    deadline = time.monotonic() + 120  # idle 6 s, checked every second: well within
    while len(_kernels(process)) > 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(_kernels(process)) == 1, "the kernels of the pages left are still running"
    # the visitor still there keeps a working page
    page = contexts[2].pages[0]
    page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text="Examples").click()
    expect(page.locator(".rai-dashboard .rai-example-table tr.rai-table-row").first).to_be_visible()
    contexts[2].close()


def test_demo_rejects_a_bad_port():
    result = subprocess.run(
        [sys.executable, "-m", "rai_widgets.cli", "demo", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "port must be between 1 and 65535" in result.stderr
