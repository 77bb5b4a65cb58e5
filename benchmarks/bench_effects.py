"""Benchmark: feature effects against scikit-learn's ``partial_dependence`` (brute) and PyALE's
``ale`` on the same model, feature and grid, at 10,000, 100,000 and 1,000,000 rows (Adult
resampled).

Partial dependence: seconds for ours (with bootstrap bounds, no cache) and scikit-learn's (no
bounds), their ratio (target: <= 1x at 100,000 rows) and the largest difference between their
numbers (target: <= 1e-6). ALE: seconds for ours (with bounds) and PyALE's (without), and the
largest difference. Writes ``benchmarks/results/effects.json`` and ``.md``.

Usage: ``python -m benchmarks.bench_effects [--sizes 10000 100000] [--repeat 3] [--append]``
(default: all three sizes, each timed once; ``--repeat`` keeps the fastest of alternating runs
of ours and the peer's, which steadies the ratio on a busy machine; ``--append`` keeps the
other sizes already written, so a long size can run on its own).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

from benchmarks._common import RESULTS, adult_onehot_hgb, run_meta

SIZES = (10_000, 100_000, 1_000_000)
FEATURE = "age"
RESOLUTION = 20


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _fastest_pair(ours, theirs, repeat: int):
    """Alternate ``ours`` and ``theirs`` ``repeat`` times; each one's first result and fastest
    time (alternating: a busy spell of the machine falls on both)."""
    first_ours = first_theirs = None
    ours_s = theirs_s = float("inf")
    for _ in range(repeat):
        out, seconds = _timed(ours)
        first_ours = out if first_ours is None else first_ours
        ours_s = min(ours_s, seconds)
        out, seconds = _timed(theirs)
        first_theirs = out if first_theirs is None else first_theirs
        theirs_s = min(theirs_s, seconds)
    return first_ours, ours_s, first_theirs, theirs_s


def bench_size(n: int, data, model, repeat: int = 1) -> dict:
    import PyALE
    from sklearn.inspection import partial_dependence

    import rai_widgets as rw

    rng = np.random.default_rng(0)
    take = rng.choice(len(data.data), n, replace=True)
    X = data.data.iloc[take].reset_index(drop=True)
    y = data.target.iloc[take].reset_index(drop=True)
    s = rw.ModelSession(model, X, y, random_state=None)  # no cache: every call computes
    s.predictions()
    whole = X.select_dtypes("integer").columns
    X_float = X.astype(dict.fromkeys(whole, float))  # scikit-learn refuses integer columns
    grid: list[np.ndarray] = []  # ours runs first: scikit-learn gets the same grid

    def effects():
        frame = s.effects(FEATURE, grid_resolution=RESOLUTION)
        grid[:] = [frame["value"].to_numpy(float)]
        return frame

    ours, ours_s, oracle, sk_s = _fastest_pair(
        effects,
        lambda: partial_dependence(
            model, X_float, [FEATURE], method="brute", custom_values={FEATURE: grid[0]}
        ),
        repeat,
    )
    pd_diff = float(np.max(np.abs(ours["effect"].to_numpy() - oracle["average"][0])))

    class Chance:  # PyALE calls predict: the probability of >50K
        def predict(self, Z):
            return model.predict_proba(Z)[:, 1]

    def pyale():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PyALE.ale(
                X_float,
                Chance(),
                [FEATURE],
                feature_type="continuous",
                grid_size=RESOLUTION,
                include_CI=False,
                plot=False,
            )

    ale, ale_s, reference, ref_s = _fastest_pair(
        lambda: s.effects(FEATURE, kind="ale", grid_resolution=RESOLUTION), pyale, repeat
    )
    ale_diff = float(np.max(np.abs(ale["effect"].to_numpy() - reference["eff"].to_numpy())))
    return {
        "rows": n,
        "grid_points": len(grid[0]),
        "ours_pd_s": ours_s,
        "sklearn_pd_s": sk_s,
        "pd_ratio": ours_s / sk_s,
        "pd_max_difference": pd_diff,
        "ours_ale_s": ale_s,
        "pyale_s": ref_s,
        "ale_ratio": ale_s / ref_s,
        "ale_max_difference": ale_diff,
    }


def write_results(meta: dict, rows: list[dict], repeat: int) -> None:
    """Write ``effects.json`` and ``effects.md`` with the sizes timed so far."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "effects.json").write_text(json.dumps({"meta": meta, "sizes": rows}, indent=2))
    lines = [
        "# Feature effects benchmark",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}: a shared"
        f" {meta['cpus']}-core machine that other jobs were using (load average"
        f" {meta['load_average']} at the start), so seconds vary from run to run; ours and the"
        f" peer's were timed one after the other on the same data ({repeat} alternating"
        " run(s), the fastest kept). Adult resampled,"
        f" one-hot + HistGradientBoosting, feature `{FEATURE}`, {RESOLUTION} grid points. Ours"
        " computes 95% bootstrap bounds too (200 resamples); the peers have none. Targets:"
        " partial dependence <= 1x scikit-learn at 100,000 rows, within 1e-6 of it. Load: the"
        " load average when the size started."
        + (f" Sizes added by a later run ({meta['appended']})." if "appended" in meta else ""),
        "",
        "| rows | grid | load | ours PD s | scikit-learn PD s | ratio | max difference |"
        " ours ALE s | PyALE s | ratio | max difference |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['rows']:,} | {r['grid_points']} | {r['load_average']:.1f} |"
            f" {r['ours_pd_s']:.2f} |"
            f" {r['sklearn_pd_s']:.2f} | {r['pd_ratio']:.2f}x | {r['pd_max_difference']:.1e} |"
            f" {r['ours_ale_s']:.2f} | {r['pyale_s']:.2f} | {r['ale_ratio']:.2f}x |"
            f" {r['ale_max_difference']:.1e} |"
        )
    (RESULTS / "effects.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), help="rows to time (default: all)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="alternating runs per size; the fastest is kept"
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep the other sizes already in effects.json (a long size run on its own)",
    )
    args = parser.parse_args(argv)
    data, model = adult_onehot_hgb()
    meta = run_meta()
    meta["load_average"] = " ".join(f"{v:.1f}" for v in os.getloadavg())
    meta["cpus"] = str(os.cpu_count())
    rows: list[dict] = []
    if args.append and (RESULTS / "effects.json").exists():
        before = json.loads((RESULTS / "effects.json").read_text())
        rows = [r for r in before["sizes"] if r["rows"] not in args.sizes]
        meta = {**before["meta"], "appended": f"{meta['date']}, load {meta['load_average']}"}
    for n in args.sizes:
        load = os.getloadavg()[0]
        rows.append({**bench_size(n, data, model, args.repeat), "load_average": load})
        print(rows[-1], flush=True)
        write_results(meta, rows, args.repeat)  # after every size: a long run keeps its rows
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
