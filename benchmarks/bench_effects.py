"""Benchmark: feature effects against scikit-learn's ``partial_dependence`` (brute) and PyALE's
``ale`` on the same model, feature and grid, at 10,000, 100,000 and 1,000,000 rows (Adult
resampled).

Partial dependence: seconds for ours (with bootstrap bounds, no cache) and scikit-learn's (no
bounds), their ratio (target: <= 1x at 100,000 rows) and the largest difference between their
numbers (target: <= 1e-6). ALE: seconds for ours (with bounds) and PyALE's (without), and the
largest difference. Writes ``benchmarks/results/effects.json`` and ``.md``.
"""

from __future__ import annotations

import json
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


def bench_size(n: int, data, model) -> dict:
    import PyALE
    from sklearn.inspection import partial_dependence

    import rai_widgets as rw

    rng = np.random.default_rng(0)
    take = rng.choice(len(data.data), n, replace=True)
    X = data.data.iloc[take].reset_index(drop=True)
    y = data.target.iloc[take].reset_index(drop=True)
    s = rw.ModelSession(model, X, y, random_state=None)  # no cache: every call computes
    s.predictions()
    ours, ours_s = _timed(lambda: s.effects(FEATURE, grid_resolution=RESOLUTION))
    grid = ours["value"].to_numpy(float)
    whole = X.select_dtypes("integer").columns
    X_float = X.astype(dict.fromkeys(whole, float))  # scikit-learn refuses integer columns
    oracle, sk_s = _timed(
        lambda: partial_dependence(
            model, X_float, [FEATURE], method="brute", custom_values={FEATURE: grid}
        )
    )
    pd_diff = float(np.max(np.abs(ours["effect"].to_numpy() - oracle["average"][0])))

    class Chance:  # PyALE calls predict: the probability of >50K
        def predict(self, Z):
            return model.predict_proba(Z)[:, 1]

    ale, ale_s = _timed(lambda: s.effects(FEATURE, kind="ale", grid_resolution=RESOLUTION))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference, ref_s = _timed(
            lambda: PyALE.ale(
                X_float,
                Chance(),
                [FEATURE],
                feature_type="continuous",
                grid_size=RESOLUTION,
                include_CI=False,
                plot=False,
            )
        )
    ale_diff = float(np.max(np.abs(ale["effect"].to_numpy() - reference["eff"].to_numpy())))
    return {
        "rows": n,
        "grid_points": len(grid),
        "ours_pd_s": ours_s,
        "sklearn_pd_s": sk_s,
        "pd_ratio": ours_s / sk_s,
        "pd_max_difference": pd_diff,
        "ours_ale_s": ale_s,
        "pyale_s": ref_s,
        "ale_ratio": ale_s / ref_s,
        "ale_max_difference": ale_diff,
    }


def main() -> int:
    data, model = adult_onehot_hgb()
    rows = [bench_size(n, data, model) for n in SIZES]
    meta = run_meta()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "effects.json").write_text(json.dumps({"meta": meta, "sizes": rows}, indent=2))
    lines = [
        "# Feature effects benchmark",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}. Adult resampled,"
        f" one-hot + HistGradientBoosting, feature `{FEATURE}`, {RESOLUTION} grid points. Ours"
        " computes 95% bootstrap bounds too (200 resamples); the peers have none. Targets:"
        " partial dependence <= 1x scikit-learn at 100,000 rows, within 1e-6 of it.",
        "",
        "| rows | grid | ours PD s | scikit-learn PD s | ratio | max difference |"
        " ours ALE s | PyALE s | ratio | max difference |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['rows']:,} | {r['grid_points']} | {r['ours_pd_s']:.2f} |"
            f" {r['sklearn_pd_s']:.2f} | {r['pd_ratio']:.2f}x | {r['pd_max_difference']:.1e} |"
            f" {r['ours_ale_s']:.2f} | {r['pyale_s']:.2f} | {r['ale_ratio']:.2f}x |"
            f" {r['ale_max_difference']:.1e} |"
        )
    (RESULTS / "effects.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
