"""Measurement: regression intervals on Wage (3,000 rows, one-hot + HistGradientBoosting), ours
against MAPIE's as the named peer, over five seeded splits (1,000 rows to fit, 1,000 to
calibrate, 1,000 held out).

Rows: our adaptive intervals (``method="normalized"``, the default), our constant width
(``method="absolute"``), and MAPIE's ``SplitConformalRegressor`` with its
``ResidualNormalisedScore`` on the same splits. Columns: coverage at a promised 90% (target
0.87-0.93), mean width, the spread of widths from case to case (standard deviation; 0 for one
width for every case), the coverage of people with an advanced degree (where one width fails),
and the seconds of a ``conformal()`` call. Writes ``benchmarks/results/intervals.json`` and
``.md``.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from benchmarks._common import RESULTS, run_meta


def _model():
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    return make_pipeline(encode, HistGradientBoostingRegressor(max_iter=100, random_state=0))


def bench(n_splits: int = 5) -> dict:
    from mapie.conformity_scores import ResidualNormalisedScore
    from mapie.regression import SplitConformalRegressor

    import rai_widgets as rw

    data = rw.datasets.load_wage()
    X, y = data.data, data.target
    rows: dict[str, list] = {"adaptive": [], "absolute": [], "mapie": []}
    for seed in range(n_splits):
        order = np.random.default_rng(seed).permutation(len(X))
        fit, cal, test = order[:1000], order[1000:2000], order[2000:]
        model = _model().fit(X.iloc[fit], y.iloc[fit])
        truth = y.iloc[test].to_numpy()
        advanced = (X.iloc[test]["education"] == "5. Advanced Degree").to_numpy()
        s = rw.ModelSession(model, X.iloc[test], y.iloc[test], random_state=0)
        for method in ("normalized", "absolute"):
            start = time.perf_counter()
            result = s.conformal(
                confidence_level=0.9, calibration=(X.iloc[cal], y.iloc[cal]), method=method
            )
            seconds = time.perf_counter() - start
            key = "adaptive" if method == "normalized" else "absolute"
            rows[key].append(
                (
                    result.covered.mean(),
                    result.size.mean(),
                    result.size.std(),
                    result.covered[advanced].mean(),
                    seconds,
                )
            )
        score = ResidualNormalisedScore(
            residual_estimator=_model(),  # the same pipeline: it takes the raw text columns
            random_state=0,
        )
        start = time.perf_counter()
        mapie = SplitConformalRegressor(
            model, confidence_level=0.9, conformity_score=score, prefit=True
        )
        mapie.conformalize(X.iloc[cal], y.iloc[cal])
        _, intervals = mapie.predict_interval(X.iloc[test])
        seconds = time.perf_counter() - start
        lo, hi = intervals[:, 0, 0], intervals[:, 1, 0]
        covered = (truth >= lo) & (truth <= hi)
        width = hi - lo
        rows["mapie"].append(
            (covered.mean(), width.mean(), width.std(), covered[advanced].mean(), seconds)
        )
    names = ("coverage", "mean_width", "width_std", "advanced_degree_coverage", "seconds")
    return {
        key: dict(zip(names, np.mean(values, axis=0).tolist(), strict=True))
        for key, values in rows.items()
    }


def main() -> int:
    r = bench()
    meta = run_meta()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "intervals.json").write_text(json.dumps({"meta": meta, **r}, indent=2))
    labels = {
        "adaptive": 'ours, adaptive (`method="normalized"`, default)',
        "absolute": 'ours, one width (`method="absolute"`)',
        "mapie": "MAPIE, `ResidualNormalisedScore` (peer)",
    }
    lines = [
        "# Regression intervals",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}. Wage (3,000 rows),"
        " one-hot + HistGradientBoosting; mean over 5 seeded splits (1,000 rows to fit, 1,000"
        " to calibrate, 1,000 held out). Promised coverage 90% (target 0.87-0.93).",
        "",
        "| intervals | coverage | mean width | width std | advanced-degree coverage | s |",
        "|---|---|---|---|---|---|",
    ]
    for key, label in labels.items():
        v = r[key]
        lines.append(
            f"| {label} | {v['coverage']:.3f} | {v['mean_width']:.1f} | {v['width_std']:.1f} |"
            f" {v['advanced_degree_coverage']:.3f} | {v['seconds']:.2f} |"
        )
    ratio = r["adaptive"]["mean_width"] / r["mapie"]["mean_width"]
    lines += ["", f"Mean width, ours adaptive over MAPIE's: {ratio:.2f}x.", ""]
    (RESULTS / "intervals.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
