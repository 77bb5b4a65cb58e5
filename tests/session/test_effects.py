"""Feature effects (issue 24): partial dependence equal to scikit-learn's on the same grid, ICE
equal to the model on edited rows, ALE equal to PyALE's, per-group bands that cover the truth
and a reading that names a difference only when the bounds support it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.inspection import partial_dependence
from sklearn.linear_model import LinearRegression, LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline


class ForMenOnly:
    """A model that is the truth: experience adds up to 60 points for men only, "other" 5
    points for everyone."""

    classes_ = np.array(["no", "yes"])

    @staticmethod
    def chance(Z):
        men = (Z["sex"] == "men").to_numpy()
        return 0.1 + np.where(men, 0.03 * Z["experience"], 0.0) + 0.05 * (Z["other"] > 0)

    def predict_proba(self, Z):
        p = np.asarray(self.chance(Z), dtype=float)
        return np.column_stack([1 - p, p])

    def predict(self, Z):
        return self.classes_[(self.predict_proba(Z)[:, 1] > 0.5).astype(int)]


def _people(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "experience": rng.uniform(0, 20, n),
            "sex": rng.choice(["men", "women"], n),
            "other": rng.normal(size=n),
        }
    )


@pytest.fixture(scope="module")
def adult_part(adult, adult_model):
    X, y = adult.data.iloc[:2000], adult.target.iloc[:2000]
    return X, y, rw.ModelSession(adult_model, X, y, sensitive_features=["sex"], random_state=0)


@pytest.mark.parametrize("feature", ["age", "education-num", "workclass"])
def test_partial_dependence_equals_scikit_learns(adult_part, adult_model, feature):
    X, _, s = adult_part
    frame = s.effects(feature, grid_resolution=8)
    grid = [v for v in frame["value"] if not pd.isna(v)]
    text = not pd.api.types.is_numeric_dtype(X[feature])
    whole = X.select_dtypes("integer").columns  # scikit-learn refuses integer columns
    oracle = partial_dependence(
        adult_model,
        X.astype(dict.fromkeys(whole, float)),
        [feature],
        method="brute",
        custom_values={feature: np.array(grid, dtype=object if text else float)},
        categorical_features=[feature] if text else None,
        response_method="predict_proba",
    )
    ours = frame.dropna(subset=["value"])
    got = dict(zip(ours["value"], ours["effect"], strict=True))
    expected = dict(zip(oracle["grid_values"][0], oracle["average"][0], strict=True))
    for value, effect in expected.items():
        assert got[value] == pytest.approx(effect, abs=1e-6), value
    assert (ours["lo"] <= ours["effect"] + 1e-12).all() and (
        ours["effect"] <= ours["hi"] + 1e-12
    ).all()
    assert (ours["n"] == len(X)).all()


def test_regression_and_multiclass_follow_their_output(wage, wage_model, wage_education):
    s = rw.ModelSession(wage_model, wage.data, wage.target, target_unit="thousand dollars")
    frame = s.effects("age", grid_resolution=6, random_state=0)
    grid = frame["value"].to_numpy(float)
    whole = wage.data.select_dtypes("integer").columns
    oracle = partial_dependence(
        wage_model,
        wage.data.astype(dict.fromkeys(whole, float)),
        ["age"],
        method="brute",
        custom_values={"age": grid},
    )
    assert frame["effect"].to_numpy() == pytest.approx(oracle["average"][0], abs=1e-6)
    assert "thousand dollars" in frame.attrs["reading"]
    model, X, y = wage_education
    m = rw.ModelSession(model, X.iloc[:600], y.iloc[:600], random_state=0)
    wanted = "5. Advanced Degree"
    multi = m.effects("age", cls=wanted, grid_resolution=5)
    column = list(model.classes_).index(wanted)
    edited = X.iloc[:600].copy()
    value = multi["value"].iloc[2]
    edited["age"] = value
    assert multi["effect"].iloc[2] == pytest.approx(model.predict_proba(edited)[:, column].mean())
    assert multi.attrs["subject"] == f"the predicted chance of {wanted}"


def test_ice_curves_are_the_model_on_edited_rows(adult_part, adult_model):
    X, _, s = adult_part
    ice = s.effects("hours-per-week", kind="individual", n_ice=7, grid_resolution=5, by="sex")
    assert ice["row"].nunique() == 7 and {"row", "group", "value", "effect"} <= set(ice.columns)
    row = ice["row"].iloc[0]
    for _, point in ice[ice["row"] == row].iterrows():
        edited = X.loc[[row]].assign(**{"hours-per-week": point["value"]})
        assert point["effect"] == pytest.approx(adult_model.predict_proba(edited)[0, 1])
        assert point["group"] == X.loc[row, "sex"]


def test_the_curves_of_chosen_cases_and_the_case_line(adult_part, adult_model):
    X, _, s = adult_part
    rows = [X.index[3], X.index[40]]
    ice = s.effects("age", kind="individual", rows=rows, grid_resolution=6)
    assert sorted(ice["row"].unique()) == sorted(rows)
    for _, point in ice[ice["row"] == rows[1]].iterrows():
        edited = X.loc[[rows[1]]].assign(age=point["value"])
        assert point["effect"] == pytest.approx(adult_model.predict_proba(edited)[0, 1])
    with pytest.raises(rw.ValidationError, match=r"rows= picks the cases"):
        s.effects("age", rows=rows)
    with pytest.raises(rw.RowNotFoundError):
        s.effects("age", kind="individual", rows=["no such row"])
    display = rw.display.EffectsDisplay.from_session(s, "age", row=rows[0], n_ice=5)
    own = display.case[display.case["value"] == X.loc[rows[0], "age"]]["effect"]
    assert len(own) == 1  # the case's own value is a point of its curve: its real answer
    assert own.iloc[0] == pytest.approx(adult_model.predict_proba(X.loc[[rows[0]]])[0, 1])
    svg = display.to_svg()
    assert svg.count('class="rai-effect-case"') == 1 and f"case {rows[0]}" in svg
    assert "Dashed: case" in svg


def test_a_case_detail_pane_draws_its_own_curve(adult_part):
    X, _, s = adult_part
    from rai_widgets.static_html.examples import detail_html
    from rai_widgets.views.case import case_model
    from rai_widgets.views.explanation import case_effect_feature, row_explanation

    row = X.index[11]
    feature = case_effect_feature(s, row, random_state=0)
    explanation, _ = row_explanation(s, row, method="shap", random_state=0)
    numeric = explanation[explanation["feature"].isin(["age", "fnlwgt", "education-num",
                                                       "capital-gain", "capital-loss",
                                                       "hours-per-week"])]  # fmt: skip
    assert feature == numeric.loc[numeric["contribution"].abs().idxmax(), "feature"]
    case = case_model(s, row, random_state=0)
    page = detail_html(case)
    assert "rai-case-effect" in page and f"moves with {feature}" in page
    # the dashed line is the selected case's own curve: the model on that row, edited
    assert page.count('class="rai-effect-case"') == 1 and f"<title>case {row}</title>" in page
    curve = case.effect.case
    assert set(curve["row"]) == {row}
    for _, point in curve.iloc[[0, len(curve) // 2, -1]].iterrows():
        edited = X.loc[[row]].assign(**{feature: point["value"]})
        assert point["effect"] == pytest.approx(s.model.predict_proba(edited)[0, 1], abs=1e-12)
    own = curve[curve["value"] == X.loc[row, feature]]["effect"]
    assert own.iloc[0] == pytest.approx(s.model.predict_proba(X.loc[[row]])[0, 1], abs=1e-12)


def test_ale_equals_pyale_on_correlated_features():
    import PyALE as pyale  # a dev dependency: the oracle

    rng = np.random.default_rng(0)
    a = rng.normal(size=800)
    X = pd.DataFrame({"a": a, "b": a + rng.normal(scale=0.3, size=800), "c": rng.normal(size=800)})
    y = X["a"] ** 2 + X["b"] + rng.normal(scale=0.1, size=800)
    from sklearn.ensemble import RandomForestRegressor

    model = RandomForestRegressor(n_estimators=30, random_state=0).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    ours = s.effects("a", kind="ale", grid_resolution=10)
    oracle = pyale.ale(X, model, ["a"], grid_size=10, include_CI=False, plot=False)
    assert ours["value"].to_numpy() == pytest.approx(oracle.index.to_numpy(float))
    assert ours["effect"].to_numpy() == pytest.approx(oracle["eff"].to_numpy(), abs=1e-9)
    assert list(ours["n"]) == list(oracle["size"].astype(int))


def test_a_feature_that_matters_for_one_group_only():
    X = _people(1, 3000)
    rng = np.random.default_rng(1)
    y = np.where(rng.random(len(X)) < ForMenOnly.chance(X), "yes", "no")
    s = rw.ModelSession(ForMenOnly(), X, pd.Series(y), sensitive_features=["sex"], random_state=0)
    frame = s.effects("experience", by="sex", grid_resolution=6)
    rise = frame.attrs["rise"].set_index("group")
    assert rise.loc["men", "rise_lo"] > 0.3
    assert rise.loc["women", "rise_lo"] <= 0 <= rise.loc["women", "rise_hi"] + 1e-12
    reading = frame.attrs["reading"]
    assert "for men" in reading and "for women" in reading and "the groups differ" in reading
    alike = s.effects("other", by="sex", grid_resolution=6).attrs["reading"]
    assert "the groups differ" not in alike and "cannot tell the groups apart" in alike


def test_bands_cover_the_truth_at_about_their_rate():
    rng = np.random.default_rng(2)
    X_all = pd.DataFrame({"x": rng.normal(size=200_000), "w": rng.normal(size=200_000)})
    model = LinearRegression().fit(X_all, 3 * X_all["x"] + 2 * X_all["w"])
    truth = model.intercept_ + model.coef_[0] * 1.0 + model.coef_[1] * X_all["w"].mean()
    covered = []
    for k in range(40):
        X = X_all.sample(300, random_state=k).reset_index(drop=True)
        s = rw.ModelSession(model, X, random_state=k)
        frame = s.effects("x", grid=[1.0])
        covered.append(frame["lo"].iloc[0] <= truth <= frame["hi"].iloc[0])
    assert 0.85 <= np.mean(covered) <= 1.0


def test_grids_for_every_kind_of_column():
    rng = np.random.default_rng(3)
    n = 400
    X = pd.DataFrame(
        {
            "count": rng.integers(0, 4, n),
            "amount": rng.normal(size=n),
            "flag": rng.random(n) < 0.5,
            "kind": rng.choice(["a", "b", "c"], n),
        }
    )
    X.loc[:19, "amount"] = np.nan
    y = (X["count"] + X["flag"] + (X["kind"] == "a") + rng.normal(size=n) > 2).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X.fillna({"amount": 0}), y)

    class Filled:  # the pipeline sees missing amounts as 0
        classes_ = model.classes_

        def predict_proba(self, Z):
            return model.predict_proba(Z.fillna({"amount": 0}))

        def predict(self, Z):
            return model.predict(Z.fillna({"amount": 0}))

    s = rw.ModelSession(Filled(), X, y, random_state=0)
    assert s.effects("count")["value"].tolist() == [0, 1, 2, 3]  # few values: every one
    assert s.effects("kind")["value"].tolist() == ["a", "b", "c"]
    assert s.effects("flag")["value"].tolist() == [False, True]
    amount = s.effects("amount", grid_resolution=5)["value"]
    assert len(amount) == 6 and pd.isna(amount.iloc[-1])  # missing as its own point
    outside = s.effects("amount", grid=[-10.0, 0.0])
    assert outside.attrs["extrapolated"] == [-10.0]
    with pytest.raises(rw.ValidationError, match="not values of 'kind'"):
        s.effects("kind", grid=["a", "zz"])


def test_two_way_surface_and_the_cache(adult_part):
    _, _, s = adult_part
    surface = s.effects(("age", "hours-per-week"), grid_resolution=4)
    ages = s.effects("age", grid_resolution=4)["value"]
    hours = s.effects("hours-per-week", grid_resolution=4)["value"]
    assert len(surface) == len(ages) * len(hours)
    assert set(surface["value"]) == {(a, h) for a in ages for h in hours}
    assert surface["feature"].iloc[0] == ("age", "hours-per-week")
    assert all(isinstance(v, tuple) and len(v) == 2 for v in surface["value"])
    before = s.core.cache_info().hits
    again = s.effects(("age", "hours-per-week"), grid_resolution=4)
    assert s.core.cache_info().hits > before
    pd.testing.assert_frame_equal(surface, again)


def test_the_optional_audit_check_names_a_feature_that_acts_for_one_group_only():
    X = _people(4, 1500)
    rng = np.random.default_rng(4)
    n = len(X)
    y = pd.Series(rng.choice(["no", "yes"], n))
    s = rw.ModelSession(ForMenOnly(), X, y, sensitive_features=["sex"], random_state=0)
    assert "effect_difference" not in set(s.audit().frame()["check"])  # optional
    frame = s.audit(checks=["effect_difference"]).frame()
    concerns = frame[frame["severity"] == "concern"]
    assert concerns["feature"].tolist() == ["experience"]
    assert "for men" in concerns["finding"].iloc[0] and "q = " in concerns["finding"].iloc[0]
    assert concerns["lo"].iloc[0] > 0.3


def test_a_grid_beyond_the_data_is_named_and_drawn_grey():
    rng = np.random.default_rng(5)
    X = pd.DataFrame({"x": rng.uniform(0, 10, 500), "w": rng.normal(size=500)})
    y = 2 * X["x"] + X["w"] + rng.normal(size=500)
    model = LinearRegression().fit(X, y)
    s = rw.ModelSession(model, X, y, target_unit="dollars", random_state=0)
    frame = s.effects("x", grid=[-5.0, 2.0, 5.0, 20.0])
    assert frame.attrs["extrapolated"] == [-5.0, 20.0]
    assert frame.attrs["range"] == (X["x"].min(), X["x"].max())
    expected = [model.predict(X.assign(x=v)).mean() for v in (-5.0, 2.0, 5.0, 20.0)]
    assert frame["effect"].to_numpy() == pytest.approx(expected, abs=1e-9)
    reading = frame.attrs["reading"]
    assert "dollars" in reading and "At x -5 and 20, beyond the data (" in reading
    inside = s.effects("x", grid=[2.0, 5.0])
    assert inside.attrs["extrapolated"] == [] and "beyond the data" not in inside.attrs["reading"]
    display = rw.display.EffectsDisplay.from_session(s, "x", grid=[-5.0, 2.0, 5.0, 20.0])
    svg = display.to_svg()
    assert svg.count('class="rai-effect-extrapolated"') == 2  # below and above the data
    assert "grey: beyond the data" in svg
    assert (
        'class="rai-effect-extrapolated"'
        not in rw.display.EffectsDisplay.from_session(s, "x", grid=[2.0, 5.0]).to_svg()
    )


def test_the_missing_value_is_a_point_of_its_own_on_the_chart():
    rng = np.random.default_rng(6)
    X = pd.DataFrame({"amount": rng.normal(size=300), "other": rng.normal(size=300)})
    X.loc[:29, "amount"] = np.nan
    y = (X["amount"].fillna(0) + X["other"] + rng.normal(size=300) > 0).astype(int)
    fitted = LogisticRegression().fit(X.fillna(0), y)

    class Filled:  # missing amounts read as 0
        classes_ = fitted.classes_

        def predict_proba(self, Z):
            return fitted.predict_proba(Z.fillna(0))

        def predict(self, Z):
            return fitted.predict(Z.fillna(0))

    s = rw.ModelSession(Filled(), X, y, random_state=0)
    frame = s.effects("amount", grid_resolution=4)
    assert pd.isna(frame["value"].iloc[-1])
    expected = fitted.predict_proba(X.fillna(0).assign(amount=0.0))[:, 1].mean()
    assert frame["effect"].iloc[-1] == pytest.approx(expected, abs=1e-12)
    svg = rw.display.EffectsDisplay.from_session(s, "amount", grid_resolution=4).to_svg()
    assert svg.count('class="rai-effect-missing"') == 1 and ">missing<" in svg
    assert "nan," not in svg and ",nan" not in svg  # the curve leaves the missing point out


class ProbaOnly:
    """Counts its calls: effects need ``predict_proba`` alone, never ``predict`` next to it."""

    classes_ = np.array([0, 1])

    def __init__(self, model):
        self.model, self.calls = model, {"predict": 0, "predict_proba": 0}

    def predict_proba(self, Z):
        self.calls["predict_proba"] += 1
        return self.model.predict_proba(Z)

    def predict(self, Z):
        self.calls["predict"] += 1
        return self.model.predict(Z)


def test_one_model_call_per_chunk_and_threads_give_the_same_numbers():
    rng = np.random.default_rng(7)
    X = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(size=2000)})
    y = (X["a"] + rng.normal(size=2000) > 0).astype(int)
    model = ProbaOnly(LogisticRegression().fit(X, y))
    s = rw.ModelSession(model, X, y, random_state=0)
    model.calls.update(predict=0, predict_proba=0)
    frame = s.effects("a", grid_resolution=10)
    assert model.calls == {"predict": 0, "predict_proba": 1}  # 10 x 2,000 rows: one call
    oracle = partial_dependence(
        model.model, X, ["a"], method="brute", custom_values={"a": frame["value"].to_numpy()}
    )
    assert frame["effect"].to_numpy() == pytest.approx(oracle["average"][0], abs=1e-12)
    from rai_widgets.session.effects_model import ModelAnswer

    answer = ModelAnswer(model.model, "predict_proba", column=1, chunk_rows=300)
    threaded = ModelAnswer(model.model, "predict_proba", column=1, chunk_rows=300, n_jobs=2)
    assert (answer(X) == model.model.predict_proba(X)[:, 1]).all()
    assert (threaded(X) == answer(X)).all()
