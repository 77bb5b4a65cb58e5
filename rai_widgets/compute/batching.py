"""Run explanation work in batches of rows: through joblib, with a progress bar, interruptible.

Explainers split the explained rows into batches sized so that each model call carries about
``target_rows`` perturbed rows. Batches go through :class:`joblib.Parallel`, so
``joblib.parallel_config(backend="dask")`` hands them to a Dask cluster unchanged; with the
default configuration they run one after the other in this process. When batches run in
parallel, native thread pools (OpenMP, BLAS) are limited to one thread inside each: on a small
machine, oversubscription made HistGradientBoosting 25-50x slower.

Examples
--------
>>> batches = row_batches(10, rows_per_item=3_000, target_rows=10_000)
>>> [len(b) for b in batches]
[3, 3, 3, 1]
>>> run_batches(lambda rows: (rows * 2).tolist(), batches, desc="demo", progress=False)
[[0, 2, 4], [6, 8, 10], [12, 14, 16], [18]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import joblib
import numpy as np
from threadpoolctl import threadpool_limits

__all__ = ["DEFAULT_TARGET_ROWS", "row_batches", "run_batches"]

T = TypeVar("T")
DEFAULT_TARGET_ROWS = 200_000


def row_batches(
    n_items: int, *, rows_per_item: int, target_rows: int = DEFAULT_TARGET_ROWS
) -> list[np.ndarray]:
    """Split ``range(n_items)`` into batches of about ``target_rows`` perturbed rows each.

    Returns
    -------
    list of numpy.ndarray
        Item positions per batch.
    """
    per_batch = max(1, target_rows // max(1, rows_per_item))
    return [np.arange(a, min(a + per_batch, n_items)) for a in range(0, n_items, per_batch)]


class _Limited:
    """Picklable wrapper that runs ``fn`` with native thread pools limited to one thread."""

    def __init__(self, fn: Callable[..., Any], limit: bool) -> None:
        self.fn = fn
        self.limit = limit

    def __call__(self, *args: Any) -> Any:
        if not self.limit:
            return self.fn(*args)
        with threadpool_limits(limits=1):
            return self.fn(*args)


def run_batches(
    fn: Callable[[np.ndarray], T],
    batches: Sequence[np.ndarray],
    *,
    desc: str,
    n_jobs: int | None = None,
    progress: bool | None = None,
) -> list[T]:
    """Apply ``fn`` to every batch through joblib and return the results in order.

    Parameters
    ----------
    fn : callable
        Takes a batch (item positions) and returns its result. Must be picklable to run in
        other processes (a module-level function or a callable object).
    batches : sequence of numpy.ndarray
        From :func:`row_batches`.
    desc : str
        Label of the progress bar.
    n_jobs : int, optional
        joblib's ``n_jobs``; None uses the active ``joblib.parallel_config`` (one process by
        default).
    progress : bool, optional
        Show a tqdm progress bar; default: when there is more than one batch.

    Returns
    -------
    list
        One result per batch. Ctrl-C stops the work and raises KeyboardInterrupt; nothing
        partial is kept.
    """
    parallel = joblib.effective_n_jobs(n_jobs) != 1
    work = _Limited(fn, parallel)
    show = len(batches) > 1 if progress is None else progress
    if not parallel:
        iterator: Any = batches
        if show:
            from tqdm.auto import tqdm

            iterator = tqdm(batches, desc=desc, unit="batch", leave=False)
        return [work(batch) for batch in iterator]
    results = joblib.Parallel(n_jobs=n_jobs, return_as="generator")(
        joblib.delayed(work)(batch) for batch in batches
    )
    if show:
        from tqdm.auto import tqdm

        results = tqdm(results, total=len(batches), desc=desc, unit="batch", leave=False)
    return list(results)
