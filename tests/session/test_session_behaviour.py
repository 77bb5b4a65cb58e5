"""Behaviour a user relies on: stale results impossible, shared objects protected, readable
slices, and labels compared the way the metrics compare them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

import rai_widgets as rw
from rai_widgets.core.slices import resolve_slices


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    model = LogisticRegression(max_iter=5_000).fit(X, y)
    return model, X, y


def test_bool_labels_against_integer_classes_are_rejected(cancer):
    model, X, y = cancer
    with pytest.raises(rw.ValidationError, match=r"never saw.*bool vs 0/1"):
        rw.ModelSession(model, X, y.astype(bool))


def test_object_ndarray_edits_after_construction_never_reach_the_session():
    """The session snapshots an object array, so even a new string at a freed address (which
    an identity check would miss) cannot change its answers."""
    rng = np.random.default_rng(0)
    cats = np.array(["catA", "catB"], dtype=object)
    X = cats[rng.integers(0, 2, 200)][:, None].copy()
    y = np.where(X[:, 0] == "catA", 10.0, 0.0)
    model = make_pipeline(OneHotEncoder(), LinearRegression()).fit(X, y)
    for _ in range(50):
        X[5, 0] = "".join(["cat", "B"])
        expected = model.predict(X[5:6])[0]
        s = rw.ModelSession(model, X, y, task="regression")
        X[5, 0] = None
        X[5, 0] = "".join(["cat", "A"])  # a new object, often at the freed address
        assert s.predictions()["y_pred"].iloc[5] == pytest.approx(expected)
        assert model.predict(X[5:6])[0] != pytest.approx(expected)


def test_slices_and_y_cannot_corrupt_the_session(cancer):
    model, X, y = cancer
    s = rw.ModelSession(model, X, y, random_state=0)
    slices = s.core.slices("mean radius")
    with pytest.raises(ValueError, match="read-only"):
        slices.codes[:] = 0
    y_copy = s.y
    y_copy.iloc[:5] = 7
    assert set(s.y.unique()) == {0, 1}
    assert s.slice_metrics(by="mean radius", ci=None)["n"].sum() == len(X)


def test_refit_with_other_classes_updates_classes(cancer):
    model, X, y = cancer
    model = LogisticRegression(max_iter=5_000).fit(X, y)
    s = rw.ModelSession(model, X, y)
    assert s.classes_.tolist() == [0, 1]
    labels = np.where(y == 1, "benign", "malignant")
    model.fit(X, labels)
    with pytest.raises(rw.ValidationError, match="never saw"):
        s.predictions()  # y no longer fits the refitted model: said, not mis-scored


def test_bins_labels_are_readable_and_keep_out_of_range_apart():
    values = pd.Series([np.nan] * 5 + [500.0] * 5 + [3.0, 20.0, 70.0, -2.0], name="x")
    X = values.to_frame()
    s = resolve_slices(rw.Bins("x", edges=[0, 50, 100]), X.__getitem__, X.index)
    assert s.labels[:4].tolist() == ["< 0", "[0, 50]", "(50, 100]", "> 100"]
    assert pd.isna(s.labels[4])
    assert s.sizes.tolist() == [1, 2, 1, 5, 5]
    adult = rw.datasets.load_adult().data
    q = resolve_slices("age", adult.__getitem__, adult.index)
    assert q.labels.tolist() == ["17–28", "29–37", "38–48", "49–90"]


def test_a_class_named_macro_does_not_clash():
    X, y = load_iris(return_X_y=True, as_frame=True)
    labels = np.array(["setosa", "macro", "virginica"])[y]
    model = LogisticRegression(max_iter=1_000).fit(X, labels)
    s = rw.ModelSession(model, X, labels)
    names = s.metric_names()
    assert len(names) == len(set(names))
    table = s.slice_metrics(ci=None)
    predicted = s.predictions()["y_pred"].to_numpy()
    recall_of_macro = np.mean(predicted[labels == "macro"] == "macro")
    assert table.loc["overall", "tpr_macro"] == pytest.approx(recall_of_macro, abs=1e-12)
    classes = ["setosa", "macro", "virginica"]
    expected = np.mean([table.loc["overall", f"tpr_{c}"] for c in classes])
    assert table.loc["overall", "macro_tpr"] == pytest.approx(expected, abs=1e-12)


def test_list_mask_and_dataframe_groupings(cancer):
    model, X, y = cancer
    s = rw.ModelSession(model, X, y)
    mask = list(X["mean radius"] > 15)
    table = s.slice_metrics(by=mask, metrics="accuracy", ci=None)
    assert table.loc[True, "n"] == sum(mask)
    frame = pd.DataFrame({"big": X["mean radius"] > 15, "rough": X["mean texture"] > 20})
    both = s.slice_metrics(by=frame, metrics="accuracy", ci=None)
    assert both.index.names == ["big", "rough"]
    assert both["n"].sum() == len(X)


def test_few_positives_flag_low_support(adult_session, adult):
    table = adult_session.slice_metrics(by="native-country", ci=None, metrics="tpr")
    country = adult.data["native-country"]
    positives = (adult.target == ">50K").groupby(country, dropna=False).sum()
    sizes = country.value_counts(dropna=False)
    few = (positives.reindex(table.index) < 10) & (sizes.reindex(table.index) >= 30)
    assert few.any()  # enough rows, too few positives: flagged all the same
    assert table.loc[few.to_numpy(), "low_support"].all()
    assert not table.loc["United-States", "low_support"]


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_the_session_shows_its_verbs_and_keeps_the_plumbing_on_its_core(task, wage):
    """A user's completion list holds the questions they ask (at most 35 names); the plumbing
    the views use is on s.core, and a name that moved there says where it went."""
    from sklearn.linear_model import LinearRegression, LogisticRegression

    X = wage.data[["year", "age"]]
    if task == "regression":
        y, model = wage.target, LinearRegression()
    elif task == "binary":
        y, model = (wage.target > 100).map({True: "high", False: "low"}), LogisticRegression()
    else:
        y, model = wage.data["education"].astype(str), LogisticRegression(max_iter=500)
    s = rw.ModelSession(model.fit(X, y), X, y)
    public = [name for name in dir(s) if not name.startswith("_")]
    assert len(public) <= 35, public
    assert {"explain", "slice_metrics", "audit", "predictions", "X", "task_", "core"} <= set(public)
    for plumbing in ("frame", "outputs", "slice_mask", "positions_of", "consistent", "cache"):
        assert plumbing not in public
        assert hasattr(s.core, plumbing)
        with pytest.raises(AttributeError, match=rf"s\.core\.{plumbing}"):
            getattr(s, plumbing)
    assert s.core.frame is s.core.frame and s.X.equals(s.core.frame)
