"""Asking for the same counterfactuals again (a row clicked twice, a second view of the same
session) is served from the session's cache; anything that changes the answer misses it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import rai_widgets as rw
from rai_widgets.compute.smallest import smallest_first


class CountingModel:
    """A fitted model that counts the rows it is asked about (on the class: a count on the
    instance would change the model's fingerprint, as a refit does)."""

    rows = 0

    def __init__(self, model):
        self.model = model
        self.classes_ = model.classes_

    def fit(self, X, y):  # pragma: no cover - never refitted here
        return self

    def predict(self, X):
        type(self).rows += len(X)
        return self.model.predict(X)

    def predict_proba(self, X):
        type(self).rows += len(X)
        return self.model.predict_proba(X)


@pytest.fixture
def counted(adult, adult_model):
    X, y = adult.data.iloc[:2000], adult.target.iloc[:2000]
    CountingModel.rows = 0
    model = CountingModel(adult_model)
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], random_state=0)
    s.predictions()
    return s, model


def test_the_same_question_asks_the_model_nothing(counted):
    s, model = counted
    rows = list(s.predictions().index[:3])
    first = s.counterfactuals(rows, n=2, immutable=["age"], ranges={"hours-per-week": (0, 60)})
    asked = model.rows
    assert asked > 0
    again = s.counterfactuals(rows, n=2, immutable=("age",), ranges={"hours-per-week": (0, 60)})
    assert model.rows == asked
    pd.testing.assert_frame_equal(again.cases(), first.cases())
    pd.testing.assert_frame_equal(again.summary(), first.summary())


@pytest.mark.parametrize(
    "change",
    [
        {"n": 3},
        {"immutable": ["education"]},
        {"ranges": {"hours-per-week": (0, 50)}},
        {"random_state": 7},
        {"max_changes": 1},
    ],
)
def test_another_question_is_searched_again(counted, change):
    s, model = counted
    rows = list(s.predictions().index[:2])
    base = {"n": 2}
    s.counterfactuals(rows, **base)
    asked = model.rows
    s.counterfactuals(rows, **{**base, **change})
    assert model.rows > asked


def test_a_refit_model_is_searched_again(adult):
    from sklearn.linear_model import LogisticRegression

    X = adult.data[["age", "hours-per-week", "education-num"]].iloc[:1500]
    y = adult.target.iloc[:1500]
    model = LogisticRegression(max_iter=500).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    before = s.counterfactuals([0, 1], n=1).cases()
    model.fit(X.assign(age=X["age"][::-1].to_numpy()), y)  # refit in place on other data
    after = s.counterfactuals([0, 1], n=1).cases()
    assert not before.equals(after)


@pytest.mark.parametrize("seed", range(5))
def test_smallest_first_is_the_stable_argsort_head(seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 6, size=(40, 300)).astype(float)  # many ties
    values[::7] += rng.random((len(values[::7]), 300))
    for k in (1, 5, 37, 299, 300, 500):
        expected = np.argsort(values, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(smallest_first(values, k), expected)
