"""Confidence bounds: Wilson against scipy, the bootstrap against theory, MOVER by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from sklearn.metrics import roc_auc_score

from rai_widgets.compute.grouped import batched_auc, grouped_auc, presorted_batched_auc
from rai_widgets.compute.intervals import (
    grouped_bootstrap,
    mover_difference,
    mover_ratio,
    wilson_interval,
)
from rai_widgets.core.slices import SliceSet


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_wilson_matches_scipy(confidence):
    successes = np.array([0, 1, 5, 17, 50, 99, 100])
    trials = np.array([100, 100, 10, 40, 100, 100, 100])
    lo, hi = wilson_interval(successes, trials, confidence)
    for k, n, a, b in zip(successes, trials, lo, hi, strict=True):
        ref = binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
        assert a == pytest.approx(ref.low, abs=1e-12)
        assert b == pytest.approx(ref.high, abs=1e-12)


def test_wilson_empty_denominator_is_nan():
    lo, hi = wilson_interval(np.array([0]), np.array([0]), 0.95)
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def _slices(codes):
    codes = np.asarray(codes)
    return SliceSet.from_codes(codes, pd.Index(range(codes.max() + 1), name="g"))


def test_grouped_auc_matches_sklearn_with_ties():
    rng = np.random.default_rng(1)
    n = 5_000
    codes = rng.integers(0, 7, n)
    y = rng.random(n) < 0.3
    score = np.round(rng.random(n) + 0.3 * y, 1)  # coarse scores: many ties
    ours = grouped_auc(_slices(codes), y, score)
    for g in range(7):
        m = codes == g
        assert ours[g] == pytest.approx(roc_auc_score(y[m], score[m]), abs=1e-12)
    order = np.argsort(score[:1000].reshape(2, 500), axis=1, kind="stable")
    ys, ss = y[:1000].reshape(2, 500), score[:1000].reshape(2, 500)
    presorted = presorted_batched_auc(
        np.take_along_axis(ys, order, 1), np.take_along_axis(ss, order, 1)
    )
    assert presorted[0] == pytest.approx(roc_auc_score(y[:500], score[:500]), abs=1e-12)
    assert presorted[1] == pytest.approx(roc_auc_score(y[500:1000], score[500:1000]), abs=1e-12)
    batch = batched_auc(np.stack([y[:500], y[500:1000]]), np.stack([score[:500], score[500:1000]]))
    assert batch[0] == pytest.approx(roc_auc_score(y[:500], score[:500]), abs=1e-12)
    assert batch[1] == pytest.approx(roc_auc_score(y[500:1000], score[500:1000]), abs=1e-12)


def test_grouped_auc_undefined_without_both_classes():
    ours = grouped_auc(
        _slices([0, 0, 1, 1]), np.array([1, 1, 0, 1]), np.array([0.1, 0.2, 0.3, 0.4])
    )
    assert np.isnan(ours[0]) and ours[1] == 1.0


def _mean_bootstrap(values, codes, seed, max_resample=2000, n_boot=400):
    s = _slices(codes)
    point = np.array([[values[codes == g].mean()] for g in range(len(s))])
    return grouped_bootstrap(
        lambda v: v.mean(axis=1)[:, None],
        [values],
        s.order,
        s.bounds,
        point,
        confidence=0.95,
        n_boot=n_boot,
        random_state=seed,
        max_resample=max_resample,
    )


def test_bootstrap_is_seeded_and_close_to_normal_theory():
    rng = np.random.default_rng(0)
    values = rng.exponential(size=30_000)  # skewed
    codes = np.repeat([0, 1, 2], [300, 2_000, 27_700])
    lo1, hi1 = _mean_bootstrap(values, codes, seed=5)
    lo2, hi2 = _mean_bootstrap(values, codes, seed=5)
    np.testing.assert_array_equal(lo1, lo2)
    np.testing.assert_array_equal(hi1, hi2)
    lo3, _ = _mean_bootstrap(values, codes, seed=6)
    assert not np.array_equal(lo1, lo3)
    for g in range(3):  # the large group uses the rescaled m-out-of-n bootstrap
        v = values[codes == g]
        width = 2 * 1.96 * v.std(ddof=1) / np.sqrt(len(v))
        assert hi1[g, 0] - lo1[g, 0] == pytest.approx(width, rel=0.2)
        assert lo1[g, 0] < v.mean() < hi1[g, 0]


def test_bootstrap_coverage_by_simulation():
    """About 95% of intervals cover the true mean (tolerance for 300 trials)."""
    rng = np.random.default_rng(42)
    covered = 0
    trials = 300
    for t in range(trials):
        values = rng.normal(loc=1.0, size=200)
        lo, hi = _mean_bootstrap(values, np.zeros(200, dtype=int), seed=t, n_boot=300)
        covered += lo[0, 0] <= 1.0 <= hi[0, 0]
    assert 0.90 <= covered / trials <= 0.985


def test_bootstrap_single_row_group_is_nan():
    lo, _hi = _mean_bootstrap(np.array([1.0, 2.0, 3.0]), np.array([0, 1, 1]), seed=0)
    assert np.isnan(lo[0, 0]) and np.isfinite(lo[1, 0])


def test_mover_difference_coverage_by_simulation():
    """MOVER with Wilson bounds covers a difference of proportions about 95% of the time."""
    rng = np.random.default_rng(7)
    p1, p2, n1, n2 = 0.3, 0.2, 150, 400
    k1 = rng.binomial(n1, p1, size=4_000)
    k2 = rng.binomial(n2, p2, size=4_000)
    lo1, hi1 = wilson_interval(k1, np.full(4_000, n1), 0.95)
    lo2, hi2 = wilson_interval(k2, np.full(4_000, n2), 0.95)
    lo, hi = mover_difference(k1 / n1, lo1, hi1, k2 / n2, lo2, hi2)
    coverage = np.mean((lo <= p1 - p2) & (p1 - p2 <= hi))
    assert 0.93 <= coverage <= 0.97
    rlo, rhi = mover_ratio(k1 / n1, lo1, hi1, k2 / n2, lo2, hi2)
    coverage = np.mean((rlo <= p1 / p2) & (p1 / p2 <= rhi))
    assert 0.93 <= coverage <= 0.97


def test_mover_ratio_unbounded_when_reference_can_be_zero():
    lo, hi = mover_ratio(np.array([0.5]), np.array([0.4]), np.array([0.6]), 0.01, 0.0, 0.05)
    assert np.isinf(hi[0]) and lo[0] > 0
