"""The counterfactual search's cheaper distances give exactly the numbers of the plain ones:
categorical columns compared as integer codes, plausibility decided by counting mismatches
first, and a search that codes only its pool's rows (issue 26)."""

from __future__ import annotations

import numpy as np
import pytest

import rai_widgets as rw
from rai_widgets.compute import plausibility
from rai_widgets.compute.counterfactual_types import whole_columns
from rai_widgets.compute.examples import (
    category_codes,
    column_scales,
    gower_distances,
    nearest_distances,
)
from rai_widgets.compute.plausibility import Support, plausibility_radius
from rai_widgets.core.codec import TabularCodec
from rai_widgets.session.recourse_rows import coded_pool, distance_columns


@pytest.fixture(scope="module")
def coded_adult(adult):
    """Adult coded (missing values in three text columns), its kinds and scales."""
    codec = TabularCodec.fit(adult.data)
    Z = codec.encode(adult.data)
    assert np.isnan(Z).any()  # the missing values are part of what is compared
    categorical = codec.categorical
    return Z, categorical, column_scales(Z, categorical=categorical)


def test_category_codes_keep_codes_and_mark_missing():
    codes = category_codes(np.array([0.0, 2.0, np.nan, 40000.0]))
    assert codes is not None
    assert codes.tolist() == [0, 2, -1, 40000] and codes.dtype == np.int32
    small = category_codes(np.array([1.0, np.nan]))
    assert small is not None and small.dtype == np.int16
    assert category_codes(np.array([0.5, 1.0])) is None  # not codes: compared as floats
    assert category_codes(np.array([-2.0])) is None


def test_nearest_distances_equal_the_minimum_of_gower_distances(coded_adult):
    Z, categorical, scale = coded_adult
    rng = np.random.default_rng(0)
    A = Z[rng.choice(len(Z), 40, replace=False)]
    B = Z[rng.choice(len(Z), 3000, replace=False)]
    got = nearest_distances(A, B, categorical=categorical, scale=scale)
    plain = [gower_distances(B, a, categorical=categorical, scale=scale).min() for a in A]
    np.testing.assert_array_equal(got, np.array(plain))  # bit for bit


def _support(Z, categorical, scale, seed=1):
    """A support of 30 cases over 150 real rows each, and answers between them."""
    rng = np.random.default_rng(seed)
    pool = Z[rng.choice(len(Z), 4000, replace=False)]
    members = [np.sort(rng.choice(len(pool), 150, replace=False)) for _ in range(30)]
    radius = np.full(30, plausibility_radius(pool, categorical=categorical, scale=scale))
    support = Support(pool, members, radius, categorical=categorical, scale=scale)
    owner = rng.integers(0, 30, 3000)
    H = Z[rng.choice(len(Z), 3000, replace=False)].copy()
    # answers a few changes away from a support row, as the search makes them
    near = pool[[members[i][k] for i, k in zip(owner, rng.integers(0, 150, 3000), strict=True)]]
    swap = rng.random(H.shape) < 0.7
    H[swap] = near[swap]
    return support, H, owner


def test_plausible_is_nearest_within_the_radius(coded_adult):
    Z, categorical, scale = coded_adult
    support, H, owner = _support(Z, categorical, scale)
    expected = support.nearest(H, owner) <= support.radius[owner] + 1e-12
    assert 0.05 < expected.mean() < 0.95  # both answers are tested
    np.testing.assert_array_equal(support.plausible(H, owner), expected)
    np.testing.assert_array_equal(support.plausible(H, owner, chunk_cells=10_000), expected)


def test_plausible_decides_close_pairs_exactly(coded_adult, monkeypatch):
    """With a slack as wide as the distances, every pair goes through the exact sum."""
    Z, categorical, scale = coded_adult
    support, H, owner = _support(Z, categorical, scale, seed=2)
    expected = support.nearest(H, owner) <= support.radius[owner] + 1e-12
    monkeypatch.setattr(plausibility, "SLACK", 2.0)
    np.testing.assert_array_equal(support.plausible(H, owner), expected)


def test_plausible_of_non_code_categories_compares_floats():
    Z = np.array([[0.5, 1.0], [1.5, 2.0], [0.5, 9.0]])
    support = Support(
        Z, [np.array([0, 1, 2])], np.array([0.3]),
        categorical=np.array([True, False]), scale=np.array([1.0, 4.0]),
    )  # fmt: skip
    H = np.array([[0.5, 1.5], [2.5, 1.0], [np.nan, 1.0]])
    owner = np.zeros(3, int)
    expected = support.nearest(H, owner) <= 0.3 + 1e-12
    assert expected.tolist() == [True, False, False]
    np.testing.assert_array_equal(support.plausible(H, owner), expected)


def test_distance_columns_and_pool_equal_a_coded_copy_of_every_row(adult):
    X = adult.data
    codec = TabularCodec.fit(X)
    Z = codec.encode(X)
    columns = distance_columns(X, codec)
    np.testing.assert_array_equal(columns.scale, column_scales(Z, categorical=codec.categorical))
    np.testing.assert_array_equal(columns.whole, whole_columns(Z, codec.categorical))
    positions = np.sort(np.random.default_rng(0).choice(len(X), 3000, replace=False))
    pool = coded_pool(X, codec, positions, columns, random_state=0)
    np.testing.assert_array_equal(pool.Z, Z[positions])
    assert pool.radius == plausibility_radius(
        Z[positions], categorical=codec.categorical, scale=columns.scale, random_state=0
    )


def test_a_search_codes_only_its_pool_and_cases(adult, adult_model):
    X, y = adult.data.iloc[:3000], adult.target.iloc[:3000]
    s = rw.ModelSession(adult_model, X, y, favorable=">50K", random_state=0)
    refused = s.predictions().index[s.predictions()["y_pred"] == "<=50K"][:3]
    found = s.counterfactuals(list(refused), n=2)
    assert (adult_model.predict(found.cases()[list(X.columns)]) == ">50K").all()
    state = s.core.state()
    assert ("encoded", state.data) not in s.core.cache  # no coded copy of every row
