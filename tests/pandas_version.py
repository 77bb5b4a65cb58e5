"""Which tests can give another result on pandas 2 than on pandas 3: the one list.

``scripts/test`` runs every test on pandas 3, then runs again on pandas 2 only the tests marked
``pandas_version`` (``-m pandas_version``). ``tests/conftest.py`` gives that marker to every
test under a path of ``PANDAS_VERSION_PATHS`` and to every test whose name has a word of
``PANDAS_VERSION_NAMES`` ("hostile", "escape"); a test elsewhere can carry it itself
(``@pytest.mark.pandas_version``, or ``pytestmark`` for a file).

A test depends on pandas' version when what it checks goes through something pandas 3 changed:
the default string dtype (``str`` instead of ``object``) and missing values in it, dtype
inference and nullable dtypes, reading files (``read_csv``), group-bys and slicing of frames
(categorical order, empty and missing groups), frames turned into JSON and back, or how pandas
prints objects (doctests). What only draws numbers already computed (the widgets, the static
HTML's layout, the sentences of ``readings/``), the notebooks, the docs site, the browser tests
and the layering of imports run once, on pandas 3.

``tests/test_pandas_version.py`` fails when a test file outside the list uses pandas' dtype or
I/O API (``PANDAS_API``) without the marker: a new test of that kind is not left out silently.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Paths (relative to the repository; a folder ends in "/") whose tests run on both pandas
#: versions, each with the reason.
PANDAS_VERSION_PATHS: dict[str, str] = {
    "rai_widgets/": "doctests print frames, Series and dtypes as pandas prints them",
    "tests/core/": "the codec and the cache keys turn frames of every dtype into bytes and back",
    "tests/datasets/": "the bundled data is read with read_csv: its dtypes are pandas'",
    "tests/compute/": "every number comes from group-bys, value counts, categoricals and NA "
    "handling of pandas",
    "tests/session/": "the user's frame enters here: validation, dtypes, hostile inputs, "
    "slicing, counterfactuals that keep each column's dtype",
    "tests/report/": "the card and the export turn frames into JSON and back (object, never "
    "pandas 3's str)",
    "tests/display/test_from_predictions.py": "takes the user's predictions as Series of any dtype",
    "tests/static_html/test_static_html.py": "tables of frame values: categoricals, nullable "
    "integers, missing values",
    "tests/widgets/test_example_browser.py": "shows and sorts the rows of every dtype, missing "
    "text included",
    "tests/widgets/test_uncertainty_sentences_true.py": "reads the per-group numbers of a fit on "
    "Wage's text columns, whose digits differ between pandas 2 and 3",
    "tests/test_formatting.py": "formats pandas scalars: pd.NA, nullable integers",
    "tests/test_hostile_html.py": "hostile names and values, categoricals among them, all the "
    "way to the HTML",
    "tests/test_views_groupings.py": "the groupings a slice is picked from",
}

#: Words in a test's name that make it run on both versions wherever its file is, with the reason.
PANDAS_VERSION_NAMES: dict[str, str] = {
    "hostile": "hostile names and values (markup, NaN, None, odd dtypes) pass through pandas' "
    "string dtype before they are escaped",
    "escape": "what is escaped is the text pandas gives for each value, missing ones included",
}

#: Uses of pandas' dtype and I/O API that make a test file depend on pandas' version.
PANDAS_API = re.compile(
    r"pd\.NA\b|StringDtype|ArrowDtype|Categorical|read_csv|to_csv|read_parquet|infer_string"
    r"|pd\.__version__|[\"'](?:Int64|Int32|Float64|boolean|category|string)[\"']"
)


def depends_on_pandas_version(path: Path, name: str = "") -> bool:
    """True if the test ``name`` in the file (or doctest module) at ``path`` is under
    ``PANDAS_VERSION_PATHS`` or has a word of ``PANDAS_VERSION_NAMES`` in its name.

    Examples
    --------
    >>> depends_on_pandas_version(REPO / "tests" / "core" / "test_codec.py")
    True
    >>> depends_on_pandas_version(REPO / "tests" / "test_layering.py")
    False
    >>> depends_on_pandas_version(REPO / "tests" / "widgets" / "x.py", "test_hostile_values")
    True
    """
    if any(word in name for word in PANDAS_VERSION_NAMES):
        return True
    try:
        relative = path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return False
    return any(
        relative.startswith(listed) if listed.endswith("/") else relative == listed
        for listed in PANDAS_VERSION_PATHS
    )
