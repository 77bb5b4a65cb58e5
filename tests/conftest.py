"""Shared fixtures: real datasets and models fitted once per test run.

Models are fitted on the bundled real data (Adult, German credit, Wage) and on scikit-learn's
own datasets; every session-scoped fixture is fitted once and reused by every test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import load_iris
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

import rai_widgets as rw
from tests.pandas_version import depends_on_pandas_version


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "pandas_version: the result can differ between pandas 2 and 3; scripts/test runs it on "
        "both (the list and the reasons: tests/pandas_version.py)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if depends_on_pandas_version(item.path, item.name):
            item.add_marker(pytest.mark.pandas_version)


@pytest.fixture(scope="session", autouse=True)
def _one_native_thread():
    """Run OpenMP/BLAS single-threaded for the whole test run.

    On a 2-core machine with another process busy, OpenMP oversubscription made fitting a
    HistGradientBoosting model take 114 s instead of 0.2 s. Results do not depend on it.
    """
    with threadpool_limits(limits=1):
        yield


def raw_column_pipeline(final_step):
    """A Pipeline that takes raw columns: one-hot encodes text, scales numbers."""
    text = make_pipeline(
        SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
    )
    pre = make_column_transformer(
        (text, make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    return make_pipeline(pre, final_step)


@pytest.fixture(scope="session")
def adult():
    return rw.datasets.load_adult()


@pytest.fixture(scope="session")
def german():
    return rw.datasets.load_german_credit()


@pytest.fixture(scope="session")
def wage():
    return rw.datasets.load_wage()


@pytest.fixture(scope="session")
def adult_model(adult):
    """Logistic regression Pipeline on Adult's raw string columns (binary, '>50K')."""
    return raw_column_pipeline(LogisticRegression(max_iter=300)).fit(adult.data, adult.target)


@pytest.fixture(scope="session")
def german_model(german):
    """Gradient boosting on German credit's raw columns (binary, 'good'/'bad')."""
    model = raw_column_pipeline(HistGradientBoostingClassifier(max_iter=50, random_state=0))
    return model.fit(german.data, german.target)


@pytest.fixture(scope="session")
def wage_model(wage):
    """Random forest regression of wage on the raw Wage columns."""
    model = raw_column_pipeline(
        RandomForestRegressor(n_estimators=30, min_samples_leaf=5, random_state=0)
    )
    return model.fit(wage.data, wage.target)


@pytest.fixture(scope="session")
def wage_education():
    """A real multiclass task with string labels: education level from the other Wage columns."""
    data = rw.datasets.load_wage()
    X = data.frame.drop(columns=["education", "logwage"])
    y = data.frame["education"]
    model = raw_column_pipeline(LogisticRegression(max_iter=500)).fit(X, y)
    return model, X, y


@pytest.fixture(scope="session")
def iris_model():
    """Multiclass with integer labels on an ndarray."""
    X, y = load_iris(return_X_y=True)
    return LogisticRegression(max_iter=500).fit(X, y), X, y


@pytest.fixture(scope="session")
def adult_session(adult, adult_model):
    return rw.ModelSession(
        adult_model, adult.data, adult.target, sensitive_features=["sex", "race"], random_state=0
    )


def assert_frame_close(actual: pd.DataFrame, expected: pd.DataFrame, *, atol: float = 1e-9):
    """Compare two numeric tables on the same index and columns, NaN equal to NaN."""
    assert list(actual.index) == list(expected.index)
    for column in expected.columns:
        np.testing.assert_allclose(
            actual[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            atol=atol,
            rtol=0,
            equal_nan=True,
            err_msg=f"column {column!r}",
        )
