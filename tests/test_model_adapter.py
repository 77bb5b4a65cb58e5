"""ModelAdapter: chunked prediction gives exactly the one-call outputs, for every output kind."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.svm import LinearSVC

from rai_widgets.core.model import ModelAdapter
from tests.conftest import raw_column_pipeline


class CountingModel:
    """Wraps a fitted model and counts the rows of every call."""

    def __init__(self, model):
        self.model = model
        self.classes_ = getattr(model, "classes_", None)
        self.calls: list[tuple[str, int]] = []

    def predict(self, X):
        self.calls.append(("predict", len(X)))
        return self.model.predict(X)

    def predict_proba(self, X):
        self.calls.append(("predict_proba", len(X)))
        return self.model.predict_proba(X)


@pytest.mark.parametrize("chunk_rows", [7_000, 48_842, 100_000])
def test_chunked_outputs_equal_one_call(adult, adult_model, chunk_rows):
    counting = CountingModel(adult_model)
    adapter = ModelAdapter(counting, y=adult.target)
    out = adapter.outputs(adult.data, chunk_rows=chunk_rows)
    np.testing.assert_array_equal(out.y_pred, adult_model.predict(adult.data))
    np.testing.assert_allclose(out.proba, adult_model.predict_proba(adult.data), rtol=0, atol=0)
    n_chunks = -(-len(adult.data) // chunk_rows)
    sizes = [n for name, n in counting.calls if name == "predict"]
    assert len(sizes) == n_chunks and sum(sizes) == len(adult.data)
    assert len(counting.calls) == 2 * n_chunks


def test_chunked_decision_function_and_regression(german, wage, wage_model):
    svm = raw_column_pipeline(LinearSVC()).fit(german.data, german.target)
    adapter = ModelAdapter(svm, y=german.target)
    out = adapter.outputs(german.data, chunk_rows=300)
    assert out.proba is None
    np.testing.assert_allclose(out.decision, svm.decision_function(german.data), rtol=0, atol=0)
    reg = ModelAdapter(wage_model, y=wage.target).outputs(wage.data, chunk_rows=1_000)
    np.testing.assert_allclose(reg.y_pred, wage_model.predict(wage.data), rtol=0, atol=0)


def test_chunked_ndarray(iris_model):
    model, X, _y = iris_model
    out = ModelAdapter(model, y=None).outputs(X, chunk_rows=40)
    np.testing.assert_allclose(out.proba, model.predict_proba(X), rtol=0, atol=0)
