"""Benchmark: a session and its Dashboard on 10,000,000 rows, and the same model calls on a Dask
cluster (issue 26, item 5).

Adult resampled to ``--rows`` rows (default 10,000,000), the README's kind of model (one-hot
encoding + HistGradientBoosting, fitted on Adult), ``sex`` and ``race`` sensitive:

* one ``predict_proba`` of the model over every row: the peer every ratio is taken against;
* shown: ``rw.Dashboard(s)`` returns; predicted: the session's background prediction job is
  done; ready: ``board.wait()`` returns (every tab complete, the audit first);
* peak memory the session and the Dashboard add over the process just before the session:
  the kernel's own high-water mark (``VmHWM`` of ``/proc/self/status``, reset through
  ``/proc/self/clear_refs`` just before the session) and, as a cross-check, the largest
  ``VmRSS`` a thread read every 20 ms; the larger of the two is the figure;
* Dask: a ``distributed.LocalCluster`` (in-process worker and transport, no port opened, no
  dashboard) under
  ``joblib.parallel_config(backend="dask")``: the model's own ``predict_proba`` and a second
  session's predictions (whose chunks go through joblib, so they run as the cluster's tasks;
  the number of tasks the workers ran is counted) and slice metrics are compared with the
  plain ones with ``numpy.array_equal`` / ``DataFrame.equals``.

Run ``python -m benchmarks.bench_ten_million [--rows N] [--no-dask] [--earlier LABEL]``
(``--earlier`` keeps the previous run's figures in a table of earlier runs). Writes
``benchmarks/results/ten_million.json`` and ``.md`` (a run with ``--rows`` other than 10M
writes ``ten_million_<rows>.*`` so the 10M figures stay). One run per size: the machine has
2 shared cores, so the load average is written beside the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._common import RESULTS, adult_onehot_hgb, run_meta

N_ROWS = 10_000_000
SENSITIVE = ["sex", "race"]
SLICE_BY = ["sex", "race"]
DASK_JOBS = 2  # the session's n_jobs under the Dask backend: the cluster's two threads
STATUS = Path("/proc/self/status")


def status_kib(field: str) -> int:
    """A field of ``/proc/self/status`` in KiB (``"VmRSS"``, ``"VmHWM"``)."""
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class PeakMemory:
    """Peak resident memory of this process inside a ``with`` block, over what it held at the
    start of the block (after a garbage collection).

    The kernel's high-water mark is reset at the start (``/proc/self/clear_refs``) and read at
    the end; a thread also reads ``VmRSS`` every ``interval`` seconds. ``marks`` holds the
    sampled peak so far at named moments (:meth:`mark`).
    """

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.marks: dict[str, float] = {}

    def __enter__(self) -> PeakMemory:
        gc.collect()
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.base_kib = status_kib("VmRSS")
        self.sampled_kib = self.base_kib
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.sampled_kib = max(self.sampled_kib, status_kib("VmRSS"))

    def mark(self, name: str) -> None:
        """Record the peak added so far (GB) under ``name``."""
        self.marks[name] = (self.sampled_kib - self.base_kib) * 1024 / 1e9

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sampled_kib = max(self.sampled_kib, status_kib("VmRSS"))
        self.hwm_kib = status_kib("VmHWM") if self.hwm_reset else 0

    @property
    def added_bytes(self) -> float:
        """Peak bytes added over the start: the larger of the high-water mark and the samples."""
        return (max(self.hwm_kib, self.sampled_kib) - self.base_kib) * 1024.0


def resampled_adult(n_rows: int):
    """Adult resampled (with replacement, seed 0) to ``n_rows`` rows, and the README's model
    fitted on Adult. Returns ``(X, y, model)``."""
    data, model = adult_onehot_hgb()
    idx = np.random.default_rng(0).integers(0, len(data.data), n_rows)
    X = data.data.iloc[idx].reset_index(drop=True)
    y = data.target.iloc[idx].reset_index(drop=True)
    return X, y, model


def bench_session(X: pd.DataFrame, y: pd.Series, model) -> tuple[dict, object]:
    """Shown, predicted and ready times and the peak memory of a session and its Dashboard.
    Returns the figures and the session (for the Dask comparison)."""
    import rai_widgets as rw

    rw.Dashboard(rw.ModelSession(model, X.iloc[:500], y.iloc[:500], sensitive_features=SENSITIVE))
    figures: dict = {"rows": len(X), "dataframe_bytes": int(X.memory_usage(deep=True).sum())}
    figures["load_before_proba"] = load_average()
    start = time.perf_counter()
    model.predict_proba(X)
    figures["predict_proba_s"] = time.perf_counter() - start
    figures["load_before_session"] = load_average()
    times: dict[str, float] = {}
    with PeakMemory() as memory:
        start = time.perf_counter()
        s = rw.ModelSession(model, X, y, sensitive_features=SENSITIVE, random_state=0)
        board = rw.Dashboard(s)
        times["shown_s"] = time.perf_counter() - start

        def predicted(job) -> None:  # after each chunk, once the board has shown its progress
            if job.rows_done >= job.n_rows and "predicted_s" not in times:
                times["predicted_s"] = time.perf_counter() - start
                memory.mark("predicted")

        job = s.core.start_predictions()  # the board's own job (the same object)
        job.add_progress_callback(predicted)
        if job.done:  # predicted before the board returned (a small frame)
            predicted(job)
        figures["status"] = board.wait()
        times["ready_s"] = time.perf_counter() - start
        board.close()
    figures.update(times)
    cache = s.core.cache_info()
    figures["cache"] = {
        "entries": cache.entries,
        "bytes": cache.bytes,
        "pinned_bytes": cache.pinned_bytes,
        "evictions": cache.evictions,
        "max_bytes": cache.max_bytes,
    }
    figures["load_after"] = load_average()
    figures["peak_added_bytes"] = memory.added_bytes
    figures["peak_added_hwm_bytes"] = (memory.hwm_kib - memory.base_kib) * 1024.0
    figures["peak_added_sampled_bytes"] = (memory.sampled_kib - memory.base_kib) * 1024.0
    figures["peak_added_by_predicted_gb"] = memory.marks.get("predicted")
    figures["process_before_session_bytes"] = memory.base_kib * 1024.0
    figures["hwm_reset"] = memory.hwm_reset
    proba, frame = figures["predict_proba_s"], figures["dataframe_bytes"]
    for name in ("shown", "predicted", "ready"):
        figures[f"{name}_over_proba"] = figures[f"{name}_s"] / proba
    figures["peak_over_dataframe"] = memory.added_bytes / frame
    return figures, s


def bench_dask(X: pd.DataFrame, y: pd.Series, model, plain_session) -> dict:
    """The model's ``predict_proba`` and a session's predictions and slice metrics under
    ``joblib.parallel_config(backend="dask")`` on a LocalCluster, against the plain ones."""
    import joblib
    from distributed import Client, LocalCluster, get_task_stream

    import rai_widgets as rw

    plain_proba = model.predict_proba(X)
    plain_predictions = plain_session.predictions()
    plain_metrics = plain_session.slice_metrics(by=SLICE_BY)
    out: dict = {"load_before": load_average()}
    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,  # in-process workers: inproc:// transport, no port opened
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
        joblib.parallel_config(backend="dask"),
    ):
        start = time.perf_counter()
        dask_proba = model.predict_proba(X)
        out["predict_proba_s"] = time.perf_counter() - start
        s = rw.ModelSession(
            model, X, y, sensitive_features=SENSITIVE, random_state=0, n_jobs=DASK_JOBS
        )
        with get_task_stream(client) as tasks:
            start = time.perf_counter()
            dask_predictions = s.predictions()
            out["session_predictions_s"] = time.perf_counter() - start
        out["tasks_on_workers"] = len(tasks.data)
        dask_metrics = s.slice_metrics(by=SLICE_BY)
        out["scheduler_address"] = cluster.scheduler_address
    out["predict_proba_identical"] = bool(np.array_equal(plain_proba, dask_proba))
    out["predictions_identical"] = bool(plain_predictions.equals(dask_predictions))
    out["slice_metrics_identical"] = bool(plain_metrics.equals(dask_metrics))
    out["load_after"] = load_average()
    return out


def markdown(meta: dict, figures: dict, dask: dict | None, earlier: dict | None = None) -> str:
    """The results file's text from one run's figures (as ``ten_million.json`` holds them),
    with ``earlier`` runs (label -> figures) in a table of their own."""
    gb = 1e9
    f = figures
    lines = [
        f"# {f['rows']:,} rows: a session and its Dashboard, and Dask (issue 26, item 5)",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}, 2 cores shared with"
        " other work, 24 GB. Adult resampled (seed 0), one-hot + HistGradientBoosting fitted on"
        " Adult, `sex` and `race` sensitive. Load average (1, 5, 15 min): before the"
        f" predict_proba {f['load_before_proba']}, before the session"
        f" {f['load_before_session']}, after {f['load_after']}.",
        "",
        "| measure | value | ratio | target |",
        "|---|---|---|---|",
        f"| DataFrame, `memory_usage(deep=True)` | {f['dataframe_bytes'] / gb:.2f} GB | | |",
        f"| one `predict_proba` over every row | {f['predict_proba_s']:.1f} s | 1x | |",
        f"| `rw.Dashboard(s)` returns (shown) | {f['shown_s']:.2f} s"
        f" | {f['shown_over_proba']:.3f}x | at once |",
        f"| every row predicted (the board's background job) | {f['predicted_s']:.1f} s"
        f" | {f['predicted_over_proba']:.2f}x | |",
        f"| `board.wait()` returns ({f['status']}) | {f['ready_s']:.1f} s"
        f" | {f['ready_over_proba']:.2f}x | <= 1.5x |",
        f"| peak memory added over the process before the session"
        f" ({f['process_before_session_bytes'] / gb:.2f} GB) | {f['peak_added_bytes'] / gb:.2f}"
        f" GB | {f['peak_over_dataframe']:.2f}x the DataFrame | <= 1.5x |",
        "",
        "Peak memory: the kernel's high-water mark (`VmHWM`, reset through"
        " `/proc/self/clear_refs` just before the session;"
        f" {f['peak_added_hwm_bytes'] / gb:.2f} GB added) and the largest `VmRSS` read every"
        f" 20 ms ({f['peak_added_sampled_bytes'] / gb:.2f} GB added; by the time every row was"
        f" predicted: {f['peak_added_by_predicted_gb']:.2f} GB); the larger is the figure."
        f" The session's cache then held {f['cache']['bytes'] / gb:.2f} GB (estimated), of"
        f" which {f['cache']['pinned_bytes'] / gb:.2f} GB pinned (the model's outputs, the"
        " metric inputs and the predictions table, kept outside the 1 GiB bound);"
        f" {f['cache']['evictions']} results were evicted.",
    ]
    if dask is not None:
        lines += [
            "",
            "## The same calls on a `distributed.LocalCluster` through"
            ' `joblib.parallel_config(backend="dask")`',
            "",
            f"Run {dask['date']}. One in-process worker with 2 threads (`processes=False`:"
            " in-process transport, no port opened, no dashboard); the second session has"
            " `n_jobs=2`."
            f" Load before {dask['load_before']}, after {dask['load_after']}.",
            "",
            "| compared with the plain call | identical | seconds under Dask |",
            "|---|---|---|",
            f"| the model's `predict_proba` (np.array_equal) | {dask['predict_proba_identical']}"
            f" | {dask['predict_proba_s']:.1f} |",
            f"| a new session's `s.predictions()` (DataFrame.equals) |"
            f" {dask['predictions_identical']} | {dask['session_predictions_s']:.1f} |",
            f"| `s.slice_metrics(by={SLICE_BY})` (DataFrame.equals) |"
            f" {dask['slice_metrics_identical']} | |",
            "",
            f"The cluster ran {dask['tasks_on_workers']} tasks while the second session"
            " predicted (Dask's task stream): its chunks of 100,000 rows go through joblib to"
            " the cluster. HistGradientBoosting's own `predict_proba` does not go through"
            " joblib, so it runs in the client process either way: its row checks that it is"
            " unchanged by the Dask configuration.",
        ]
    if earlier:
        lines += [
            "",
            "## Earlier runs",
            "",
            "| run | load before / after | one predict_proba | shown | ready | peak added |",
            "|---|---|---|---|---|---|",
        ]
        for label, e in earlier.items():
            lines.append(
                f"| {label} | {e['load_before_session']} / {e['load_after']}"
                f" | {e['predict_proba_s']:.1f} s | {e['shown_over_proba']:.3f}x"
                f" | {e['ready_s']:.1f} s ({e['ready_over_proba']:.2f}x)"
                f" | {e['peak_added_bytes'] / gb:.2f} GB ({e['peak_over_dataframe']:.2f}x) |"
            )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=N_ROWS)
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    parser.add_argument(
        "--keep-dask",
        action="store_true",
        help="skip the Dask comparison and keep the one already in the results file (its own"
        " date and load are kept with it)",
    )
    parser.add_argument(
        "--earlier",
        metavar="LABEL",
        help="keep the results file's run (and its earlier runs) among the earlier runs,"
        " labelled with its time and LABEL",
    )
    args = parser.parse_args(argv)
    meta = run_meta()
    X, y, model = resampled_adult(args.rows)
    figures, session = bench_session(X, y, model)
    print(json.dumps(figures, indent=2), flush=True)
    stem = "ten_million" if args.rows == N_ROWS else f"ten_million_{args.rows}"
    earlier = None
    if args.earlier:
        before = json.loads((RESULTS / f"{stem}.json").read_text())
        label = f"{before['meta']['date'][-5:]} ({args.earlier})"
        earlier = {**(before.get("earlier_runs") or {}), label: before["session"]}
    if args.keep_dask:
        before = json.loads((RESULTS / f"{stem}.json").read_text())
        dask = before["dask"] and {"date": before["meta"]["date"], **before["dask"]}
    else:
        dask = None if args.no_dask else bench_dask(X, y, model, session)
        if dask is not None:
            dask["date"] = meta["date"]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(
            {"meta": meta, "session": figures, "dask": dask, "earlier_runs": earlier}, indent=2
        )
    )
    text = markdown(meta, figures, dask, earlier)
    (RESULTS / f"{stem}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
