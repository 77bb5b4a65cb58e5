"""The model card opens as the Dashboard does: what the model predicts, then the Dashboard's own
summary (how often it is right beside the trivial answer, the group it does worse for), with no
bounds, tests or q-values; the numbers behind it, with those, open Quantitative analyses.

The old opening read "It does measurably worse for sex = Male: wrong for 18% ... (gap +11.2 pts,
95% bounds +10.6 pts to +11.7 pts; q < 0.0001 over the 2 groups compared)" where a stakeholder
reads it.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import rai_widgets as rw
from rai_widgets.report.card.analyses import IN_NUMBERS_HEADING
from rai_widgets.views.summary import summary_sentences

# what an analyst writes and a stakeholder cannot read: none of it in the opening
ANALYST = re.compile(r"\bq\b|q-value|bounds|Benjamini|significan|95%|groups compared|pts\b")


@pytest.fixture(scope="module")
def german_card(german, german_model):
    s = rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features=german.sensitive_features,
        name="german-gbm",
        random_state=0,
    )
    return s, rw.ModelCard.from_session(s)


@pytest.fixture(scope="module")
def wage_card(wage, wage_model):
    s = rw.ModelSession(
        wage_model,
        wage.data,
        wage.target,
        sensitive_features=["race", "maritl"],
        target_unit="thousand dollars",
        random_state=0,
    )
    return s, rw.ModelCard.from_session(s)


@pytest.fixture(scope="module", params=["binary", "regression"])
def session_and_card(request, german_card, wage_card):
    return german_card if request.param == "binary" else wage_card


def test_the_opening_is_the_dashboards_summary(session_and_card):
    session, card = session_and_card
    assert card.summary_[1:] == summary_sentences(session)
    opening = " ".join(card.summary_)
    assert not ANALYST.search(opening), ANALYST.search(opening)
    assert card.summary_[0].startswith("This card describes ")
    # the rendered card opens with the same words (the paragraph under the title)
    assert " ".join(card.summary_) in card.to_markdown().replace("\\", "").replace("&lt;", "<")


def test_the_opening_numbers_are_the_datas(german_card):
    session, card = german_card
    y, X = session.y, session.X
    right = float(np.mean(session.model.predict(X) == y.to_numpy()))
    share = y.value_counts(normalize=True)
    first = card.summary_[1]
    assert first == (
        f"The model (german-gbm) is right for {round(100 * right)}% of the {len(y):,} rows "
        f"(always answering {share.index[0]}: {round(100 * share.iloc[0])}%)."
    )


def test_the_regression_opening_is_off_by_the_mean_absolute_error(wage_card):
    session, card = wage_card
    y = session.y.to_numpy(dtype=float)
    mae = float(np.mean(np.abs(session.model.predict(session.X) - y)))
    said = re.search(r"off by ([\d.]+) thousand dollars on average", card.summary_[1])
    assert said, card.summary_
    assert float(said[1]) == pytest.approx(mae, abs=0.05)
    assert "predicts wage" in card.summary_[0] and "regression model" in card.summary_[0]


def test_the_numbers_behind_the_opening_open_the_quantitative_analyses(session_and_card):
    _, card = session_and_card
    numbers = " ".join(card.in_numbers_)
    assert "every number below has 95% bounds" in numbers
    assert "groups compared" in numbers  # each group's test, with its q-value
    markdown = card.to_markdown()
    quant = markdown[markdown.index("\n## Quantitative analyses\n") :]
    heading = quant.index(f"\n### {IN_NUMBERS_HEADING}\n")
    assert heading < quant.index("\n### Unitary results\n")
    loaded = rw.ModelCard.from_dict(card.to_dict())
    assert loaded.in_numbers_ == card.in_numbers_ and loaded.summary_ == card.summary_
    assert loaded.to_markdown() == markdown


def test_the_cards_own_sensitive_features_lead_its_opening(german_card):
    session, _ = german_card
    card = rw.ModelCard.from_session(
        session, sensitive_features=["age_in_years"], intersectional=False
    )
    assert card.summary_[1:] == summary_sentences(session, features=["age_in_years"])
    assert "personal_status_and_sex" not in " ".join(card.summary_)
