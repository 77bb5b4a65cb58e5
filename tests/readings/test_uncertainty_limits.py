"""The uncertainty templates that say what the numbers cannot tell, and a score that never
reads as a certainty: each sentence checked against the numbers it states."""

from __future__ import annotations

import re

import numpy as np
import pytest

from rai_widgets.readings.uncertainty import case_score_sentence, score_words, set_sentence
from rai_widgets.readings.uncertainty_limits import (
    is_wide_interval,
    is_wide_sets,
    left_out_sentence,
    wide_interval_sentence,
    wide_sets_sentence,
)


# --- a score is never a certainty ----------------------------------------------------------
def test_the_count_and_the_percentage_agree_and_never_read_certain():
    for p in [*np.linspace(0, 1, 2001), 0.995, 0.9949999, 0.005, 0.0049999]:
        many, share = score_words(p)
        assert many not in ("about 100", "about 0") and share not in ("100%", "0%")
        if p * 100 >= 99.5:
            assert (many, share) == ("more than 99", "over 99%")
        elif p * 100 < 0.5:
            assert (many, share) == ("fewer than 1", "under 1%")
        else:
            n = int(many.removeprefix("about "))
            assert share == f"{n}%" and abs(n - p * 100) <= 0.5 + 1e-9


def test_a_score_over_99_reads_more_than_99_and_is_set_against_what_came_true():
    text = case_score_sentence("<=50K", 0.9993, checked=(4393, 4403))
    assert "about 100" not in text  # the old sentence: "about 100 would be <=50K"
    assert "more than 99 would be <=50K (over 99% by the model's score)" in text
    n, right, share = re.search(
        r"It scored ([\d,]+) of the data's rows over 99% and was right for ([\d,]+) of them "
        r"\(([\d.]+)%\)",
        text,
    ).groups()
    assert (int(right.replace(",", "")), int(n.replace(",", ""))) == (4393, 4403)
    assert float(share) == pytest.approx(4393 / 4403 * 100, abs=0.05)
    assert "right for all 12" in case_score_sentence("a", 0.999, checked=(12, 12))
    assert "over 99.9%" in case_score_sentence("a", 0.999, checked=(9999, 10000))
    # the check is said only where the score reads "over 99%"
    assert "It scored" not in case_score_sentence("a", 0.98, checked=(12, 12))


def test_a_set_of_one_class_says_so_plainly():
    text = set_sentence(["<=50K"], 0.9, best="<=50K", best_p=0.999, cutoff=0.2, set_p=0.999)
    assert text.startswith("Its 90% answer set holds only <=50K.")
    assert "It could be <=50K" not in text and "not for each one" in text


def test_a_set_of_every_class_says_none_is_ruled_out():
    text = set_sentence(["a", "b", "c"], 0.9, best="a", best_p=0.4, cutoff=0.1, n_classes=3)
    assert "any of the 3 classes" in text and "cannot rule any out" in text
    assert "any of" not in set_sentence(["a", "b"], 0.9, best="a", best_p=0.5, cutoff=0.1)


@pytest.mark.parametrize("set_p", [0.87, 0.8971, 0.89996, 0.004])
def test_this_cases_own_chance_never_reads_as_the_promise(set_p):
    text = set_sentence(["a", "b", "c"], 0.9, best="a", best_p=0.4, cutoff=0.1, set_p=set_p)
    assert "own score for these together" not in text  # the old sentence
    shown = re.search(r"gives these 3 together (under )?([\d.]+)%, less than that 90%", text)
    under, value = shown.groups()
    if under:
        assert set_p < float(value) / 100
    else:
        assert float(value) < 90 and abs(float(value) - set_p * 100) <= 0.5


# --- answer sets that hold most classes -----------------------------------------------------
@pytest.mark.parametrize(
    ("mean_size", "k", "wide"),
    [(3.66, 5, True), (3.0, 5, True), (2.99, 5, False), (1.06, 2, False), (1.5, 2, True)],
)
def test_wide_sets_rule(mean_size, k, wide):
    assert is_wide_sets(mean_size, k) is wide
    text = wide_sets_sentence(mean_size, k, n_few_ruled_out=300, n=450, level=0.9)
    assert bool(text) is wide


def test_wide_sets_sentence_states_its_numbers():
    text = wide_sets_sentence(3.66, 5, n_few_ruled_out=284, n=450, level=0.9)
    mean, k, share, n = re.search(
        r"At 90%, the answer sets hold ([\d.]+) of the (\d+) classes on average: for (\d+)% of "
        r"the ([\d,]+) cases not used to calibrate the model can rule out at most one class",
        text,
    ).groups()
    assert (float(mean), int(k), int(n)) == (3.66, 5, 450)
    assert int(share) == round(284 / 450 * 100)
    assert "cannot rule out either" in wide_sets_sentence(
        1.6, 2, n_few_ruled_out=60, n=100, level=0.9
    )


# --- an interval too wide to act on ---------------------------------------------------------
def test_wide_interval_rule_is_the_interquartile_range():
    assert is_wide_interval(0, 10.01, 5, 15) and not is_wide_interval(0, 10, 5, 15)
    assert wide_interval_sentence(0, 10, 5, 15) == ""


def test_wide_interval_sentence_states_width_and_quartiles_with_the_unit():
    text = wide_interval_sentence(
        58.2, 152.4, 84.05, 130.98, unit="thousand dollars", target="wage"
    )
    width, q1, q3 = re.search(
        r"This range is (\d+) thousand dollars wide, wider than the middle half of all wage "
        r"values in the data \((\d+) to (\d+) thousand dollars\): too wide to act on",
        text,
    ).groups()
    assert int(width) == round(152.4 - 58.2) and (int(q1), int(q3)) == (84, 131)
    assert "the true values" in wide_interval_sentence(0, 30, 0, 10)


# --- groups too small to check calibration on -----------------------------------------------
def test_left_out_sentence_names_each_group_with_its_rows():
    text = left_out_sentence({"4. Other": 8, "tiny": 1}, minimum=30)
    assert text.startswith("Left out of the chart: 4. Other (8 rows), tiny (1 row). Under 30")
    assert left_out_sentence({}, minimum=30) == ""
