"""Views that appear at once and fill in: the progress row, and the mixin that draws a view's
panes in the background once the model's answers are in.

A view whose session is slow to predict (more than :data:`SLOW_SECONDS` for every row, judged
from a probe on a few rows) returns at once with its controls, a progress row (rows done, time
left, a Cancel button) and a "waiting" note in each pane. The predictions run in a background
thread (:meth:`ModelSession.start_predictions`), so the kernel stays free for other cells; then
the view's panes fill in one by one, in the order the view lists them. ``status`` is
"computing", "ready" or "error"; ``wait()`` blocks until the view is complete; ``cancel()``
(and closing the widget) stops the work; an error in the background shows in the panes and in
``error``, never lost in a thread. A change of state made while computing (a row picked, a
grouping chosen) is drawn when the view fills in.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.UncertaintyView(s, progressive=True)  # in the background even when fast
>>> view.wait(timeout=60)
'ready'
>>> "Of 100 cases" in view.reading
True
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from rai_widgets import formatting
from rai_widgets.core.errors import Cancelled, RaiWidgetsError, ValidationError
from rai_widgets.static_html.page import error_box
from rai_widgets.static_html.progress import progress_html, still_computing_html
from rai_widgets.widgets.panes import html_pane

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession
    from rai_widgets.session.background import PredictionJob

__all__ = [
    "SLOW_SECONDS",
    "ProgressRow",
    "ProgressiveView",
    "WaitsForWork",
    "cancelled_error",
    "check_progressive",
    "error_message",
    "slow_to_predict",
]

SLOW_SECONDS = 2.0  # predicting every row slower than this: draw at once and fill in
WAITING = '<p class="rai-note rai-waiting">Waiting for the model\'s answers.</p>'


def check_progressive(progressive: Any) -> None:
    """Refuse a ``progressive`` argument that is not "auto", True or False.

    Parameters
    ----------
    progressive : object
        The argument given to a view.

    Raises
    ------
    ValidationError
        Naming ``progressive`` and what it accepts.

    Examples
    --------
    >>> check_progressive("auto")
    >>> check_progressive("sometimes")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: progressive must be 'auto', True, False or ...
    """
    if not (progressive in ("auto", "later") or progressive is True or progressive is False):
        raise ValidationError(
            f"progressive must be 'auto', True, False or 'later'; got {progressive!r}."
        )


def slow_to_predict(session: ModelSession) -> bool:
    """Whether predicting every row of ``session`` would keep a user waiting.

    A probe on (at most) 2,000 rows is timed and scaled up to every row; a model that fails on
    the probe counts as slow, so its error shows in the view rather than in its constructor.

    Parameters
    ----------
    session : ModelSession
        The model and data.

    Returns
    -------
    bool
        True when every row would take more than :data:`SLOW_SECONDS`.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> slow_to_predict(rw.ModelSession(DecisionTreeClassifier().fit(X, y), X, y))
    False
    """
    n = min(session.core.n_rows_, 2_000)
    probe = session.core.frame.iloc[:n]
    start = time.perf_counter()
    try:
        session.core.adapter.outputs_of_chunk(session.core.as_model_input(probe))
    except Exception:
        return True
    return (time.perf_counter() - start) * session.core.n_rows_ / n > SLOW_SECONDS


def error_message(err: BaseException) -> str:
    """The text a view shows for an error of background work: a library error as it is, any
    other error with its type.

    Parameters
    ----------
    err : BaseException
        What the background work raised.

    Returns
    -------
    str

    Examples
    --------
    >>> error_message(RuntimeError("the server is down"))
    'RuntimeError: the server is down'
    """
    return str(err) if isinstance(err, RaiWidgetsError) else f"{type(err).__name__}: {err}"


def cancelled_error() -> Cancelled:
    """The error a view shows once its work is cancelled (the Cancel button, ``cancel()``,
    closing the widget).

    Returns
    -------
    Cancelled

    Examples
    --------
    >>> str(cancelled_error()).startswith("Cancelled:")
    True
    """
    return Cancelled(
        "Cancelled: the model's answers were not computed. Run the cell again to start over."
    )


class ProgressRow(widgets.HBox):
    """A progress bar, one line of progress (rows done, time left) and a Cancel button.

    Parameters
    ----------
    n_rows : int
        Rows to predict in all.
    on_cancel : callable
        Called (without arguments) when the Cancel button is clicked.
    prefix : str, default "rai-view"
        CSS class prefix: the bar, the line, the button and the row get ``{prefix}-progress``,
        ``{prefix}-progress-text``, ``{prefix}-cancel`` and ``{prefix}-progress-box``.

    Examples
    --------
    >>> row = ProgressRow(1_000, on_cancel=lambda: None)
    >>> row.show(250, 1_000, 30.0)
    >>> "250 of 1,000 rows" in row.text.value
    True
    """

    def __init__(
        self, n_rows: int, on_cancel: Callable[[], None], *, prefix: str = "rai-view"
    ) -> None:
        self.bar = widgets.IntProgress(min=0, max=max(1, int(n_rows)), value=0)
        self.bar.add_class(f"{prefix}-progress")
        self.text = html_pane(f"{prefix}-progress-text", layout={"flex": "1 1 auto"})
        self.text.value = progress_html(0, n_rows, None)
        self.button = widgets.Button(description="Cancel", layout={"width": "90px"})
        self.button.add_class(f"{prefix}-cancel")
        self.button.on_click(lambda _: on_cancel())
        super().__init__([self.bar, self.text, self.button])
        self.add_class(f"{prefix}-progress-box")
        self._last = 0.0

    def show(self, rows_done: int, n_rows: int, seconds_left: float | None) -> None:
        """Show the progress (at most five updates a second, and always the last one).

        Parameters
        ----------
        rows_done, n_rows : int
            Rows predicted so far, and in all.
        seconds_left : float or None
            Estimated seconds left.
        """
        now = time.monotonic()
        if now - self._last < 0.2 and rows_done < n_rows:
            return
        self._last = now
        self.bar.value = min(int(rows_done), self.bar.max)
        self.text.value = progress_html(rows_done, n_rows, seconds_left)

    def show_error(self, message: str) -> None:
        """Show ``message`` as an error in place of the progress; Cancel no longer applies."""
        self.text.value = error_box(message)
        self.button.disabled = True

    def hide(self) -> None:
        """Take the row off the screen (the work is done)."""
        self.layout.display = "none"


class WaitsForWork(traitlets.HasTraits):
    """Mixin for a widget whose work may still run: ``status``, ``error`` and :meth:`wait`
    (on the ``_complete`` event the widget sets when its work has ended).

    Attributes
    ----------
    status : str
        "computing", "ready" or "error" (read-only).
    error : str
        The error of the background work, or "Cancelled ..." ("" when there is none).
    """

    status = traitlets.Unicode("ready", read_only=True)
    error = traitlets.Unicode("", read_only=True)
    _complete: threading.Event  # set by the widget when its work has ended
    _stop: threading.Event  # set by cancel()
    _idle: threading.Event | None = None  # set when no background work runs for the widget

    def wait(self, timeout: float | None = None) -> str:
        """Block until the view is complete (for scripts, tests, Voila and nbclient); after
        :meth:`cancel`, also until the step under way has returned (no model call runs for the
        widget after that).

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most (None: as long as it takes).

        Returns
        -------
        str
            :attr:`status`: "ready", "error", or "computing" if ``timeout`` passed first.
        """
        start = time.monotonic()
        self._complete.wait(timeout)
        stop = getattr(self, "_stop", None)
        if self._idle is not None and stop is not None and stop.is_set():
            left = None if timeout is None else max(0.0, timeout - (time.monotonic() - start))
            self._idle.wait(left)
        return self.status


class ProgressiveView(WaitsForWork):
    """Mixin for a view that may appear before the model's answers are in, and fill in.

    The view's constructor builds its controls and panes, then calls
    :meth:`start_filling_in` with the steps that draw its panes. Its observers call
    :meth:`draws_now` before drawing: False while the view is computing (the change is drawn
    when it fills in).

    ``status``, ``error`` and :meth:`~WaitsForWork.wait` come from :class:`WaitsForWork`.
    """

    def start_filling_in(
        self,
        sessions: Sequence[ModelSession],
        steps: Sequence[Callable[[], None]],
        panes: Sequence[widgets.HTML],
        *,
        progressive: bool | str,
        title: str,
    ) -> None:
        """Draw the view now, or (when the model is slow, or ``progressive=True``) show it at
        once and draw its panes in the background once every session's answers are in.

        Called once, at the end of the view's constructor.

        Parameters
        ----------
        sessions : sequence of ModelSession
            The sessions whose predictions the view needs.
        steps : sequence of callables
            Each draws one part of the view (in this order; the first is seen first).
        panes : sequence of ipywidgets.HTML
            The panes that show "waiting" while computing, and the error if the work fails.
        progressive : bool, "auto" or "later"
            "auto": in the background only when predicting would keep the user waiting.
            "later": show the controls and a waiting note, and draw the panes when
            :meth:`fill_in` is called (a Dashboard puts the view on screen first).
        title : str
            The view's title, for its static picture while computing.
        """
        check_progressive(progressive)
        self._steps, self._panes, self._title = list(steps), list(panes), title
        self._complete = threading.Event()
        self._lock = threading.Lock()
        self._live, self._missed, self._filling = False, False, False
        self._stop = threading.Event()
        self._jobs: list[PredictionJob] = []
        self._progress_row: ProgressRow | None = None
        if progressive == "auto":
            progressive = any(
                not s.core.predictions_ready() and slow_to_predict(s)
                for s in dict.fromkeys(sessions)
            )
        if not progressive:  # draw now, in the caller's thread: errors raise as they always did
            self._fill_in()
            return
        self.set_trait("status", "computing")
        for i, pane in enumerate(self._panes):  # one note for the view, not one per pane
            pane.value = WAITING if i == 0 else ""
        if progressive == "later":
            return
        n_rows = sum(s.core.n_rows_ for s in sessions)
        self._progress_row = ProgressRow(n_rows, self.cancel)
        children: list = list(self.children)  # type: ignore[has-type]  # the widget's VBox
        self.children = (*children[:1], self._progress_row, *children[1:])  # after the style
        self._jobs = [s.core.start_predictions() for s in sessions]
        for job in self._jobs:
            job.add_progress_callback(self._on_progress)
        for job in self._jobs:
            job.add_done_callback(self._on_job_done)

    # -- background ----------------------------------------------------------------------
    def _on_progress(self, _job: Any) -> None:
        if self._progress_row is not None:
            done = sum(job.rows_done for job in self._jobs)
            total = sum(job.n_rows for job in self._jobs)
            lefts = [job.seconds_left for job in self._jobs]
            known = [left for left in lefts if left is not None]
            left = max(known) if known and len(known) == len(lefts) else None
            self._progress_row.show(done, total, left)

    def _on_job_done(self, job: Any) -> None:
        if job.error is not None:
            self._fail(job.error)
            return
        with self._lock:
            if self._filling or not all(j.done and j.error is None for j in self._jobs):
                return  # another job fills in (or is still running)
            self._filling = True
        try:
            self._fill_in()
        except Exception as err:  # shown in the view, and by wait()
            self._fail(err)

    def _fill_in(self) -> None:
        """Run the steps (the first pane first), then again while a change came in meanwhile."""
        self._filler = threading.get_ident()
        while True:
            with self._lock:
                self._missed = False
            for step in self._steps:
                if self._stop.is_set():
                    return
                step()
            if self._stop.is_set():  # cancelled during the last step: it stays cancelled
                return
            with self._lock:
                if not self._missed:
                    self._live = True
                    break
                self._missed = False
        if self._progress_row is not None:
            self._progress_row.hide()
        self.set_trait("status", "ready")
        self._complete.set()

    def _fail(self, err: BaseException) -> None:
        if self._complete.is_set():
            return
        message = error_message(err)
        self._stop.set()
        self.set_trait("error", message)
        self.set_trait("status", "error")
        if self._progress_row is not None:
            self._progress_row.hide()
        for i, pane in enumerate(self._panes):  # the error once, where the view begins
            pane.value = error_box(message) if i == 0 else ""
        self._complete.set()

    # -- what users and the views call ---------------------------------------------------
    def fill_in(self) -> None:
        """Draw the panes now, in the caller's thread, one by one (a view made with
        ``progressive="later"``); does nothing once the view is drawn or being drawn.

        Raises
        ------
        Exception
            What a drawing step raised (the view also shows it and its status is "error").
        """
        with self._lock:
            if self._filling or self._complete.is_set():
                return
            self._filling = True
        try:
            self._fill_in()
        except Exception as err:
            self._fail(err)
            raise

    def draws_now(self) -> bool:
        """Whether a change of state should be drawn now.

        Returns
        -------
        bool
            True once the view has filled in, and for the steps that fill it in. While it is
            computing, False, and the change is drawn when the view fills in.
        """
        lock = getattr(self, "_lock", None)
        if lock is None:  # still being built: the first fill-in draws everything
            return False
        if threading.get_ident() == getattr(self, "_filler", None):
            return True
        with lock:
            if not self._live:
                self._missed = True
            return self._live

    def cancel(self) -> None:
        """Stop computing (the Cancel button): the status becomes "error", "Cancelled ..."."""
        complete = getattr(self, "_complete", None)
        if complete is None or complete.is_set():  # not started (a refused argument), or done
            return
        for job in self._jobs:
            if not job.done:
                job.cancel()
        self._fail(cancelled_error())

    def close(self) -> None:
        """Close the widget, stopping any work still running for it."""
        self.cancel()
        super().close()  # type: ignore[misc]

    def computing_picture(self) -> str | None:
        """The static picture while the view is not complete ("still computing", or the
        error), or None once it is ready.

        Returns
        -------
        str or None
        """
        if self.status == "ready" and self._complete.is_set():
            return None
        if self.status == "error":
            return still_computing_html(self._title, self.error).replace(
                "was still computing when the notebook was saved", "could not be computed"
            )
        done = sum(job.rows_done for job in self._jobs)
        total = sum(job.n_rows for job in self._jobs)
        detail = f"{formatting.count(done)} of {formatting.count(total)} rows were predicted."
        return still_computing_html(self._title, detail)
