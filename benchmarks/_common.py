"""What every benchmark shares: where results go, best-of-n timing, and the run's metadata."""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run_meta() -> dict[str, str]:
    """When and where the benchmark ran."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }


def adult_onehot_hgb():
    """The README's kind of model, fitted on all of Adult: one-hot encoding of the text
    columns + HistGradientBoosting. Returns ``(data, model)``."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    import rai_widgets as rw

    data = rw.datasets.load_adult()
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )
    model = make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))
    return data, model.fit(data.data, data.target)
