"""Every bad input to ModelSession fails at once with a clear rai_widgets error, on real data.

Each test asserts the exact error class (never a bare KeyError/IndexError/AttributeError from deep
inside pandas or scikit-learn) and that the message names the offending argument or column.
Also: a failed call leaves the session usable, and ``__init__`` never calls the model.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

import rai_widgets as rw
from tests.conftest import raw_column_pipeline


@contextmanager
def raises_exactly(cls, match):
    """pytest.raises, plus: the error is exactly ``cls`` and a RaiWidgetsError."""
    with pytest.raises(cls, match=match) as info:
        yield info
    assert type(info.value) is cls, f"expected {cls.__name__}, got {type(info.value).__name__}"
    assert isinstance(info.value, rw.RaiWidgetsError)


# --- small models on real data ------------------------------------------------------------
@pytest.fixture(scope="module")
def german_numeric(german):
    """German credit's numeric columns and a small logistic regression on them."""
    X = german.data.select_dtypes("number")
    model = LogisticRegression(max_iter=500).fit(X, german.target)
    return model, X, german.target


class _Wrapper:
    """A duck-typed classifier around a fitted model (not a scikit-learn estimator)."""

    def __init__(self, model):
        self.model = model
        self.classes_ = model.classes_

    def predict(self, X):
        return self.model.predict(X)

    def predict_proba(self, X):
        return self.model.predict_proba(X)


class RaisingPredict(_Wrapper):
    def predict(self, X):
        raise RuntimeError("kaboom in predict")


class RaisingProba(_Wrapper):
    def predict_proba(self, X):
        raise ValueError("kaboom in predict_proba")


class OneColumnProba(_Wrapper):
    def predict_proba(self, X):
        return self.model.predict_proba(X)[:, 1]  # shape (n,), not (n, 2)


class ExtraColumnProba(_Wrapper):
    def predict_proba(self, X):
        proba = self.model.predict_proba(X)
        return np.hstack([proba, np.zeros((len(proba), 1))])


class RaisingDecision:
    """A margin-only classifier whose decision_function fails."""

    def __init__(self, model):
        self.model = model
        self.classes_ = model.classes_

    def predict(self, X):
        return self.model.predict(X)

    def decision_function(self, X):
        raise FloatingPointError("kaboom in decision_function")


class FlakyPredict(_Wrapper):
    """Fails on the first predict only (e.g. a remote model timing out once)."""

    failures_left = 1  # class attribute: not part of the pickled (fingerprinted) state

    def predict(self, X):
        if FlakyPredict.failures_left:
            FlakyPredict.failures_left -= 1
            raise TimeoutError("remote model timed out")
        return self.model.predict(X)


class CountingModel(_Wrapper):
    """Counts calls in a class-level Counter, so the model's own state (its fingerprint) never
    changes: the counts measure the session's caching, not a cache miss caused by the counter.
    Columns in ``drop`` are removed before predicting (sensitive columns the model never saw)."""

    calls: ClassVar[Counter] = Counter()

    def __init__(self, model, drop=()):
        super().__init__(model)
        self.drop = list(drop)

    def predict(self, X):
        CountingModel.calls["predict"] += 1
        return self.model.predict(X.drop(columns=self.drop))

    def predict_proba(self, X):
        CountingModel.calls["predict_proba"] += 1
        return self.model.predict_proba(X.drop(columns=self.drop))

    def decision_function(self, X):  # never needed when predict_proba exists
        CountingModel.calls["decision_function"] += 1
        return self.model.decision_function(X.drop(columns=self.drop))


# --- the model ------------------------------------------------------------------------------
def test_unfitted_estimator(german):
    with raises_exactly(rw.NotFittedModelError, match=r"LogisticRegression is not fitted"):
        rw.ModelSession(LogisticRegression(), german.data, german.target)


def test_unfitted_pipeline(german):
    with raises_exactly(rw.NotFittedModelError, match=r"Pipeline is not fitted.*model\.fit"):
        rw.ModelSession(raw_column_pipeline(LogisticRegression()), german.data, german.target)


def test_not_fitted_is_a_model_error(german):
    with pytest.raises(rw.ModelError):
        rw.ModelSession(LogisticRegression(), german.data, german.target)


@pytest.mark.parametrize("model", [object(), StandardScaler()], ids=["plain_object", "transformer"])
def test_object_without_predict(german, model):
    name = type(model).__name__
    with raises_exactly(rw.ModelError, match=rf"model must have a predict method; got {name}"):
        rw.ModelSession(model, german.data, german.target)


# --- y ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("as_array", [False, True], ids=["series", "ndarray"])
def test_x_y_length_mismatch(german, german_model, as_array):
    y = german.target.iloc[:-1]
    y = y.to_numpy() if as_array else y
    with raises_exactly(rw.ValidationError, match=r"^y has 999 values but X has 1000 rows"):
        rw.ModelSession(german_model, german.data, y)


def test_y_series_with_mismatching_index(german, german_model):
    y = german.target.set_axis([f"row{i}" for i in range(len(german.target))])
    with raises_exactly(rw.ValidationError, match=r"y is a Series whose index does not match X"):
        rw.ModelSession(german_model, german.data, y)


def test_y_series_with_duplicated_index(german, german_model):
    y = german.target.set_axis(np.zeros(len(german.target), dtype=int))
    with raises_exactly(rw.ValidationError, match=r"y is a Series whose index does not match X"):
        rw.ModelSession(german_model, german.data, y)


def test_y_series_in_another_order_is_aligned_by_label(german, german_model):
    shuffled = german.target.sample(frac=1, random_state=0)
    s = rw.ModelSession(german_model, german.data, shuffled)
    pd.testing.assert_series_equal(s.y, german.target, check_names=False)


def test_y_series_with_shifted_range_index(german, german_model):
    X = german.data.iloc[100:]  # RangeIndex(100, 1000)
    y = german.target.iloc[:-100]  # RangeIndex(0, 900): same length, misaligned by 100 rows
    with raises_exactly(rw.ValidationError, match=r"y is a Series whose index does not match X"):
        rw.ModelSession(german_model, X, y)


def test_y_2d(german, german_model):
    y = german.frame[[german.target.name, "foreign_worker"]]
    with raises_exactly(rw.ValidationError, match=r"^y must be 1-D; got a DataFrame with 2 col"):
        rw.ModelSession(german_model, german.data, y)


def test_nan_in_y_classification(german, german_model):
    y = german.target.astype(object)
    y.iloc[[3, 17]] = None
    with raises_exactly(rw.ValidationError, match=r"^y has 2 missing value.*rows \[3, 17\]"):
        rw.ModelSession(german_model, german.data, y)


def test_nan_in_y_regression(wage, wage_model):
    y = wage.target.copy()
    y.iloc[7] = np.nan
    with raises_exactly(rw.ValidationError, match=r"^y has 1 missing value.*rows \[7\]"):
        rw.ModelSession(wage_model, wage.data, y)


def test_class_in_y_the_model_never_saw(german, german_model):
    y = german.target.astype(object)
    y.iloc[0] = "maybe"
    with raises_exactly(rw.ValidationError, match=r"^y has label\(s\) \['maybe'\].*never saw"):
        rw.ModelSession(german_model, german.data, y)


def test_y_encoded_differently_from_the_model(german, german_model):
    y01 = (german.target == "good").astype(int)  # the model was trained on "good"/"bad"
    with raises_exactly(rw.ValidationError, match=r"y has label\(s\) \[.*\] that the model never"):
        rw.ModelSession(german_model, german.data, y01)


# --- task and pos_label ---------------------------------------------------------------------
@pytest.mark.parametrize("task", ["binary", "multiclass"])
def test_regressor_with_classification_task(wage, wage_model, task):
    with raises_exactly(rw.ModelError, match=rf"task='{task}' but Pipeline is a regressor"):
        rw.ModelSession(wage_model, wage.data, wage.target, task=task)


def test_classifier_with_regression_task(german, german_model):
    with raises_exactly(rw.ModelError, match=r"task='regression' but Pipeline is a classifier"):
        rw.ModelSession(german_model, german.data, german.target, task="regression")


def test_multiclass_task_for_a_binary_model(german, german_model):
    with raises_exactly(rw.ModelError, match=r"task='multiclass' but the model has 2 classes"):
        rw.ModelSession(german_model, german.data, german.target, task="multiclass")


def test_binary_task_for_a_multiclass_model(wage_education):
    model, X, y = wage_education
    with raises_exactly(rw.ModelError, match=r"task='binary' but the model has 5 classes"):
        rw.ModelSession(model, X, y, task="binary")


def test_unknown_task(german, german_model):
    with raises_exactly(rw.ValidationError, match=r"^task must be .*got 'banana'"):
        rw.ModelSession(german_model, german.data, german.target, task="banana")


def test_pos_label_not_among_classes(german, german_model):
    with raises_exactly(
        rw.ValidationError, match=r"^pos_label='Good' is not one of the model's classes.*'good'"
    ):
        rw.ModelSession(german_model, german.data, german.target, pos_label="Good")


def test_pos_label_on_multiclass(wage_education):
    model, X, y = wage_education
    with raises_exactly(rw.ValidationError, match=r"^pos_label applies to binary tasks only"):
        rw.ModelSession(model, X, y, pos_label="2. HS Grad")


# --- sensitive features ---------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["rcae", ["sex", "rcae"]], ids=["name", "list"])
def test_sensitive_feature_not_found_suggests_close_name(adult, adult_model, spec):
    with raises_exactly(
        rw.ColumnNotFoundError, match=r"^sensitive feature 'rcae' is not a column.*'race'\?"
    ):
        rw.ModelSession(adult_model, adult.data, adult.target, sensitive_features=spec)


def test_sensitive_series_of_wrong_length(german, german_model):
    values = german.data["foreign_worker"].iloc[:-3].rename("migrant")
    with raises_exactly(
        rw.ValidationError, match=r"^sensitive_features\['migrant'\] has 997 values but X has 1000"
    ):
        rw.ModelSession(german_model, german.data, german.target, sensitive_features=values)


def test_sensitive_mapping_of_wrong_length(german, german_model):
    values = {"migrant": list(german.data["foreign_worker"])[:-3]}
    with raises_exactly(rw.ValidationError, match=r"sensitive_features\['migrant'\] has 997"):
        rw.ModelSession(german_model, german.data, german.target, sensitive_features=values)


def test_sensitive_ndarray_of_wrong_length(german, german_model):
    values = german.data["foreign_worker"].to_numpy()[:-3]
    with raises_exactly(rw.ValidationError, match=r"has 997 values but X has 1000 rows"):
        rw.ModelSession(german_model, german.data, german.target, sensitive_features=values)


# --- slice_metrics / slices / disparities arguments ----------------------------------------
def test_by_unknown_column(adult_session):
    with raises_exactly(rw.ColumnNotFoundError, match=r"^'nope' is not a column of X nor a sens"):
        adult_session.slice_metrics(by="nope")


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.slice_metrics(by="rcae"),
        lambda s: s.slice_metrics(by=["sex", "rcae"]),
        lambda s: s.core.slices("rcae"),
        lambda s: s.disparities("rcae", metric="accuracy"),
        lambda s: s.slice_metrics(by=rw.Bins("aeg")),
    ],
    ids=["slice_metrics", "intersection", "slices", "disparities", "bins"],
)
def test_by_misspelt_column_suggests_close_name(adult_session, call):
    with raises_exactly(rw.ColumnNotFoundError, match=r"is not a column of X.*Did you mean '"):
        call(adult_session)


@pytest.mark.parametrize("metrics", ["accurcy", ["accuracy", "mae"]])
def test_unknown_metric(adult_session, metrics):
    bad = "accurcy" if isinstance(metrics, str) else "mae"
    with raises_exactly(
        rw.ValidationError, match=rf"^metrics \['{bad}'\] are not available.*choose from"
    ):
        adult_session.slice_metrics(by="sex", metrics=metrics)


def test_disparities_unknown_metric(adult_session):
    with raises_exactly(rw.ValidationError, match=r"metrics \['rmse'\] are not available"):
        adult_session.disparities("sex", metric="rmse")


@pytest.mark.parametrize("ci", [1.5, 0, 0.0, 1, -0.5, float("nan"), "95%"])
def test_bad_ci(adult_session, ci):
    with raises_exactly(rw.ValidationError, match=r"^ci must be a number in \(0, 1\) or None"):
        adult_session.slice_metrics(by="sex", metrics="accuracy", ci=ci)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.slice_metrics(),
        lambda s: s.slice_metrics(by="race", metrics="mae"),
        lambda s: s.metric_names(),
        lambda s: s.disparities("race", metric="mae"),
    ],
    ids=["slice_metrics", "by", "metric_names", "disparities"],
)
def test_metrics_without_y(wage, wage_model, call):
    s = rw.ModelSession(wage_model, wage.data)
    with raises_exactly(rw.ValidationError, match=r"^This session has no y.*ModelSession\(model"):
        call(s)
    assert s.predictions().columns.tolist() == ["y_pred"]  # predictions still work


def test_column_with_thousands_of_levels(adult_session, adult):
    ids = pd.Series([f"id{i:05d}" for i in range(len(adult.data))], name="row_id")
    with raises_exactly(
        rw.TooManyGroupsError, match=r"^'row_id' has 48842 distinct values.*max_groups=250"
    ) as info:
        adult_session.slice_metrics(by=ids, metrics="accuracy", ci=None)
    assert "raise max_groups" in str(info.value)
    assert isinstance(info.value, rw.ValidationError)  # TooManyGroupsError is a ValueError too
    table = adult_session.slice_metrics(
        by=ids, metrics="accuracy", ci=None, max_groups=len(adult.data)
    )
    assert len(table) == len(adult.data)
    assert (table["n"] == 1).all()
    correct = adult_session.predictions()["correct"].to_numpy()
    np.testing.assert_array_equal(table["accuracy"].to_numpy(), correct.astype(float))


def test_too_many_groups_as_sensitive_feature(adult, adult_model):
    ids = pd.Series(np.arange(len(adult.data)).astype(str), name="row_id")
    s = rw.ModelSession(adult_model, adult.data, adult.target, sensitive_features=ids)
    for call in (
        lambda: s.core.slices("row_id"),
        lambda: s.disparities("row_id", metric="accuracy"),
    ):
        with raises_exactly(rw.TooManyGroupsError, match=r"'row_id' has 48842 distinct"):
            call()


def test_intersection_with_too_many_groups(adult_session):
    by = ["native-country", "occupation", "education"]
    with raises_exactly(
        rw.TooManyGroupsError, match=r"intersection of \['native-country', 'occupation', 'educ"
    ):
        adult_session.slice_metrics(by=by, metrics="accuracy", ci=None)
    table = adult_session.slice_metrics(by=by, metrics="accuracy", ci=None, max_groups=5000)
    assert table["n"].sum() == adult_session.core.n_rows_


def test_small_max_groups(adult_session):
    with raises_exactly(rw.TooManyGroupsError, match=r"'race' has 5 distinct.*max_groups=3"):
        adult_session.slice_metrics(by="race", max_groups=3)


def test_bins_on_a_text_column(adult_session):
    with raises_exactly(
        rw.ValidationError, match=r"^Bins\('race'\) needs a numeric column; 'race' has dtype"
    ):
        adult_session.slice_metrics(by=rw.Bins("race"), metrics="accuracy")


@pytest.mark.parametrize("edges", [[0, 50, 30], [0, 30, 30], [40]], ids=["down", "flat", "one"])
def test_bins_with_non_increasing_edges(edges):
    with raises_exactly(rw.ValidationError, match=r"^Bins edges for 'age' must be.*increasing"):
        rw.Bins("age", edges=edges)


def test_bins_bad_q():
    with raises_exactly(rw.ValidationError, match=r"^Bins q must be a positive integer; got 0"):
        rw.Bins("age", q=0)


def test_by_values_of_wrong_length(adult_session, adult):
    mask = (adult.data["age"] > 60).iloc[:-1]
    with raises_exactly(rw.ValidationError, match=r"^by has 48841 values but X has 48842 rows"):
        adult_session.slice_metrics(by=mask)


def test_by_empty_list(adult_session):
    with raises_exactly(rw.ValidationError, match=r"^by is an empty list"):
        adult_session.slice_metrics(by=[])


def test_disparities_unknown_reference(adult_session):
    with raises_exactly(
        rw.ValidationError, match=r"^reference 'female' is not a slice; slices are \['Female'"
    ):
        adult_session.disparities("sex", metric="accuracy", reference="female")


def test_disparities_reference_of_an_intersection_must_be_a_tuple(adult_session):
    with raises_exactly(rw.ValidationError, match=r"^reference 'Female' is not a slice"):
        adult_session.disparities(["sex", "race"], metric="accuracy", reference="Female")
    table = adult_session.disparities(
        ["sex", "race"], metric="accuracy", reference=("Female", "White")
    )
    assert table.attrs["reference"] == ("Female", "White")


def test_negative_n_boot(adult_session):
    with raises_exactly(rw.ValidationError, match=r"n_boot"):
        adult_session.slice_metrics(by="sex", metrics="auc", n_boot=-5)


def test_non_numeric_max_groups(adult_session):
    with raises_exactly(rw.ValidationError, match=r"max_groups"):
        adult_session.slice_metrics(by="sex", metrics="accuracy", max_groups="a")


def test_metrics_not_a_name(adult_session):
    with raises_exactly(rw.ValidationError, match=r"metrics"):
        adult_session.slice_metrics(by="sex", metrics=42)


def test_disparities_metric_list(adult_session):
    with raises_exactly(rw.ValidationError, match=r"metric"):
        adult_session.disparities("sex", metric=["accuracy"])


def test_by_dict(adult_session):
    with pytest.raises(rw.RaiWidgetsError, match=r"by"):
        adult_session.slice_metrics(by={"sex": "Female"})


# --- X, feature_names, random_state ---------------------------------------------------------
def test_x_1d(wage, wage_model):
    with raises_exactly(rw.ValidationError, match=r"^X must be 2-D.*shape \(3000,\).*reshape"):
        rw.ModelSession(wage_model, wage.data["age"].to_numpy(), wage.target)


def test_x_series(wage, wage_model):
    with raises_exactly(rw.ValidationError, match=r"^X is a Series; pass a DataFrame"):
        rw.ModelSession(wage_model, wage.data["age"], wage.target)


@pytest.mark.parametrize("with_y", [True, False])
def test_x_empty(wage, wage_model, with_y):
    y = wage.target.iloc[:0] if with_y else None
    with raises_exactly(rw.ValidationError, match=r"^X has no rows"):
        rw.ModelSession(wage_model, wage.data.iloc[:0], y)


def test_duplicate_column_names(wage, wage_model):
    X = wage.data.copy()
    X.columns = ["age" if c == "year" else c for c in X.columns]
    with raises_exactly(rw.ValidationError, match=r"^X has duplicated column names \['age'\]"):
        rw.ModelSession(wage_model, X, wage.target)


def test_feature_names_length_mismatch(german_numeric):
    model, X, y = german_numeric
    with raises_exactly(
        rw.ValidationError, match=rf"^feature_names has 2 names but X has {X.shape[1]} columns"
    ):
        rw.ModelSession(model, X.to_numpy(), y, feature_names=["a", "b"])


def test_feature_names_that_contradict_the_dataframe(german_numeric):
    model, X, y = german_numeric
    with raises_exactly(rw.ValidationError, match=r"^feature_names was given but X is a DataFr"):
        rw.ModelSession(model, X, y, feature_names=[f"f{i}" for i in range(X.shape[1])])


@pytest.mark.parametrize("random_state", ["x", 1.5, [0]])
def test_bad_random_state(german, german_model, random_state):
    match = (
        r"^random_state must be None, a whole number from 0 to 2\*\*32 - 1, or a numpy "
        r"Generator; got "
    )
    with raises_exactly(rw.ValidationError, match=match):
        rw.ModelSession(german_model, german.data, german.target, random_state=random_state)


def test_bad_random_state_in_a_call(adult_session):
    with raises_exactly(rw.ValidationError, match=r"^random_state must be .*got 'x'"):
        adult_session.slice_metrics(by="sex", random_state="x")


# --- the model fails when called ------------------------------------------------------------
@pytest.mark.parametrize(
    ("wrapper", "match"),
    [
        (RaisingPredict, r"^RaisingPredict\.predict\(X\) failed: RuntimeError: kaboom in predict"),
        (RaisingProba, r"^RaisingProba\.predict_proba\(X\) failed: ValueError: kaboom"),
        (RaisingDecision, r"^RaisingDecision\.decision_function\(X\) failed: FloatingPointErr"),
    ],
    ids=["predict", "predict_proba", "decision_function"],
)
def test_model_that_raises_is_wrapped(german_numeric, wrapper, match):
    model, X, y = german_numeric
    s = rw.ModelSession(wrapper(model), X, y)  # nothing is called yet
    for call in (s.predictions, lambda: s.slice_metrics(by="age_in_years"), s.core.outputs):
        with raises_exactly(rw.ModelError, match=match) as info:
            call()
        assert info.value.__cause__ is not None  # the model's own error is chained


def test_pipeline_given_the_wrong_columns(german, german_model):
    s = rw.ModelSession(german_model, german.data.drop(columns=["purpose"]), german.target)
    with raises_exactly(rw.ModelError, match=r"^Pipeline\.predict(_proba)?\(X\) failed: .*purpose"):
        s.predictions()


@pytest.mark.parametrize(
    ("wrapper", "shape"),
    [(OneColumnProba, r"\(1000,\)"), (ExtraColumnProba, r"\(1000, 3\)")],
    ids=["1d", "3_columns"],
)
def test_predict_proba_of_the_wrong_shape(german_numeric, wrapper, shape):
    model, X, y = german_numeric
    s = rw.ModelSession(wrapper(model), X, y)
    with raises_exactly(
        rw.ModelError, match=rf"^predict_proba returned shape {shape}; expected \(1000, 2\)"
    ):
        s.predictions()


def test_predict_of_the_wrong_length(german_numeric):
    model, X, y = german_numeric

    class Short(_Wrapper):
        def predict(self, X_):
            return self.model.predict(X_)[:-1]

    with raises_exactly(rw.ModelError, match=r"^predict returned shape \(999,\) for 1000 rows"):
        rw.ModelSession(Short(model), X, y).predictions()


# --- a failed call leaves the session usable ------------------------------------------------
def test_failed_calls_leave_the_session_usable(german, german_model):
    s = rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features="foreign_worker",
        random_state=0,
    )
    expected = s.slice_metrics(by="foreign_worker")
    bad_calls = [
        lambda: s.slice_metrics(by="nope"),
        lambda: s.slice_metrics(by="foreign_worker", metrics="mae"),
        lambda: s.slice_metrics(by="foreign_worker", ci=1.5),
        lambda: s.slice_metrics(by=rw.Bins("purpose")),
        lambda: s.slice_metrics(by="credit_amount", max_groups=1),
        lambda: s.disparities("foreign_worker", metric="accuracy", reference="maybe"),
        lambda: s.slice_metrics(by="foreign_worker", random_state="x"),
    ]
    for call in bad_calls:
        with pytest.raises(rw.RaiWidgetsError):
            call()
        pd.testing.assert_frame_equal(s.slice_metrics(by="foreign_worker"), expected)
    fresh = rw.ModelSession(german_model, german.data, german.target, random_state=0)
    pd.testing.assert_frame_equal(s.slice_metrics(by="housing"), fresh.slice_metrics(by="housing"))
    pd.testing.assert_frame_equal(s.predictions(), fresh.predictions())


def test_a_model_failure_is_not_cached(german_numeric):
    model, X, y = german_numeric
    FlakyPredict.failures_left = 1
    s = rw.ModelSession(FlakyPredict(model), X, y)
    with raises_exactly(rw.ModelError, match=r"FlakyPredict\.predict\(X\) failed: TimeoutError"):
        s.predictions()
    preds = s.predictions()  # the retry calls the model again and succeeds
    np.testing.assert_array_equal(preds["y_pred"].to_numpy(), model.predict(X))


# --- nothing heavy in __init__, and one model pass for everything --------------------------
def test_init_does_not_call_the_model_and_outputs_are_computed_once(german_numeric, german):
    _, X, y = german_numeric
    X = X.assign(foreign_worker=german.data["foreign_worker"])  # a text column to slice by
    base = LogisticRegression(max_iter=500).fit(X.drop(columns="foreign_worker"), y)

    CountingModel.calls.clear()
    counting = CountingModel(base, drop=["foreign_worker"])
    s = rw.ModelSession(counting, X, y, sensitive_features=["foreign_worker"], random_state=0)
    assert sum(CountingModel.calls.values()) == 0
    assert s.task_ == "binary" and s.pos_label_ == "good"  # inferred without predicting
    s.predictions()
    for by in [
        "foreign_worker",
        "age_in_years",
        rw.Bins("duration_in_month", q=3),
        ["foreign_worker", rw.Bins("credit_amount", edges=[0, 2000, 5000, 20000])],
        X["age_in_years"] > 50,
        None,
    ]:
        s.slice_metrics(by=by)
    s.slice_metrics(by="foreign_worker", metrics="auc", ci=None)
    s.disparities("foreign_worker", metric="accuracy")
    s.metric_names()
    s.core.slices("foreign_worker")
    s.predictions()
    assert CountingModel.calls == Counter(predict=1, predict_proba=1)
