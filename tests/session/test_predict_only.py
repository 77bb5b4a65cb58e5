"""Classifiers with only ``predict``: what needs labels works, what needs scores says so."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

import rai_widgets as rw


class PredictOnly:
    """A duck-typed classifier that exposes labels and nothing else."""

    def __init__(self, fitted):
        self._fitted = fitted
        self.classes_ = fitted.classes_

    def predict(self, X):
        return self._fitted.predict(X)


@pytest.fixture(scope="module")
def session(german):
    X = german.data[["duration_in_month", "credit_amount", "age_in_years"]]
    fitted = LogisticRegression(max_iter=1_000).fit(X, german.target)
    s = rw.ModelSession(
        PredictOnly(fitted),
        X,
        german.target,
        task="binary",
        sensitive_features=german.data["foreign_worker"],
        random_state=0,
    )
    return s, fitted, X, german


def test_label_metrics_equal_a_direct_computation(session):
    s, fitted, X, german = session
    table = s.slice_metrics(by="foreign_worker")
    assert "auc" not in table and "brier" not in table
    y_pred = fitted.predict(X)
    for group, row in table.iterrows():
        mask = (german.data["foreign_worker"] == group).to_numpy()
        expected = accuracy_score(german.target[mask], y_pred[mask])
        assert row["accuracy"] == pytest.approx(expected)
    assert s.disparities("foreign_worker", metric="accuracy")["difference"].notna().all()


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.similar(0),
        lambda s: s.similar(0, prediction="other"),
        lambda s: s.examples("typical"),
        lambda s: s.weak_slices(),
        lambda s: s.compare(s),
        lambda s: s.disagreements(s),
    ],
    ids=["similar", "similar_other", "typical", "weak_slices", "compare", "disagreements"],
)
def test_what_needs_labels_only_works(session, call):
    assert len(call(session[0])) >= 0


def test_counterfactuals_of_a_labels_only_model_are_checked_by_its_labels(session):
    s = session[0]
    y_pred = s.predictions()["y_pred"]
    rows = list(y_pred.index[y_pred == y_pred.iloc[0]][:4])
    cf = s.counterfactuals(rows, n=2)
    cases = cf.cases()
    assert len(cases) > 0
    assert (s.model.predict(cases[list(s.X.columns)]) != y_pred.iloc[0]).all()
    assert cases["score_after"].isna().all()  # no scores to show
    found = cf.summary().query("found > 0")["reading"]
    assert not found.str.contains(r"\(\d+%\)").any()


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.slice_metrics(metrics=["auc"]),
        lambda s: s.examples("confident_errors"),
        lambda s: s.examples("ambiguous"),
        lambda s: s.examples("confidence_near", target=0.5),
        lambda s: s.explain([0]),
        lambda s: s.explain_text(0),
        lambda s: s.what_if(0, {"age_in_years": 50}),
        lambda s: s.threshold_tradeoffs("foreign_worker"),
        lambda s: s.threshold_tradeoffs("foreign_worker", thresholds=0.5),
        lambda s: s.equalizing_thresholds("foreign_worker"),
        lambda s: s.conformal(),
        lambda s: s.calibration(),
        lambda s: s.feature_importance(),
    ],
    ids=[
        "auc",
        "confident_errors",
        "ambiguous",
        "confidence_near",
        "explain",
        "explain_text",
        "what_if",
        "threshold_tradeoffs",
        "threshold_tradeoffs_at_one",
        "equalizing_thresholds",
        "conformal",
        "calibration",
        "feature_importance",
    ],
)
def test_what_needs_scores_says_so_in_one_sentence(session, call):
    with pytest.raises(rw.RaiWidgetsError, match="predict_proba"):
        call(session[0])


def test_disagreements_without_scores_keep_label_columns(session):
    s, _, X, german = session
    other = rw.ModelSession(
        PredictOnly(LogisticRegression(C=1e-4, max_iter=1_000).fit(X, german.target)),
        X,
        german.target,
        task="binary",
        random_state=0,
    )
    table = s.disagreements(other, n=5)
    assert "confidence_a" not in table
    assert (table["y_pred_a"] != table["y_pred_b"]).all()
    assert np.array_equal(table["fixed"], table["y_pred_b"] == table["y_true"])


@pytest.mark.parametrize("n_rows", [1, 2, 3])
def test_similar_never_returns_the_case_itself_on_tiny_data(german, n_rows):
    X = german.data[["duration_in_month", "credit_amount"]].iloc[:n_rows]
    fitted = LogisticRegression(max_iter=1_000).fit(
        german.data[["duration_in_month", "credit_amount"]], german.target
    )
    s = rw.ModelSession(fitted, X, german.target.iloc[:n_rows], random_state=0)
    similar = s.similar(X.index[0], n=5)
    assert X.index[0] not in similar.index
    assert len(similar) == n_rows - 1
    assert np.isfinite(similar["distance"]).all()
    if n_rows == 1:
        assert "no other cases" in similar.attrs["summary"]


def test_the_summary_of_a_labels_only_model_promises_no_score(session):
    from rai_widgets.static_html.dashboard import summary_text

    text = summary_text(session[0])
    # nothing about scores it does not have: the how-sure tab says what cannot be shown
    assert "score" not in text and "certainty" not in text
    assert text.startswith("The model is right for")


@pytest.mark.parametrize("view", ["UncertaintyView", "ExplanationView"])
def test_a_view_says_once_what_a_labels_only_model_cannot_show(session, view):
    page = getattr(rw, view)(session[0]).static_html()
    assert page.count('class="rai-view-note"') == 1
    assert 'class="rai-error"' not in page  # no error box per pane, none repeated
    # in plain words, for the analyst and the stakeholder alike (the audit's notes give the
    # remedy in code)
    assert "This model gives only yes/no answers, so how" in page
    assert "predict_proba" not in page and "CalibratedClassifierCV" not in page


def test_the_fairness_view_of_a_labels_only_model_has_no_threshold_panel(session):
    view = rw.FairnessView(session[0])
    view.wait(300)
    assert view.threshold_panel is None
    page = view.static_html()
    assert 'class="rai-error"' not in page and "predict_proba" not in page
    board = rw.Dashboard(session[0], presenter=True)
    board.wait(600)
    assert "CalibratedClassifierCV" not in board.fairness.static_html()
