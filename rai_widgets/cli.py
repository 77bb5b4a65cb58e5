"""Command line: ``rai-widgets quickstart`` (terminal) and ``rai-widgets demo`` (Voila page)
look at a real model on bundled real data.

Examples
--------
>>> from rai_widgets.cli import format_with_bounds
>>> import pandas as pd
>>> t = pd.DataFrame({"n": [10, 990], "accuracy": [0.5, 0.861], "accuracy_lo": [0.2, 0.84],
...                   "accuracy_hi": [0.8, 0.88], "low_support": [True, False]},
...                  index=pd.Index(["a", None], name="g"))
>>> print(format_with_bounds(t, ["accuracy"]).to_string())
           n               accuracy      note
g
a         10  50.0% (20.0%–80.0%)  few rows
missing  990  86.1% (84.0%–88.0%)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import pandas as pd

from rai_widgets.formatting import NOT_AVAILABLE, label
from rai_widgets.formatting_metrics import metric_bounds, metric_value

__all__ = ["format_with_bounds", "main"]


def format_with_bounds(table: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Render ``metric (lo–hi)`` cells and a note for low-support slices, for a terminal.

    Metrics read as everywhere else (:mod:`rai_widgets.formatting`): proportions as
    percentages, and a slice of rows with a missing value is labelled "missing".

    Parameters
    ----------
    table : pandas.DataFrame
        Output of ``ModelSession.slice_metrics`` (with or without bounds).
    metrics : sequence of str
        Metric columns to show.

    Returns
    -------
    pandas.DataFrame
        Text cells.
    """
    index = table.index
    if isinstance(index, pd.MultiIndex):
        labels = pd.MultiIndex.from_tuples(
            [tuple(label(part) for part in key) for key in index], names=index.names
        )
    else:
        labels = pd.Index([label(key) for key in index], name=index.name)
    out = pd.DataFrame(index=labels)
    out["n"] = table["n"].to_numpy()
    for m in metrics:
        has_bounds = f"{m}_lo" in table.columns
        cells = []
        for i, value in enumerate(table[m]):
            cell = metric_value(m, value)
            if has_bounds and cell != NOT_AVAILABLE:
                lo, hi = table[f"{m}_lo"].iloc[i], table[f"{m}_hi"].iloc[i]
                interval = metric_bounds(m, lo, hi, sep="–")
                if interval != NOT_AVAILABLE:
                    cell += f" ({interval})"
            cells.append(cell)
        out[m] = cells
    out["note"] = ["few rows" if flag else "" for flag in table["low_support"].to_numpy()]
    return out


def quickstart(*, rows: int | None = None) -> None:
    """Fit a model on the bundled Adult data and print how it does per slice."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    import rai_widgets as rw

    data = rw.datasets.load_adult()
    X, y = data.data, data.target
    if rows is not None:
        X, y = X.iloc[:rows], y.iloc[:rows]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    encode = make_column_transformer(
        (
            OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    model = make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))
    start = time.perf_counter()
    model.fit(X_train, y_train)
    print(
        f"Fitted {type(model[-1]).__name__} on {len(X_train):,} Adult rows "
        f"in {time.perf_counter() - start:.1f} s."
    )
    session = rw.ModelSession(
        model,
        X_test,
        y_test,
        sensitive_features=data.sensitive_features,
        name="adult-gbm",
        random_state=0,
    )
    print(session)
    metrics = ["accuracy", "selection_rate", "tpr", "fpr"]
    pd.set_option("display.width", 160)
    for by in (None, "sex", "race", ["race", "sex"]):
        start = time.perf_counter()
        table = session.slice_metrics(by=by)
        took = time.perf_counter() - start
        title = "overall" if by is None else f"by {by}"
        print(f"\n== {title}  ({took * 1000:.0f} ms; 95% bounds in brackets)")
        print(format_with_bounds(table, metrics).to_string())
    gaps = session.disparities("race", metric="selection_rate")
    reference = gaps.attrs["reference"]
    print(f"\n== selection rate by race against {reference!r} (the largest group)")
    cols = ["n", "selection_rate", "difference", "difference_lo", "difference_hi", "ratio"]
    print(gaps[cols].round(3).to_string())
    print(f"\n{session.core.cache_info()}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rai-widgets`` command."""
    parser = argparse.ArgumentParser(prog="rai-widgets", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    quick = commands.add_parser("quickstart", help="per-slice metrics of a model on Adult")
    quick.add_argument("--rows", type=int, default=None, help="use only the first N rows")
    demo = commands.add_parser(
        "demo", help="the Dashboard on bundled real data, served by Voila on 127.0.0.1"
    )
    demo.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    demo.add_argument(
        "--dataset", choices=["adult", "german", "wage"], default="adult", help="bundled data"
    )
    demo.add_argument(
        "--presenter", action="store_true", help="larger type, technical columns hidden"
    )
    demo.add_argument(
        "--free-after",
        type=int,
        default=60,
        help="seconds before the kernel of a page that was left is shut down (default 60)",
    )
    args = parser.parse_args(argv)
    if args.command == "quickstart":
        quickstart(rows=args.rows)
    elif args.command == "demo":
        from rai_widgets.demo import run_demo

        return run_demo(
            port=args.port,
            dataset=args.dataset,
            presenter=args.presenter,
            free_after=args.free_after,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
