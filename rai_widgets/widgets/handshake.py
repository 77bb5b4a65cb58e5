"""Whether a front end drew a view's live view, and the line its static picture carries when
none did.

The handshake is ipywidgets' own: a front end's widget manager counts the live views it draws
of every widget whose ``_view_count`` is a number. Each view, once displayed, adds one and
sends the count to the kernel; a removed view takes one off (``WidgetView.initialize`` in
``@jupyter-widgets/base``: the "displayed" and "remove" events). Every rai_widgets view starts
with ``_view_count = 0``, so the first count a front end sends sets its read-only ``rendered``
trait, whether the view was displayed on its own or inside another (the Dashboard's tabs).

A view displayed in a kernel (as a cell's last line, or with ``display``) then waits
:data:`WAIT_SECONDS` in a timer thread, which never blocks the kernel. When no front end
answered by then (a host that cannot load widgets: an old VS Code Jupyter extension, Colab
without its custom widget manager, an unattended run by nbclient or ``jupyter nbconvert
--execute``), the static picture stays and one line at its top says why and what to try, for
the host the kernel runs in (:func:`current_host`, read from the environment, never from the
network; the sentences are in :mod:`rai_widgets.readings.hosts`). The timer is cancelled when a
front end answers or the widget closes, and the line never appears once the live view was
drawn. In marimo, which draws anywidget widgets but not ipywidgets containers, the line is
there at once. Under Voila (its kernels have ``VOILA_*`` variables) there is no wait: Voila
draws the widgets once the whole notebook has run.

Hosts that pick the widget view whenever an output has one, and show their own error when they
cannot draw it (VS Code, Colab, Kaggle, Databricks), get the picture alone
(:meth:`FrontEndHandshake.picture_only`), or the line would never be seen. Elsewhere the widget
view stays in the output: a Jupyter without the widgets extension shows the picture by itself,
and a notebook run by nbclient keeps its widget views for JupyterLab and Voila.

The environment variable ``RAI_WIDGETS_FRONT_END_WAIT`` sets the wait in seconds; ``off``
never draws the line (the documentation site does so: its pages are pictures by design).

Examples
--------
>>> current_host(environ={"VSCODE_PID": "4242"}, modules={})
'vscode'
>>> current_host(environ={}, modules={"google.colab": None})
'colab'
>>> wait_seconds({"RAI_WIDGETS_FRONT_END_WAIT": "off"}) is None
True
>>> "rai-no-live-view" in no_live_view_html("This is a static picture <here>.")
True
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, Literal

import traitlets

from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.hosts import no_live_view_line
from rai_widgets.static_html.page import escape

__all__ = [
    "PICK_THE_WIDGET_VIEW",
    "WAIT_SECONDS",
    "WAIT_VARIABLE",
    "FrontEndHandshake",
    "FrontEndState",
    "current_host",
    "no_live_view_html",
    "running_in_marimo",
    "running_in_voila",
    "wait_seconds",
]

#: How long a displayed view waits for a front end to say it drew the live view.
WAIT_SECONDS = 5.0
#: The environment variable that sets that wait (seconds), or ``off`` for no line at all.
WAIT_VARIABLE = "RAI_WIDGETS_FRONT_END_WAIT"

#: "not displayed" (never displayed in a kernel), "waiting" (displayed, no answer yet),
#: "rendered" (a front end drew the live view), "no answer" (the wait ended without one).
FrontEndState = Literal["not displayed", "waiting", "rendered", "no answer"]

#: Hosts that show an output's widget view, or their error, whenever it has one: without an
#: answer from their front end, the picture goes alone.
PICK_THE_WIDGET_VIEW = frozenset({"vscode", "colab", "kaggle", "databricks"})
_VOILA_VARIABLES = ("VOILA_APP_PORT", "VOILA_SERVER_URL", "VOILA_BASE_URL", "VOILA_KERNEL_ID")

_MAY_WAIT = ("not displayed", "no answer")
_LOCK = threading.Lock()  # guards every view's wait: the timer thread against the kernel's


def wait_seconds(environ: Mapping[str, str] | None = None) -> float | None:
    """How long a displayed view waits for a front end: :data:`WAIT_VARIABLE` if set, else
    :data:`WAIT_SECONDS`; None when it is ``off`` (no wait, never a line).

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (``os.environ`` by default).

    Returns
    -------
    float or None

    Raises
    ------
    ValidationError
        When the variable is neither a positive number of seconds nor ``off``.

    Examples
    --------
    >>> wait_seconds({}), wait_seconds({"RAI_WIDGETS_FRONT_END_WAIT": "12"})
    (5.0, 12.0)
    """
    environ = os.environ if environ is None else environ
    text = environ.get(WAIT_VARIABLE, "").strip()
    if not text:
        return WAIT_SECONDS
    if text.lower() == "off":
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValidationError(
            f"{WAIT_VARIABLE} must be a positive number of seconds or 'off'; got {text!r}. "
            f"Unset it to wait {WAIT_SECONDS:g} s."
        )
    return seconds


def running_in_marimo(modules: Mapping[str, Any] | None = None) -> bool:
    """Whether this code runs in a marimo notebook (marimo already imported and its
    ``running_in_notebook()`` says so; marimo is never imported here).

    Parameters
    ----------
    modules : mapping, optional
        The imported modules (``sys.modules`` by default).

    Returns
    -------
    bool

    Examples
    --------
    >>> running_in_marimo({})
    False
    """
    modules = sys.modules if modules is None else modules
    marimo = modules.get("marimo")
    check = getattr(marimo, "running_in_notebook", None)
    try:
        return bool(check()) if callable(check) else False
    except Exception:  # a marimo that cannot tell: not one we know
        return False


def running_in_voila(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this kernel was started by Voila (which sets ``VOILA_*`` variables in it).

    Parameters
    ----------
    environ : mapping, optional
        The environment (``os.environ`` by default).

    Returns
    -------
    bool

    Examples
    --------
    >>> running_in_voila({"VOILA_APP_PORT": "8866"}), running_in_voila({})
    (True, False)
    """
    environ = os.environ if environ is None else environ
    return any(environ.get(name) for name in _VOILA_VARIABLES)


def current_host(
    environ: Mapping[str, str] | None = None, modules: Mapping[str, Any] | None = None
) -> str:
    """Where the kernel runs, as far as its own process can tell, without the network: one of
    :data:`rai_widgets.readings.hosts.HOSTS`.

    marimo (running a notebook), Colab (``google.colab`` imported), Kaggle
    (``KAGGLE_KERNEL_RUN_TYPE``), Databricks (``DATABRICKS_RUNTIME_VERSION``), VS Code
    (``VSCODE_PID`` or ``VSCODE_CWD``, which VS Code passes to the kernels it starts); any
    other place is "jupyter", whose line is the general one.

    Parameters
    ----------
    environ : mapping, optional
        The environment (``os.environ`` by default).
    modules : mapping, optional
        The imported modules (``sys.modules`` by default).

    Returns
    -------
    str

    Examples
    --------
    >>> current_host(environ={"DATABRICKS_RUNTIME_VERSION": "15.4"}, modules={})
    'databricks'
    >>> current_host(environ={}, modules={})
    'jupyter'
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    if running_in_marimo(modules):
        return "marimo"
    if "google.colab" in modules:
        return "colab"
    if environ.get("KAGGLE_KERNEL_RUN_TYPE"):
        return "kaggle"
    if environ.get("DATABRICKS_RUNTIME_VERSION"):
        return "databricks"
    if environ.get("VSCODE_PID") or environ.get("VSCODE_CWD"):
        return "vscode"
    return "jupyter"


def no_live_view_html(line: str) -> str:
    """The line as the first element of a static picture: escaped, in the views' note box.

    Parameters
    ----------
    line : str
        The sentence (:func:`rai_widgets.readings.hosts.no_live_view_line`).

    Returns
    -------
    str

    Examples
    --------
    >>> no_live_view_html("No <live> view.")
    '<div class="rai-view-note rai-no-live-view" role="note">No &lt;live&gt; view.</div>'
    """
    return f'<div class="rai-view-note rai-no-live-view" role="note">{escape(line)}</div>'


class FrontEndHandshake(traitlets.HasTraits):
    """Mixin of every view: the read-only ``rendered`` trait, and the wait for a front end
    once the view is displayed (see the module's notes).

    Attributes
    ----------
    rendered : bool
        True once a front end has drawn a live view of this widget (it stays True).
    """

    rendered = traitlets.Bool(
        False, read_only=True, help="True once a front end has drawn a live view of it."
    )
    # ipywidgets' own trait, counted from the start (its default None counts nothing): the
    # front end adds one per live view it draws and takes one off per view it removes.
    _view_count = traitlets.Int(
        0, allow_none=True, help="The live views a front end shows of this widget."
    ).tag(sync=True)

    _front_end: FrontEndState = "not displayed"
    _front_end_timer: threading.Timer | None = None
    _front_end_wait: float = WAIT_SECONDS

    @property
    def front_end(self) -> FrontEndState:
        """Where the wait for a front end stands: "not displayed", "waiting", "rendered" or
        "no answer" (the static picture carries :meth:`no_live_view_line`)."""
        return self._front_end

    def no_live_view_line(self) -> str:
        """The line the static picture carries: empty unless no front end answered (or the
        kernel runs in marimo, which cannot draw this view live) and none has drawn it since.

        Returns
        -------
        str
            Plain text (escape it for HTML), or "".
        """
        if self.rendered:
            return ""
        if self._front_end == "no answer":
            return no_live_view_line(current_host(), self._front_end_wait)
        if running_in_marimo():
            return no_live_view_line("marimo", 0)
        return ""

    def picture_only(self) -> bool:
        """Whether the output should hold the picture without the widget view: in marimo, and
        where no front end answered in a host of :data:`PICK_THE_WIDGET_VIEW`.

        Returns
        -------
        bool
        """
        if running_in_marimo():
            return True
        return (
            self._front_end == "no answer"
            and not self.rendered
            and current_host() in PICK_THE_WIDGET_VIEW
        )

    def wait_for_front_end(self, on_no_answer: Callable[[], None]) -> None:
        """Start the wait, once the view is displayed in a kernel: after
        :func:`wait_seconds` without an answer, ``on_no_answer()`` is called from the timer
        thread (it redraws the displayed picture). A view that got no answer waits again
        (displayed anew, after the cause was fixed, say). Nothing happens when the view was
        drawn already, is waiting already, the wait is ``off``, or Voila runs the kernel.

        Parameters
        ----------
        on_no_answer : callable
            Called without arguments, at most once, in the timer thread.
        """
        seconds = None if running_in_voila() else wait_seconds()
        with _LOCK:
            if seconds is None or self.rendered or self._front_end not in _MAY_WAIT:
                return
            timer = threading.Timer(seconds, self._give_up_waiting, args=(on_no_answer,))
            timer.daemon = True
            self._front_end, self._front_end_timer = "waiting", timer
            self._front_end_wait = seconds
        timer.start()

    def stop_waiting_for_front_end(self) -> None:
        """Cancel the wait (the widget closed): no line will be drawn."""
        with _LOCK:
            timer, self._front_end_timer = self._front_end_timer, None
            if self._front_end == "waiting":
                self._front_end = "not displayed"
        if timer is not None:
            timer.cancel()

    def _give_up_waiting(self, on_no_answer: Callable[[], None]) -> None:
        with _LOCK:
            if self._front_end != "waiting" or self.rendered:
                return
            self._front_end, self._front_end_timer = "no answer", None
        on_no_answer()

    @traitlets.observe("_view_count")
    def _count_live_views(self, change: dict) -> None:
        if not (change["new"] or 0) >= 1:
            return
        with _LOCK:
            timer, self._front_end_timer = self._front_end_timer, None
            self._front_end = "rendered"
        if timer is not None:
            timer.cancel()
        if not self.rendered:
            self.set_trait("rendered", True)

    @traitlets.observe("comm")
    def _stop_when_closed(self, change: dict) -> None:
        if change["new"] is None:
            self.stop_waiting_for_front_end()
