"""feature_drift on Adult: no drift in a random split, planted shifts found where planted,
tests and q-values equal to scipy's, sampling, dtypes, missing values and bad arguments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, false_discovery_control, ks_2samp

from rai_widgets.compute.data_drift import ALL_ROWS, DRIFT_COLUMNS, feature_drift
from rai_widgets.core.errors import RaiWidgetsError, ValidationError


@pytest.fixture(scope="module")
def halves(adult):
    """Adult split at random into a reference and a current half."""
    rng = np.random.default_rng(0)
    first = rng.random(len(adult.data)) < 0.5
    reference = adult.data[first].reset_index(drop=True)
    current = adult.data[~first].reset_index(drop=True)
    return reference, current


def _by_sex(reference, current, **kwargs):
    return feature_drift(
        reference,
        current,
        groups_reference=reference["sex"],
        groups_current=current["sex"],
        **kwargs,
    )


def _drifted(table):
    drifted = table[table["drifted"]]
    return set(zip(drifted["feature"], drifted["group"], strict=True))


def _row(table, feature, group):
    found = table[(table["feature"] == feature) & (table["group"] == group)]
    assert len(found) == 1
    return found.iloc[0]


def test_random_split_has_no_drift_overall_or_per_group(halves):
    reference, current = halves
    for grouping in ("sex", "race"):
        table = feature_drift(
            reference,
            current,
            groups_reference=reference[grouping],
            groups_current=current[grouping],
        )
        assert list(table.columns) == list(DRIFT_COLUMNS)
        groups = [ALL_ROWS, *sorted(reference[grouping].unique())]
        assert list(table["group"].unique()) == groups
        assert len(table) == reference.shape[1] * len(groups)
        assert not table["drifted"].any(), table[table["drifted"]]
        assert not table["sampled"].any()
    assert set(table["kind"]) == {"numeric", "categorical"}
    assert (table.loc[table["kind"] == "numeric", "test"] == "ks").all()
    assert (table.loc[table["kind"] == "categorical", "test"] == "chi2").all()


def test_numeric_shift_in_one_group_is_found_there_only(halves):
    reference, current = halves
    current = current.copy()
    women = current["sex"] == "Female"
    current.loc[women, "hours-per-week"] += 10
    table = _by_sex(reference, current)
    women_row = _row(table, "hours-per-week", "Female")
    all_row = _row(table, "hours-per-week", ALL_ROWS)
    men_row = _row(table, "hours-per-week", "Male")
    assert women_row["detail"] == 10.0  # median of current minus median of reference
    assert women_row["shift"] > 0.5
    # a third of the rows moved: the overall shift is smaller but still large and measurable
    assert 0.1 < all_row["shift_lo"] < all_row["shift"] < women_row["shift_lo"]
    assert men_row["shift"] < 0.05 and men_row["q_value"] > 0.05
    assert _drifted(table) == {("hours-per-week", "Female"), ("hours-per-week", ALL_ROWS)}


def test_categorical_shift_names_the_category(halves):
    reference, current = halves
    current = current.copy()
    rng = np.random.default_rng(1)
    women = np.flatnonzero(current["sex"].to_numpy() == "Female")
    moved = rng.choice(women, size=int(0.3 * len(women)), replace=False)
    share_before = (current.loc[women, "workclass"] == "Self-emp-inc").mean()
    current.loc[moved, "workclass"] = "Self-emp-inc"
    table = _by_sex(reference, current)
    row = _row(table, "workclass", "Female")
    assert row["kind"] == "categorical"
    assert row["detail"] == "Self-emp-inc"
    # 30% of the women moved there, minus those already there, up to sampling noise
    assert row["detail_change"] == pytest.approx(0.3 * (1 - share_before), abs=0.02)
    assert row["shift"] == pytest.approx(row["detail_change"], abs=0.02)  # one category gains
    assert _drifted(table) == {("workclass", "Female"), ("workclass", ALL_ROWS)}


def test_p_values_equal_scipy(halves):
    reference, current = halves
    table = _by_sex(reference, current)
    for group in (ALL_ROWS, "Female"):
        ref = reference if group == ALL_ROWS else reference[reference["sex"] == group]
        cur = current if group == ALL_ROWS else current[current["sex"] == group]
        for feature in ("age", "hours-per-week", "capital-gain"):
            expected = ks_2samp(ref[feature].to_numpy(float), cur[feature].to_numpy(float))
            row = _row(table, feature, group)
            assert row["statistic"] == pytest.approx(expected.statistic, abs=1e-12)
            assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)
        for feature in ("workclass", "occupation", "race"):  # workclass, occupation: NaN
            counts = pd.DataFrame(
                {
                    "ref": ref[feature].fillna("<missing>").value_counts(),
                    "cur": cur[feature].fillna("<missing>").value_counts(),
                }
            ).fillna(0)
            counts = counts[counts.sum(axis=1) > 0]
            expected = chi2_contingency(counts.T.to_numpy())
            row = _row(table, feature, group)
            assert row["n_reference"] == len(ref) and row["n_current"] == len(cur)
            assert row["statistic"] == pytest.approx(expected.statistic, rel=1e-9)
            assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)


def test_q_values_equal_scipy_benjamini_hochberg(halves):
    reference, current = halves
    current = current.copy()
    current.loc[current["sex"] == "Female", "hours-per-week"] += 1  # some small p-values too
    table = feature_drift(
        reference, current, groups_reference=reference["race"], groups_current=current["race"]
    )
    p = table["p_value"].to_numpy()
    assert p.min() < 1e-3
    np.testing.assert_allclose(table["q_value"], false_discovery_control(p), rtol=1e-12)


def test_max_rows_samples_each_side_reproducibly(halves):
    reference, current = halves
    table = feature_drift(reference, current, max_rows=5000)
    assert table["sampled"].all()
    categorical = table[table["kind"] == "categorical"]
    assert (categorical["n_reference"] == 5000).all() and (categorical["n_current"] == 5000).all()
    pd.testing.assert_frame_equal(table, feature_drift(reference, current, max_rows=5000))
    other_seed = feature_drift(reference, current, max_rows=5000, random_state=1)
    assert not np.allclose(table["p_value"], other_seed["p_value"])
    assert not feature_drift(reference, current, max_rows=None)["sampled"].any()
    assert not feature_drift(reference, current, max_rows=len(current))["sampled"].any()


def test_sampling_keeps_groups_aligned(halves):
    reference, current = halves
    table = _by_sex(reference, current, max_rows=6000)
    sex = table[(table["feature"] == "sex") & (table["group"] != ALL_ROWS)]
    assert (sex["shift"] == 0).all()  # within a sex group, sex has one value: rows stayed paired
    assert sex["n_reference"].sum() == 6000


def test_mismatched_columns_name_the_argument_and_columns(halves):
    reference, current = halves
    with pytest.raises(ValidationError, match=r"current lacks .*'age'") as missing:
        feature_drift(reference, current.drop(columns="age"))
    assert isinstance(missing.value, RaiWidgetsError) and isinstance(missing.value, ValueError)
    with pytest.raises(ValidationError, match=r"current has columns \['extra'\]"):
        feature_drift(reference, current.assign(extra=1))
    # the order of the columns does not matter
    reordered = feature_drift(reference, current[current.columns[::-1]])
    pd.testing.assert_frame_equal(reordered, feature_drift(reference, current))


def test_other_bad_arguments(halves):
    reference, current = halves
    with pytest.raises(ValidationError, match="groups_current"):
        feature_drift(reference, current, groups_reference=reference["sex"])
    with pytest.raises(ValidationError, match="groups_current must have one group per row"):
        feature_drift(
            reference, current, groups_reference=reference["sex"], groups_current=["a", "b"]
        )
    with pytest.raises(ValidationError, match="'age' is int64 in reference but"):
        feature_drift(reference, current.assign(age=current["age"].astype(str)))
    with pytest.raises(ValidationError, match="has a group named"):
        feature_drift(
            reference,
            current,
            groups_reference=np.full(len(reference), ALL_ROWS),
            groups_current=np.full(len(current), ALL_ROWS),
        )


def test_min_rows_drops_small_groups(halves):
    reference, current = halves
    table = feature_drift(
        reference,
        current,
        groups_reference=reference["race"],
        groups_current=current["race"],
        min_rows=300,
    )
    groups = set(table["group"])
    counts = pd.concat([reference["race"].value_counts(), current["race"].value_counts()], axis=1)
    assert groups == {ALL_ROWS, *counts.index[(counts >= 300).all(axis=1)]}
    assert "Other" not in groups  # about 200 rows a side


def test_missing_values(halves):
    reference, current = halves
    current = current.copy()
    rng = np.random.default_rng(2)
    men = np.flatnonzero(current["sex"].to_numpy() == "Male")
    current.loc[rng.choice(men, size=len(men) // 3, replace=False), "workclass"] = np.nan
    hidden = rng.choice(len(current), size=500, replace=False)
    current.loc[hidden, "hours-per-week"] = np.nan  # float column with NaN against int64
    table = _by_sex(reference, current)
    row = _row(table, "workclass", "Male")
    assert pd.isna(row["detail"])  # the missing values are the category that grew
    assert row["detail_change"] > 0.25 and row["drifted"]
    hours = _row(table, "hours-per-week", ALL_ROWS)
    assert hours["n_current"] == len(current) - 500
    expected = ks_2samp(reference["hours-per-week"], current["hours-per-week"].dropna())
    assert hours["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)
    assert not hours["drifted"]  # values missing at random: the distribution did not move

    empty = feature_drift(reference, current.assign(age=np.nan))
    age = _row(empty, "age", ALL_ROWS)
    assert age["n_current"] == 0 and np.isnan(age["p_value"]) and np.isnan(age["q_value"])
    assert not age["drifted"]
    assert empty["q_value"].notna().sum() == len(empty) - 1


def test_category_string_and_bool_dtypes(halves):
    reference, current = halves
    current = current.copy()
    current.loc[current["sex"] == "Female", "hours-per-week"] += 10
    plain = _by_sex(reference, current)
    text = [c for c in reference.columns if not pd.api.types.is_numeric_dtype(reference[c])]

    extra_category = current.astype(dict.fromkeys(text, "category"))
    extra_category["race"] = extra_category["race"].cat.add_categories(["unused"])
    as_category = _by_sex(reference.astype(dict.fromkeys(text, "category")), extra_category)
    as_string = _by_sex(
        reference.astype(dict.fromkeys(text, "string")),
        current.astype(dict.fromkeys(text, "string")),
    )
    numbers = ["statistic", "p_value", "q_value", "shift", "detail_change"]
    for other in (as_category, as_string):
        pd.testing.assert_frame_equal(other[numbers], plain[numbers])
        assert (other["kind"] == plain["kind"]).all()
        assert _drifted(other) == _drifted(plain)

    def long_hours(frame, dtype):
        return frame.assign(long_hours=(frame["hours-per-week"] > 45).astype(dtype))

    for dtype in ("bool", "boolean"):
        table = _by_sex(long_hours(reference, dtype), long_hours(current, dtype))
        row = _row(table, "long_hours", "Female")
        assert row["kind"] == "categorical" and row["test"] == "chi2"
        assert row["drifted"] and row["detail_change"] > 0.3
        assert isinstance(row["detail"], (bool, np.bool_)) and bool(row["detail"])  # grew
        assert not _row(table, "long_hours", "Male")["drifted"]
