"""Benchmark: the Dashboard's first tab (the audit, "What to look at first") ready, as ratios to
the model's own answers over the same rows (issue 26, item 3).

* COMPAS-like synthetic rows (:mod:`benchmarks.compas_like`), 500,000 and 1,000,000, one-hot +
  HistGradientBoosting, race and sex sensitive: ``rw.Dashboard(s)`` shown and ``board.wait()``
  (every tab complete, the audit first) against one ``predict_proba``. Target: <= 1.5x.
* Adult (48,842 rows), the README's pipeline: ``board.wait()`` against the model's own
  ``predict`` + ``predict_proba``. Target: <= 2x.
* On 500,000 rows with the predictions in, the seconds of each audit check in the order they
  run, with the small-batch checks' OpenMP on one thread (as the audit runs them) and with
  every thread (as before), in the same run: what to cut, and what the cut saved.

Big sizes run once (2 shared cores: compare ratios within one run). Writes
``benchmarks/results/first_tab.json`` and ``.md``.
"""

from __future__ import annotations

import json
import os
import sys
import time

from benchmarks._common import RESULTS, adult_onehot_hgb, run_meta

COMPAS_SIZES = (500_000, 1_000_000)
ADULT_REPEAT = 3
NOTE = (
    "The small-batch checks (a counterfactual search for a few hundred people, explanations"
    " of a sample, pinned cases) call the model with OpenMP on one thread: on 2 busy cores"
    " a thread pool's start-up and waits cost far more than it saves on a few thousand rows."
    " Recourse's search already calls the model once per step for every person together"
    " (about 15 calls on a few thousand rows, about 0.1-0.7 s of the check); its starting"
    " distances are now measured for every person at once (one pass over the columns, not one"
    " per person), with results byte-identical. Explanations of the session's own rows read"
    " its cached predictions instead of predicting them again. `s.predictions()` adds nothing"
    " measurable to the model's own calls (a HistGradientBoosting pipeline is asked"
    " predict_proba only, the labels are its argmax; 100,000-row chunks ran faster than one"
    " call). The machine's load varies between runs and between rows of these tables."
)


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def per_check(session) -> dict[str, float]:
    """Seconds of each audit check, in the order the audit runs them."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    audit = session.audit(progress=lambda a: marks.append((a.checks[-1], time.perf_counter())))
    end = time.perf_counter()
    last = next(name for name in audit.checks if name not in {m[0] for m in marks})
    out, previous = {}, start
    for name, when in [*marks, (last, end)]:
        out[name], previous = when - previous, when
    return out


def _board(session) -> tuple[float, float, float, str]:
    """Seconds until the Dashboard is shown, its first tab (the audit) is ready, and every tab
    is; and the status at the end."""
    import rai_widgets as rw

    start = time.perf_counter()
    board = rw.Dashboard(session)
    shown = time.perf_counter() - start
    board.wait(tab=0)
    first = time.perf_counter() - start
    status = board.wait()
    ready = time.perf_counter() - start
    board.close()
    return shown, first, ready, status


def bench_compas() -> dict:
    import rai_widgets as rw
    from benchmarks.compas_like import compas_like, compas_model
    from rai_widgets.session.checks import run as run_checks

    X_all, y_all = compas_like(max(COMPAS_SIZES), seed=0)
    model = compas_model(X_all.iloc[:50_000], y_all.iloc[:50_000])
    sensitive = ["race", "sex"]
    warm = rw.ModelSession(
        model, X_all.iloc[:2000], y_all.iloc[:2000], sensitive_features=sensitive
    )
    rw.Dashboard(warm)  # imports (shap among them) happen here, not below
    results: dict = {}
    for n in COMPAS_SIZES:
        X, y = X_all.iloc[:n], y_all.iloc[:n]
        proba = _seconds(lambda X=X: model.predict_proba(X))
        s = rw.ModelSession(model, X, y, sensitive_features=sensitive, random_state=0)
        shown, first, ready, status = _board(s)
        results[str(n)] = {
            "predict_proba_s": proba,
            "shown_s": shown,
            "first_tab_s": first,
            "ready_s": ready,
            "status": status,
            "shown_over_proba": shown / proba,
            "first_tab_over_proba": first / proba,
            "ready_over_proba": ready / proba,
        }
    n = COMPAS_SIZES[0]
    X, y = X_all.iloc[:n], y_all.iloc[:n]
    one_thread = run_checks.ONE_THREAD
    checks = {}
    for label, threads in (("one_thread", one_thread), ("every_thread", frozenset())):
        run_checks.ONE_THREAD = threads
        s = rw.ModelSession(model, X, y, sensitive_features=sensitive, random_state=0)
        s.predictions()
        checks[label] = per_check(s)
    run_checks.ONE_THREAD = one_thread
    results["checks_500k"] = checks
    results["checks_500k_proba_s"] = results[str(n)]["predict_proba_s"]
    return results


def bench_adult() -> dict:
    import rai_widgets as rw

    data, model = adult_onehot_hgb()
    X, y = data.data, data.target
    rw.Dashboard(rw.ModelSession(model, X.iloc[:2000], y.iloc[:2000], sensitive_features=["sex"]))
    runs = []
    for _ in range(ADULT_REPEAT):
        peer = _seconds(lambda: model.predict_proba(X)) + _seconds(lambda: model.predict(X))
        s = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)
        _, first, ready, status = _board(s)
        runs.append(
            {
                "peer_s": peer,
                "first_tab_s": first,
                "ready_s": ready,
                "first_tab_ratio": first / peer,
                "ratio": ready / peer,
                "status": status,
            }
        )
    return {"rows": len(X), "runs": runs, "parts": adult_parts(model, X, y)}


def adult_parts(model, X, y) -> dict[str, float]:
    """Seconds of each part of the Adult Dashboard, one after the other on a fresh session:
    the model's answers, each audit check (answers in), the audit tab drawn (its checks kept
    by the session), and each other view built alone (each after the ones before)."""
    import rai_widgets as rw

    s = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)
    parts = {"predictions": _seconds(s.predictions)}
    parts.update({f"check {name}": t for name, t in per_check(s).items()})
    views = {
        "audit tab drawn": lambda: rw.AuditView(s),
        "examples tab": lambda: rw.ExampleBrowser(s, progressive=False),
        "explanation tab": lambda: rw.ExplanationView(s, progressive=False),
        "fairness tab": lambda: rw.FairnessView(s, progressive=False),
        "uncertainty tab": lambda: rw.UncertaintyView(s, progressive=False),
    }
    for name, make in views.items():
        parts[name] = _seconds(make)
    return parts


def markdown(meta: dict, compas: dict, adult: dict) -> str:
    """The results file's text from one run's figures (as ``first_tab.json`` holds them)."""
    lines = [
        "# The Dashboard's first tab ready (issue 26, item 3)",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}, 2 cores shared"
        f" with other work (load {meta.get('load', '?')}: compare ratios within a row). First"
        " tab: `board.wait(tab=0)` returns, the audit complete (the other tabs are built after"
        " it). Ready: `board.wait()` returns, every tab complete.",
        "",
        "## COMPAS-like rows, one-hot + HistGradientBoosting (target: first tab <= 1.5x)",
        "",
        "| rows | one predict_proba s | shown | first tab | every tab (status) |",
        "|---|---|---|---|---|",
    ]
    for n in COMPAS_SIZES:
        r = compas[str(n)]
        lines.append(
            f"| {n:,} | {r['predict_proba_s']:.2f} | {r['shown_s']:.2f} s"
            f" ({r['shown_over_proba']:.3f}x) | {r['first_tab_s']:.2f} s"
            f" ({r['first_tab_over_proba']:.2f}x) | {r['ready_s']:.2f} s"
            f" ({r['ready_over_proba']:.2f}x, {r['status']}) |"
        )
    lines += [
        "",
        "## Adult, 48,842 rows (target: ready <= 2x the model's predict + predict_proba)",
        "",
        "| run | predict + predict_proba s | first tab s | ready s | ratio |",
        "|---|---|---|---|---|",
    ]
    for i, r in enumerate(adult["runs"], 1):
        lines.append(
            f"| {i} | {r['peer_s']:.2f} | {r['first_tab_s']:.2f} ({r['first_tab_ratio']:.2f}x)"
            f" | {r['ready_s']:.2f} | {r['ratio']:.2f}x |"
        )
    parts = adult.get("parts", {})
    if parts:
        peer = min(r["peer_s"] for r in adult["runs"])
        lines += [
            "",
            "Where the Adult Dashboard's time goes (each part alone, one after the other on a"
            f" fresh session; ratio to the fastest predict + predict_proba, {peer:.2f} s):",
            "",
            "| part | s | x |",
            "|---|---|---|",
        ]
        for name, t in parts.items():
            if t >= 0.005:
                lines.append(f"| {name} | {t:.3f} | {t / peer:.2f} |")
        total = sum(parts.values())
        lines.append(f"| **sum** | **{total:.2f}** | **{total / peer:.2f}** |")
    proba = compas["checks_500k_proba_s"]
    one, every = compas["checks_500k"]["one_thread"], compas["checks_500k"]["every_thread"]
    lines += [
        "",
        f"## Each check on {COMPAS_SIZES[0]:,} rows, predictions in, in the order they run",
        "",
        "Small-batch checks with OpenMP on one thread (as the audit runs them now) and with"
        " every thread (as before); ratios to one `predict_proba` of the same rows.",
        "",
        "| check | one thread s | every thread s |",
        "|---|---|---|",
    ]
    for name in one:
        lines.append(f"| {name} | {one[name]:.3f} | {every.get(name, float('nan')):.3f} |")
    lines.append(
        f"| **the audit** | **{sum(one.values()):.2f} ({sum(one.values()) / proba:.2f}x)** |"
        f" **{sum(every.values()):.2f} ({sum(every.values()) / proba:.2f}x)** |"
    )
    lines += ["", NOTE, ""]
    return "\n".join(lines)


def main() -> int:
    meta = run_meta()
    meta["load"] = f"{os.getloadavg()[0]:.1f} at the start"
    compas = bench_compas()
    adult = bench_adult()
    meta["load"] += f", {os.getloadavg()[0]:.1f} at the end"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "first_tab.json").write_text(
        json.dumps({"meta": meta, "compas_like": compas, "adult": adult}, indent=2)
    )
    text = markdown(meta, compas, adult)
    (RESULTS / "first_tab.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
