"""Property-based tests: on generated DataFrames (mixed dtypes, NaN/inf, every kind of index,
unicode and hostile names, 1-3 rows, one class, many levels) every public call returns a
correct result, checked against a direct computation where one exists, or raises a
``RaiWidgetsError``. No other exception type may escape."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import rai_widgets as rw  # noqa: E402

NAMES = st.sampled_from(
    ["age", "größe", "<script>alert(1)</script>", "a b", "x\ny", "名前", "0", "'\"", "col"]
)
KINDS = st.sampled_from(["float", "int", "Int64", "bool", "boolean", "str", "category", "nan"])


class DuckModel:
    """Works on any frame: a fixed function of the numeric columns (NaN read as 0)."""

    def __init__(self, classes, regression=False):
        if not regression:
            self.classes_ = np.asarray(classes)
        self.regression = regression

    def _signal(self, X):
        frame = pd.DataFrame(X)
        numeric = [
            frame[c].to_numpy(dtype=float, na_value=np.nan)
            for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        ]
        total = np.zeros(len(frame)) if not numeric else np.nansum(np.column_stack(numeric), 1)
        return np.tanh(total / 100.0)

    def predict(self, X):
        z = self._signal(X)
        if self.regression:
            return z
        return self.classes_[(z > 0).astype(int) % len(self.classes_)]

    def predict_proba(self, X):
        z = self._signal(X)
        p = (z + 1) / 2
        if len(self.classes_) == 1:
            return np.ones((len(z), 1))
        out = np.column_stack([1 - p, p])
        if len(self.classes_) > 2:
            out = np.column_stack([out, np.zeros((len(z), len(self.classes_) - 2))])
        return out


class DuckRegressor(DuckModel):
    """The same signal as a number, without probabilities."""

    predict_proba = None


def _column(draw, kind: str, n: int):
    if kind == "float":
        return pd.Series(
            draw(
                st.lists(
                    st.one_of(
                        st.floats(-1e6, 1e6, allow_nan=False),
                        st.just(np.nan),
                        st.just(np.inf),
                    ),
                    min_size=n,
                    max_size=n,
                )
            ),
            dtype=float,
        )
    if kind == "int":
        return pd.Series(draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n)))
    if kind == "Int64":
        values = draw(st.lists(st.one_of(st.integers(-50, 50), st.none()), min_size=n, max_size=n))
        return pd.Series(values, dtype="Int64")
    if kind in ("bool", "boolean"):
        values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return pd.Series(values, dtype=kind)
    if kind == "nan":
        return pd.Series([np.nan] * n, dtype=float)
    levels = draw(st.integers(1, 40))
    values = draw(
        st.lists(
            st.one_of(st.integers(0, levels - 1).map(lambda i: f"v{i}<é>"), st.none()),
            min_size=n,
            max_size=n,
        )
    )
    series = pd.Series(values, dtype="string" if kind == "str" else object)
    return series.astype("category") if kind == "category" else series


@st.composite
def datasets(draw):
    n = draw(st.one_of(st.integers(1, 3), st.integers(4, 60)))
    kinds = draw(st.lists(KINDS, min_size=1, max_size=4))
    names = draw(st.lists(NAMES, min_size=len(kinds), max_size=len(kinds), unique=True))
    X = pd.DataFrame(
        {name: _column(draw, kind, n) for name, kind in zip(names, kinds, strict=True)}
    )
    index_kind = draw(st.sampled_from(["range", "str", "datetime", "tuple", "duplicates"]))
    if index_kind == "str":
        X.index = [f"row-{i}" for i in range(n)]
    elif index_kind == "datetime":
        X.index = pd.date_range("2020-01-01", periods=n, freq="D")
    elif index_kind == "tuple":
        X.index = pd.MultiIndex.from_tuples([(i % 2, i) for i in range(n)])
    elif index_kind == "duplicates":
        X.index = [i // 2 for i in range(n)]
    task = draw(st.sampled_from(["binary", "one class", "regression"]))
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    if task == "regression":
        y = pd.Series(rng.normal(size=n), index=X.index)
        model = DuckRegressor([], regression=True)
    elif task == "one class":
        y = pd.Series(["yes"] * n, index=X.index)
        model = DuckModel(["no", "yes"])
    else:
        y = pd.Series(rng.choice(["no", "yes"], size=n), index=X.index)
        model = DuckModel(["no", "yes"])
    return X, y, model, "regression" if task == "regression" else "binary"


def _expect_result_or_our_error(call):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call()
    except rw.RaiWidgetsError:
        return None


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(datasets())
def test_every_call_gives_a_correct_result_or_a_rai_widgets_error(data):
    X, y, model, task = data
    s = _expect_result_or_our_error(lambda: rw.ModelSession(model, X, y, task=task, random_state=0))
    if s is None:
        return
    predictions = _expect_result_or_our_error(s.predictions)
    assert predictions is not None and len(predictions) == len(X)
    expected = model.predict(X)
    assert np.array_equal(np.asarray(predictions["y_pred"]), np.asarray(expected))
    overall = _expect_result_or_our_error(lambda: s.slice_metrics(ci=None))
    if overall is not None:
        assert int(overall["n"].sum()) == len(X)
        if task == "binary":
            accuracy = float(np.mean(np.asarray(y) == expected))
            assert overall["accuracy"].iloc[0] == pytest.approx(accuracy)
        else:
            mae = float(np.mean(np.abs(y.to_numpy() - expected)))
            assert overall["mae"].iloc[0] == pytest.approx(mae)
    for column in X.columns:
        table = _expect_result_or_our_error(lambda c=column: s.slice_metrics(by=c))
        if table is not None:
            assert int(table["n"].sum()) == len(X)
    first = X.index[0]
    for call in (
        lambda: s.examples("typical", n=2),
        lambda: s.examples("confident_errors" if task == "binary" else "large_errors", n=2),
        lambda: s.similar(first, n=2),
        lambda: s.explain([first], method="lime", n_samples=50),
        lambda: s.explain([first], method="shap"),
        lambda: s.weak_slices(max_order=1, min_support=1),
        lambda: s.conformal(),
        lambda: s.calibration(),
        lambda: s.explain_text(first),
    ):
        _expect_result_or_our_error(call)
    audit = _expect_result_or_our_error(
        lambda: s.audit(checks=["baseline", "disparity", "four_fifths", "data_gap", "coverage"])
    )
    if audit is not None:  # every check says something: a finding or why it could not
        assert set(audit.frame()["check"]) == {
            "baseline",
            "disparity",
            "four_fifths",
            "data_gap",
            "coverage",
        }


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def json_files(draw):
    """A TestCases or card document, valid at first, then changed in one hostile way."""
    kind = draw(st.sampled_from(["testcases", "card"]))
    change = draw(st.sampled_from(["value", "drop", "truncate", "bytes", "deep", "digits", "none"]))
    return kind, change, draw(JSON_VALUES), draw(st.integers(0, 10_000))


@pytest.fixture(scope="module")
def documents(german, tmp_path_factory):
    columns = ["duration_in_month", "credit_amount", "age_in_years"]
    X = german.data[columns]
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(max_iter=1_000).fit(X, german.target)
    s = rw.ModelSession(model, X, german.target, random_state=0)
    cases = rw.TestCases("pinned")
    cases.pin(s, X.index[0], note="first")
    return {
        "testcases": cases.to_json(),
        "card": rw.ModelCard.from_session(s).to_dict(),
        "session": s,
        "folder": tmp_path_factory.mktemp("documents"),
    }


def _leaves(document, path=()):
    """Every (container, key) of a JSON document, depth first."""
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        yield document, key
        if isinstance(value, (dict, list)) and value:
            yield from _leaves(value, (*path, key))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_files())
def test_every_file_loads_or_gives_a_rai_widgets_error(documents, data):
    import copy
    import json

    kind, change, value, pick = data
    document = copy.deepcopy(documents[kind])
    places = list(_leaves(document))
    container, key = places[pick % len(places)]
    text = None
    if change == "value":
        container[key] = value
    elif change == "drop":
        del container[key]
    elif change == "deep":
        text = "[" * 50_000 + "]" * 50_000
    elif change == "digits":
        text = json.dumps(document)[:-1] + ', "n": ' + "7" * 5_000 + "}"
    raw = (text or json.dumps(document)).encode("utf-8")
    if change == "truncate":
        raw = raw[: pick % max(len(raw), 1)]
    elif change == "bytes":
        raw = raw[: pick % max(len(raw), 1)] + b"\xff\xfe\x00" + raw[pick % max(len(raw), 1) :]
    path = documents["folder"] / f"{kind}.json"
    path.write_bytes(raw)
    load = rw.TestCases.load if kind == "testcases" else rw.ModelCard.from_json
    loaded = _expect_result_or_our_error(lambda: load(path))
    if loaded is None:
        return
    if kind == "testcases":
        _expect_result_or_our_error(lambda: loaded.run(documents["session"]))
    else:  # a card that loads can be shown
        assert loaded.to_markdown()
        assert "<html" in loaded.to_html()
