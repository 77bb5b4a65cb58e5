"""rai_widgets.formatting: one way to write numbers, shares, differences, counts and labels."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from rai_widgets import formatting as fmt
from rai_widgets import formatting_metrics as fmt_metrics

MISSING_VALUES = [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT]


@pytest.mark.parametrize("missing", MISSING_VALUES, ids=repr)
def test_a_missing_value_reads_missing_everywhere(missing):
    assert fmt.is_missing(missing)
    assert fmt.MISSING == "missing"
    for function in (fmt.number, fmt.count, fmt.value, fmt.label, fmt.percent, fmt.points):
        assert function(missing) == "missing", function.__name__
    assert fmt.label(("Female", missing)) == "Female & missing"
    assert fmt.slice_description({"workclass": missing}) == "workclass = missing"


@pytest.mark.parametrize(
    "present", [0, 0.0, "", "nan", "missing", False, pd.Timestamp("2024-01-01"), np.zeros(3)]
)
def test_present_values_are_not_missing(present):
    assert not fmt.is_missing(present)


@pytest.mark.parametrize(
    ("raw", "digits", "expected"),
    [
        (15024.0, None, "15,024"),
        (15024, None, "15,024"),
        (355412.372, None, "355,412.37"),
        (0.123456, None, "0.1235"),
        (-2.5, None, "-2.5"),
        (np.float64(1e20), None, "100,000,000,000,000,000,000"),
        (0.0123456, 3, "0.0123"),
        (123456.7, 3, "123,457"),
        (999.7, 3, "1,000"),  # rounding up to 10**digits does not switch to 1e+03
        (30.0, 4, "30"),
        (1234567.0, 4, "1,234,567"),
        (float("inf"), None, "∞"),
        (-math.inf, 3, "-∞"),
    ],
)
def test_number(raw, digits, expected):
    assert fmt.number(raw, digits) == expected


def test_number_options():
    assert fmt.number(1.5, decimals=2) == "1.50"
    assert fmt.number(1234.5, decimals=2) == "1,234.50"
    assert fmt.number(0.25, 3, signed=True) == "+0.25"
    assert fmt.number(-0.25, 3, signed=True) == "-0.25"
    assert fmt.number(math.inf, signed=True) == "+∞"


@pytest.mark.parametrize(
    ("n", "expected"), [(48842, "48,842"), (np.int64(7), "7"), (1000.0, "1,000"), (0, "0")]
)
def test_count(n, expected):
    assert fmt.count(n) == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt.percent(0.1234), "12.3%"),
        (lambda: fmt.percent(0.9, 0), "90%"),
        (lambda: fmt.percent(1), "100.0%"),
        (lambda: fmt.percent(0.05, signed=True), "+5.0%"),
        (lambda: fmt.points(0.032), "+3.2 pts"),
        (lambda: fmt.points(-0.1), "-10.0 pts"),
        (lambda: fmt.points(0.032, signed=False), "3.2 pts"),
        (lambda: fmt.points(0.2, 0), "+20 pts"),
        (lambda: fmt.chance(0.724), "72%"),
        (lambda: fmt.chance(0.001), "under 1%"),
        (lambda: fmt.chance(0.9999), "over 99%"),
    ],
)
def test_shares_and_points(call, expected):
    assert call() == expected


@pytest.mark.parametrize(
    ("lo", "hi", "options", "expected"),
    [
        (0.121, 0.14, {"kind": "percent"}, "12.1% to 14.0%"),
        (0.121, 0.14, {"kind": "percent", "digits": 0, "sep": "–"}, "12%–14%"),
        (-0.02, 0.03, {"kind": "points"}, "-2.0 pts to +3.0 pts"),
        (1, 2.5, {"decimals": 2}, "1.00 to 2.50"),
        (12.5, 14, {"digits": 3, "sep": "–"}, "12.5–14"),
        (float("nan"), 1.0, {}, "–"),
        (0.0, math.inf, {"kind": "percent"}, "–"),
        (None, 1.0, {}, "–"),
    ],
)
def test_bounds(lo, hi, options, expected):
    assert fmt.bounds(lo, hi, **options) == expected


def test_bounds_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        fmt.bounds(0, 1, kind="ratio")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Female", "Female"),
        (("Female", "Black"), "Female & Black"),
        ((">50K", np.nan, "x"), ">50K & missing & x"),
        (3, "3"),
        ("17–28", "17–28"),
        (pd.Interval(0, 30, closed="right"), "(0, 30]"),
        (True, "True"),
    ],
)
def test_label(raw, expected):
    assert fmt.label(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (15024, "15,024"),
        (15024.0, "15,024"),
        (355412.37, "355,412.37"),
        (0.123456, "0.1235"),
        (True, "yes"),
        (np.bool_(False), "no"),
        (np.int64(-1200), "-1,200"),
        (np.float32(2.5), "2.5"),
        (10**20 + 1, "100,000,000,000,000,000,001"),  # large ints stay exact
        ("Male", "Male"),
    ],
)
def test_value(raw, expected):
    assert fmt.value(raw) == expected


def test_slice_description():
    assert fmt.slice_description({"sex": "Female", "race": "Black"}) == (
        "sex = Female & race = Black"
    )
    assert fmt.slice_description({}) == "all rows"
    assert fmt.slice_description(None) == "all rows"


@pytest.mark.parametrize(
    ("metric", "proportion"),
    [
        ("accuracy", True),
        ("coverage", True),
        ("selection_rate", True),
        ("tpr_setosa", True),
        ("macro_fpr", True),
        ("precision", True),
        ("auc", False),
        ("brier", False),
        ("mae", False),
        ("mean_prediction", False),
    ],
)
def test_is_proportion(metric, proportion):
    assert fmt_metrics.is_proportion(metric) is proportion


@pytest.mark.parametrize(
    ("metric", "raw", "value", "difference"),
    [
        ("accuracy", 0.8612, "86.1%", "+86.1 pts"),
        ("tpr_setosa", 0.05, "5.0%", "+5.0 pts"),
        ("auc", 0.91234, "0.912", "+0.912"),
        ("brier", -0.0123, "-0.012", "-0.012"),
        ("mae", 23.456, "23.46", "+23.46"),
        ("mae", 0.01234, "0.0123", "+0.0123"),
        ("mae", -0.05, "-0.05", "-0.05"),
        ("mae", 1234.5, "1,234.50", "+1,234.50"),
        ("mae", 0, "0.00", "+0.00"),
        ("accuracy", float("nan"), "–", "–"),
        ("mae", math.inf, "–", "–"),
        ("tpr", None, "–", "–"),
    ],
)
def test_metric_value_and_difference(metric, raw, value, difference):
    assert fmt_metrics.metric_value(metric, raw) == value
    assert fmt_metrics.metric_difference(metric, raw) == difference


def test_metric_bounds():
    assert fmt_metrics.metric_bounds("accuracy", 0.858, 0.864) == "85.8% to 86.4%"
    assert fmt_metrics.metric_bounds("auc", 0.81, 0.8345, sep="–") == "0.810–0.835"
    assert fmt_metrics.metric_bounds("mae", 1.5, float("nan")) == fmt.NOT_AVAILABLE


@pytest.mark.parametrize(
    ("metric", "name"),
    [
        ("accuracy", "Accuracy"),
        ("fpr", "False positive rate"),
        ("tpr_setosa", "True positive rate (setosa)"),
        ("selection_rate_>50K", "Selection rate (>50K)"),
        ("macro_tpr", "Balanced accuracy (macro TPR)"),
        ("custom_metric", "custom_metric"),
    ],
)
def test_metric_name(metric, name):
    assert fmt_metrics.metric_name(metric) == name


def test_the_module_is_pure():
    """formatting sits below compute: it loads neither pandas, numpy nor rai_widgets' layers."""
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('f', sys.argv[1])\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "print(','.join(m for m in ('numpy', 'pandas', 'rai_widgets') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, fmt.__file__], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# -- values by the kind of their column ---------------------------------------------------------
def test_years_and_identifiers_read_without_separators_counts_with_them():
    assert fmt.value(2007, "year") == "2007"
    assert fmt.value(np.int64(2007), "year") == "2007"
    assert fmt.value(2007.0, "year") == "2007"  # an int column with NaN turns float
    assert fmt.value(123456, "identifier") == "123456"
    assert fmt.value("A-17", "identifier") == "A-17"
    assert fmt.value(15024, "number") == fmt.value(15024) == "15,024"  # a count keeps them
    assert fmt.value(float("nan"), "year") == "missing"
    with pytest.raises(ValueError, match="kind"):
        fmt.value(2007, "date")


def test_one_row_label_everywhere():
    assert fmt.row_label(1191) == "1191"
    assert fmt.row_label(np.int64(48841)) == "48841"
    assert fmt.row_label(1191.0) == "1191"
    assert fmt.row_label("client 7") == "client 7"
    assert fmt.row_label(("b", 3)) == "b, 3"
    assert fmt.row_label(None) == "missing"


def test_column_kinds_on_real_data(wage, adult):
    from rai_widgets.formatting_kinds import column_kind

    assert column_kind("year", wage.data["year"]) == "year"
    assert fmt.value(wage.data["year"].iloc[0], column_kind("year")) == "2006"
    assert column_kind("age", wage.data["age"]) == "number"
    for column in ("fnlwgt", "capital-gain", "hours-per-week"):
        assert column_kind(column, adult.data[column]) == "number", column
    gain = adult.data["capital-gain"].max()
    assert fmt.value(gain, column_kind("capital-gain", adult.data["capital-gain"])) == "99,999"


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("YearBuilt", None, "year"),
        ("yr_renovated", [0, 1991], "year"),  # the name says so, whatever the values
        ("sale_year", pd.Series([2001.0, np.nan]), "year"),
        ("year", [2007.5, 2008.0], "number"),  # not whole: not a year
        ("years_of_experience", [3, 12], "number"),
        ("built", pd.Series([1995, 2001], dtype="Int64"), "year"),  # date-ish name and values
        ("built", np.array([3, 5]), "number"),  # date-ish name, values are no years
        ("season", [2019, 2020], "year"),
        ("cohort", ["2019", "2020"], "year"),  # as text
        ("count", [1999, 2001], "number"),  # values alone never make a year
        ("customer_ID", [1, 2], "identifier"),
        ("zip", pd.Series([98101, 98102]), "identifier"),
        ("valid", [True, False], "number"),
    ],
)
def test_column_kind(name, values, kind):
    from rai_widgets.formatting_kinds import column_kind

    assert column_kind(name, values) == kind
