"""The explanation tab is one view model: its numbers against the model's own answers, the
widget, the static picture and the export draw that one object, and a part that fails (a model
answering NaN off its own rows) shows its own error box while the rest is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.report.export import views as export_views
from rai_widgets.static_html import explanation
from rai_widgets.views.explanation import AgreementData, DependenceData, ImportanceData
from rai_widgets.views.explanation_tab import (
    PARTS,
    CasePart,
    FeaturePart,
    explanation_model,
    shared_file_model,
)
from rai_widgets.views.parts import Failed
from tests.conftest import raw_column_pipeline
from tests.session.test_predict_only import PredictOnly
from tests.widgets.test_fails_in_its_own_place import COLUMNS, NaNOffItsRows

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(scope="module")
def credit(german):
    X = german.data[[*COLUMNS, "foreign_worker"]]
    model = raw_column_pipeline(LogisticRegression(max_iter=1_000)).fit(X, german.target)
    s = rw.ModelSession(
        model, X, german.target, sensitive_features=["foreign_worker"], random_state=0
    )
    return s, model


def test_the_case_part_explains_the_models_own_answer(credit):
    s, model = credit
    row = s.X.index[3]
    view = explanation_model(s, row=row, parts=PARTS, max_rows=60)
    assert view.row == row and isinstance(view.case, CasePart) and view.case.note is None
    # the waterfall's prediction is the model's own chance of the positive class
    rows = view.case.explanation.rows
    positive = list(model.classes_).index(s.pos_label_)
    chance = model.predict_proba(s.X.loc[[row]])[0, positive]
    assert rows["prediction"].iloc[0] == pytest.approx(chance)
    assert rows["base_value"].iloc[0] + rows["contribution"].sum() == pytest.approx(chance)
    # SHAP and LIME explain the same case over the same features
    agreement = view.case.agreement
    assert isinstance(agreement, AgreementData)
    assert set(agreement.shap_rows["feature"]) == set(agreement.lime_rows["feature"])
    assert agreement.shap_rows["contribution"].tolist() == rows["contribution"].tolist()


def test_the_global_parts_follow_the_choices(credit, german):
    s, _ = credit
    view = explanation_model(s, slice_by="foreign_worker", parts=PARTS, max_rows=60)
    assert isinstance(view.importance, ImportanceData)
    assert view.importance.by_name == "foreign_worker"
    groups = set(view.importance.table["foreign_worker"])
    assert groups == set(german.data["foreign_worker"].unique())
    # no feature asked: the one with the largest mean importance over the whole data
    table = s.feature_importance(max_rows=60, random_state=view.seed)
    largest = table.groupby("feature")["importance"].mean().idxmax()
    assert isinstance(view.feature, FeaturePart) and view.feature.feature == largest
    # coloured by the first sensitive feature when none is asked
    assert view.feature.color_by == "foreign_worker"
    assert isinstance(view.feature.dependence, DependenceData)
    assert view.choices.features == [(str(c), c) for c in s.X.columns]
    assert view.choices.slices[:2] == [("whole data", ""), ("foreign_worker", "foreign_worker")]


def test_importance_of_a_multiclass_model_is_the_mean_over_classes(wage_education):
    model, X, y = wage_education
    s = rw.ModelSession(model, X, y, random_state=0)
    view = explanation_model(s, parts=("importance",), max_rows=40, random_state=0)
    per_class = s.feature_importance(max_rows=40, random_state=0)
    expected = per_class.groupby("feature", sort=False)["importance"].mean()
    got = view.importance.table.set_index("feature")["importance"]
    np.testing.assert_allclose(got.loc[expected.index], expected.to_numpy())
    assert view.importance.table["importance_lo"].isna().all()  # no per-class bounds carried


def test_dependence_of_a_multiclass_model_is_of_each_rows_predicted_class(wage_education):
    model, X, y = wage_education
    s = rw.ModelSession(model, X, y, random_state=0)
    view = explanation_model(s, feature="age", color_by="", parts=("dependence",), max_rows=40)
    frame = view.feature.dependence.frame
    predicted = model.predict(X.loc[frame["row"]])
    assert (frame["class"].to_numpy() == predicted).all()
    assert view.feature.color_by is None and view.case is None and view.importance is None


def test_the_widget_the_picture_and_the_export_draw_one_model(credit):
    s, _ = credit
    view = rw.ExplanationView(s, max_rows=60)
    view.select_tab("Across slices")
    view.select_tab("One feature")
    # the feature found for the view shows in the picker, and the model is what is drawn
    assert view.model.feature.feature == view.feature == view.feature_picker.value
    assert view.static_body() == explanation.model_html(view.model)
    assert view.static_body() == explanation.view_html(
        s, row=view.row, feature=view.feature, parts=PARTS, max_rows=60
    )
    body, lead = export_views.view_html(s, "explanation", by="foreign_worker", n_slices=2)
    shared = shared_file_model(s, by="foreign_worker", n_slices=2, min_group_size=10)
    assert body == explanation.model_html(shared)
    assert lead.startswith(f"Row {shared.row} ") and shared.importance.by_name == "foreign_worker"
    # many slices: importance over the whole data
    many = shared_file_model(s, by="foreign_worker", n_slices=5, min_group_size=10)
    assert many.importance.by_name is None


def test_a_model_that_fails_off_its_rows_fails_in_each_part_that_asks_it(german):
    X = german.data[COLUMNS]
    fitted = LogisticRegression(max_iter=1_000).fit(X, german.target)
    s = rw.ModelSession(NaNOffItsRows(fitted, X), X, german.target, random_state=0)
    view = explanation_model(s, parts=PARTS, max_rows=40)
    case = view.case
    parts = [
        case.reading,
        case.explanation,
        case.agreement,
        case.recourse,
        view.importance,
        view.feature.dependence,
        view.feature.effects,
    ]
    failed = [p for p in parts if isinstance(p, Failed)]
    assert isinstance(case.explanation, Failed) and isinstance(view.importance, Failed)
    page = explanation.model_html(view)
    # one error box per failed part, each where its part would be
    assert page.count('class="rai-error"') == len(failed)
    widget = rw.ExplanationView(s, max_rows=40)
    widget.select_tab("Across slices")
    widget.select_tab("One feature")
    assert widget.importance_html.startswith('<div class="rai-error">')
    assert widget.feature == ""  # no most important feature could be found: none is named


def test_a_labels_only_model_says_once_what_it_cannot_show(german):
    X = german.data[COLUMNS]
    fitted = RandomForestClassifier(n_estimators=10, random_state=0).fit(X, german.target)
    s = rw.ModelSession(PredictOnly(fitted), X, german.target, task="binary", random_state=0)
    view = explanation_model(s)
    assert view.case.note is not None and view.case.reading is None
    assert view.case.explanation is None and view.case.agreement is None
    page = explanation.model_html(view)
    assert page.count('class="rai-view-note"') == 1 and 'class="rai-error"' not in page
    assert page == rw.ExplanationView(s).static_body()
