"""Benchmark: the audit with training rows (issue 25), against one fit of the model, and the
label-quality search against cleanlab's ``find_label_issues``.

1. Scale. Training rows resampled from Adult's training split and evaluation rows from its
   test split, N of each (N = 48,842 and 1,000,000); one-hot + HistGradientBoosting. Peer: one
   fit of the model on the training rows. Measured, each on a fresh session once the
   predictions are in: the whole ``s.audit()`` (every default check, the four lifecycle checks
   included), and the lifecycle checks alone. Target: the whole audit at most 3x one fit.
2. Agreement. The same out-of-fold probabilities (a 5-fold copy of the model on Adult's
   training split) read by ``rai_widgets.compute.label_quality.find_suspect_labels`` and by
   ``cleanlab.filter.find_label_issues``: the suspects' Jaccard similarity (target: within 5%,
   i.e. at least 0.95) and the time of each.

Writes ``benchmarks/results/lifecycle.json`` and ``.md``.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from benchmarks._common import RESULTS, run_meta

SIZES = (48_842, 1_000_000)
LIFECYCLE = ["representation", "overlap", "drift", "label_quality"]


def _pipeline():
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    return make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))


def _scale(n: int) -> dict:
    import rai_widgets as rw

    data = rw.datasets.load_adult()
    train = (data.split == "train").to_numpy()
    rng = np.random.default_rng(0)
    take_train = rng.choice(np.flatnonzero(train), n, replace=True)
    take_eval = rng.choice(np.flatnonzero(~train), n, replace=True)
    X_train, y_train = data.data.iloc[take_train], data.target.iloc[take_train]
    X, y = data.data.iloc[take_eval], data.target.iloc[take_eval]
    X_train.index = y_train.index = np.arange(n)
    X.index = y.index = np.arange(n)
    model = _pipeline()
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit = time.perf_counter() - start

    def session():  # a fresh one each time: nothing cached from the other measure
        s = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0,
                            train=(X_train, y_train))  # fmt: skip
        s.predictions()
        return s

    s = session()
    start = time.perf_counter()
    whole = s.audit()
    audit = time.perf_counter() - start
    s = session()
    start = time.perf_counter()
    lifecycle = s.audit(checks=LIFECYCLE)
    alone = time.perf_counter() - start
    return {
        "rows": n,
        "fit_s": round(fit, 2),
        "lifecycle_s": round(alone, 2),
        "audit_s": round(audit, 2),
        "audit_over_fit": round(audit / fit, 2),
        "lifecycle_over_fit": round(alone / fit, 2),
        "lifecycle_findings": lifecycle.frame()[["check", "severity"]].values.tolist(),
        "checks": len(whole.checks),
    }


def _agreement() -> dict:
    from cleanlab.filter import find_label_issues
    from sklearn.base import clone

    import rai_widgets as rw
    from rai_widgets.compute.label_quality import find_suspect_labels, out_of_fold_probabilities

    data = rw.datasets.load_adult()
    train = (data.split == "train").to_numpy()
    X, y = data.data[train], data.target[train]
    folds = out_of_fold_probabilities(clone(_pipeline()), X, y, random_state=0)
    labels = y.to_numpy()[folds.rows]
    codes = np.searchsorted(folds.classes, labels)
    start = time.perf_counter()
    ours = find_suspect_labels(labels, folds.proba, folds.classes)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = find_label_issues(codes, folds.proba)
    theirs_s = time.perf_counter() - start
    both, either = int((ours & theirs).sum()), int((ours | theirs).sum())
    return {
        "rows": len(labels),
        "ours": int(ours.sum()),
        "cleanlab": int(theirs.sum()),
        "jaccard": round(both / max(either, 1), 4),
        "ours_s": round(ours_s, 4),
        "cleanlab_s": round(theirs_s, 4),
    }


def main() -> int:
    meta = run_meta()
    sizes = [_scale(n) for n in SIZES]
    agreement = _agreement()
    (RESULTS / "lifecycle.json").write_text(
        json.dumps({"meta": meta, "sizes": sizes, "agreement": agreement}, indent=2)
    )
    lines = [
        "# The audit with training rows (issue 25)",
        "",
        f"{meta['date']}, {meta['machine']}, Python {meta['python']}. Adult resampled, one-hot "
        "+ HistGradientBoosting; N training and N evaluation rows.",
        "",
        "| rows | one fit (peer) | lifecycle checks | whole audit | audit / fit (target <= 3) |",
        "|---|---|---|---|---|",
    ]
    for row in sizes:
        lines.append(
            f"| {row['rows']:,} | {row['fit_s']} s | {row['lifecycle_s']} s | {row['audit_s']} s "
            f"| {row['audit_over_fit']}x |"
        )
    a = agreement
    lines += [
        "",
        "## Label quality against cleanlab (same out-of-fold probabilities)",
        "",
        "| rows | ours | cleanlab | Jaccard (target >= 0.95) | ours | cleanlab |",
        "|---|---|---|---|---|---|",
        f"| {a['rows']:,} | {a['ours']:,} suspects | {a['cleanlab']:,} suspects | "
        f"{a['jaccard']} | {a['ours_s']} s | {a['cleanlab_s']} s |",
    ]
    (RESULTS / "lifecycle.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
