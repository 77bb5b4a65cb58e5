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


def test_mutating_X_in_place_is_detected(german_small):
    X, y = german_small
    model = LogisticRegression(max_iter=1_000).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    before = s.predictions()["score"].copy()
    s.slice_metrics(by=rw.Bins("age_in_years", q=3), ci=None)
    X.loc[X.index[:300], "credit_amount"] = 50_000  # in place, same object
    after = s.predictions()["score"]
    np.testing.assert_allclose(after, model.predict_proba(X)[:, 1])
    assert not np.allclose(after, before)
    fresh = rw.ModelSession(model, X.copy(), y, random_state=0)
    assert_frame_close(
        s.slice_metrics(by=rw.Bins("age_in_years", q=3), ci=None),
        fresh.slice_metrics(by=rw.Bins("age_in_years", q=3), ci=None),
    )


def test_mutating_a_text_column_changes_slices(adult, adult_model):
    X = adult.data.iloc[:2_000].copy()
    y = adult.target.iloc[:2_000]
    s = rw.ModelSession(adult_model, X, y, random_state=0)
    sizes = s.slices("sex").sizes.copy()
    X.loc[X.index[:100], "sex"] = "Female"
    new_sizes = s.slices("sex").sizes
    assert new_sizes["Female"] == (X["sex"] == "Female").sum()
    assert new_sizes["Female"] != sizes["Female"]


def test_mutating_an_ndarray_in_place_is_detected(german_small):
    X, y = german_small
    array = X.to_numpy(dtype=float).copy()
    model = LogisticRegression(max_iter=1_000).fit(array, y)
    s = rw.ModelSession(model, array, y, feature_names=list(X.columns), random_state=0)
    before = s.predictions()["score"].copy()
    array[:300, 1] = 50_000.0
    np.testing.assert_allclose(s.predictions()["score"], model.predict_proba(array)[:, 1])
    assert not np.allclose(s.predictions()["score"], before)


# --- what is cached -----------------------------------------------------------------------
def test_seeded_results_are_cached_and_unseeded_are_not(adult, adult_model):
    X, y = adult.data.iloc[:3_000], adult.target.iloc[:3_000]
    seeded = rw.ModelSession(adult_model, X, y, random_state=3)
    first = seeded.slice_metrics(by="sex")
    hits = seeded.cache_info().hits
    second = seeded.slice_metrics(by="sex")
    assert seeded.cache_info().hits == hits + 1
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
    hits = unseeded.cache_info().hits
    unseeded.slice_metrics(by="sex", ci=None)
    assert unseeded.cache_info().hits == hits + 1


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
    info = s.cache_info()
    assert info.entries >= 2 and 0 < info.bytes <= 50_000_000
    assert info.max_bytes == 50_000_000
    s.cache_clear()
    assert s.cache_info().entries == 0 and s.cache_info().bytes == 0


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
    assert s.cache_info().entries == 0
