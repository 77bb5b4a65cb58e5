"""What a session keeps of its inputs: snapshots that no later edit can reach, identifier
columns taken out of the model's input, and checks of the seed.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"id": ["a", "b"], "age": [30, 40]})
>>> identifier_names(["id"], X, None)
['id']
>>> without_columns(X, X, ["id"]).columns.tolist()
['age']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.core.validation import closest_names

__all__ = [
    "copy_on_write",
    "identifier_names",
    "snapshot_frame",
    "snapshot_model_input",
    "without_columns",
]

_PANDAS_MAJOR = int(pd.__version__.split(".")[0])


def copy_on_write() -> bool:
    """Whether pandas' copy-on-write is on (always from pandas 3)."""
    return _PANDAS_MAJOR >= 3 or pd.options.mode.copy_on_write is True


def snapshot_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` that no later edit of ``frame`` (or of the copy) can reach.

    Under pandas' copy-on-write (the default from pandas 3) a shallow copy is such a snapshot
    and costs nothing: whichever side is edited first copies the edited column. Before it, only
    a deep copy is.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data to keep.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1, 2]})
    >>> kept = snapshot_frame(X)
    >>> X.loc[0, "a"] = 99
    >>> int(kept.loc[0, "a"])
    1
    """
    return frame.copy(deep=not copy_on_write())


def snapshot_model_input(X: Any) -> Any:
    """X as the model will be called on it, safe from the caller's later edits."""
    if isinstance(X, pd.DataFrame):
        return snapshot_frame(X)
    if isinstance(X, pd.Series):
        return X  # refused by as_frame with a clear message
    array = np.array(X, copy=True)
    array.flags.writeable = False
    return array


def identifier_names(identifier_columns: Any, X: pd.DataFrame, sensitive: Any) -> list:
    """Validated names of the identifier columns of X."""
    if identifier_columns is None:
        return []
    names = (
        [identifier_columns]
        if isinstance(identifier_columns, str) or not pd.api.types.is_list_like(identifier_columns)
        else list(identifier_columns)
    )
    for name in names:
        if name not in X.columns:
            raise ColumnNotFoundError(
                f"identifier_columns: {name!r} is not a column of X."
                f"{closest_names(name, X.columns)}"
            )
    if len(set(names)) != len(names):
        raise ValidationError("identifier_columns names a column twice.")
    if len(names) == X.shape[1]:
        raise ValidationError(
            "identifier_columns names every column of X; the model needs at least one feature."
        )
    sensitive_names = (
        [sensitive]
        if isinstance(sensitive, str)
        else sensitive
        if isinstance(sensitive, list)
        else []
    )
    both = [n for n in names if n in sensitive_names]
    if both:
        raise ValidationError(
            f"{both} are both identifier columns and sensitive features; an identifier only "
            "finds a case, a sensitive feature groups cases. Pick one for each column."
        )
    return names


def without_columns(model_input: Any, frame: pd.DataFrame, names: list) -> Any:
    """The model's input without the identifier columns (a frame, or a read-only array)."""
    if isinstance(model_input, pd.DataFrame):
        return model_input.drop(columns=names)
    keep = [i for i, c in enumerate(frame.columns) if c not in set(names)]
    array = np.ascontiguousarray(np.asarray(model_input)[:, keep])
    array.flags.writeable = False
    return array
