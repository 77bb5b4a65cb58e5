"""The result cache: fingerprinted keys, LRU memory bound, what is and is not cached."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.core.cache import ResultCache, nbytes_of
from tests.conftest import assert_frame_close


# --- ResultCache ---------------------------------------------------------------------------
def test_lru_eviction_by_bytes():
    cache = ResultCache(max_bytes=2_500)
    for key in "abc":
        cache.get_or_compute(key, lambda: np.zeros(100))  # 800 bytes each
    cache.get_or_compute("a", lambda: pytest.fail("'a' should be cached"))  # touch 'a'
    cache.get_or_compute("d", lambda: np.zeros(100))  # evicts 'b', the least recently used
    assert "a" in cache and "b" not in cache and "c" in cache and "d" in cache
    info = cache.info()
    assert info.evictions == 1 and info.entries == 3 and info.bytes == 2_400
    assert info.bytes <= info.max_bytes


def test_too_large_result_is_returned_but_not_stored():
    cache = ResultCache(max_bytes=100)
    value = cache.get_or_compute("big", lambda: np.ones(1_000))
    assert value.sum() == 1_000 and "big" not in cache


def test_pinned_results_stay_outside_the_bound_one_per_kind():
    cache = ResultCache(max_bytes=1_000)
    first = cache.get_or_compute(("outputs", "a"), lambda: np.zeros(1_000), pinned=True)
    for key in range(5):  # evictable results that fill the bound many times over
        cache.get_or_compute(("other", key), lambda: np.zeros(100))
    again = cache.get_or_compute(("outputs", "a"), lambda: np.ones(1_000), pinned=True)
    assert again is first and ("outputs", "a") in cache
    info = cache.info()
    assert info.pinned_bytes == 8_000 and info.bytes == 8_000 + 800 and info.evictions == 4
    cache.get_or_compute(("outputs", "b"), lambda: np.ones(10), pinned=True)  # a new state
    assert ("outputs", "a") not in cache and cache.info().pinned_bytes == 80
    cache.clear()
    assert ("outputs", "b") not in cache and cache.info().bytes == 0


def test_exceptions_are_never_cached():
    cache = ResultCache()
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first call fails")
        return 42

    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", flaky)
    assert "k" not in cache
    assert cache.get_or_compute("k", flaky) == 42
    assert cache.get_or_compute("k", flaky) == 42
    assert len(calls) == 2


def test_uncacheable_results_are_recomputed():
    cache = ResultCache()
    counter = iter(range(10))
    first = cache.get_or_compute("r", lambda: next(counter), cacheable=False)
    second = cache.get_or_compute("r", lambda: next(counter), cacheable=False)
    assert (first, second) == (0, 1) and "r" not in cache


def test_nbytes_counts_text_deeply():
    frame = pd.DataFrame({"s": ["x" * 1_000] * 10})
    assert nbytes_of(frame) > 10_000


# --- staleness: the session never serves results of another model state or other data ---------
@pytest.fixture()
def german_small(german):
    X = german.data[["duration_in_month", "credit_amount", "age_in_years"]].copy()
    return X, german.target.copy()


def test_refit_in_place_is_detected(german_small):
    X, y = german_small
    model = LogisticRegression(max_iter=1_000).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    before = s.slice_metrics(ci=None)
    preds_before = s.predictions()
    # refit the same object in place on other data: coefficients change
    model.fit(X.iloc[:200], y.iloc[::-1].iloc[:200].to_numpy())
    after = s.slice_metrics(ci=None)
    fresh = rw.ModelSession(
        clone(model).fit(X.iloc[:200], y.iloc[::-1].iloc[:200].to_numpy()), X, y, random_state=0
    )
    assert_frame_close(after, fresh.slice_metrics(ci=None))
    assert not np.allclose(s.predictions()["score"], preds_before["score"])
    assert not np.allclose(after["auc"], before["auc"])


# --- the data snapshot: a caller's later edit never reaches the session -------------------
def test_editing_X_in_place_after_construction_changes_nothing(german_small):
    X, y = german_small
    X = X.copy()
    model = LogisticRegression(max_iter=1_000).fit(X, y)
    original = X.copy()
    s = rw.ModelSession(model, X, y, random_state=0)
    before = s.slice_metrics(by=rw.Bins("age_in_years", q=3), ci=None)
    X.loc[X.index[:300], "credit_amount"] = 50_000  # in place, same object
    after = s.predictions()["score"]
    np.testing.assert_allclose(after, model.predict_proba(original)[:, 1])
    assert not np.allclose(after, model.predict_proba(X)[:, 1])  # the edit did matter
    assert_frame_close(s.slice_metrics(by=rw.Bins("age_in_years", q=3), ci=None), before)
    pd.testing.assert_frame_equal(s.X, original)


def test_editing_a_text_column_after_construction_changes_no_slice(adult, adult_model):
    X = adult.data.iloc[:2_000].copy()
    y = adult.target.iloc[:2_000]
    s = rw.ModelSession(adult_model, X, y, random_state=0)
    expected = (X["sex"] == "Female").sum()
    X.loc[X.index[:100], "sex"] = "Female"
    assert s.core.slices("sex").sizes["Female"] == expected
    assert (X["sex"] == "Female").sum() != expected


def test_editing_an_ndarray_after_construction_changes_nothing(german_small):
    X, y = german_small
    array = X.to_numpy(dtype=float).copy()
    model = LogisticRegression(max_iter=1_000).fit(array, y)
    expected = model.predict_proba(array)[:, 1]
    s = rw.ModelSession(model, array, y, feature_names=list(X.columns), random_state=0)
    array[:300, 1] = 50_000.0
    np.testing.assert_allclose(s.predictions()["score"], expected)


def test_editing_y_or_the_returned_frames_changes_nothing(german_small):
    X, y = german_small
    y = y.copy()
    model = LogisticRegression(max_iter=1_000).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    accuracy = float(s.slice_metrics(metrics=["accuracy"], ci=None)["accuracy"].iloc[0])
    y.iloc[:500] = y.iloc[500:1000].to_numpy()
    frame, predictions = s.X, s.predictions()
    frame.iloc[:10, 0] = -1
    predictions.loc[predictions.index[:10], "y_pred"] = predictions["y_pred"].iloc[-1]
    assert float(s.slice_metrics(metrics=["accuracy"], ci=None)["accuracy"].iloc[0]) == accuracy
    assert s.core.y_values.equals(s.y)


def test_a_model_that_edits_its_input_cannot_reach_the_snapshot(german_small):
    X, y = german_small
    fitted = LogisticRegression(max_iter=1_000).fit(X[["duration_in_month"]], y)

    class Vandal:
        classes_ = fitted.classes_

        def predict(self, frame):
            return fitted.predict(self._clean(frame))

        def predict_proba(self, frame):
            return fitted.predict_proba(self._clean(frame))

        @staticmethod
        def _clean(frame):
            out = frame[["duration_in_month"]].copy()
            frame["duration_in_month"] = 0  # edits the frame it was given
            return out

    s = rw.ModelSession(Vandal(), X, y, task="binary", random_state=0)
    first = s.predictions()["score"].to_numpy()
    s.core.cache_clear()
    np.testing.assert_allclose(s.predictions()["score"].to_numpy(), first)
    assert (s.X["duration_in_month"] != 0).all()


def test_state_is_checked_once_per_public_call(german_small, monkeypatch):
    import rai_widgets.session.core as core

    X, y = german_small
    s = rw.ModelSession(LogisticRegression(max_iter=1_000).fit(X, y), X, y, random_state=0)
    calls = []
    real = core.model_fingerprint
    monkeypatch.setattr(core, "model_fingerprint", lambda m: calls.append(1) or real(m))
    s.slice_metrics(by=rw.Bins("age_in_years", q=3))  # predictions, inputs, slices: 1 check
    assert len(calls) == 1
    with s.core.consistent():
        s.slice_metrics(by=rw.Bins("age_in_years", q=3))
        s.predictions()
        s.examples("confident_errors", n=3)
    assert len(calls) == 2


# --- what is cached -----------------------------------------------------------------------
def test_seeded_results_are_cached_and_unseeded_are_not(adult, adult_model):
    X, y = adult.data.iloc[:3_000], adult.target.iloc[:3_000]
    seeded = rw.ModelSession(adult_model, X, y, random_state=3)
    first = seeded.slice_metrics(by="sex")
    hits = seeded.core.cache_info().hits
    second = seeded.slice_metrics(by="sex")
    assert seeded.core.cache_info().hits == hits + 1
    assert_frame_close(first, second, atol=0)

    unseeded = rw.ModelSession(adult_model, X, y)
    a = unseeded.slice_metrics(by="sex")
    b = unseeded.slice_metrics(by="sex")
    # deterministic parts agree; bootstrap bounds are redrawn, so AUC bounds differ
    assert_frame_close(
        a[["n", "accuracy", "accuracy_lo", "auc"]], b[["n", "accuracy", "accuracy_lo", "auc"]]
    )
    assert not np.allclose(a["auc_lo"], b["auc_lo"])
    # without bounds nothing is random, so the table is cached even without a seed
    unseeded.slice_metrics(by="sex", ci=None)
    hits = unseeded.core.cache_info().hits
    unseeded.slice_metrics(by="sex", ci=None)
    assert unseeded.core.cache_info().hits == hits + 1


def test_returned_tables_are_copies(adult_session):
    table = adult_session.slice_metrics(by="sex")
    table.loc[:, "accuracy"] = -1.0
    assert (adult_session.slice_metrics(by="sex")["accuracy"] > 0).all()
    preds = adult_session.predictions()
    preds["y_pred"] = "tampered"
    assert (adult_session.predictions()["y_pred"] != "tampered").all()
    preds = adult_session.predictions()
    preds.loc[preds.index[0], "score"] = -5.0  # an in-place edit, on pandas 2 and 3
    preds.iloc[1, preds.columns.get_loc("confidence")] = -5.0
    fresh = adult_session.predictions()
    assert fresh["score"].iloc[0] >= 0 and fresh["confidence"].iloc[1] >= 0


def test_cache_info_reports_bytes_and_bound(adult, adult_model):
    s = rw.ModelSession(
        adult_model, adult.data, adult.target, random_state=0, cache_max_bytes=50_000_000
    )
    s.predictions()
    info = s.core.cache_info()
    assert info.entries >= 2 and 0 < info.bytes <= 50_000_000
    assert info.max_bytes == 50_000_000
    s.core.cache_clear()
    assert s.core.cache_info().entries == 0 and s.core.cache_info().bytes == 0


def test_a_tiny_bound_never_makes_the_model_predict_again(adult, adult_model, monkeypatch):
    calls = []
    original = type(adult_model).predict_proba

    def counted(self, X):
        calls.append(len(X))
        return original(self, X)

    s = rw.ModelSession(
        adult_model, adult.data, adult.target, sensitive_features=["sex"], cache_max_bytes=1_000
    )
    monkeypatch.setattr(type(adult_model), "predict_proba", counted)
    for by in ("sex", "race", None):
        s.slice_metrics(by=by, ci=None)
        s.predictions()
    assert calls == [len(adult.data)]
    assert s.predictions()["y_pred"].equals(pd.Series(adult_model.predict(adult.data)))


def test_tiny_cache_bound_still_gives_correct_results(adult, adult_model, adult_session):
    s = rw.ModelSession(
        adult_model,
        adult.data,
        adult.target,
        random_state=0,
        sensitive_features=["sex", "race"],
        cache_max_bytes=1_000,
    )
    assert_frame_close(s.slice_metrics(by="race"), adult_session.slice_metrics(by="race"))
    info = s.core.cache_info()  # only the pinned outputs, metric inputs and predictions
    assert info.entries == 2 and info.bytes == info.pinned_bytes > 1_000
