"""outcome_mix counts each outcome from one factorization: the same numbers as pandas'
groupby and value_counts (issue 26: on 10,000,000 rows it copied the outcomes per part)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rai_widgets.compute.outcome_mix import outcome_mix


def test_shares_and_error_rates_equal_pandas_groupby(adult):
    y = adult.target.to_numpy()
    rng = np.random.default_rng(0)
    wrong = rng.random(len(y)) < np.where(y == ">50K", 0.35, 0.12)
    group = (adult.data["sex"] == "Male").to_numpy()
    mix = outcome_mix(y, wrong, group)
    labels = pd.Series(y)
    assert list(mix.share) == list(pd.unique(labels))
    assert mix.share == labels[group].value_counts(normalize=True).to_dict()
    assert mix.rest_share == labels[~group].value_counts(normalize=True).to_dict()
    assert mix.outcome_error == pd.Series(wrong).groupby(labels).mean().to_dict()
    assert mix.error == wrong[group].mean() and mix.rest_error == wrong[~group].mean()
    e_g = pd.Series(wrong[group]).groupby(y[group]).mean()
    e_r = pd.Series(wrong[~group]).groupby(y[~group]).mean()
    p_g, p_r = mix.share, mix.rest_share
    expected = sum((p_g[c] - p_r[c]) * (e_g[c] + e_r[c]) / 2 for c in p_g)
    assert mix.from_mix == expected
    assert mix.harder == ">50K"  # commoner among men, and wrong more often


def test_an_outcome_missing_from_the_group_has_no_share():
    y = np.array(["a"] * 5 + ["b"] * 5)
    mix = outcome_mix(y, np.arange(10) % 3 == 0, np.arange(10) < 5)
    assert mix.share == {"a": 1.0, "b": 0.0}
    assert mix.rest_share == {"a": 0.0, "b": 1.0}


def test_a_pandas_column_of_any_dtype_gives_the_numbers_of_its_object_copy(adult):
    rng = np.random.default_rng(1)
    y = adult.target.reset_index(drop=True)
    wrong = rng.random(len(y)) < 0.2
    group = (adult.data["sex"] == "Female").to_numpy()
    expected = outcome_mix(y.to_numpy(dtype=object), wrong, group)
    for dtype in ("object", "string[pyarrow]", "category"):
        assert outcome_mix(y.astype(dtype), wrong, group) == expected, dtype
