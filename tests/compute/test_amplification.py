"""selection_amplification: exact cases, a bootstrap coverage simulation, a row-level bootstrap
cross-check, zero denominators and the Adult age gap a gradient-boosting model widens."""

from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

import rai_widgets as rw
from rai_widgets.compute.amplification import Amplification, selection_amplification
from rai_widgets.compute.intervals import mover_ratio, wilson_interval
from rai_widgets.core.errors import ValidationError


def _population(rng, n_group=2000, n_reference=3000, label_group=0.2, label_reference=0.4):
    in_group = np.arange(n_group + n_reference) < n_group
    label = rng.random(len(in_group)) < np.where(in_group, label_group, label_reference)
    return label, in_group


def test_model_that_reproduces_the_labels_changes_nothing():
    label, in_group = _population(np.random.default_rng(0))
    result = selection_amplification(label, label, in_group, ~in_group)
    assert result.model_ratio == result.label_ratio
    assert (result.model_ratio_lo, result.model_ratio_hi) == (
        result.label_ratio_lo,
        result.label_ratio_hi,
    )
    assert result.amplification == 1.0
    assert result.amplification_lo <= 1.0 <= result.amplification_hi
    assert not result.widens and not result.narrows
    assert (result.n_group, result.n_reference) == (2000, 3000)


def test_model_missing_the_same_share_of_positives_keeps_the_ratio():
    rng = np.random.default_rng(1)
    label, in_group = _population(rng)
    selected = label & (rng.random(len(label)) < 0.8)  # true amplification 1
    result = selection_amplification(selected, label, in_group, ~in_group)
    assert result.amplification_lo < 1.0 < result.amplification_hi
    assert not result.widens and not result.narrows


def test_model_that_drops_the_groups_positives_widens():
    rng = np.random.default_rng(2)
    label, in_group = _population(rng)
    never = label & ~in_group
    result = selection_amplification(never, label, in_group, ~in_group)
    assert result.model_rate_group == 0.0 and result.amplification == 0.0
    assert result.amplification_hi == 0.0
    assert result.widens and not result.narrows

    half = label & (~in_group | (rng.random(len(label)) < 0.5))
    result = selection_amplification(half, label, in_group, ~in_group)
    assert result.amplification == pytest.approx(0.5, abs=0.08)
    assert result.amplification_hi < 1.0 and result.widens and not result.narrows
    assert result.amplification == pytest.approx(result.model_ratio / result.label_ratio)


def test_direction_follows_the_label_ratio():
    rng = np.random.default_rng(3)
    label, in_group = _population(rng)
    equalised = np.where(in_group, rng.random(len(label)) < 0.4, label)  # group at 0.4 too
    narrows = selection_amplification(equalised, label, in_group, ~in_group)
    assert narrows.amplification > 1.0 and narrows.narrows and not narrows.widens
    # the same decisions seen from the other side: the favoured group's ratio shrinks to ~1
    flipped = selection_amplification(equalised, label, ~in_group, in_group)
    assert flipped.label_ratio > 1.0 and flipped.amplification < 1.0
    assert flipped.narrows and not flipped.widens
    # a favoured group the model favours even more: widens above 1
    more = label & (~in_group | (rng.random(len(label)) < 0.5))
    favoured = selection_amplification(more, label, ~in_group, in_group)
    assert favoured.label_ratio > 1.0 and favoured.amplification_lo > 1.0
    assert favoured.widens and not favoured.narrows


def test_ratio_bounds_are_mover_of_wilson():
    rng = np.random.default_rng(4)
    label, in_group = _population(rng)
    selected = label & (rng.random(len(label)) < 0.7)
    result = selection_amplification(selected, label, in_group, ~in_group, confidence=0.9)
    k_g, k_r = selected[in_group].sum(), selected[~in_group].sum()
    a_lo, a_hi = wilson_interval(np.array([k_g]), np.array([2000]), 0.9)
    b_lo, b_hi = wilson_interval(np.array([k_r]), np.array([3000]), 0.9)
    lo, hi = mover_ratio(
        np.array([k_g / 2000]), a_lo, a_hi, k_r / 3000, float(b_lo[0]), float(b_hi[0])
    )
    assert result.model_ratio == pytest.approx((k_g / 2000) / (k_r / 3000))
    assert result.model_ratio_lo == pytest.approx(lo[0]) and result.model_ratio_hi == hi[0]


def test_bounds_match_a_row_level_paired_bootstrap():
    """Multinomial cell counts are the same resampling as drawing rows with replacement."""
    rng = np.random.default_rng(5)
    label, in_group = _population(rng, n_group=600, n_reference=900)
    selected = label & (rng.random(len(label)) < np.where(in_group, 0.6, 0.8))
    result = selection_amplification(selected, label, in_group, ~in_group, n_boot=4000)
    group, reference = np.flatnonzero(in_group), np.flatnonzero(~in_group)
    g = group[rng.integers(0, len(group), size=(4000, len(group)))]
    r = reference[rng.integers(0, len(reference), size=(4000, len(reference)))]
    rows = (selected[g].mean(1) / selected[r].mean(1)) / (label[g].mean(1) / label[r].mean(1))
    lo, hi = np.quantile(rows, [0.025, 0.975])
    assert result.amplification_lo == pytest.approx(lo, abs=0.03)
    assert result.amplification_hi == pytest.approx(hi, abs=0.03)


def test_bounds_cover_the_true_amplification():
    # cells per group: P(label), P(selected | label), P(selected | not label)
    cells = {True: (0.25, 0.6, 0.05), False: (0.4, 0.8, 0.1)}

    def rate(group, of):
        p_label, p_sel_pos, p_sel_neg = cells[group]
        return p_label if of == "label" else p_label * p_sel_pos + (1 - p_label) * p_sel_neg

    truth = (rate(True, "model") / rate(False, "model")) / (
        rate(True, "label") / rate(False, "label")
    )
    rng = np.random.default_rng(6)
    in_group = np.arange(1300) < 500
    p_label = np.where(in_group, 0.25, 0.4)
    started = time.perf_counter()
    covered = 0
    for _ in range(40):
        label = rng.random(1300) < p_label
        p_sel = np.where(label, np.where(in_group, 0.6, 0.8), np.where(in_group, 0.05, 0.1))
        selected = rng.random(1300) < p_sel
        result = selection_amplification(
            selected, label, in_group, ~in_group, random_state=int(rng.integers(1 << 30))
        )
        covered += result.amplification_lo <= truth <= result.amplification_hi
    assert covered / 40 >= 0.85, covered
    assert time.perf_counter() - started < 5.0


def test_zero_selections_in_the_reference_give_nan():
    rng = np.random.default_rng(7)
    label, in_group = _population(rng)
    selected = label & in_group
    result = selection_amplification(selected, label, in_group, ~in_group)
    assert result.model_rate_reference == 0.0
    for value in (
        result.model_ratio,
        result.model_ratio_lo,
        result.model_ratio_hi,
        result.amplification,
        result.amplification_lo,
        result.amplification_hi,
    ):
        assert np.isnan(value)
    assert np.isfinite(result.label_ratio)
    assert not result.widens and not result.narrows


def test_rare_selections_give_nan_bounds_not_a_crash():
    label, in_group = _population(np.random.default_rng(8))
    selected = np.zeros(len(label), bool)
    selected[np.flatnonzero(~in_group)[:2]] = True  # two selections in the reference
    selected[np.flatnonzero(in_group)[:2]] = True
    result = selection_amplification(selected, label, in_group, ~in_group)
    assert np.isfinite(result.amplification)
    assert np.isnan(result.amplification_lo) and np.isnan(result.amplification_hi)


def test_same_seed_same_bounds_and_frozen():
    rng = np.random.default_rng(9)
    label, in_group = _population(rng)
    selected = label & (rng.random(len(label)) < 0.5)
    first = selection_amplification(selected, label, in_group, ~in_group, random_state=3)
    assert first == selection_amplification(selected, label, in_group, ~in_group, random_state=3)
    assert isinstance(first, Amplification)
    with pytest.raises(AttributeError):
        setattr(first, "amplification", 2.0)  # noqa: B010


def test_bad_arguments():
    label, in_group = _population(np.random.default_rng(10))
    with pytest.raises(ValidationError, match="overlap in 2000 rows"):
        selection_amplification(label, label, in_group, np.ones(len(label), bool))
    with pytest.raises(ValidationError, match="y_label has 3 rows"):
        selection_amplification(label, label[:3], in_group, ~in_group)
    with pytest.raises(ValidationError, match="y_selected must hold booleans"):
        selection_amplification(np.full(len(label), 0.7), label, in_group, ~in_group)
    with pytest.raises(ValidationError, match="in_reference selects no row"):
        selection_amplification(label, label, in_group, np.zeros(len(label), bool))
    ints = selection_amplification(label.astype(int), label.astype(float), in_group, ~in_group)
    assert ints == selection_amplification(label, label, in_group, ~in_group)


def test_adult_model_widens_the_age_gap_in_its_labels():
    train = rw.datasets.load_adult(split="train")
    test = rw.datasets.load_adult(split="test")
    encode = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2
    )
    columns = make_column_transformer(
        (encode, make_column_selector(dtype_exclude="number")), remainder="passthrough"
    )
    model = make_pipeline(columns, HistGradientBoostingClassifier(random_state=0))
    model.fit(train.data, train.target == ">50K")
    selected = model.predict_proba(test.data)[:, 1] >= 0.5
    label = (test.target == ">50K").to_numpy()
    age = test.data["age"].to_numpy()
    young, middle = (age >= 17) & (age <= 28), (age >= 38) & (age <= 48)
    result = selection_amplification(selected, label, young, middle)
    print(
        f"\nmodel {result.model_rate_group:.3f} vs {result.model_rate_reference:.3f} "
        f"(ratio {result.model_ratio:.3f} [{result.model_ratio_lo:.3f}, "
        f"{result.model_ratio_hi:.3f}]); labels {result.label_rate_group:.3f} vs "
        f"{result.label_rate_reference:.3f} (ratio {result.label_ratio:.3f} "
        f"[{result.label_ratio_lo:.3f}, {result.label_ratio_hi:.3f}]); amplification "
        f"{result.amplification:.3f} [{result.amplification_lo:.3f}, "
        f"{result.amplification_hi:.3f}]; n {result.n_group} vs {result.n_reference}"
    )
    # facts of the census labels, whatever the model
    assert result.label_rate_group == pytest.approx(label[young].mean())
    assert result.label_rate_group < 0.05 and result.label_rate_reference > 0.35
    assert result.label_ratio < 1.0
    # the model widens the gap the labels already have, measurably
    assert result.model_ratio < result.label_ratio
    assert result.amplification < 1.0 and result.amplification_hi < 1.0
    assert result.widens and not result.narrows
