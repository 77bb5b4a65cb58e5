"""The pandas-2 pass of ``scripts/test`` leaves out no test that depends on pandas' version.

The list of what runs on both versions is ``tests/pandas_version.py``; these tests check that it
names paths that exist, that the marker reaches the tests under them, and that no test file
outside it uses pandas' dtype or I/O API without carrying the marker itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.pandas_version import (
    PANDAS_API,
    PANDAS_VERSION_NAMES,
    PANDAS_VERSION_PATHS,
    REPO,
    depends_on_pandas_version,
)

TESTS = REPO / "tests"
# tests/browser runs once (in a real browser, on pandas 3): the front end, not pandas, is tested
OUTSIDE = [
    path
    for path in sorted(TESTS.rglob("test_*.py"))
    if "browser" not in path.relative_to(TESTS).parts and not depends_on_pandas_version(path)
]


@pytest.mark.parametrize("listed", sorted(PANDAS_VERSION_PATHS))
def test_every_listed_path_exists_and_has_a_reason(listed):
    path = REPO / listed
    assert path.is_dir() if listed.endswith("/") else path.is_file(), listed
    assert len(PANDAS_VERSION_PATHS[listed].split()) >= 4, f"{listed}: say why"


@pytest.mark.parametrize("word", sorted(PANDAS_VERSION_NAMES))
def test_every_listed_word_names_tests_and_has_a_reason(word):
    sources = (path.read_text(encoding="utf-8") for path in TESTS.rglob("test_*.py"))
    assert any(re.search(rf"def test_\w*{word}", text) for text in sources), f"no test says {word}"
    assert len(PANDAS_VERSION_NAMES[word].split()) >= 4, f"{word}: say why"


def test_the_marker_reaches_the_listed_tests(request):
    marked = [m.name for m in request.node.iter_markers()]
    assert "pandas_version" not in marked  # this file is not listed: it tests the list
    assert depends_on_pandas_version(TESTS / "session" / "test_hostile_inputs.py")
    assert depends_on_pandas_version(REPO / "rai_widgets" / "core" / "codec.py")
    assert not depends_on_pandas_version(TESTS / "readings" / "test_readings.py")
    assert not depends_on_pandas_version(Path("/elsewhere/tests/core/test_codec.py"))
    readings = TESTS / "readings" / "test_readings.py"
    assert depends_on_pandas_version(readings, "test_hostile_names[binary]")
    assert not depends_on_pandas_version(readings, "test_plain_numbers")


@pytest.mark.parametrize("path", OUTSIDE, ids=[p.relative_to(TESTS).as_posix() for p in OUTSIDE])
def test_a_file_using_pandas_dtypes_or_io_is_on_the_list_or_marked(path):
    source = path.read_text(encoding="utf-8")
    uses = sorted(set(PANDAS_API.findall(source)))
    if uses:
        assert "pytest.mark.pandas_version" in source, (
            f"{path.relative_to(REPO)} uses {uses}: its result can depend on pandas' version. "
            "Add it to PANDAS_VERSION_PATHS in tests/pandas_version.py with the reason, or mark "
            "its tests @pytest.mark.pandas_version."
        )
