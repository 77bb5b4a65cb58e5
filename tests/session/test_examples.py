"""Transparency by example on real data: each query against a direct computation, similar cases
against a hand-written distance, what-if against the model itself, and pinned test cases."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier

import rai_widgets as rw
from tests.conftest import raw_column_pipeline

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(scope="module")
def adult_forest(adult):
    X, y = adult.data.iloc[:5_000], adult.target.iloc[:5_000]
    model = raw_column_pipeline(
        RandomForestClassifier(n_estimators=40, max_depth=8, random_state=0)
    ).fit(X, y)
    return model, X, y


@pytest.fixture(scope="module")
def session(adult_forest):
    model, X, y = adult_forest
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


def test_confident_errors_are_the_manual_sort(session):
    got = session.examples("confident_errors", n=15)
    preds = session.predictions()
    wrong = preds[~preds["correct"]]
    expected = wrong.sort_values("confidence", ascending=False, kind="stable").head(15)
    assert got.index.tolist() == expected.index.tolist()
    assert list(got.columns[: session.X.shape[1]]) == list(session.X.columns)
    assert (got["y_true"] != got["y_pred"]).all()
    assert got["reason"].str.startswith("wrong, with").all()


def test_slice_restricts_the_rows(session):
    got = session.examples("confident_errors", slice={"sex": "Female", "race": "White"}, n=10)
    assert (got["sex"] == "Female").all() and (got["race"] == "White").all()
    mask = session.X["age"] > 60
    older = session.examples("ambiguous", slice=mask, n=10)
    assert (older["age"] > 60).all()


def test_ambiguous_binary_and_multiclass(session, wage_education):
    got = session.examples("ambiguous", n=10)
    margin = (session.predictions()["score"] - 0.5).abs()
    np.testing.assert_allclose(margin.loc[got.index], np.sort(margin.to_numpy())[:10])
    model, X, y = wage_education
    s = rw.ModelSession(model, X, y, random_state=0)
    got = s.examples("ambiguous", n=5)
    proba = s.predictions()[[f"proba_{c}" for c in s.classes_]].to_numpy()
    top2 = np.sort(proba, axis=1)[:, -2:]
    gap = pd.Series(top2[:, 1] - top2[:, 0], index=X.index)
    np.testing.assert_allclose(gap.loc[got.index], np.sort(gap.to_numpy())[:5])


def test_regression_large_errors_and_ensemble_ambiguity(wage, wage_model):
    s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)
    got = s.examples("large_errors", n=7)
    residual = s.predictions()["residual"].abs()
    assert (
        got.index.tolist()
        == residual.sort_values(ascending=False, kind="stable").index[:7].tolist()
    )
    spread = s.examples("ambiguous", n=3)
    assert spread["reason"].str.contains("disagree").all()
    with pytest.raises(rw.ValidationError, match="does not apply to regression"):
        s.examples("confident_errors")


def test_confidence_near_a_target_stays_in_distribution(session):
    got = session.examples("confidence_near", target=0.7, n=8)
    assert len(got) == 8
    p = session.predictions().loc[got.index, "proba_>50K"]
    assert (p - 0.7).abs().max() < 0.05
    with pytest.raises(rw.ValidationError, match="target"):
        session.examples("confidence_near")


def test_typical_rows_come_per_predicted_class(session):
    got = session.examples("typical", n=4)
    assert got["y_pred"].value_counts().tolist() == [4, 4]
    assert got["reason"].str.startswith("typical of predicted").all()


def test_similar_cases_use_the_mixed_type_distance(session):
    X = session.X
    got = session.similar(10, n=6)
    assert 10 not in got.index and len(got) == 6
    # recompute the distance of the returned rows by hand
    numeric = X.select_dtypes("number").columns
    q1, q3 = X[numeric].quantile(0.25), X[numeric].quantile(0.75)
    spread = (q3 - q1).where(q3 > q1, X[numeric].max() - X[numeric].min()).replace(0, 1)
    case = X.loc[10]
    for label, distance in got["distance"].items():
        other = X.loc[label]
        parts = []
        for c in X.columns:
            if c in numeric:
                parts.append(min(abs(other[c] - case[c]) / spread[c], 1.0))
            else:
                both_missing = pd.isna(other[c]) and pd.isna(case[c])
                parts.append(0.0 if both_missing or other[c] == case[c] else 1.0)
        assert distance == pytest.approx(np.mean(parts), abs=1e-12)
    assert got["distance"].is_monotonic_increasing
    assert got.attrs["summary"].startswith("Of the 6 most similar cases")


def test_the_nearest_cases_with_another_prediction(session):
    preds = session.predictions()
    got = session.similar(0, n=4, prediction="other")
    assert (got["y_pred"] != preds.loc[0, "y_pred"]).all()
    first = got.iloc[0]
    for part in first["differs"].split("; "):
        column = part.split(":")[0]
        assert session.X.loc[0, column] != session.X.loc[got.index[0], column]
    with pytest.raises(AttributeError, match=r'renamed: use s.similar\(row, prediction="other"\)'):
        session.nearest_counterfactuals(0)
    with pytest.raises(rw.ValidationError, match="prediction must be"):
        session.similar(0, prediction="same")


def test_what_if_matches_the_model_on_the_edited_row(session, adult_forest):
    model, X, _ = adult_forest
    result = session.what_if(3, {"age": 55, "marital-status": "Married-civ-spouse"})
    edited = X.loc[[3]].assign(age=55, **{"marital-status": "Married-civ-spouse"})
    assert result.after["prediction"] == model.predict(edited)[0]
    assert result.after["proba_>50K"] == pytest.approx(model.predict_proba(edited)[0, 1])
    assert result.before["proba_>50K"] == pytest.approx(model.predict_proba(X.loc[[3]])[0, 1])
    changed = result.changes.set_index("feature")
    assert changed.loc["age", "value_after"] == 55
    assert changed.loc["marital-status", "value_after"] == "Married-civ-spouse"
    # both explanations share the background, so the changes add up to the change of prediction
    moved = result.after["proba_>50K"] - result.before["proba_>50K"]
    assert changed["change"].sum() == pytest.approx(moved, abs=1e-6)
    shown = [f"{p:.0%}" for p in (result.before["proba_>50K"], result.after["proba_>50K"])]
    if shown[0] == shown[1]:  # a change nobody can see at the precision shown is not a change
        assert f"still gives >50K {shown[1]}" in result.summary
        assert "instead of" not in result.summary
    else:
        assert f"{shown[1]} instead of {shown[0]}" in result.summary


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"agee": 40}, rw.ColumnNotFoundError, r"Did you mean 'age'"),
        ({"age": "forty"}, rw.ValidationError, r"'age' is numeric"),
        ({"race": "Martian"}, rw.ValidationError, r"not a value of 'race' the model has seen"),
        ({}, rw.ValidationError, r"non-empty dict"),
    ],
)
def test_what_if_rejects_bad_edits(session, changes, error, match):
    with pytest.raises(error, match=match):
        session.what_if(0, changes)


def test_what_if_warns_outside_the_seen_range(session):
    with pytest.warns(rw.RaiWidgetsWarning, match="outside the values seen"):
        session.what_if(0, {"age": 130})


def test_bad_rows_are_named(session):
    with pytest.raises(rw.RowNotFoundError, match="not in X's index"):
        session.similar("nope")
    with pytest.raises(rw.RowNotFoundError):
        session.what_if(10**9, {"age": 40})


# --- pinned test cases -------------------------------------------------------------------------
def test_test_cases_round_trip_and_rerun_on_a_new_model(tmp_path, session, adult_forest):
    _, X, y = adult_forest
    cases = rw.TestCases("income checks")
    cases.pin(session, 0, note="young clerk", expected="<=50K")
    cases.pin(session, 7, note="executive", expected=">50K")
    cases.pin(session, 13)
    path = cases.save(tmp_path / "cases.json")
    assert json.loads(path.read_text())["version"] == 1
    loaded = rw.TestCases.load(path)
    assert len(loaded) == 3 and loaded.name == "income checks"
    same = loaded.run(session)
    assert not same["changed"].any()
    assert same["prediction"].tolist() == session.predictions().loc[[0, 7, 13], "y_pred"].tolist()
    # a new model version: a shallow forest on fewer rows
    new_model = raw_column_pipeline(
        RandomForestClassifier(n_estimators=3, max_depth=2, random_state=1)
    ).fit(X[:300], y[:300])
    v2 = rw.ModelSession(new_model, X, y, name="v2")
    rerun = loaded.run(v2)
    expected_now = new_model.predict(X.loc[[0, 7, 13]])
    assert rerun["prediction"].tolist() == expected_now.tolist()
    assert rerun["changed"].tolist() == [
        a != b for a, b in zip(rerun["pinned_prediction"], expected_now, strict=True)
    ]
    assert rerun["meets_expected"].tolist()[:2] == [
        expected_now[0] == "<=50K",
        expected_now[1] == ">50K",
    ]
    assert rerun["meets_expected"].iloc[2] is None


def test_test_cases_files_are_checked(tmp_path, session):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(
        rw.ValidationError, match=r"is not a rai_widgets\.TestCases file: it is not valid JSON"
    ):
        rw.TestCases.load(bad)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "rai_widgets.TestCases", "version": 99, "cases": []}))
    with pytest.raises(rw.ValidationError, match="newer rai_widgets"):
        rw.TestCases.load(newer)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}))
    with pytest.raises(rw.ValidationError, match=r"not a rai_widgets\.TestCases file"):
        rw.TestCases.load(other)
    with pytest.raises(rw.ValidationError, match="not one of the model's classes"):
        rw.TestCases("x").pin(session, 0, expected="rich")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["cases"][0].update(values=[{"nested": 1}] * len(d["cases"][0]["values"])),
            r"cases\[0\]\.values\[0\]",
        ),
        (lambda d: d["cases"][0].update(values=d["cases"][0]["values"][:-1]), r"cases\[0\]"),
        (lambda d: d["cases"][0].pop("columns"), r"cases\[0\] has no field 'columns'"),
        (lambda d: d["cases"][0].update(note=3), r"cases\[0\]\.note"),
        (lambda d: d["cases"][0].update(expected=[1, 2]), r"cases\[0\]\.expected"),
        (lambda d: d.update(cases={"a": 1}), "field 'cases'"),
        (lambda d: d.update(name=["x"]), "field 'name'"),
        (lambda d: d.update(version="1"), "field 'version'"),
        (lambda d: d["cases"].append("not a case"), r"cases\[1\] must be an object"),
    ],
    ids=[
        "nested value",
        "lengths",
        "no columns",
        "note",
        "expected",
        "cases",
        "name",
        "version",
        "case type",
    ],
)
def test_test_cases_load_names_the_bad_field(tmp_path, session, change, field):
    path = rw.TestCases("v1").pin(session, 0).save(tmp_path / "cases.json")
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    with pytest.raises(rw.ValidationError, match=field):
        rw.TestCases.load(path)


def test_test_cases_save_into_a_missing_folder_names_the_path(tmp_path, session):
    with pytest.raises(rw.ValidationError, match=r"missing.*does not exist"):
        rw.TestCases("v1").pin(session, 0).save(tmp_path / "missing" / "cases.json")
    with pytest.raises(rw.ValidationError, match="does not exist"):
        rw.TestCases.load(tmp_path / "nothing.json")


def test_a_failed_save_leaves_the_old_file(tmp_path, session, monkeypatch):
    path = tmp_path / "cases.json"
    rw.TestCases("v1").pin(session, 0).save(path)
    before = path.read_text()

    def broken_replace(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        rw.TestCases("v2").pin(session, 1).pin(session, 2).save(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cases.json"]  # no temporary left behind


@pytest.mark.parametrize("dataset", ["german", "wage"])
def test_queries_on_other_datasets(dataset, german, german_model, wage, wage_model):
    if dataset == "german":
        s = rw.ModelSession(german_model, german.data, german.target, random_state=0)
        got = s.examples("confident_errors", n=5)
        preds = s.predictions()
        wrong = preds[~preds["correct"]].sort_values("confidence", ascending=False, kind="stable")
        assert got.index.tolist() == wrong.index[:5].tolist()
        near = s.examples("confidence_near", target=0.5, cls="bad", n=3)
        assert (preds.loc[near.index, "proba_bad"] - 0.5).abs().max() < 0.1
        similar = s.similar(0, n=4)
        assert similar.attrs["summary"].startswith("Of the 4 most similar cases")
    else:
        s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=0)
        typical = s.examples("typical", n=3)
        assert len(typical) == 3 and typical["reason"].str.contains("the slice").all()
        result = s.what_if(0, {"age": 50})
        expected = wage_model.predict(wage.data.iloc[[0]].assign(age=50))[0]
        assert result.after["prediction"] == pytest.approx(expected)
        assert "the model predicts" in result.summary


def test_similar_cases_order_their_columns_by_what_drove_the_prediction(adult_forest):
    model, X, y = adult_forest
    s = rw.ModelSession(model, X, y, random_state=0)
    # nothing explained yet: X's order, and no explanation is computed for the ordering
    first = s.similar(10, n=3)
    assert first.attrs["columns_by_influence"] == list(X.columns)
    assert first.attrs["ordered_by"] == "the data's order"
    # this case explained (as the detail pane does): its strongest contributions first
    explanation = s.explain([10])
    strength = explanation.set_index("feature")["contribution"].abs()
    expected = sorted(X.columns, key=lambda c: -strength[c])
    got = s.similar(10, n=3)
    assert got.attrs["ordered_by"] == "this case's explanation"
    assert got.attrs["columns_by_influence"] == expected
    assert expected != list(X.columns)  # the test can tell the two orders apart
    # another case, not explained: the global importance once it is cached
    assert s.similar(11, n=3).attrs["ordered_by"] == "the data's order"
    s.feature_importance(max_rows=60)
    assert s.similar(11, n=3).attrs["ordered_by"] == "the data's order"  # not the default sample
    importance = s.feature_importance()  # the default sample of 500 rows
    other = s.similar(11, n=3)
    assert other.attrs["ordered_by"] == "the model's overall feature importance"
    expected = importance.sort_values("importance", ascending=False, kind="stable")["feature"]
    assert other.attrs["columns_by_influence"] == expected.tolist()
