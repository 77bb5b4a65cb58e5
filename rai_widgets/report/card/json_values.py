"""The model card as JSON-safe data: numpy scalars unwrapped, NaN as None, labels as text.

Examples
--------
>>> import numpy as np
>>> plain({"n": np.int64(3), "gap": float("nan"), "groups": ("a", None)})
{'n': 3, 'gap': None, 'groups': ['a', None]}
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.formatting import label

__all__ = ["plain", "records"]


def plain(value: Any) -> Any:
    """A JSON-safe Python value: numpy scalars unwrapped, NaN/inf as None, labels as text.

    Parameters
    ----------
    value : object
        A scalar, dict, list, tuple, array, index or DataFrame.

    Returns
    -------
    object
        Only dicts, lists, str, int, float, bool and None.

    Examples
    --------
    >>> import numpy as np
    >>> plain([np.float64(0.5), np.inf, np.bool_(True), ("Female", "Black")])
    [0.5, None, True, ['Female', 'Black']]
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Index)):
        return [plain(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return records(value)
    return label(value)


def records(frame: pd.DataFrame | None) -> list[dict]:
    """A tidy frame as JSON-safe records; index levels become leading columns.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        None gives an empty list.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> import pandas as pd
    >>> records(pd.DataFrame({"n": [3, 4]}, index=pd.Index(["a", "b"], name="sex")))
    [{'sex': 'a', 'n': 3}, {'sex': 'b', 'n': 4}]
    """
    if frame is None:
        return []
    out = frame.copy()
    if not isinstance(out.index, pd.RangeIndex):
        names = [n if n is not None else "group" for n in out.index.names]
        out.index = out.index.set_names([str(n) for n in names])
        out = out.reset_index()
    rows = []
    for row in out.to_dict(orient="records"):
        rows.append({str(k): _cell(v) for k, v in row.items()})
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, (str, bool, np.bool_, int, np.integer, float, np.floating)):
        return plain(value)
    if value is None:
        return None
    return label(value)
