"""One case's detail pane is one view model: its verdict against the session's own answers,
and a part that fails (a model answering NaN off its own rows) shows its error in place while
the rest of the case is drawn."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html.examples import detail_html
from rai_widgets.views.case import CaseExplanation, SimilarCases, case_model
from rai_widgets.views.effects import EffectsData
from rai_widgets.views.parts import Failed
from tests.widgets.test_fails_in_its_own_place import COLUMNS, NaNOffItsRows


@pytest.fixture(scope="module")
def credit(german):
    X = german.data[COLUMNS]
    model = LogisticRegression(max_iter=1_000).fit(X, german.target)
    return rw.ModelSession(model, X, german.target, random_state=0)


def test_a_wrong_answer_reads_as_wrong_with_its_confidence(credit):
    answers = credit.predictions()
    row = answers.index[~answers["correct"].astype(bool)][0]
    case = case_model(credit, row)
    predicted = credit.core.class_description(answers.loc[row, "y_pred"])
    actual = credit.core.class_description(answers.loc[row, "y_true"])
    assert case.wrong and case.title == f"Row {row}"
    assert case.verdict.startswith(f"Predicted {predicted} with ")
    assert f"; actually {actual} — the model is wrong here." in case.verdict
    assert isinstance(case.explanation, CaseExplanation)
    contributions = case.explanation.rows["contribution"].sum()
    base = case.explanation.rows["base_value"].iloc[0]
    assert base + contributions == pytest.approx(case.explanation.rows["prediction"].iloc[0])
    assert isinstance(case.similar, SimilarCases) and len(case.similar.frame) == 5
    page = detail_html(case)
    assert "rai-wrong" in page and "Similar real cases" in page and "rai-error" not in page


def test_a_right_answer_is_not_called_wrong(credit):
    answers = credit.predictions()
    row = answers.index[answers["correct"].astype(bool)][0]
    case = case_model(credit, row)
    assert not case.wrong and "wrong" not in case.verdict
    assert "rai-wrong" not in detail_html(case)


def test_a_regression_case_reads_its_error_in_the_unit(wage):
    X = wage.data[["year", "age"]]
    model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, wage.target)
    s = rw.ModelSession(model, X, wage.target, target_unit="thousand dollars", random_state=0)
    row = X.index[4]
    case = case_model(s, row)
    answer = s.predictions().loc[row]
    off = abs(float(answer["y_true"]) - float(answer["y_pred"]))
    assert f"(off by {rw.formatting.number(off, 4)} thousand dollars)." in case.verdict
    assert isinstance(case.effect, EffectsData) and case.effect.case is not None
    assert case.effect.case_value == X.loc[row, case.effect.feature]


def test_a_model_that_fails_off_its_rows_fails_in_the_parts_that_ask_it(german):
    X = german.data[COLUMNS]
    fitted = LogisticRegression(max_iter=1_000).fit(X, german.target)
    s = rw.ModelSession(NaNOffItsRows(fitted, X), X, german.target, random_state=0)
    row = X.index[0]
    case = case_model(s, row)
    # the verdict reads the model's answers on its own rows, which it knows
    assert case.verdict.startswith("Predicted ")
    # explaining asks it about perturbed rows, which it answers NaN: that part fails in place
    assert isinstance(case.explanation, Failed) and isinstance(case.reading, Failed)
    assert "NaN" in case.explanation.message or "nan" in case.explanation.message.lower()
    page = detail_html(case)
    assert page.count('class="rai-error"') >= 2
    assert "Similar real cases" in page  # the rest of the case is drawn


def test_similar_cases_lead_with_the_answer_then_the_influential_columns(credit):
    row = credit.X.index[7]
    similar = case_model(credit, row).similar
    assert isinstance(similar, SimilarCases)
    found = credit.similar(row, n=5)
    assert list(similar.frame.index) == list(found.index)
    answer = [c for c in ("y_pred", "y_true", "confidence", "distance") if c in found.columns]
    assert list(similar.frame.columns) == answer + list(found.attrs["columns_by_influence"])
    pd.testing.assert_series_equal(similar.frame["distance"], found["distance"])
