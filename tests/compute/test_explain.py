"""Explanations on real data: additivity, raw columns, the model's own outputs, reproducibility,
oracles (shap's exact explainer, shap's linear explainer, scikit-learn's Ridge, the lime package)
and the choice of explainer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neural_network import MLPClassifier
from sklearn.svm import LinearSVC

import rai_widgets as rw
from rai_widgets.compute.explain_lime import LimeSampler
from rai_widgets.compute.explain_permutation import permutation_shap
from rai_widgets.compute.local_fit import local_fit, weighted_ridge
from rai_widgets.core.codec import TabularCodec
from tests.conftest import raw_column_pipeline

pytestmark = [
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

ROWS = [0, 3, 17, 250, 999]


def _native_categorical_hgb(german):
    X = german.data.copy()
    text = X.select_dtypes(exclude="number").columns
    X[text] = X[text].astype("category")
    model = HistGradientBoostingClassifier(
        categorical_features="from_dtype", max_iter=40, random_state=0
    ).fit(X, german.target)
    return model, X, german.target


CASES = {
    # name: (builder, expected explainer)
    "adult_linear_pipeline": ("adult_linear", "permutation"),
    "adult_random_forest": ("adult_forest", "tree"),
    # shap 0.51's interventional TreeSHAP of this HistGradientBoosting fails our additivity
    # check on most 50-row backgrounds (25 of 30 seeds, random or stratified alike): the
    # checked permutation explainer takes over, as designed
    "german_hgb_onehot": ("german_hgb", ("tree", "permutation")),
    "german_hgb_native_categorical": ("german_native", "permutation"),
    "german_mlp": ("german_mlp", "permutation"),
    "wage_forest_regression": ("wage_forest", "tree"),
    "wage_ridge_regression": ("wage_ridge", "linear"),
    "wage_multiclass": ("wage_multiclass", "permutation"),
}


@pytest.fixture(scope="module")
def built(adult, adult_model, german, german_model, wage, wage_model, wage_education):
    sub = adult.data.iloc[:4_000], adult.target.iloc[:4_000]
    forest = RandomForestClassifier(n_estimators=30, max_depth=6, random_state=0)
    mlp = MLPClassifier((16,), max_iter=400, random_state=0)
    return {
        "adult_linear": (adult_model, adult.data, adult.target),
        "adult_forest": (raw_column_pipeline(forest).fit(*sub), *sub),
        "german_hgb": (german_model, german.data, german.target),
        "german_native": _native_categorical_hgb(german),
        "german_mlp": (
            raw_column_pipeline(mlp).fit(german.data, german.target),
            german.data,
            german.target,
        ),
        "wage_forest": (wage_model, wage.data, wage.target),
        "wage_ridge": (
            raw_column_pipeline(Ridge()).fit(wage.data, wage.target),
            wage.data,
            wage.target,
        ),
        "wage_multiclass": wage_education,
    }


def _own_output(s: rw.ModelSession, model, X: pd.DataFrame, rows) -> pd.DataFrame:
    """What the model itself says for the explained rows, per explained class."""
    Xr = X.loc[rows]
    if s.task_ == "regression":
        return pd.DataFrame({"row": rows, "own": model.predict(Xr)})
    proba = model.predict_proba(Xr)
    classes = s.classes_.tolist()
    if s.task_ == "binary":
        return pd.DataFrame({"row": rows, "own": proba[:, classes.index(s.pos_label_)]})
    frames = [
        pd.DataFrame({"row": rows, "class": c, "own": proba[:, j]}) for j, c in enumerate(classes)
    ]
    return pd.concat(frames)


@pytest.mark.parametrize("case", list(CASES))
def test_shap_is_additive_in_raw_columns_and_matches_the_model(built, case):
    key, expected_explainer = CASES[case]
    model, X, y = built[key]
    s = rw.ModelSession(model, X, y, random_state=0)
    e = s.explain(ROWS)
    assert e.attrs["explainer"] in (
        expected_explainer if isinstance(expected_explainer, tuple) else (expected_explainer,)
    )
    keys = ["row", "class"] if s.task_ == "multiclass" else ["row"]
    assert set(e["feature"]) == set(X.columns)  # raw columns only, never one-hot internals
    per = e.groupby(keys, sort=False).agg(
        total=("contribution", "sum"), base=("base_value", "first"), pred=("prediction", "first")
    )
    np.testing.assert_allclose(per["total"] + per["base"], per["pred"], rtol=0, atol=1e-6)
    own = _own_output(s, model, X, ROWS).set_index(keys)["own"]
    np.testing.assert_allclose(per["pred"].to_numpy(), own.loc[per.index].to_numpy(), atol=1e-9)
    # the value column holds the raw value as the user knows it
    first = e[e["row"] == ROWS[1]].drop_duplicates("feature").set_index("feature")["value"]
    for column in X.columns:
        expected = X.loc[ROWS[1], column]
        assert (pd.isna(expected) and pd.isna(first[column])) or first[column] == expected


@pytest.mark.parametrize("method", ["shap", "lime"])
def test_same_seed_same_answer_whatever_else_is_explained(built, method):
    model, X, y = built["german_mlp"]
    s = rw.ModelSession(model, X, y, random_state=7)
    one = s.explain([17], method=method)
    s.core.cache_clear()
    several = s.explain([3, 17, 250], method=method)
    pd.testing.assert_frame_equal(
        one.reset_index(drop=True),
        several[several["row"] == 17].reset_index(drop=True),
    )
    other = s.explain([17], method=method, random_state=8)
    assert not np.allclose(one["contribution"], other["contribution"])


def test_exhaustive_permutations_equal_shap_exact_explainer():
    import shap

    rng = np.random.default_rng(0)
    background, rows = rng.normal(size=(8, 5)), rng.normal(size=(3, 5))
    w = rng.normal(size=5)

    def f(Z):
        return np.column_stack([np.tanh(Z @ w) + Z[:, 0] * Z[:, 1] - np.abs(Z[:, 4])])

    phi, base, _ = permutation_shap(f, rows, background, n_permutations=120, random_state=0)
    exact = shap.explainers.Exact(lambda Z: f(Z)[:, 0], shap.maskers.Independent(background))
    reference = exact(rows)
    np.testing.assert_allclose(phi[:, :, 0], reference.values, atol=1e-10)
    np.testing.assert_allclose(base[0], reference.base_values[0], atol=1e-10)


def test_linear_path_matches_shap_linear_explainer(built):
    import shap

    model, X, y = built["wage_ridge"]
    s = rw.ModelSession(model, X, y, random_state=0)
    e = s.explain(ROWS, background_size=3_000)  # the whole data as background
    pre, final = model[:-1], model[-1]
    Xt = pre.transform(X)
    explainer = shap.LinearExplainer(final, shap.maskers.Independent(Xt, max_samples=len(Xt)))
    values = explainer(pre.transform(X.loc[ROWS])).values
    ours = e.pivot(index="row", columns="feature", values="contribution").loc[ROWS]
    assert ours.to_numpy().sum() == pytest.approx(values.sum(), abs=1e-8)
    np.testing.assert_allclose(ours.sum(axis=1), values.sum(axis=1), atol=1e-8)


def test_weighted_ridge_equals_sklearn():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, (300, 6)).astype(float)
    y = rng.normal(size=(300, 2))
    w = rng.random(300)
    coef, intercept, r2, _ = weighted_ridge(X, y, w)
    reference = Ridge(alpha=1.0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(coef.T, reference.coef_, atol=1e-12)
    np.testing.assert_allclose(intercept, reference.intercept_, atol=1e-12)
    for k in range(2):
        ref_k = Ridge(alpha=1.0).fit(X, y[:, k], sample_weight=w)
        assert r2[k] == pytest.approx(ref_k.score(X, y[:, k], sample_weight=w), abs=1e-12)


@pytest.mark.parametrize("n_out", [1, 2])
def test_per_pattern_fit_equals_the_perturbation_level_fit(n_out):
    """LIME's fits from per-pattern sums give weighted_ridge's answer, spread included."""
    rng = np.random.default_rng(1)
    n_feat = 5
    binary = rng.random((4, 1_000, n_feat)) < 0.6
    binary[:, 0] = True
    matches = binary.sum(axis=2)
    y = binary @ rng.normal(size=(n_feat, n_out)) + rng.normal(scale=0.3, size=(4, 1_000, n_out))
    width = 0.75 * np.sqrt(n_feat)
    kernel = np.sqrt(np.exp(-(n_feat - np.arange(n_feat + 1)) / width**2))
    ours = local_fit(binary, matches, y, kernel)
    reference = weighted_ridge(binary.astype(float), y, kernel[matches])
    for got, expected in zip(ours, reference, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
    # a constant model: a perfect local fit with no spread, not a 0/0
    coef, intercept, r2, spread = local_fit(binary, matches, np.full(y.shape, 0.3), kernel)
    assert (coef == 0).all() and (spread == 0).all() and (r2 == 1).all()
    np.testing.assert_allclose(intercept, 0.3)


def test_lime_sampler_draws_from_the_training_distribution(adult):
    """Bins and categories come with their training frequencies, numbers stay inside their
    bin, the binary representation marks the row's own bin, and the first draw is the row."""
    from rai_widgets.compute.explain_permutation import row_seed

    X = adult.data[["age", "hours-per-week", "workclass", "sex"]].iloc[:5_000]
    codec = TabularCodec.fit(X)
    Z_train = codec.encode(X)
    sampler = LimeSampler.fit(Z_train, categorical=codec.categorical)
    rows = Z_train[:3]
    Z, binary, matches = sampler.sample_rows(rows, 4_000, [row_seed(0, i) for i in range(3)])
    np.testing.assert_array_equal(Z[:, 0], rows)
    drawn = sampler.discretize(Z.reshape(-1, Z.shape[2])).reshape(binary.shape)
    own = sampler.discretize(rows)
    np.testing.assert_array_equal(binary, drawn == own[:, None, :])
    np.testing.assert_array_equal(matches, binary.sum(axis=2))
    for j in range(Z.shape[2]):
        values, counts = np.unique(drawn[:, 1:, j], return_counts=True)
        np.testing.assert_array_equal(values, sampler.values[j])
        np.testing.assert_allclose(counts / counts.sum(), sampler.freqs[j], atol=0.02)
        if sampler.edges[j] is not None:  # inside the bin's training range
            bins = drawn[:, :, j]
            low, high = sampler.bin_min[j][bins], sampler.bin_max[j][bins]
            assert ((Z[:, :, j] >= low) & (Z[:, :, j] <= high)).all()


def test_sandwich_spread_matches_refits_on_resamples():
    """The spread LIME reports equals the coefficients' spread over bootstrap refits."""
    rng = np.random.default_rng(3)
    n = 2_000
    X = (rng.random((n, 5)) < 0.5).astype(float)
    w = np.sqrt(np.exp(-((1 - X).sum(axis=1)) / (0.75**2 * 5)))
    y = (X @ np.array([0.3, -0.2, 0.1, 0.0, 0.05]) + rng.normal(scale=0.2, size=n))[:, None]
    _, _, _, spread = weighted_ridge(X, y, w)
    picks = rng.integers(0, n, size=(400, n))
    boot, _, _, _ = weighted_ridge(X[picks], y[picks], w[picks])
    np.testing.assert_allclose(spread[:, 0], boot[:, :, 0].std(axis=0), rtol=0.15)


def test_lime_reports_fidelity_and_stability(built):
    model, X, y = built["german_mlp"]
    s = rw.ModelSession(model, X, y, random_state=0)
    e = s.explain(ROWS, method="lime")
    assert e.attrs["explainer"] == "lime"
    assert {"local_r2", "contribution_spread", "reliable"} <= set(e.columns)
    assert (e["contribution_spread"] >= 0).all()
    assert (e["local_r2"] <= 1).all()
    # more perturbations, smaller spread (same model calls feed the stability estimate)
    small = s.explain(ROWS, method="lime", n_samples=300)
    assert small["contribution_spread"].mean() > e["contribution_spread"].mean()


def test_lime_agrees_with_the_lime_package_on_the_leading_features(built):
    from lime.lime_tabular import LimeTabularExplainer

    model, X, y = built["adult_linear"]
    s = rw.ModelSession(model, X.iloc[:5_000], y.iloc[:5_000], random_state=0)
    codec = TabularCodec.fit(s.X)
    Z = codec.encode(X.iloc[:5_000])
    categorical = list(np.flatnonzero(codec.categorical))
    reference = LimeTabularExplainer(
        np.nan_to_num(Z, nan=-1),
        categorical_features=categorical,
        random_state=0,
        feature_names=list(X.columns),
    )

    def predict(Zs):
        return model.predict_proba(codec.decode(np.where(Zs == -1, np.nan, Zs)))

    ours = s.explain([0, 1, 2, 3], method="lime", n_samples=5_000)
    agreements = []
    for row in [0, 1, 2, 3]:
        theirs = reference.explain_instance(
            np.nan_to_num(Z[row], nan=-1), predict, num_features=3, num_samples=5_000
        )
        top_theirs = {X.columns[i] for i, _ in theirs.as_map()[1]}
        mine = ours[ours["row"] == row].sort_values("contribution", key=np.abs)
        top_mine = set(mine["feature"].tail(3))
        agreements.append(len(top_theirs & top_mine))
    assert np.mean(agreements) >= 2


def test_dask_cluster_gives_identical_results(built):
    distributed = pytest.importorskip("distributed")
    import joblib

    model, X, y = built["german_mlp"]
    s = rw.ModelSession(model, X, y, random_state=0)
    local = s.explain(ROWS, method="lime", n_samples=500)
    s.core.cache_clear()
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        remote = s.explain(ROWS, method="lime", n_samples=500)
    pd.testing.assert_frame_equal(local, remote)


def test_feature_importance_is_the_mean_absolute_contribution(built):
    model, X, y = built["german_hgb"]
    s = rw.ModelSession(model, X, y, random_state=0)
    table = s.feature_importance(by="foreign_worker", max_rows=200)
    e = s.explain(
        s.X.index[np.sort(np.random.default_rng(0).choice(len(X), 200, replace=False))].tolist()
    )
    group = X.loc[e["row"], "foreign_worker"].to_numpy()
    expected = e.assign(g=group, a=e["contribution"].abs()).groupby(["g", "feature"])["a"].mean()
    got = table.set_index(["foreign_worker", "feature"])["importance"]
    np.testing.assert_allclose(got.loc[expected.index], expected, atol=1e-12)
    assert (table["importance_lo"] <= table["importance"] + 1e-12).all()
    assert (table["importance_hi"] >= table["importance"] - 1e-12).all()


def test_explain_text_reads_the_explanation(built):
    model, X, y = built["adult_forest"]
    s = rw.ModelSession(model, X, y, random_state=0)
    text = s.explain_text(3)
    e = s.explain([3])
    prediction = e["prediction"].iloc[0]
    assert f"a {prediction:.0%} chance" in text
    top = e.loc[e["contribution"].abs().idxmax(), "feature"]
    assert top in text
    assert "Read this with care" not in text


def test_lime_caveat_when_the_local_fit_is_poor():
    """A model that is an XOR of two features cannot be read as a local linear model."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=2_000), "b": rng.normal(size=2_000)})
    y = ((X["a"] > 0) ^ (X["b"] > 0)).astype(int)

    class Xor:
        classes_ = np.array([0, 1])

        def predict(self, Z):
            return ((Z["a"] > 0) ^ (Z["b"] > 0)).astype(int).to_numpy()

        def predict_proba(self, Z):
            p = self.predict(Z).astype(float)
            return np.column_stack([1 - p, p])

    s = rw.ModelSession(Xor(), X, y, random_state=0)
    e = s.explain(list(range(20)), method="lime")
    assert not e.drop_duplicates("row")["reliable"].all()
    row = e.loc[~e["reliable"], "row"].iloc[0]
    assert "Read this with care" in s.explain_text(row, method="lime")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rows": ["nope"]}, rw.RowNotFoundError, r"not in X's index"),
        ({"rows": [0], "method": "anchors"}, rw.ValidationError, r"method must be one of"),
        ({"rows": [0], "output": "odds"}, rw.ValidationError, r"output must be one of"),
        ({"rows": [0], "n_samples": 1}, rw.ValidationError, r"n_samples must be at least 2"),
        ({"rows": []}, rw.ValidationError, r"rows is empty"),
    ],
)
def test_bad_explain_arguments(adult_session, kwargs, error, match):
    with pytest.raises(error, match=match):
        adult_session.explain(**kwargs)


def test_classifier_without_probabilities_cannot_be_explained(german):
    model = raw_column_pipeline(LinearSVC()).fit(german.data, german.target)
    s = rw.ModelSession(model, german.data, german.target)
    with pytest.raises(rw.ModelError, match="no predict_proba"):
        s.explain([0])


def test_log_odds_output_is_additive_too(built):
    model, X, y = built["adult_linear"]
    s = rw.ModelSession(model, X, y, random_state=0)
    e = s.explain(ROWS, output="log_odds")
    assert e.attrs["explainer"] == "linear"
    p = model.predict_proba(X.loc[ROWS])[:, 1]
    per = e.groupby("row", sort=False).agg(
        total=("contribution", "sum"), base=("base_value", "first"), pred=("prediction", "first")
    )
    np.testing.assert_allclose(per["pred"], np.log(p / (1 - p)), atol=1e-9)
    np.testing.assert_allclose(per["total"] + per["base"], per["pred"], atol=1e-6)
    lr = LogisticRegression  # the final step of this pipeline
    assert isinstance(model[-1], lr)


def test_interrupting_an_explanation_leaves_nothing_half_done(built):
    """Ctrl-C inside a model call stops the explanation; nothing partial is cached."""
    model, X, y = built["german_mlp"]

    class Interrupted:
        classes_ = model.classes_

        def __init__(self):
            self.calls = 0
            self.interrupt_at = None

        def predict(self, Z):
            return model.predict(Z)

        def predict_proba(self, Z):
            self.calls += 1
            if self.interrupt_at is not None and self.calls == self.interrupt_at:
                raise KeyboardInterrupt
            return model.predict_proba(Z)

    wrapper = Interrupted()
    s = rw.ModelSession(wrapper, X, y, random_state=0)
    s.predictions()
    # the batched call over all perturbations: the explained rows themselves are not asked
    # again (the session has their answers)
    wrapper.interrupt_at = wrapper.calls + 1
    with pytest.raises(KeyboardInterrupt):
        s.explain(ROWS, method="lime")
    wrapper.interrupt_at = None
    entries = s.core.cache_info().entries
    result = s.explain(ROWS, method="lime")
    assert s.core.cache_info().entries > entries  # computed afresh, then cached
    assert len(result) == len(ROWS) * X.shape[1]


def test_explaining_the_sessions_rows_reuses_its_predictions(built):
    """Once the session has predicted, explaining its own rows never asks the model about
    them again; before, it does; the prediction explained is the model's either way."""
    model, X, y = built["german_mlp"]

    class Counting:
        classes_ = model.classes_

        def __init__(self):
            self.sizes = []

        def predict(self, Z):
            return model.predict(Z)

        def predict_proba(self, Z):
            self.sizes.append(len(Z))
            return model.predict_proba(Z)

    labels = X.index[ROWS]
    positive = list(model.classes_).index(model.classes_[1])
    expected = model.predict_proba(X.loc[labels])[:, positive]
    for predicted_first in (True, False):
        wrapper = Counting()
        s = rw.ModelSession(wrapper, X, y, random_state=0)
        if predicted_first:
            s.predictions()
        wrapper.sizes.clear()
        e = s.explain(list(labels), method="lime", n_samples=200)
        asked_for_the_rows = len(ROWS) in wrapper.sizes
        assert asked_for_the_rows is not predicted_first
        said = e.groupby("row", sort=False)["prediction"].first().loc[labels].to_numpy()
        np.testing.assert_allclose(said, expected, rtol=0, atol=1e-12)


def test_exact_path_follows_column_names_not_positions(german):
    """X may hold the model's columns in another order, plus columns the model never sees."""
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    cols = ["duration_in_month", "credit_amount", "housing"]
    pre = make_column_transformer((OneHotEncoder(), ["housing"]), remainder="passthrough")
    model = make_pipeline_rf(pre).fit(german.data[cols], german.target)
    X = german.data[["foreign_worker", "housing", "credit_amount", "duration_in_month"]]
    s = rw.ModelSession(model, X, german.target, random_state=0)
    e = s.explain(ROWS)
    assert e.attrs["explainer"] == "tree"
    unseen = e[e["feature"] == "foreign_worker"]["contribution"]
    assert (unseen == 0).all()  # the model never sees it: it cannot move a prediction
    reference = rw.ModelSession(model, german.data[cols], german.target, random_state=0)
    ours = e.pivot(index="row", columns="feature", values="contribution")[cols]
    theirs = reference.explain(ROWS).pivot(index="row", columns="feature", values="contribution")[
        cols
    ]
    np.testing.assert_allclose(ours.to_numpy(), theirs.to_numpy(), atol=1e-9)


def make_pipeline_rf(pre):
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        pre, RandomForestClassifier(n_estimators=20, max_depth=4, bootstrap=False, random_state=0)
    )


def test_generator_seed_and_object_arrays_with_text(german):
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    X = german.data[["duration_in_month", "credit_amount", "housing", "purpose"]]
    array = X.to_numpy(dtype=object)
    pre = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), [2, 3]), remainder="passthrough"
    )
    model = make_pipeline_lr(pre).fit(array, german.target)
    s = rw.ModelSession(model, array, german.target, random_state=np.random.default_rng(0))
    for method in ("shap", "lime"):
        e = s.explain([0, 1], method=method)
        assert len(e) == 8
    e = s.explain([0, 1])
    per = e.groupby("row").agg(
        t=("contribution", "sum"), b=("base_value", "first"), p=("prediction", "first")
    )
    np.testing.assert_allclose(per["t"] + per["b"], per["p"], atol=1e-6)


def make_pipeline_lr(pre):
    from sklearn.pipeline import make_pipeline

    return make_pipeline(pre, LogisticRegression(max_iter=2_000))


def test_readings_use_plain_numbers():
    from rai_widgets.formatting import value

    assert value(15024.0) == "15,024"
    assert value(355412.37) == "355,412.37"
    assert value(True) == "yes"
    assert value(pd.NA) == "missing"
