"""A model whose predictions wait for the test to open a gate: views on it are caught while
computing, deterministically (no sleeps)."""

from __future__ import annotations

import threading

import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw

COLUMNS = ["duration_in_month", "credit_amount", "age_in_years"]


class GatedModel:
    """A classifier whose predictions on the full data wait for ``gate`` (a small probe goes
    through at once); with ``fail`` it raises once the gate opens."""

    def __init__(self, fitted, *, fail: bool = False):
        self.fitted, self.fail = fitted, fail
        self.classes_ = fitted.classes_
        self.gate = threading.Event()

    def predict(self, X):
        return self.fitted.predict(X[COLUMNS])

    def predict_proba(self, X):
        if len(X) > 500:  # the full data
            self.gate.wait(60)
            if self.fail:
                raise RuntimeError("the model's server is down")
        return self.fitted.predict_proba(X[COLUMNS])


@pytest.fixture()
def gated(german):
    """``make(**kwargs) -> (model, session)`` on German credit, with a gated model."""
    X = german.data[[*COLUMNS, "foreign_worker"]]
    fitted = LogisticRegression(max_iter=1_000).fit(X[COLUMNS], german.target)

    def make(**kwargs):
        model = GatedModel(fitted, **kwargs)
        session = rw.ModelSession(
            model, X, german.target, sensitive_features=["foreign_worker"], random_state=0
        )
        return model, session

    return make
