"""Each audit finding in plain words for presenter mode: the numbers recomputed here, no
statistic named (proxy, leakage, calibration, explanation trust, the baseline)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score

import rai_widgets as rw
from rai_widgets.readings.plain_findings import plain_single
from tests.conftest import raw_column_pipeline

JARGON = re.compile(
    r"(?i)balanced accuracy|\bbounds\b|\bq [<=]|R²|\bECE\b|LIME|SHAP|Gower|predict_proba"
)


@pytest.fixture(scope="module")
def adult_part(adult, adult_model):
    X, y = adult.data.iloc[:8000], adult.target.iloc[:8000]
    s = rw.ModelSession(
        adult_model, X, y, sensitive_features=["sex"], favorable=">50K", random_state=0
    )
    return s, X, y


def _rows(session, check):
    frame = session.audit(checks=[check]).frame()
    return frame[frame["check"] == check]


def test_a_proxy_reads_as_a_guess_of_the_sensitive_feature(adult_part):
    s, X, _ = adult_part
    rows = _rows(s, "proxy")
    row = rows[(rows["feature"] == "relationship") & (rows["severity"] == "concern")].iloc[0]
    # the guess of sex from relationship alone: each value's most over-represented sex
    share = pd.crosstab(X["relationship"], X["sex"], normalize="columns")
    guess = X["relationship"].map(share.idxmax(axis=1))
    score = balanced_accuracy_score(X["sex"], guess)
    plain = plain_single(row)
    assert plain == (
        "The feature relationship can stand in for sex: from it alone, sex is guessed right "
        f"{score:.0%} of the time, averaged over the groups of sex (a blind guess: 50%), so the "
        "model can use it even without seeing sex."
    )
    assert not JARGON.search(plain) and "balanced accuracy" in row["finding"]


def test_calibration_reads_as_the_chance_it_gives_against_how_often_it_is_right(
    adult_part, adult_model
):
    s, X, y = adult_part
    (overall,) = [r for _, r in _rows(s, "calibration").iterrows() if r["slice"] is None]
    proba = adult_model.predict_proba(X).max(axis=1)
    right = (adult_model.predict(X) == y).mean()
    said = (
        f"it gives its answers a {proba.mean():.0%} chance on average and is right "
        f"{right:.0%} of the time."
    )
    plain = plain_single(overall)
    assert plain.endswith(said), plain
    if overall["severity"] == "ok":
        assert plain.startswith("The model's confidence matches how often it is right")
    assert not JARGON.search(plain)


def test_a_leak_reads_as_a_question_to_ask(german):
    X = german.data.assign(review_outcome=german.target.map({"good": "yes", "bad": "no"}))
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(X, german.target)
    s = rw.ModelSession(model, X, german.target, random_state=0)
    rows = _rows(s, "leakage")
    row = rows[(rows["feature"] == "review_outcome") & (rows["severity"] == "concern")].iloc[0]
    alone = (X["review_outcome"].map({"yes": "good", "no": "bad"}) == german.target).mean()
    model_right = (model.predict(X) == german.target).mean()
    assert plain_single(row) == (
        f"review_outcome alone gets {alone:.0%} of the answers right, nearly as many as the "
        f"model ({model_right:.0%}): check that review_outcome is known before the decision is "
        "made."
    )


def test_explanation_trust_and_the_baseline_read_without_their_statistics(german, german_model):
    s = rw.ModelSession(german_model, german.data, german.target, random_state=0)
    frame = s.audit(checks=["explanation_trust", "baseline"]).frame()
    for _, row in frame.iterrows():
        plain = plain_single(row)
        assert plain is not None and not JARGON.search(plain), plain
        if row["check"] == "explanation_trust":
            assert f"{row['estimate']:.0%} of the {int(row['n'])} cases sampled" in plain
    base = frame[frame["check"] == "baseline"].iloc[0]
    share = german.target.value_counts(normalize=True)
    right = (german_model.predict(german.data) == german.target).mean()
    assert plain_single(base).startswith(
        f"The model is right for {right:.0%} of rows; always answering {share.index[0]} would "
        f"be right for {share.iloc[0]:.0%}"
    )


def test_a_finding_without_its_numbers_keeps_its_own_sentence():
    row = {"check": "proxy", "estimate": np.nan, "feature": "a", "grouping": "b"}
    assert plain_single(row) is None
