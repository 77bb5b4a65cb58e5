"""Evaluation rows found in training: exact copies against a set-of-tuples oracle, near copies
against a brute-force Gower distance, on Adult, German credit and Wage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from sklearn.model_selection import train_test_split

from rai_widgets.compute import train_overlap
from rai_widgets.compute.train_overlap import NearOverlap, exact_overlap, near_overlap
from rai_widgets.core.errors import ColumnNotFoundError, RaiWidgetsError, ValidationError

MISSING = ("<missing>",)  # stands for every missing value in the oracle's tuples


def oracle(train: pd.DataFrame, evaluation: pd.DataFrame) -> np.ndarray:
    """Exact matches by plain Python: a set of row tuples (missing values all one marker)."""

    def rows(frame):
        for row in frame.itertuples(index=False):
            yield tuple(MISSING if pd.isna(v) else v for v in row)

    seen = set(rows(train[list(evaluation.columns)]))
    return np.array([row in seen for row in rows(evaluation)], dtype=bool)


def brute_gower(train: pd.DataFrame, evaluation: pd.DataFrame) -> np.ndarray:
    """Gower distance of every evaluation row to every training row, column by column."""
    total = np.zeros((len(evaluation), len(train)))
    for column in evaluation.columns:
        t, e = train[column], evaluation[column]
        numeric = pd.api.types.is_numeric_dtype(t.dtype)
        spread = t.max() - t.min() if numeric else 0
        if numeric and spread > 0:
            tv, ev = t.to_numpy(float)[None, :], e.to_numpy(float)[:, None]
            term = np.abs(ev - tv) / spread
            one_missing = np.isnan(ev) != np.isnan(tv)
            both_missing = np.isnan(ev) & np.isnan(tv)
            term = np.where(one_missing, 1.0, np.where(both_missing, 0.0, term))
        else:
            tv = t.astype(object).where(t.notna(), "<missing>").to_numpy()[None, :]
            ev = e.astype(object).where(e.notna(), "<missing>").to_numpy()[:, None]
            term = (ev != tv).astype(float)
        total += term
    return total / len(evaluation.columns)


@pytest.fixture(scope="module")
def split(adult):
    train, test = train_test_split(adult.data, test_size=0.25, random_state=0)
    return train.reset_index(drop=True), test.reset_index(drop=True)


@pytest.fixture(scope="module")
def planted(split):
    """300 evaluation rows, unique and not already in training, copied into training."""
    train, test = split
    already = oracle(train, test)
    candidates = np.flatnonzero(~already & ~test.duplicated(keep=False).to_numpy())
    chosen = np.sort(np.random.default_rng(0).choice(candidates, size=300, replace=False))
    copied = pd.concat([train, test.iloc[chosen]], ignore_index=True)
    return copied, chosen, already


def test_genuine_duplicates_between_the_halves(split):
    train, test = split
    found = exact_overlap(train, test)
    expected = oracle(train, test)
    np.testing.assert_array_equal(found, expected)
    assert 0 < found.sum() < 100  # Adult repeats a few rows (57 duplicated rows in all)


def test_planted_copies_are_counted_exactly(split, planted):
    _, test = split
    copied, chosen, already = planted
    found = exact_overlap(copied, test)
    assert found.sum() == already.sum() + 300
    assert found[chosen].all()
    np.testing.assert_array_equal(found, oracle(copied, test))
    # the copies include rows with missing values: NaN matches NaN
    assert test.iloc[chosen].isna().any(axis=1).sum() > 0


def test_planted_copies_match_whatever_the_dtypes(split, planted):
    _, test = split
    copied, chosen, already = planted
    changed = copied.copy()
    for column in changed.columns:
        if pd.api.types.is_integer_dtype(changed[column].dtype):
            changed[column] = changed[column].astype("float64")
    changed["race"] = changed["race"].astype("category")
    changed["workclass"] = changed["workclass"].astype(object)
    changed = changed[list(reversed(changed.columns))]  # columns match by name
    found = exact_overlap(changed, test)
    assert found.sum() == already.sum() + 300 and found[chosen].all()
    np.testing.assert_array_equal(found, exact_overlap(copied, test))
    nullable = test.astype({"age": "Int64", "hours-per-week": "Float64"})
    np.testing.assert_array_equal(exact_overlap(changed, nullable), found)


def test_hash_collisions_cannot_make_a_match(split, planted, monkeypatch):
    _, test = split
    copied, _, _ = planted
    expected = oracle(copied, test)
    real = train_overlap._row_hashes
    monkeypatch.setattr(train_overlap, "_row_hashes", lambda columns: real(columns) % 1000)
    np.testing.assert_array_equal(exact_overlap(copied, test), expected)
    monkeypatch.setattr(
        train_overlap, "_row_hashes", lambda columns: np.zeros(len(columns[0]), np.uint64)
    )
    small = exact_overlap(copied.iloc[:400], test.iloc[:300])
    np.testing.assert_array_equal(small, oracle(copied.iloc[:400], test.iloc[:300]))


def test_values_compare_by_value():
    train = pd.DataFrame(
        {
            "x": [1.0, np.nan, -0.0, 2.0**53, 5.0],
            "c": ["a", None, "b", "c", "5"],
        }
    )
    evaluation = pd.DataFrame(
        {
            "x": pd.array([1, pd.NA, 0, 2**53 + 1, 5], dtype="Int64"),
            "c": pd.Categorical(["a", np.nan, "b", "c", "5"]),
        }
    )
    # 2**53 + 1 is not a float: the float 2**53 does not equal it
    np.testing.assert_array_equal(exact_overlap(train, evaluation), [True, True, True, False, True])
    text = pd.DataFrame({"x": [1.0, np.nan, 0.0, 2.0**53, 5.0], "c": ["a", None, "b", "c", 5]})
    assert not exact_overlap(train, text)[4]  # the number 5 is not the text "5"
    big = pd.DataFrame({"x": np.array([2**62 + 1, 7], dtype=np.int64)})
    np.testing.assert_array_equal(
        exact_overlap(big, pd.DataFrame({"x": np.array([2**62 + 1, 2**62], dtype=np.int64)})),
        [True, False],
    )


def test_columns_argument_and_empty_frames(split):
    train, test = split
    np.testing.assert_array_equal(
        exact_overlap(train, test, columns=["race", "sex"]),
        oracle(train[["race", "sex"]], test[["race", "sex"]]),
    )
    assert exact_overlap(train.iloc[:0], test).sum() == 0
    assert exact_overlap(train, test.iloc[:0]).shape == (0,)


@pytest.mark.parametrize("function", [exact_overlap, near_overlap])
def test_mismatched_columns_are_named(split, function):
    train, test = split
    with pytest.raises(ColumnNotFoundError) as caught:
        function(train.drop(columns=["fnlwgt"]), test)
    message = str(caught.value)
    assert "train=" in message and "'fnlwgt'" in message and "columns=" in message
    assert isinstance(caught.value, RaiWidgetsError)
    with pytest.raises(ColumnNotFoundError, match=r"train=.*'extra'"):
        function(train.assign(extra=1), test)
    with pytest.raises(ColumnNotFoundError, match="train="):
        function(train[["age"]], test[["sex"]])
    with pytest.raises(ColumnNotFoundError, match=r"columns=.*'agee'.*Did you mean 'age'"):
        function(train, test, columns=["agee"])
    with pytest.raises(ValidationError, match="train="):
        function(train.to_numpy(), test)


def test_near_overlap_finds_jittered_copies_that_exact_misses(split, planted):
    _, test = split
    copied, chosen, _ = planted
    jittered = copied.copy()
    copies = np.arange(len(copied) - 300, len(copied))
    step = np.where(np.arange(300) % 2 == 0, 1, -1)
    jittered.loc[copies, "hours-per-week"] += step
    spread = jittered["hours-per-week"].max() - jittered["hours-per-week"].min()
    # one hour of the training range in one column of 14: well below 0.01
    assert 1 / spread / test.shape[1] < 0.01
    exact = exact_overlap(jittered, test)
    assert not exact[chosen].any()
    near = near_overlap(jittered, test, sample=None)
    assert isinstance(near, NearOverlap)
    assert near.n_sampled == len(test)
    np.testing.assert_array_equal(near.rows, np.arange(len(test)))
    assert near.near[chosen].all()
    assert (near.distance[chosen] <= 1 / spread / test.shape[1] + 1e-12).all()
    assert (near.distance[exact] == 0).all()
    assert near.near.sum() > exact.sum() + 250


def test_clean_split_near_rate_has_bounds(split):
    train, test = split
    result = near_overlap(train, test, sample=2000, random_state=1)
    assert result.n_sampled == 2000 and len(np.unique(result.rows)) == 2000
    assert (np.diff(result.rows) > 0).all() and result.rows.max() < len(test)
    assert result.rate == result.near.mean()
    ci = binomtest(int(result.near.sum()), 2000).proportion_ci(method="wilson")
    assert result.rate_lo == pytest.approx(ci.low, abs=1e-12)
    assert result.rate_hi == pytest.approx(ci.high, abs=1e-12)
    assert 0 < result.rate_lo < result.rate < result.rate_hi < 1
    again = near_overlap(train, test, sample=2000, random_state=1)
    np.testing.assert_array_equal(again.rows, result.rows)
    np.testing.assert_array_equal(again.distance, result.distance)
    strict = near_overlap(train, test, sample=2000, random_state=1, max_distance=0.0)
    np.testing.assert_array_equal(strict.near, exact_overlap(train, test.iloc[result.rows]))


def _with_missing_numbers(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    out = frame.copy()
    rng = np.random.default_rng(seed)
    numbers = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c].dtype)]
    for column in numbers[:2]:
        out[column] = out[column].astype(float).mask(rng.random(len(out)) < 0.05)
    out["constant"] = 3.0  # constant in training: compared as a category
    return out


@pytest.mark.parametrize("name", ["adult", "german", "wage"])
def test_near_distances_match_brute_force(request, name):
    data = request.getfixturevalue(name).data
    train, test = train_test_split(data, test_size=0.3, random_state=2)
    train = _with_missing_numbers(train.reset_index(drop=True), 0)
    test = _with_missing_numbers(test.reset_index(drop=True), 1)
    test.loc[test.index[:5], "constant"] = 4.0
    if name == "adult":  # a sample of Adult's evaluation rows against all of its training rows
        result = near_overlap(train, test, sample=150, random_state=0)
    else:
        result = near_overlap(train, test, sample=None)
    brute = brute_gower(train, test.iloc[result.rows])
    np.testing.assert_allclose(result.distance, brute.min(axis=1), rtol=0, atol=1e-9)
    picked = brute[np.arange(len(result.rows)), result.nearest]
    np.testing.assert_allclose(picked, result.distance, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(result.near, result.distance <= 0.01)


def test_near_overlap_arguments():
    train = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]})
    evaluation = pd.DataFrame({"x": [1.0, 2.5], "c": ["a", "a"]})
    with pytest.raises(ValidationError, match="max_distance="):
        near_overlap(train, evaluation, max_distance=-0.1)
    with pytest.raises(ValidationError, match="sample="):
        near_overlap(train, evaluation, sample=0)
    with pytest.raises(ValidationError, match="train= has no rows"):
        near_overlap(train.iloc[:0], evaluation)
    with pytest.raises(ValidationError, match="infinite"):
        near_overlap(train, evaluation.assign(x=[1.0, np.inf]))
    empty = near_overlap(train, evaluation.iloc[:0])
    assert empty.n_sampled == 0 and np.isnan(empty.rate)
    only_numbers = near_overlap(train[["x"]], evaluation[["x"]], sample=None)
    np.testing.assert_allclose(only_numbers.distance, [0.0, 0.25])
    only_text = near_overlap(train[["c"]], evaluation[["c"]].assign(c=["z", "a"]))
    np.testing.assert_allclose(only_text.distance, [1.0, 0.0])
