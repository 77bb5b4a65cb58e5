"""The front-end handshake: a view knows when a front end drew it live (``rendered``); with no
front end, its displayed picture gets one line that says why and what to try, per host.

The front end is played from Python as ipywidgets' widget manager plays it: it sets
``_view_count`` to the number of live views it drew. The kernel is an in-process IPython shell
whose displays are recorded, with a ``kernel`` attribute as ipykernel's shell has.
"""

from __future__ import annotations

import sys
import threading
import types

import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.hosts import HOSTS, no_live_view_line
from rai_widgets.widgets.fallback import fallback_html
from rai_widgets.widgets.handshake import (
    PICK_THE_WIDGET_VIEW,
    WAIT_SECONDS,
    WAIT_VARIABLE,
    current_host,
    no_live_view_html,
    wait_seconds,
)
from tests.conftest import raw_column_pipeline

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HOST_VARIABLES = (
    "VSCODE_PID",
    "VSCODE_CWD",
    "DATABRICKS_RUNTIME_VERSION",
    "KAGGLE_KERNEL_RUN_TYPE",
)
TIMEOUT = 30.0  # seconds a condition may take on a loaded machine; never slept


class _Recorder:
    """A display publisher that keeps what IPython publishes and signals each update."""

    def __init__(self):
        self.messages = []
        self.updated = threading.Event()

    def publish(self, data, metadata=None, *, transient=None, update=False, **kwargs):
        self.messages.append((data, (transient or {}).get("display_id"), update))
        if update:
            self.updated.set()


@pytest.fixture
def kernel_shell(monkeypatch):
    """An in-process IPython shell that passes for a kernel's (it has ``kernel``), in a
    plain Jupyter environment: none of the hosts' variables or modules."""
    from IPython.core.interactiveshell import InteractiveShell

    for name in (
        *HOST_VARIABLES,
        WAIT_VARIABLE,
        "VOILA_APP_PORT",
        "VOILA_SERVER_URL",
        "VOILA_BASE_URL",
        "VOILA_KERNEL_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.delitem(sys.modules, "marimo", raising=False)
    had = InteractiveShell.initialized()
    ipython = InteractiveShell.instance()
    saved = ipython.display_pub
    ipython.display_pub = _Recorder()
    ipython.kernel = object()  # ipykernel's shell holds its kernel here
    yield ipython
    del ipython.kernel
    ipython.display_pub = saved
    if not had:
        InteractiveShell.clear_instance()


@pytest.fixture(scope="module")
def session(german):
    model = raw_column_pipeline(LogisticRegression(max_iter=1_000)).fit(german.data, german.target)
    return rw.ModelSession(
        model, german.data, german.target, sensitive_features=["foreign_worker"], random_state=0
    )


def _display(view):
    from IPython.display import display

    display(view)  # as a cell's last line shows it


def test_a_front_end_that_draws_the_view_sets_rendered_and_stops_the_wait(
    session, kernel_shell, monkeypatch
):
    monkeypatch.setenv(WAIT_VARIABLE, "600")  # the answer comes long before the wait ends
    view = rw.ExampleBrowser(session)
    assert view.rendered is False and view.front_end == "not displayed"
    assert view.get_state()["_view_count"] == 0  # the front end counts from the start
    _display(view)
    ((data, display_id, update),) = kernel_shell.display_pub.messages
    assert display_id and not update and WIDGET_VIEW in data
    assert "rai-no-live-view" not in data["text/html"]
    assert view.front_end == "waiting"
    timer = view._front_end_timer
    assert timer is not None and timer.is_alive()

    view._view_count = 1  # the widget manager drew one live view and says so
    assert view.rendered is True and view.front_end == "rendered"
    timer.join(TIMEOUT)
    assert not timer.is_alive() and timer.finished.is_set()  # cancelled, not run out
    assert len(kernel_shell.display_pub.messages) == 1  # no line was drawn
    assert view.no_live_view_line() == ""
    assert "rai-no-live-view" not in view._repr_mimebundle_()["text/html"]

    view._view_count = 0  # the front end removed its view: it was drawn, it stays so
    assert view.rendered is True
    with pytest.raises(Exception, match="read-only"):
        view.rendered = False
    view.close()


@pytest.mark.parametrize(
    ("host", "variable", "value"),
    [
        ("jupyter", None, None),
        ("vscode", "VSCODE_PID", "31337"),
        ("databricks", "DATABRICKS_RUNTIME_VERSION", "15.4"),
        ("kaggle", "KAGGLE_KERNEL_RUN_TYPE", "Interactive"),
        ("colab", None, None),
    ],
)
def test_without_a_front_end_the_picture_gets_its_hosts_line(
    host, variable, value, session, kernel_shell, monkeypatch
):
    monkeypatch.setenv(WAIT_VARIABLE, "0.2")
    if variable:
        monkeypatch.setenv(variable, value)
    if host == "colab":
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert current_host() == host
    view = rw.UncertaintyView(session)
    _display(view)
    ((first, display_id, _),) = kernel_shell.display_pub.messages
    picture = first["text/html"]
    assert picture == fallback_html(view.static_html())  # no line while waiting

    assert kernel_shell.display_pub.updated.wait(TIMEOUT), "the wait never ended"
    assert view.front_end == "no answer" and view.rendered is False
    data, again, update = kernel_shell.display_pub.messages[-1]
    assert again == display_id and update  # the same output, redrawn
    line = no_live_view_line(host, 0.2)
    assert view.no_live_view_line() == line
    assert data["text/html"] == fallback_html(no_live_view_html(line)) + picture
    assert data["text/html"].count("rai-no-live-view") == 1  # one line, at the top
    if host in PICK_THE_WIDGET_VIEW:  # it would show its own error for the widget view
        assert WIDGET_VIEW not in data and "text/plain" in data
    else:  # a Jupyter without the widgets extension shows the picture by itself
        assert data[WIDGET_VIEW] == first[WIDGET_VIEW]

    # the next cell redraws it too (an unattended run records only what a cell sends)
    kernel_shell.events.trigger("post_run_cell", None)
    after, _, update = kernel_shell.display_pub.messages[-1]
    assert update and after["text/html"].startswith(fallback_html(no_live_view_html(line)))
    assert after["text/html"] == fallback_html(no_live_view_html(line) + view.static_html())
    assert (WIDGET_VIEW in after) == (host not in PICK_THE_WIDGET_VIEW)

    # displayed anew (the cause fixed, say): the new output has the widget view, no line,
    # and the view waits again
    kernel_shell.display_pub.updated.clear()
    _display(view)
    fresh, fresh_id, update = kernel_shell.display_pub.messages[-1]
    assert not update and fresh_id != display_id and view.front_end == "waiting"
    assert WIDGET_VIEW in fresh and "rai-no-live-view" not in fresh["text/html"]
    assert kernel_shell.display_pub.updated.wait(TIMEOUT), "the second wait never ended"
    assert view.front_end == "no answer"

    # a front end that draws it after all: its later pictures carry no line
    view._view_count = 1
    assert view.rendered and view.no_live_view_line() == ""
    again = view._repr_mimebundle_()
    assert "rai-no-live-view" not in again["text/html"] and WIDGET_VIEW in again
    view.close()


def test_each_host_has_its_own_advice():
    lines = {host: no_live_view_line(host, 5) for host in HOSTS}
    assert len(set(lines.values())) == len(HOSTS)
    assert all(line.startswith("This is a static picture") for line in lines.values())
    assert "5 s" in lines["jupyter"] and "5 s" not in lines["marimo"]
    with pytest.raises(ValidationError, match="host must be one of"):
        no_live_view_line("nteract", 5)


def test_closing_the_view_cancels_the_wait(session, kernel_shell, monkeypatch):
    monkeypatch.setenv(WAIT_VARIABLE, "600")
    view = rw.UncertaintyView(session)
    _display(view)
    timer = view._front_end_timer
    view.close()
    timer.join(TIMEOUT)
    assert not timer.is_alive() and timer.finished.is_set()
    assert view.front_end == "not displayed" and len(kernel_shell.display_pub.messages) == 1


def test_no_wait_without_a_kernel_with_the_wait_off_or_under_voila(
    session, kernel_shell, monkeypatch
):
    monkeypatch.setenv(WAIT_VARIABLE, "off")
    view = rw.UncertaintyView(session)
    _display(view)
    assert view.front_end == "not displayed"
    monkeypatch.delenv(WAIT_VARIABLE)
    del kernel_shell.kernel  # IPython in a terminal: no front end could ever answer
    other = rw.UncertaintyView(session)
    _display(other)
    assert other.front_end == "not displayed"
    kernel_shell.kernel = object()
    monkeypatch.setenv("VOILA_APP_PORT", "8866")  # Voila draws the widgets once all cells ran
    in_voila = rw.UncertaintyView(session)
    _display(in_voila)
    assert in_voila.front_end == "not displayed"
    view.close(), other.close(), in_voila.close()


def test_the_wait_is_read_from_the_environment():
    assert wait_seconds({}) == WAIT_SECONDS
    assert wait_seconds({WAIT_VARIABLE: " 2.5 "}) == 2.5
    assert wait_seconds({WAIT_VARIABLE: "OFF"}) is None
    for bad in ("soon", "0", "-1", "inf", "nan"):
        with pytest.raises(ValidationError, match=WAIT_VARIABLE):
            wait_seconds({WAIT_VARIABLE: bad})


def test_views_inside_the_dashboard_know_they_were_drawn(session):
    board = rw.Dashboard(session)
    children = [board.examples, board.fairness, board.uncertainty, board.explanation]
    assert all(view.get_state()["_view_count"] == 0 for view in [board, *children])
    board._view_count = 1  # the front end draws the board, then the tab it shows
    board.examples._view_count = 1
    assert board.rendered and board.examples.rendered
    assert not board.fairness.rendered  # a tab never drawn
    board.close()


def test_in_marimo_the_picture_alone_with_its_line(session, monkeypatch):
    marimo = types.ModuleType("marimo")
    marimo.running_in_notebook = lambda: True  # what marimo.running_in_notebook() says there
    monkeypatch.setitem(sys.modules, "marimo", marimo)
    assert current_host() == "marimo"
    view = rw.UncertaintyView(session)
    bundle = view._repr_mimebundle_()
    assert WIDGET_VIEW not in bundle  # marimo would show it as a "not supported" tab
    line = no_live_view_line("marimo", 0)
    assert bundle["text/html"] == fallback_html(no_live_view_html(line) + view.static_html())
    marimo.running_in_notebook = lambda: False  # marimo imported, but not running a notebook
    assert WIDGET_VIEW in view._repr_mimebundle_() and current_host() != "marimo"
    view.close()
