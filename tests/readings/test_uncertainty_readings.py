"""Uncertainty reading templates: each speaks when its numbers say so and stays quiet otherwise."""

from __future__ import annotations

import pytest

from rai_widgets.readings.uncertainty import (
    coverage_sentence,
    coverage_verdict,
    interval_sentence,
    set_sentence,
    set_size_sentence,
    shared_decimals,
    with_unit,
)


# --- intervals --------------------------------------------------------------------------------
def test_cases_like_this_only_for_an_adaptive_interval():
    adaptive = interval_sentence(100.2, 64.3, 160.94, 0.9, adaptive=True)
    assert "For cases like this one" in adaptive
    assert "90 of 100 cases used to calibrate the intervals" in adaptive
    constant = interval_sentence(100.2, 64.3, 136.1, 0.9, adaptive=False)
    assert "cases like this" not in constant
    assert "same width for every case" in constant and "typical miss" in constant
    assert "36 either way" in constant and "between 64 and 136" in constant  # same decimals


def test_interval_numbers_share_their_decimals():
    text = interval_sentence(100.2, 64.3, 160.94, 0.9, adaptive=True)
    assert "100 " in text and "between 64 and 161" in text  # three digits on the largest
    text = interval_sentence(60.1, 46.0, 74.12, 0.9, adaptive=True)
    assert "60.1" in text and "between 46.0 and 74.1" in text
    assert shared_decimals([0.0123, 0.05]) == 4 and shared_decimals([float("inf"), 2.5]) == 2


def test_units_appear_only_with_a_unit():
    with_unit_text = interval_sentence(60.1, 46.0, 74.1, 0.9, adaptive=True, unit="thousand $")
    assert with_unit_text.count("thousand $") == 2  # the guess and the interval's end
    bare = interval_sentence(60.1, 46.0, 74.1, 0.9, adaptive=True)
    assert "thousand" not in bare
    assert with_unit(3, "years", 1) == "3.0 years" and with_unit(3, None, 0) == "3"


def test_an_unbounded_interval_says_it_cannot_promise():
    text = interval_sentence(10.0, float("-inf"), float("inf"), 0.9, adaptive=True)
    assert "Too few held-out cases to promise 90%" in text and "cases like this" not in text
    assert "Too few" not in interval_sentence(10.0, 8.0, 12.0, 0.9, adaptive=True)


# --- sets ---------------------------------------------------------------------------------------
def test_empty_set_sentence_only_for_an_empty_set():
    empty = set_sentence([], 0.9, best="class_1", best_p=0.31, cutoff=0.45)
    assert empty.startswith("No class reaches the 90% level for this case")
    assert "class_1, only 31%" in empty and "45% or more" in empty
    assert "nothing certain" not in empty
    full = set_sentence(["class_1", "class_2"], 0.9, best="class_1", best_p=0.6, cutoff=0.45)
    assert full.startswith("It could be class_1 or class_2 (its 90% answer set). ")
    assert "No class" not in full


def test_the_set_promise_is_never_read_as_this_cases_chance():
    # the case: a case scored 65% <=50K whose set is {<=50K} at a 90% promise
    text = set_sentence(["<=50K"], 0.9, best="<=50K", best_p=0.65, cutoff=0.2, set_p=0.65)
    assert "To be right 90% of the time" not in text
    assert "not for each one" in text
    assert "Its 90% answer set holds only <=50K." in text and "could be" not in text
    assert "For this case alone the model gives <=50K 65%, less than that 90%." in text
    sure = set_sentence(["<=50K"], 0.9, best="<=50K", best_p=0.97, cutoff=0.2, set_p=0.97)
    assert "case alone" not in sure and "not for each one" in sure


def test_set_size_below_one_is_explained_only_when_sets_are_empty():
    text = set_size_sentence(0.76, 7, 45)
    assert "0.76" in text and "below 1 because 7 of 45" in text and "empty set" in text
    assert set_size_sentence(1.3, 0, 45) == ""
    assert "although 2 of 45" in set_size_sentence(1.1, 2, 45)


# --- coverage against the promise --------------------------------------------------------------
def test_below_the_promise_only_when_the_upper_bound_is_below_it():
    below = coverage_sentence("Other", 0.76, 0.60, 0.88, 0.9, n=45)
    assert below.endswith("below the promise.")
    assert "Covered 76% (95% bounds 60% to 88%) of Other (n=45) against a promised 90%" in below
    unsure = coverage_sentence("Other", 0.84, 0.70, 0.92, 0.9, n=45)
    assert "below the promise" not in unsure and "cannot tell" in unsure
    above = coverage_sentence("Male", 0.97, 0.95, 0.98, 0.9, n=900)
    assert "above the promise" in above and "below" not in above


@pytest.mark.parametrize(
    ("lo", "hi", "verdict"),
    [
        (0.6, 0.899, "below"),
        (0.6, 0.9, "cannot tell"),
        (0.9, 0.95, "cannot tell"),
        (0.91, 1, "above"),
    ],
)
def test_coverage_verdict_at_the_edges(lo, hi, verdict):
    assert coverage_verdict(lo, hi, 0.9) == verdict
