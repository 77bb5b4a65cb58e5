"""Benchmark: ExampleBrowser on 1,000,000 rows — a page change, a sort and a slice filter, each
as a ratio to one ``numpy.argsort`` of the same column (the peer: what any table must do at least
once to sort). Target: <= 2x. Writes ``benchmarks/results/browser.json`` and ``.md``.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from benchmarks._common import RESULTS, best_of, run_meta

N_ROWS = 1_000_000
REPEAT = 5


def _best(fn) -> float:
    return best_of(fn, REPEAT)


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
    browser = rw.ExampleBrowser(s, page_size=50)
    results = {}
    for column in ("age", "occupation"):
        values = X[column]
        # text with missing values cannot be compared by numpy: the peer sorts it filled
        values = (values if values.dtype.kind in "iuf" else values.fillna("")).to_numpy()
        peer = _best(lambda v=values: np.argsort(v, kind="stable"))

        browser.sort_by = column  # from here on, one trait change = one sort

        def sort(col=column):
            browser._keys.clear()  # a column never sorted before: its keys are built too
            browser.ascending = not browser.ascending

        def resort():
            browser.ascending = not browser.ascending

        sort_first = _best(sort)
        sort_again = _best(resort)

        def page_change():
            browser.page = (browser.page + 1) % 1000

        page = _best(page_change)
        results[column] = {
            "argsort_s": peer,
            "first_sort_s": sort_first,
            "sort_s": sort_again,
            "page_change_s": page,
            "first_sort_over_argsort": sort_first / peer,
            "sort_over_argsort": sort_again / peer,
            "page_change_over_argsort": page / peer,
        }
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
    meta = {
        **run_meta(),
        "rows": N_ROWS,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "browser.json").write_text(json.dumps({"meta": meta, **results}, indent=2))
    lines = [
        "# ExampleBrowser benchmark (1,000,000 rows)",
        "",
        f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}. Peer: one stable"
        " `numpy.argsort` of the same column's values. Target: <= 2x. Best of 5.",
        "",
        "| column | argsort s | sort (keys ready) | first sort (keys built) | page change |",
        "|---|---|---|---|---|",
    ]
    for column in ("age", "occupation"):
        r = results[column]
        lines.append(
            f"| {column} | {r['argsort_s']:.4f} | {r['sort_s']:.4f} s"
            f" ({r['sort_over_argsort']:.2f}x) | {r['first_sort_s']:.4f} s"
            f" ({r['first_sort_over_argsort']:.2f}x) |"
            f" {r['page_change_s'] * 1000:.2f} ms ({r['page_change_over_argsort']:.3f}x) |"
        )
    f = results["slice_filter"]
    lines += [
        "",
        f"Slice filter (sex = Female, sorted by age): {f['seconds']:.4f} s"
        f" ({f['over_age_argsort']:.2f}x one argsort of age). Each operation includes building"
        " the page (50 rows) sent to the browser.",
        "",
    ]
    (RESULTS / "browser.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
