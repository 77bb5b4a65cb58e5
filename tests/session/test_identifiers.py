"""Identifier columns: kept to find a case, never seen by the model, never shared."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw

COLUMNS = ["duration_in_month", "credit_amount", "age_in_years"]


@pytest.fixture(scope="module")
def identified(german):
    X = german.data[COLUMNS].copy()
    model = LogisticRegression(max_iter=1_000).fit(X, german.target)
    X.insert(1, "person_id", [f"ID-{i:05d}-secret" for i in range(len(X))])
    X["foreign_worker"] = german.data["foreign_worker"]

    class OnColumns:
        classes_ = model.classes_

        def predict(self, Z):
            assert "person_id" not in pd.DataFrame(Z).columns
            return model.predict(pd.DataFrame(Z)[COLUMNS])

        def predict_proba(self, Z):
            assert "person_id" not in pd.DataFrame(Z).columns
            return model.predict_proba(pd.DataFrame(Z)[COLUMNS])

    s = rw.ModelSession(
        OnColumns(),
        X,
        german.target,
        sensitive_features=["foreign_worker"],
        identifier_columns=["person_id"],
        random_state=0,
    )
    return s, model, X


def test_the_model_never_sees_identifiers_and_results_match(identified):
    s, model, X = identified
    assert s.identifier_columns_ == ["person_id"]
    assert "person_id" not in s.X.columns and "person_id" not in s.feature_names_
    np.testing.assert_allclose(s.predictions()["score"], model.predict_proba(X[COLUMNS])[:, 1])
    assert "person_id" not in set(s.explain([0])["feature"])
    assert s.core.identifiers()["person_id"].iloc[3] == "ID-00003-secret"


def test_the_live_browser_shows_identifiers_the_static_picture_does_not(identified):
    s, _, _ = identified
    browser = rw.ExampleBrowser(s, page_size=5)
    assert list(browser.current_page().columns[:1]) == ["person_id"]
    browser.selected_row = 2
    assert "ID-00002-secret" in browser.identity_html
    assert "secret" not in browser.static_html()
    assert "secret" not in rw.Dashboard(s).static_html()


def test_exports_and_cards_never_carry_identifiers(identified, tmp_path):
    s, _, _ = identified
    path = tmp_path / "report.html"
    s.to_html(path)
    assert "secret" not in path.read_text(encoding="utf-8")
    card = rw.ModelCard.from_session(s)
    assert "secret" not in card.to_markdown() and "person_id" not in card.to_markdown()
    assert "secret" not in card.to_html()


def test_small_groups_are_named_with_their_size_not_their_numbers(german, tmp_path):
    X = german.data[COLUMNS]
    model = LogisticRegression(max_iter=1_000).fit(X, german.target)
    tiny = pd.Series(np.where(np.arange(len(X)) < 6, "tiny group", "everyone else"), name="club")
    s = rw.ModelSession(model, X, german.target, sensitive_features=tiny, random_state=0)
    card = rw.ModelCard.from_session(s)
    table = card.by_group_["club"]
    assert bool(table.loc["tiny group", "too_few"]) and np.isnan(
        table.loc["tiny group", "accuracy"]
    )
    assert not bool(table.loc["everyone else", "too_few"])
    markdown = card.to_markdown()
    assert "tiny group" in markdown and "too few to report" in markdown
    path = tmp_path / "r.html"
    s.to_html(path, views=["examples"], by="club")
    page = path.read_text(encoding="utf-8")
    assert "6 rows · too few to report" in page
    s.to_html(path, views=["examples"], by="club", min_group_size=3)
    assert "too few to report" not in path.read_text(encoding="utf-8")
