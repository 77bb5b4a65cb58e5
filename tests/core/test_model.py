"""ModelAdapter: chunked prediction gives exactly the one-call outputs, for every output kind."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

from rai_widgets.core.model import ModelAdapter, predict_is_argmax
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


@pytest.mark.parametrize(
    "make",
    [
        lambda: CalibratedClassifierCV(LinearSVC(), cv=3),
        lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
        lambda: ExtraTreeClassifier(random_state=0),
        lambda: ExtraTreesClassifier(n_estimators=30, random_state=0),
        lambda: GaussianNB(),
        lambda: GradientBoostingClassifier(n_estimators=30, random_state=0),
        lambda: HistGradientBoostingClassifier(max_iter=50, random_state=0),
        lambda: LogisticRegression(max_iter=1_000),
        lambda: LogisticRegressionCV(max_iter=1_000, cv=3),
        lambda: RandomForestClassifier(n_estimators=30, random_state=0),
    ],
    ids=lambda make: type(make()).__name__,
)
@pytest.mark.parametrize("data", ["adult", "wage_education"])
def test_one_pass_labels_equal_the_models_own_predict(make, data, adult, wage_education):
    """Every estimator the adapter calls once per row: argmax of predict_proba == predict."""
    if data == "adult":
        X, y = adult.data.iloc[:4_000], adult.target.iloc[:4_000]
    else:
        _, X, y = wage_education
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    model = make_pipeline(encode, make()).fit(X, y)
    adapter = ModelAdapter(model, y=y)
    assert adapter.one_pass
    assert predict_is_argmax(model)
    outputs = adapter.outputs(X)
    np.testing.assert_array_equal(outputs.y_pred, model.predict(X))


def test_models_whose_predict_is_not_the_argmax_are_asked_for_predict(adult):
    X, y = adult.data.iloc[:1_500], adult.target.iloc[:1_500]
    encode = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    svc = make_pipeline(encode, SVC(probability=True, random_state=0)).fit(X, y)
    adapter = ModelAdapter(svc, y=y)
    assert not adapter.one_pass
    np.testing.assert_array_equal(adapter.outputs(X).y_pred, svc.predict(X))
