"""Tests of the datasets shipped in rai_widgets.datasets (Adult, German credit, Wage)."""

from __future__ import annotations

import ast
import doctest
import importlib
import socket
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.api.types import is_numeric_dtype

from rai_widgets.core.errors import ValidationError
from rai_widgets.datasets import load_adult, load_german_credit, load_wage

DATASETS_DIR = Path(importlib.import_module("rai_widgets.datasets").__file__).parent
SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

ADULT_COLUMNS = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
    "native-country",
]

# name -> (loader, shape of data, target name, sensitive features, numeric columns, dtype)
SPECS = {
    "adult": (
        load_adult,
        (48842, 14),
        "income",
        ["sex", "race", "age"],
        {
            "age": "int64",
            "fnlwgt": "int64",
            "education-num": "int64",
            "capital-gain": "int64",
            "capital-loss": "int64",
            "hours-per-week": "int64",
        },
    ),
    "german_credit": (
        load_german_credit,
        (1000, 20),
        "creditability",
        ["personal_status_and_sex", "age_in_years", "foreign_worker"],
        {
            "duration_in_month": "int64",
            "credit_amount": "int64",
            "installment_rate_in_percentage_of_disposable_income": "int64",
            "present_residence_since": "int64",
            "age_in_years": "int64",
            "number_of_existing_credits_at_this_bank": "int64",
            "number_of_people_being_liable_to_provide_maintenance_for": "int64",
        },
    ),
    "wage": (
        load_wage,
        (3000, 9),
        "wage",
        ["race", "age", "maritl"],
        {"year": "int64", "age": "int64"},
    ),
}


@pytest.fixture(scope="module")
def adult():
    return load_adult()


def _is_text_column(series: pd.Series) -> bool:
    values = series.dropna()
    return (
        not is_numeric_dtype(series)
        and not isinstance(series.dtype, pd.CategoricalDtype)
        and len(values) > 0
        and all(isinstance(value, str) for value in values)
    )


# --------------------------------------------------------------------------- common contract


@pytest.mark.parametrize("name", list(SPECS))
def test_bunch_contract(name):
    loader, shape, target, sensitive, _ = SPECS[name]
    bunch = loader()
    assert bunch.data.shape == shape
    assert isinstance(bunch.data.index, pd.RangeIndex)
    assert list(bunch.data.index) == list(range(shape[0]))
    assert bunch.feature_names == list(bunch.data.columns)
    assert isinstance(bunch.target, pd.Series)
    assert bunch.target.name == target
    assert target not in bunch.data.columns
    assert bunch.target.index.equals(bunch.data.index)
    assert len(bunch.target) == shape[0]
    assert bunch.sensitive_features == sensitive
    assert set(bunch.sensitive_features) <= set(bunch.data.columns)
    pd.testing.assert_frame_equal(bunch.frame[bunch.feature_names], bunch.data)
    pd.testing.assert_series_equal(bunch.frame[target], bunch.target)


@pytest.mark.parametrize("name", list(SPECS))
def test_column_dtypes(name):
    loader, _, _, _, numeric = SPECS[name]
    data = loader().data
    assert {column: str(data[column].dtype) for column in numeric} == numeric
    text_columns = [column for column in data.columns if column not in numeric]
    assert text_columns, "every dataset has text columns"
    for column in text_columns:
        assert _is_text_column(data[column]), f"{name}.{column} is {data[column].dtype}"


@pytest.mark.parametrize("name", list(SPECS))
def test_descr_has_shape_target_sensitive_and_attribution(name):
    loader, shape, target, sensitive, _ = SPECS[name]
    descr = loader().DESCR
    assert f"{shape[0]:,} rows x {shape[1]} feature columns" in descr
    assert target in descr
    assert ", ".join(sensitive) in descr
    for field in ("Source:", "Licence:", "Citation:", "Packaging:"):
        assert field in descr


def test_descr_credits_each_source():
    assert "https://doi.org/10.24432/C5XW20" in load_adult().DESCR
    assert "CC BY 4.0" in load_adult().DESCR
    assert "https://doi.org/10.24432/C5NC77" in load_german_credit().DESCR
    assert "CC BY 4.0" in load_german_credit().DESCR
    assert "ISLP" in load_wage().DESCR
    assert "BSD" in load_wage().DESCR
    assert "An Introduction to Statistical Learning" in load_wage().DESCR


@pytest.mark.parametrize("name", list(SPECS))
def test_mutating_a_result_does_not_change_the_next_load(name):
    loader = SPECS[name][0]
    first = loader()
    expected = loader()
    first.data.iloc[0, 0] = first.data.iloc[1, 0]
    first.data.iloc[:, 1] = first.data.iloc[::-1, 1].to_numpy()
    del first.data[first.data.columns[2]]
    first.frame.iloc[:, 0] = first.frame.iloc[::-1, 0].to_numpy()
    first.target.iloc[:] = first.target.iloc[0]
    first.feature_names.append("extra")
    first.sensitive_features.clear()
    again = loader()
    pd.testing.assert_frame_equal(again.data, expected.data)
    pd.testing.assert_frame_equal(again.frame, expected.frame)
    pd.testing.assert_series_equal(again.target, expected.target)
    assert again.feature_names == expected.feature_names
    assert again.sensitive_features == SPECS[name][3]


def test_mutating_adult_split_does_not_change_the_next_load():
    first = load_adult()
    first.split.iloc[:] = "test"
    assert load_adult().split.value_counts().to_dict() == {"train": 32561, "test": 16281}


# --------------------------------------------------------------------------------- Adult


def test_adult_columns(adult):
    assert adult.feature_names == ADULT_COLUMNS


def test_adult_target_counts(adult):
    assert adult.target.value_counts().to_dict() == {"<=50K": 37155, ">50K": 11687}
    assert adult.target_names == ["<=50K", ">50K"]
    assert (adult.target == ">50K").mean() == pytest.approx(0.2393, abs=5e-4)
    assert not adult.target.str.endswith(".").any()
    assert adult.target.notna().all()


def test_adult_missing_values_match_question_marks_in_the_source(adult):
    # Number of "?" fields: adult.data 1836 / 1843 / 583, adult.test 963 / 966 / 274.
    missing = adult.data.isna().sum()
    assert missing[missing > 0].to_dict() == {
        "workclass": 2799,
        "occupation": 2809,
        "native-country": 857,
    }
    assert int(adult.data.isna().any(axis=1).sum()) == 3620  # 48842 - 45222, adult.names
    for column in adult.data.select_dtypes(exclude="number").columns:
        values = adult.data[column].dropna()
        assert not values.eq("?").any()
        assert values.eq(values.str.strip()).all(), f"{column} has padded values"


def test_adult_split(adult):
    assert isinstance(adult.split, pd.Series)
    assert adult.split.index.equals(adult.data.index)
    assert adult.split.value_counts().to_dict() == {"train": 32561, "test": 16281}
    assert (adult.split.iloc[:32561] == "train").all()
    assert "split" not in adult.data.columns
    assert "split" not in adult.frame.columns
    by_split = pd.crosstab(adult.split, adult.target)
    assert by_split.loc["train"].to_dict() == {"<=50K": 24720, ">50K": 7841}
    assert by_split.loc["test"].to_dict() == {"<=50K": 12435, ">50K": 3846}


@pytest.mark.parametrize(
    ("split", "rows", "start"),
    [("train", 32561, 0), ("test", 16281, 32561), ("all", 48842, 0)],
)
def test_adult_split_argument(adult, split, rows, start):
    part = load_adult(split=split)
    assert part.data.shape == (rows, 14)
    assert isinstance(part.data.index, pd.RangeIndex)
    assert part.data.index[0] == 0
    if split != "all":
        assert set(part.split) == {split}
    expected = adult.data.iloc[start : start + rows].reset_index(drop=True)
    pd.testing.assert_frame_equal(part.data, expected)
    pd.testing.assert_series_equal(
        part.target, adult.target.iloc[start : start + rows].reset_index(drop=True)
    )
    assert f"{rows:,} rows x 14 feature columns" in part.DESCR


@pytest.mark.parametrize("bad", ["validation", "TRAIN", "", None, ["train"], 1])
def test_adult_invalid_split_raises_validation_error(bad):
    with pytest.raises(ValidationError) as info:
        load_adult(split=bad)
    message = str(info.value)
    assert "split" in message
    for allowed in ("'all'", "'train'", "'test'"):
        assert allowed in message
    assert isinstance(info.value, ValueError)


def test_adult_split_is_keyword_only():
    with pytest.raises(TypeError):
        load_adult("train")


# ------------------------------------------------------------------------ German credit


def test_german_credit_values():
    credit = load_german_credit()
    assert credit.target.value_counts().to_dict() == {"good": 700, "bad": 300}
    assert credit.target_names == ["bad", "good"]
    assert not credit.frame.isna().any().any()
    assert credit.data["foreign_worker"].value_counts().to_dict() == {"yes": 963, "no": 37}
    assert set(credit.data["personal_status_and_sex"]) == {
        "male : divorced/separated",
        "female : divorced/separated/married",
        "male : single",
        "male : married/widowed",
    }
    # "none" is a category label, not a missing value.
    assert credit.data["other_debtors_or_guarantors"].eq("none").sum() == 907
    assert credit.data["age_in_years"].between(19, 75).all()


# --------------------------------------------------------------------------------- Wage


def test_wage_values():
    wage = load_wage()
    assert wage.feature_names == [
        "year",
        "age",
        "maritl",
        "race",
        "education",
        "region",
        "jobclass",
        "health",
        "health_ins",
    ]
    assert "logwage" not in wage.data.columns
    assert "wage" not in wage.data.columns
    assert list(wage.frame.columns) == [*wage.feature_names, "logwage", "wage"]
    assert str(wage.target.dtype) == "float64"
    assert str(wage.frame["logwage"].dtype) == "float64"
    np.testing.assert_allclose(np.exp(wage.frame["logwage"]), wage.target, rtol=1e-9)
    assert wage.target.mean() == pytest.approx(111.7036, abs=1e-4)
    assert "target_names" not in wage
    assert not wage.frame.isna().any().any()
    assert wage.data["race"].value_counts().to_dict() == {
        "1. White": 2480,
        "2. Black": 293,
        "3. Asian": 190,
        "4. Other": 37,
    }
    assert wage.data["year"].between(2003, 2009).all()


# ------------------------------------------------------------------------ packaging, offline


def test_data_files_are_packaged_compressed_and_small():
    data_dir = files("rai_widgets.datasets") / "_data"
    for name in ("adult.csv.gz", "german_credit.csv.gz", "wage.csv.gz"):
        raw = (data_dir / name).read_bytes()
        assert raw[:2] == b"\x1f\x8b", f"{name} is not gzip"
        assert len(raw) < 1_000_000, f"{name} is {len(raw)} bytes"
    assert (data_dir / "BUILD.md").is_file()


FORBIDDEN_MODULES = {
    "urllib",
    "urllib3",
    "requests",
    "http",
    "httpx",
    "aiohttp",
    "socket",
    "ftplib",
}
FORBIDDEN_NAMES = ("urlopen", "urlretrieve", "fetch_openml", "http.client", "requests.get")


def test_datasets_source_has_no_network_code():
    sources = sorted(DATASETS_DIR.rglob("*.py"))
    assert len(sources) >= 4
    for path in sources:
        text = path.read_text(encoding="utf-8")
        imported = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
        assert not imported & FORBIDDEN_MODULES, (
            f"{path.name} imports {imported & FORBIDDEN_MODULES}"
        )
        for name in FORBIDDEN_NAMES:
            assert name not in text, f"{path.name} mentions {name}"


def test_loaders_work_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a dataset loader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    io_module = importlib.import_module("rai_widgets.datasets._io")
    io_module._parse.cache_clear()  # force a real read from the package files
    assert load_adult().data.shape == (48842, 14)
    assert load_german_credit().data.shape == (1000, 20)
    assert load_wage().data.shape == (3000, 9)


@pytest.mark.parametrize(
    "module",
    [
        "rai_widgets.datasets",
        "rai_widgets.datasets._adult",
        "rai_widgets.datasets._german_credit",
        "rai_widgets.datasets._wage",
    ],
)
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------- against the original files

needs_originals = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"original data not found at {SHARED_DATA}"
)


def _parse_adult_file(path: Path, *, skiprows: int) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        header=None,
        names=[*ADULT_COLUMNS, "income"],
        skipinitialspace=True,
        na_values="?",
        keep_default_na=False,
        skiprows=skiprows,
    )
    frame["income"] = frame["income"].str.rstrip(".")
    return frame


@needs_originals
def test_packaged_adult_equals_the_originals(adult):
    train = _parse_adult_file(SHARED_DATA / "adult.data", skiprows=0)
    test = _parse_adult_file(SHARED_DATA / "adult.test", skiprows=1)
    assert (len(train), len(test)) == (32561, 16281)
    expected = pd.concat([train, test], ignore_index=True)
    pd.testing.assert_frame_equal(adult.frame, expected)
    question_marks = sum(
        (SHARED_DATA / name).read_text().count("?") for name in ("adult.data", "adult.test")
    )
    assert int(adult.data.isna().sum().sum()) == question_marks == 6465
    split = pd.Series(["train"] * len(train) + ["test"] * len(test), name="split")
    pd.testing.assert_series_equal(adult.split, split)


@needs_originals
def test_packaged_german_credit_equals_the_original():
    expected = pd.read_csv(SHARED_DATA / "germancredit_decoded.csv")
    pd.testing.assert_frame_equal(load_german_credit().frame, expected)


@needs_originals
def test_packaged_wage_equals_the_original():
    expected = pd.read_csv(SHARED_DATA / "islp_wage.csv")
    pd.testing.assert_frame_equal(load_wage().frame, expected)
