"""Work that runs in the background while the kernel stays free: predicting every row.

A :class:`PredictionJob` runs one function in a daemon thread, reports progress (rows done,
time left), can be cancelled between chunks, and keeps its error instead of losing it inside the
thread: whoever waits on it, or registered a callback, gets it.

Examples
--------
>>> import time
>>> def work(progress, cancelled):
...     for done in (50, 100):
...         progress(done)
...     return "result"
>>> job = PredictionJob(work, n_rows=100).start()
>>> job.wait(timeout=5), job.result, job.rows_done
(True, 'result', 100)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["PredictionJob"]


class PredictionJob:
    """A computation over the rows of a session, run in a background thread.

    Parameters
    ----------
    work : callable
        ``work(progress, cancelled)``: calls ``progress(rows_done)`` as it goes, asks
        ``cancelled()`` between steps, returns the result.
    n_rows : int
        Rows the work covers (for progress and time left).
    finished : bool, default False
        Run ``work`` at once in the caller's thread (for a result that is already at hand).

    Attributes
    ----------
    result : object
        What ``work`` returned (None until done, or after an error).
    error : BaseException or None
        What ``work`` raised (a ``Cancelled`` error after :meth:`cancel`).
    rows_done, n_rows : int
        Progress.
    """

    def __init__(
        self,
        work: Callable[[Callable[[int], None], Callable[[], bool]], Any],
        *,
        n_rows: int,
        finished: bool = False,
    ) -> None:
        self._work = work
        self.n_rows = int(n_rows)
        self.rows_done = 0
        self.result: Any = None
        self.error: BaseException | None = None
        self._started = time.monotonic()
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._on_done: list[Callable[[PredictionJob], None]] = []
        self._on_progress: list[Callable[[PredictionJob], None]] = []
        self._thread = threading.Thread(target=self._run, name="rai_widgets-job", daemon=True)
        if finished:  # the result is known already (cached): run it here, no thread
            self.result, self.rows_done = work(self._progress, self._cancel.is_set), self.n_rows
            self._done.set()

    @classmethod
    def finished(cls, result: Any, *, n_rows: int) -> PredictionJob:
        """A job that is already done (the result was cached).

        Parameters
        ----------
        result : object
            The result.
        n_rows : int
            Rows it covers.

        Returns
        -------
        PredictionJob
        """
        return cls(lambda progress, cancelled: result, n_rows=n_rows, finished=True)

    def start(self) -> PredictionJob:
        """Start the work in its thread (once); returns the job."""
        if not self._done.is_set() and not self._thread.is_alive():
            self._started = time.monotonic()
            self._thread.start()
        return self

    def _progress(self, rows_done: int) -> None:
        self.rows_done = int(rows_done)
        for callback in list(self._on_progress):
            callback(self)

    def _run(self) -> None:
        try:
            self.result = self._work(self._progress, self._cancel.is_set)
        except BaseException as err:  # kept for whoever waits: never lost in the thread
            self.error = err
        finally:
            with self._lock:
                self._done.set()
                callbacks = list(self._on_done)
            for callback in callbacks:
                callback(self)

    # -- what callers see ------------------------------------------------------------------
    @property
    def done(self) -> bool:
        """Whether the work has ended (with a result, an error or a cancellation)."""
        return self._done.is_set()

    @property
    def seconds_left(self) -> float | None:
        """An estimate of the time left, from the pace so far (None before the first chunk)."""
        if self.done:
            return 0.0
        if self.rows_done <= 0:
            return None
        elapsed = time.monotonic() - self._started
        return elapsed / self.rows_done * (self.n_rows - self.rows_done)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has ended; False if ``timeout`` seconds passed first.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most (None: as long as it takes).

        Returns
        -------
        bool
        """
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Ask the work to stop at its next step (it ends with a ``Cancelled`` error)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancel.is_set()

    def add_done_callback(self, callback: Callable[[PredictionJob], None]) -> None:
        """Call ``callback(job)`` when the work ends, in the work's thread; if it has already
        ended, at once in a thread of its own, so the caller never runs the callback (a view's
        constructor that asked for background work returns at once, however fast the model)."""
        with self._lock:
            if not self._done.is_set():
                self._on_done.append(callback)
                return
        threading.Thread(
            target=callback, args=(self,), name="rai_widgets-callback", daemon=True
        ).start()

    def add_progress_callback(self, callback: Callable[[PredictionJob], None]) -> None:
        """Call ``callback(job)`` after each chunk of rows."""
        self._on_progress.append(callback)
