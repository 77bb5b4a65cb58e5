"""EffectsView: its pickers follow its traits, it draws what the session computes, and a kind
that does not fit the feature shows its own error box."""

from __future__ import annotations

import pytest
import traitlets

import rai_widgets as rw


@pytest.fixture(scope="module")
def view(adult):
    from sklearn.linear_model import LogisticRegression

    from tests.conftest import raw_column_pipeline

    X, y = adult.data.iloc[:1500], adult.target.iloc[:1500]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=["sex"], random_state=0)
    return rw.EffectsView(s, feature="age")


def test_the_view_draws_the_sessions_effects_per_group(view):
    assert view.by == "sex" and view.by_picker.value == "sex"
    expected = view.session.effects("age", by="sex", grid_resolution=12, random_state=view.seed)
    html = view.chart_html
    assert "How the predicted chance of &gt;50K moves with age" in html
    assert expected.attrs["reading"].replace(">", "&gt;") in html
    assert html.count('stroke-width="2"/>') == 2  # one curve per group ...
    assert html.count('stroke-opacity="0.15"') == 30  # ... over 30 single cases, faint


def test_the_pickers_and_the_traits_follow_each_other(view):
    view.feature_picker.value = "workclass"
    assert view.feature == "workclass"
    assert "moves with workclass" in view.chart_html and "<polyline" not in view.chart_html
    view.by = ""
    assert view.by_picker.value == "" and "Female" not in view.chart_html
    view.feature, view.kind = "hours-per-week", "ale"
    assert view.kind_toggle.value == "ale" and "moves with hours-per-week" in view.chart_html
    view.feature = "workclass"  # ALE needs ordered values: the pane says so
    assert 'class="rai-error"' in view.chart_html and "ALE needs ordered values" in view.chart_html
    with pytest.raises(traitlets.TraitError, match="kind must be one of"):
        view.kind = "pdp"
    view.kind, view.feature, view.by = "average", "age", "sex"
    assert view.static_body().startswith('<div class="rai-view">')


def test_a_grid_beyond_the_data_is_grey_in_the_view(view):
    session = view.session
    ages = session.core.frame["age"]
    grid = [10, 30, 50, 120]  # 10 and 120: no one in the data is that young or old
    wide = rw.EffectsView(session, feature="age", by="", grid=grid)
    expected = session.effects("age", grid=grid, random_state=wide.seed)
    assert expected.attrs["extrapolated"] == [10, 120]
    assert expected.attrs["range"] == (ages.min(), ages.max())
    html = wide.chart_html
    assert html.count('class="rai-effect-extrapolated"') == 2
    assert "At age 10 and 120, beyond the data (" in html
    wide.feature = "hours-per-week"  # the grid is the first feature's: another has its own
    assert 'class="rai-effect-extrapolated"' not in wide.chart_html
    wide.feature = "age"
    assert wide.chart_html.count('class="rai-effect-extrapolated"') == 2
