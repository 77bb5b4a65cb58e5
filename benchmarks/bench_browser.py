"""Benchmark: ExampleBrowser on 1,000,000 rows — a sort by each kind of column (X's numbers and
text, the model's confidence, score, probability, predicted and true label, correctness) and a
page change after it, each as a ratio to one stable ``numpy.argsort`` of the same column (the
peer: what any table must do at least once to sort). Target: sort + page change <= 2x. Writes
``benchmarks/results/browser.json`` and ``.md``.

Run: ``python -m benchmarks.bench_browser``.
"""

from __future__ import annotations

import gc
import json
import sys

import ipywidgets
import numpy as np

from benchmarks._common import RESULTS, best_of, run_meta

N_ROWS = 1_000_000
REPEAT = 5
PAGE_SIZE = 50


def _best(fn) -> float:
    return best_of(fn, REPEAT)


def _peer_values(values) -> np.ndarray:
    """The column as numpy sorts it: text with missing values filled (numpy cannot compare
    None with text)."""
    if values.dtype.kind in "iufb":
        return values.to_numpy()
    return values.fillna("").to_numpy()


def _first_sort(make_browser, column: str, *, ascending: bool) -> float:
    """Best time of a first sort by ``column``: each time a fresh browser (nothing cached),
    in use as a user's would be (sorted by another column before)."""
    best = float("inf")
    for _ in range(REPEAT):
        browser = make_browser()
        browser.sort_by = "occupation" if column == "age" else "age"
        browser.ascending = ascending
        gc.collect()  # the fresh browser's garbage is not the sort's
        best = min(best, best_of(lambda b=browser: setattr(b, "sort_by", column), 1))
        # a widget (and the sorted orders it holds) lives until closed: 80 browsers left open
        # would make each sort pay for fresh memory pages, which no one user's notebook does
        ipywidgets.Widget.close_all()
    return best


def bench() -> dict:
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    import rai_widgets as rw

    data = rw.datasets.load_adult()
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(data.data), N_ROWS)
    X = data.data.iloc[idx].reset_index(drop=True)
    y = data.target.iloc[idx].reset_index(drop=True)
    encode = make_column_transformer(
        (OrdinalEncoder(), make_column_selector(dtype_exclude="number")), remainder="passthrough"
    )
    model = make_pipeline(encode, HistGradientBoostingClassifier(max_iter=50, random_state=0))
    model.fit(data.data, data.target)
    s = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)
    preds = s.predictions()
    proba = f"proba_{s.classes_[-1]}"
    columns = ["age", "occupation", "confidence", "score", proba, "y_pred", "y_true", "correct"]

    def make_browser():
        return rw.ExampleBrowser(s, page_size=PAGE_SIZE)

    results: dict = {"columns": columns}
    for column in columns:
        values = _peer_values(X[column] if column in X.columns else preds[column])
        peer = _best(lambda v=values: np.argsort(v, kind="stable"))
        first_up = _first_sort(make_browser, column, ascending=True)
        first_down = _first_sort(make_browser, column, ascending=False)
        browser = make_browser()
        browser.sort_by = column

        def resort(b=browser):
            b.ascending = not b.ascending

        def page_change(b=browser):
            b.page = (b.page + 1) % 1000

        sort_again = _best(resort)
        page = _best(page_change)
        first = max(first_up, first_down)
        results[column] = {
            "argsort_s": peer,
            "first_sort_ascending_s": first_up,
            "first_sort_descending_s": first_down,
            "sort_s": sort_again,
            "page_change_s": page,
            "first_sort_over_argsort": first / peer,
            "sort_over_argsort": sort_again / peer,
            "page_change_over_argsort": page / peer,
            "first_sort_and_page_over_argsort": (first + page) / peer,
        }
    browser = make_browser()
    browser.sort_by = "age"
    peer = results["age"]["argsort_s"]

    def slice_filter():
        browser.slice = None
        browser.slice = {"sex": "Female"}

    filtered = _best(slice_filter)
    results["slice_filter"] = {"seconds": filtered, "over_age_argsort": filtered / peer}
    return results


def main() -> int:
    results = bench()
    meta = {**run_meta(), "rows": N_ROWS}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser.json").write_text(json.dumps({"meta": meta, **results}, indent=2))
    lines = [
        "# ExampleBrowser benchmark (1,000,000 rows)",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}. Peer: one stable"
        " `numpy.argsort` of the same column's values (text: filled, as an object array)."
        f" Target: first sort + page change <= 2x. Best of {REPEAT}; a first sort runs on a"
        " fresh browser (nothing cached, sorted by another column before), the slower direction"
        " is shown. Sort again: the other direction of a column sorted before.",
        "",
        "| column | argsort s | first sort | sort again (cached) | page change |"
        " first sort + page |",
        "|---|---|---|---|---|---|",
    ]
    for column in results["columns"]:
        r = results[column]
        first = max(r["first_sort_ascending_s"], r["first_sort_descending_s"])
        lines.append(
            f"| {column} | {r['argsort_s']:.4f} | {first:.4f} s"
            f" ({r['first_sort_over_argsort']:.2f}x) | {r['sort_s']:.4f} s"
            f" ({r['sort_over_argsort']:.2f}x) |"
            f" {r['page_change_s'] * 1000:.2f} ms ({r['page_change_over_argsort']:.2f}x) |"
            f" **{r['first_sort_and_page_over_argsort']:.2f}x** |"
        )
    over = [c for c in results["columns"] if results[c]["first_sort_and_page_over_argsort"] > 2]
    for column in over:  # say why, with this run's numbers
        r = results[column]
        lines += [
            "",
            f"Over the target: `{column}` ({r['first_sort_and_page_over_argsort']:.2f}x). Its"
            f" argsort takes {r['argsort_s'] * 1000:.1f} ms (numpy sorts 1-byte values by"
            " radix), while drawing one page costs"
            f" {r['page_change_s'] * 1000:.1f} ms ({r['page_change_over_argsort']:.2f}x) of it,"
            " and a first sort draws one too.",
        ]
    f = results["slice_filter"]
    lines += [
        "",
        f"Slice filter (sex = Female, sorted by age): {f['seconds']:.4f} s"
        f" ({f['over_age_argsort']:.2f}x one argsort of age). Each operation includes building"
        f" the page ({PAGE_SIZE} rows) sent to the browser.",
        "",
    ]
    (RESULTS / "browser.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
