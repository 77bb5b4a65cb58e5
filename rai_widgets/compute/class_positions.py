"""Where labels sit among a model's classes, without a Python object per row.

Examples
--------
>>> import pandas as pd
>>> class_positions(pd.Index([0, 1]), pd.array([1, 0, 2], dtype="Int64")).tolist()
[1, 0, -1]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["class_positions"]


def class_positions(classes: pd.Index, values: Any) -> np.ndarray:
    """Each value's position in ``classes`` (-1 when it is not one), as
    ``classes.get_indexer(values)``.

    An extension array (pandas' Arrow strings, nullable integers, categoricals) is factorized
    first and only its distinct values are looked up: ``get_indexer`` would build a Python
    object for every row (about 0.6 GB for 10,000,000 short text labels). Plain arrays are
    looked up directly, with ``get_indexer``'s own notion of equality (``True`` is not ``1``).

    Parameters
    ----------
    classes : pandas.Index
        The classes, in order.
    values : array-like
        Labels, one per row.

    Returns
    -------
    numpy.ndarray of intp

    Examples
    --------
    >>> labels = pd.array(["b", "a", "c", "b"], dtype="string[pyarrow]")
    >>> class_positions(pd.Index(["a", "b"]), labels).tolist()
    [1, 0, -1, 1]
    """
    if not isinstance(values, pd.api.extensions.ExtensionArray):
        return classes.get_indexer(values)
    codes, uniques = pd.factorize(values)  # missing: code -1, never a class
    found = classes.get_indexer(uniques)
    return np.append(found, -1).astype(np.intp, copy=False)[codes]
