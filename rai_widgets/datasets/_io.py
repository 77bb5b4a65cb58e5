"""Read the gzip CSV files shipped in ``rai_widgets/datasets/_data``.

Only local package resources are read, through :mod:`importlib.resources`, so loading works
from a source checkout, an installed wheel or a zip import, and never needs a network.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib.resources import files

import pandas as pd

_DATA_DIR = "_data"


def read_packaged_csv(name: str, *, dtype: Mapping[str, str]) -> pd.DataFrame:
    """Return a fresh copy of the packaged CSV file ``_data/<name>``.

    The file is parsed once per process and cached; every call returns a deep copy, so a
    caller may mutate its result without changing what the next call returns.

    Parameters
    ----------
    name : str
        File name inside ``rai_widgets/datasets/_data`` (for example ``"adult.csv.gz"``).
    dtype : mapping of str to str
        Explicit dtypes of the numeric columns. Text columns are left to pandas (``object``
        on pandas 2, ``str`` on pandas 3). Empty fields are read as missing values (NaN).

    Returns
    -------
    pandas.DataFrame
        The parsed file with a RangeIndex.
    """
    return _parse(name, tuple(dtype.items())).copy(deep=True)


@functools.cache
def _parse(name: str, dtype: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    resource = files(__package__) / _DATA_DIR / name
    with resource.open("rb") as handle:
        return pd.read_csv(
            handle,
            compression="gzip",
            dtype=dict(dtype),
            keep_default_na=False,  # only empty fields are missing ("none", "NA" are values)
            na_values=[""],
            engine="c",
        )
