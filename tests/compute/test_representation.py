"""Group shares of training against evaluation: on Adult, against scipy's Wilson bounds, a
chi-square test, scipy's Benjamini-Hochberg and a coverage simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, chi2_contingency, false_discovery_control
from sklearn.model_selection import train_test_split

from rai_widgets.compute.representation import POPULATION_COLUMNS, SHARE_COLUMNS, group_shares
from rai_widgets.core.errors import RaiWidgetsError, ValidationError

# The 1990 US census (Adult was drawn from the 1994 Current Population Survey), by race.
CENSUS_1990 = {
    "White": 0.803,
    "Black": 0.121,
    "Asian-Pac-Islander": 0.029,
    "Amer-Indian-Eskimo": 0.008,
    "Other": 0.039,
}


@pytest.fixture(scope="module")
def split(adult):
    train, test = train_test_split(
        adult.data, test_size=0.25, stratify=adult.data["race"], random_state=0
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)


@pytest.fixture(scope="module")
def few_black(split):
    """The training data with 95% of its Black rows removed."""
    train, _ = split
    black = np.flatnonzero(train["race"].to_numpy() == "Black")
    dropped = np.random.default_rng(0).choice(black, size=round(0.95 * len(black)), replace=False)
    return train.drop(index=dropped)


def test_stratified_split_has_no_under_represented_group(split):
    train, test = split
    table = group_shares(train["race"], test["race"])
    assert list(table.columns) == list(SHARE_COLUMNS)
    assert set(table.index) == set(train["race"]) == set(test["race"])
    assert table.index.name == "race"
    assert not table["under"].any()
    assert table["ratio"].between(0.95, 1.05).all()
    assert (table["ratio_lo"] < 1).all() and (table["ratio_hi"] > 1).all()
    assert table["eval_share"].is_monotonic_decreasing
    assert table["train_n"].sum() == len(train) and table["eval_n"].sum() == len(test)
    assert table.loc["White", "train_n"] == (train["race"] == "White").sum()


def test_removing_most_of_a_group_flags_exactly_that_group(split, few_black):
    _, test = split
    table = group_shares(few_black["race"], test["race"])
    assert table.index[table["under"]].tolist() == ["Black"]
    black = table.loc["Black"]
    expected = ((few_black["race"] == "Black").mean()) / ((test["race"] == "Black").mean())
    assert black["ratio"] == pytest.approx(expected, rel=1e-12)
    assert black["ratio"] == pytest.approx(0.05, abs=0.01)
    assert black["ratio_lo"] < black["ratio"] < black["ratio_hi"] < 0.5
    assert black["q_value"] < 1e-10
    # the other groups grew a little in training: none is flagged
    assert (table.drop(index="Black")["ratio"] > 1).all()


def test_wilson_bounds_match_scipy(split, few_black):
    _, test = split
    table = group_shares(few_black["race"], test["race"], confidence=0.9)
    for group, row in table.iterrows():
        for side, n in (("train", len(few_black)), ("eval", len(test))):
            ci = binomtest(int(row[f"{side}_n"]), n).proportion_ci(
                confidence_level=0.9, method="wilson"
            )
            assert row[f"{side}_lo"] == pytest.approx(ci.low, abs=1e-12), (group, side)
            assert row[f"{side}_hi"] == pytest.approx(ci.high, abs=1e-12), (group, side)


def test_p_values_match_chi_square_and_q_values_scipy(split, few_black):
    _, test = split
    table = group_shares(few_black["race"], test["race"])
    for group, row in table.iterrows():
        k_t, k_e = int(row["train_n"]), int(row["eval_n"])
        counts = [[k_t, len(few_black) - k_t], [k_e, len(test) - k_e]]
        two_sided = chi2_contingency(counts, correction=False).pvalue
        lower = row["train_share"] < row["eval_share"]
        expected = two_sided / 2 if lower else 1 - two_sided / 2
        assert row["p_value"] == pytest.approx(expected, rel=1e-6, abs=1e-300), group
    bh = false_discovery_control(table["p_value"].to_numpy(), method="bh")
    np.testing.assert_allclose(table["q_value"], bh, rtol=1e-12)


def test_ratio_bounds_cover_the_true_ratio():
    """MOVER bounds of the ratio of two binomial shares cover the truth about 95% of the time."""
    rng = np.random.default_rng(3)
    truth = 0.08 / 0.2
    covered = 0
    for _ in range(400):
        train = np.where(rng.random(600) < 0.08, "g", "rest")
        evaluation = np.where(rng.random(300) < 0.2, "g", "rest")
        row = group_shares(train, evaluation).loc["g"]
        covered += row["ratio_lo"] <= truth <= row["ratio_hi"]
    assert 0.92 <= covered / 400 <= 0.98


def test_group_absent_from_training(split):
    train, test = split
    kept = train[train["race"] != "Amer-Indian-Eskimo"]
    table = group_shares(kept["race"], test["race"])
    row = table.loc["Amer-Indian-Eskimo"]
    assert row["train_n"] == 0 and row["train_share"] == 0 and row["ratio"] == 0
    assert row["ratio_lo"] == 0
    zero_hi = binomtest(0, len(kept)).proportion_ci(method="wilson").high
    assert row["train_hi"] == pytest.approx(zero_hi, abs=1e-12)
    # MOVER-R with a = 0: the upper bound is a's upper bound over sqrt(b_lo (2b - b_lo))
    b, b_lo = row["eval_share"], row["eval_lo"]
    assert row["ratio_hi"] == pytest.approx(zero_hi / np.sqrt(b_lo * (2 * b - b_lo)), rel=1e-9)
    assert 0 < row["ratio_hi"] < 0.5 and row["under"]
    assert table.index[table["under"]].tolist() == ["Amer-Indian-Eskimo"]


def test_group_absent_from_evaluation():
    table = group_shares(["a"] * 50 + ["b"] * 50, ["a"] * 40)
    assert table.index.tolist() == ["a", "b"]
    assert table.loc["b", "ratio"] == np.inf and table.loc["b", "ratio_hi"] == np.inf
    assert 0 < table.loc["b", "ratio_lo"] < np.inf
    assert not table["under"].any()


def test_population_shares(split, few_black):
    train, test = split
    table = group_shares(train["race"], test["race"], population=CENSUS_1990)
    assert list(table.columns) == [*SHARE_COLUMNS, *POPULATION_COLUMNS]
    # Adult's "Other" group is a fifth of its census share; every other group is within reach
    assert table.index[table["under_population"]].tolist() == ["Other"]
    assert not table["under"].any()
    share = table["population_share"]
    np.testing.assert_allclose(table["population_ratio"], table["train_share"] / share)
    np.testing.assert_allclose(table["population_ratio_lo"], table["train_lo"] / share)
    np.testing.assert_allclose(table["population_ratio_hi"], table["train_hi"] / share)
    fewer = group_shares(few_black["race"], test["race"], population=CENSUS_1990)
    assert set(fewer.index[fewer["under_population"]]) == {"Other", "Black"}


def test_population_may_leave_groups_out(split):
    train, test = split
    table = group_shares(train["race"], test["race"], population={"White": 0.9, "Black": 0.1})
    assert np.isnan(table.loc["Other", "population_share"])
    assert not table.loc["Other", "under_population"]


@pytest.mark.parametrize(
    ("population", "words"),
    [
        ({**CENSUS_1990, "White": 0.703}, ["sum to 0.9", "add up to 1"]),
        ({**CENSUS_1990, "Other": -0.039, "White": 0.881}, ["'Other'", "-0.039", "between 0"]),
        ({**CENSUS_1990, "White": 0.7, "Hispanic": 0.103}, ["'Hispanic'", "neither"]),
        ({**CENSUS_1990, "White": "most"}, ["'White'", "number"]),
        ([("White", 1.0)], ["mapping"]),
    ],
)
def test_bad_population_is_refused(split, population, words):
    train, test = split
    with pytest.raises(ValidationError) as caught:
        group_shares(train["race"], test["race"], population=population)
    message = str(caught.value)
    assert isinstance(caught.value, RaiWidgetsError) and isinstance(caught.value, ValueError)
    assert "population=" in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [({"confidence": 1.0}, "confidence="), ({"ratio_floor": 0}, "ratio_floor=")],
)
def test_bad_arguments_are_refused(kwargs, word):
    with pytest.raises(ValidationError, match=word):
        group_shares(["a", "b"], ["a", "b"], **kwargs)
    with pytest.raises(ValidationError, match="eval_groups="):
        group_shares(["a", "b"], [])


def test_missing_values_form_one_group():
    train = pd.Series(["a", None, "b", np.nan, "a", pd.NA], name="g", dtype=object)
    evaluation = np.array(["a", "b", None, "b"], dtype=object)
    table = group_shares(train, evaluation, population={"a": 0.5, "b": 0.3, None: 0.2})
    assert len(table) == 3
    missing = table.loc[table.index.isna()].iloc[0]
    assert missing["train_n"] == 3 and missing["eval_n"] == 1
    assert missing["population_share"] == 0.2
    assert table.loc["b", "train_n"] == 1 and table.loc["b", "eval_n"] == 2


@pytest.mark.parametrize("kind", ["list", "numpy", "series", "categorical"])
def test_arrays_and_series_give_the_same_table(split, kind):
    train, test = split
    expected = group_shares(train["race"], test["race"]).rename_axis(None)

    def convert(values: pd.Series):
        if kind == "list":
            return values.tolist()
        if kind == "numpy":
            return values.to_numpy()
        if kind == "categorical":
            return values.astype("category").rename(None)
        return values.rename(None)

    table = group_shares(convert(train["race"]), convert(test["race"]))
    pd.testing.assert_frame_equal(table, expected)


def test_false_discovery_rate_holds_back_a_flag_among_many_groups():
    """Same group, same counts: flagged against one other group, not among 61 groups, where its
    p-value (about 0.005) no longer survives Benjamini-Hochberg."""
    few = ["g"] * 20 + ["rest"] * 1800
    many = ["g"] * 20 + [f"f{i:02d}" for i in range(60) for _ in range(30)]
    alone = group_shares(few, ["g"] * 40 + ["rest"] * 1800, ratio_floor=0.9).loc["g"]
    crowd = group_shares(many, ["g"] * 40 + many[20:], ratio_floor=0.9).loc["g"]
    for row in (alone, crowd):
        assert row["ratio_hi"] < 0.9 and row["p_value"] < 0.01
    assert alone["under"] and alone["q_value"] <= 0.05
    assert not crowd["under"] and crowd["q_value"] > 0.05
