"""SHAP's base value is the model's average over the data (a background stratified by the
model's answer), and SHAP / LIME agreement is judged on signs and sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import rai_widgets as rw
from rai_widgets.compute.background import stratified_positions
from rai_widgets.display import AgreementDisplay


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_base_value_is_the_models_average_to_a_point(
    task, seed, adult, adult_model, wage, wage_model, wage_education
):
    if task == "binary":
        s = rw.ModelSession(adult_model, adult.data, adult.target, random_state=seed)
        mean = s.predictions()["score"].mean()
        scale = 1.0
    elif task == "regression":
        s = rw.ModelSession(wage_model, wage.data, wage.target, random_state=seed)
        mean = s.predictions()["y_pred"].mean()
        scale = float(wage.target.std())
    else:
        model, X, y = wage_education
        s = rw.ModelSession(model, X, y, random_state=seed)
        cls = s.classes_[0]
        mean = s.predictions()[f"proba_{cls}"].mean()
        scale = 1.0
    e = s.explain([s.X.index[5]], method="shap")
    if "class" in e:
        e = e[e["class"] == cls]
    base = float(e["base_value"].iloc[0])
    # within one point of a probability (a hundredth of the target's spread for a regression)
    assert abs(base - mean) <= 0.01 * scale, (base, mean)


def test_a_simple_random_background_would_miss_by_more(adult, adult_model):
    """The reason for the strata: 50 random rows put the base value points away."""
    s = rw.ModelSession(adult_model, adult.data, adult.target)
    score = s.predictions()["score"].to_numpy()
    rng = np.random.default_rng(0)
    random_misses = [
        abs(score[rng.choice(len(score), 50)].mean() - score.mean()) for _ in range(200)
    ]
    strata_misses = [
        abs(
            score[stratified_positions([score], 50, np.random.default_rng(i))].mean() - score.mean()
        )
        for i in range(200)
    ]
    assert np.quantile(strata_misses, 0.95) < 0.01 < np.quantile(random_misses, 0.95)


def _rows(contributions):
    return pd.DataFrame(
        {"feature": list("abcde"), "value": range(5), "contribution": contributions}
    )


def test_agreement_weighs_sizes_not_only_signs():
    shap = _rows([0.30, -0.20, 0.10, 0.05, 0.02])
    lime = _rows([0.28, -0.65, 0.12, 0.05, 0.02]).assign(
        contribution_spread=0.01, reliable=True, local_r2=0.9
    )
    display = AgreementDisplay(shap, lime, fmt=str)
    assert display.sign_agreement == 1.0 and display.size_agreement == 0.8
    # b is the one feature not within a factor of two: it is named, with both numbers
    assert display.agreement() == (
        "SHAP and LIME agree on the direction of all 5 main features, but on the size for "
        "only 4; the largest disagreement is b (LIME -0.65, SHAP -0.2)."
    )
    same = AgreementDisplay(shap, shap.assign(contribution_spread=0.01, reliable=True,
                                              local_r2=0.9), fmt=str)  # fmt: skip
    assert same.agreement() == (
        "SHAP and LIME agree on the direction and the size of all 5 main features."
    )


def test_a_large_lime_weight_beyond_the_five_main_features_is_said():
    shap = pd.DataFrame(
        {
            "feature": list("abcdefg"),
            "value": range(7),
            "contribution": [0.22, -0.12, 0.07, 0.06, -0.03, 0.02, -0.019],
        }
    )
    lime = shap.assign(
        contribution=[0.12, -0.07, 0.07, 0.05, -0.02, 0.01, -0.45],
        contribution_spread=0.01,
        reliable=True,
        local_r2=0.9,
    )
    display = AgreementDisplay(shap, lime, fmt=lambda v: f"{v * 100:+.1f} pts")
    assert display.agreement() == (
        "SHAP and LIME agree on the direction and the size of all 5 main features; they differ "
        "on g (LIME -45.0 pts, SHAP -1.9 pts), which is not one of them."
    )
    assert "they differ on g" in display.reading_html()
    calm = AgreementDisplay(shap, lime.assign(contribution=shap["contribution"]), fmt=str)
    assert "differ" not in calm.agreement() and "disagreement" not in calm.agreement()
