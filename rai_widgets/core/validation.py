"""Input validation: turn what users pass into aligned pandas objects, or fail with a clear error.

Every function here raises a :class:`~rai_widgets.core.errors.RaiWidgetsError` subclass that
names the offending argument or column and says what to do; none of them calls the model.

Examples
--------
>>> import numpy as np
>>> X = as_frame(np.zeros((2, 2)), feature_names=["a", "b"])
>>> list(X.columns)
['a', 'b']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.errors import ColumnNotFoundError, ValidationError

__all__ = [
    "align_to_rows",
    "as_frame",
    "check_no_missing",
    "check_plain_axes",
    "closest_names",
    "is_numeric",
    "resolve_sensitive_features",
]


def closest_names(name: Any, candidates: Iterable[Any]) -> str:
    """Return a " Did you mean ...?" hint for a misspelt name, or an empty string.

    Examples
    --------
    >>> closest_names("rcae", ["race", "sex"])
    " Did you mean 'race'?"
    """
    matches = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=3)
    if not matches:
        return ""
    return " Did you mean " + " or ".join(repr(m) for m in matches) + "?"


def is_numeric(values: pd.Series | np.ndarray) -> bool:
    """Tell whether a column holds numbers (bool excluded), whatever pandas version made it.

    pandas 3 reads text as the ``str`` dtype, pandas 2 as ``object``: both count as not numeric,
    as do categoricals.

    Examples
    --------
    >>> import pandas as pd
    >>> is_numeric(pd.Series([1, 2])), is_numeric(pd.Series(["a", "b"]))
    (True, False)
    """
    dtype = values.dtype
    return bool(pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))


def as_frame(X: Any, *, feature_names: Sequence[str] | None = None) -> pd.DataFrame:
    """Return X as a DataFrame (a view when possible, never a deep copy of a DataFrame).

    Parameters
    ----------
    X : pandas.DataFrame or 2-D array-like
        The features.
    feature_names : sequence of str, optional
        Column names for an array. Defaults to ``x0, x1, ...`` (scikit-learn's convention).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValidationError
        X is not 2-D, is empty, or its column names are not unique.
    """
    if isinstance(X, pd.DataFrame):
        frame = X
        if feature_names is not None and list(feature_names) != [str(c) for c in X.columns]:
            raise ValidationError(
                "feature_names was given but X is a DataFrame with other column names; "
                "pass one or the other."
            )
    else:
        if isinstance(X, pd.Series):
            raise ValidationError(
                "X is a Series; pass a DataFrame (X.to_frame()) or a 2-D array of features."
            )
        array = np.asarray(X)
        if array.ndim != 2:
            raise ValidationError(
                f"X must be 2-D (rows x features); got an array with shape {array.shape}. "
                "Reshape it, e.g. X.reshape(-1, 1) for a single feature."
            )
        if feature_names is None:
            feature_names = [f"x{i}" for i in range(array.shape[1])]
        feature_names = list(feature_names)
        if len(feature_names) != array.shape[1]:
            raise ValidationError(
                f"feature_names has {len(feature_names)} names but X has {array.shape[1]} "
                "columns; give one name per column."
            )
        frame = pd.DataFrame(array, columns=feature_names, copy=False)
    if frame.shape[0] == 0:
        raise ValidationError("X has no rows; pass the data the model should be looked at on.")
    if frame.shape[1] == 0:
        raise ValidationError("X has no columns; pass the features the model takes.")
    if frame.columns.has_duplicates:
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ValidationError(f"X has duplicated column names {dupes}; make them unique.")
    check_plain_axes(frame)
    return frame


def check_plain_axes(frame: pd.DataFrame, *, argument: str = "X") -> None:
    """Refuse the shapes of a frame that a row or a column could not be named by.

    A session names every row by one label of X's index and every column by one name, in its
    tables, links, saved test cases and shared files. So X's index must be one level with
    unique labels, and its column names single values (not tuples).

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    argument : str, default "X"
        Its argument's name, for the error.

    Raises
    ------
    ValidationError
        A MultiIndex on the rows or the columns, a tuple column name, or duplicated row labels;
        the message says how to make the frame plain.

    Examples
    --------
    >>> import pandas as pd
    >>> check_plain_axes(pd.DataFrame({"a": [1, 2]}, index=[7, 7]))
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: X has 1 duplicated row label (first: 7): ...
    """
    if isinstance(frame.index, pd.MultiIndex):
        raise ValidationError(
            f"{argument} has a MultiIndex on its rows ({frame.index.nlevels} levels); a row must "
            f"be named by one label. Use {argument}.reset_index() (the levels become columns; "
            "drop them if the model does not take them) or set one unique index."
        )
    tuples = [c for c in frame.columns if isinstance(c, tuple)]
    if isinstance(frame.columns, pd.MultiIndex) or tuples:
        first = tuples[0] if tuples else frame.columns[0]
        raise ValidationError(
            f"{argument} has tuple column names (first: {first!r}); a column must be named by one "
            f"value. Flatten them first, e.g. {argument}.columns = "
            f"['_'.join(map(str, c)) for c in {argument}.columns] (and refit the model on them)."
        )
    if frame.index.has_duplicates:
        duplicated = frame.index[frame.index.duplicated()]
        n = len(duplicated)
        raise ValidationError(
            f"{argument} has {n} duplicated row label{'s' if n != 1 else ''} (first: "
            f"{plain_label(duplicated[0])!r}): every row must have its own label to be shown, "
            f"linked and saved. Use {argument}.reset_index(drop=True), or an index of unique ids."
        )


def align_to_rows(values: Any, index: pd.Index, *, argument: str, name: Any = None) -> pd.Series:
    """Align a 1-D array-like with the rows of X.

    A Series whose index holds the same labels as X is aligned by label. A Series with a
    default index (0, 1, ..., n-1) that shares no label with X's index, and any other 1-D
    input, must have one value per row of X and is aligned by position. A Series whose labels
    only partly match X's is ambiguous and rejected: pairing it by position would silently
    pair the wrong rows.

    Parameters
    ----------
    values : array-like or pandas.Series
        One value per row.
    index : pandas.Index
        X's index.
    argument : str
        The argument's name, used in error messages.
    name : hashable, optional
        Name of the returned Series (default: the Series' own name).

    Returns
    -------
    pandas.Series
        Indexed exactly like X.

    Raises
    ------
    ValidationError
        Wrong length, not 1-D, or a Series whose index does not match X's.

    Examples
    --------
    >>> import pandas as pd
    >>> align_to_rows([1, 2], pd.Index(["a", "b"]), argument="y").index.tolist()
    ['a', 'b']
    """
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValidationError(
                f"{argument} must be 1-D; got a DataFrame with {values.shape[1]} columns."
            )
        values = values.iloc[:, 0]
    if isinstance(values, pd.Series):
        series_name = values.name if name is None else name
        if values.index.equals(index):
            return values.rename(series_name)
        if len(values) == len(index) and not values.index.has_duplicates:
            if not index.has_duplicates and values.index.isin(index).all():
                return values.reindex(index).rename(series_name)
            default = values.index.equals(pd.RangeIndex(len(values)))
            if default and not values.index.isin(index).any():
                return pd.Series(values.to_numpy(), index=index, name=series_name)
        if len(values) != len(index):
            raise ValidationError(
                f"{argument} has {len(values)} values but X has {len(index)} rows; "
                "pass one value per row of X."
            )
        raise ValidationError(
            f"{argument} is a Series whose index does not match X's index; align them "
            f"(e.g. {argument}.reindex(X.index)) or pass {argument}.to_numpy() to align by "
            "position."
        )
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValidationError(f"{argument} must be 1-D; got shape {array.shape}.")
    if len(array) != len(index):
        raise ValidationError(
            f"{argument} has {len(array)} values but X has {len(index)} rows; "
            "pass one value per row of X."
        )
    return pd.Series(array, index=index, name=name)


def check_no_missing(values: pd.Series, *, argument: str) -> None:
    """Raise if a Series has missing values, naming how many and where.

    Raises
    ------
    ValidationError
        With the count and the first row labels that are missing.
    """
    missing = values.isna().to_numpy()
    if missing.any():
        where = values.index[missing][:5].tolist()
        raise ValidationError(
            f"{argument} has {int(missing.sum())} missing value(s) (NaN/None), e.g. at rows "
            f"{where}. Drop those rows from X and {argument} before creating the session."
        )


def plain_label(label: Any) -> Any:
    """A row or column label with numpy scalars made plain Python, so messages read ``1``
    rather than ``np.int64(1)`` (also inside tuples of a MultiIndex).

    Examples
    --------
    >>> import numpy as np
    >>> plain_label((np.int64(1), "a"))
    (1, 'a')
    """
    if isinstance(label, tuple):
        return tuple(plain_label(part) for part in label)
    return label.item() if isinstance(label, np.generic) else label


def check_finite(frame: pd.DataFrame, *, argument: str) -> None:
    """Refuse +/-infinity in a numeric column, naming the column, the count and the first row.

    rai_widgets' policy on infinities: they are refused at the door. An infinite value has no
    place on a number line: it would fall outside every quantile bin, turn a mean absolute
    error or a bootstrap bound into infinity or NaN, and silently shift every slice. Missing
    values (NaN, None, pd.NA) are fine: they form a slice of their own.

    Parameters
    ----------
    frame : pandas.DataFrame
        The columns to check (non-numeric columns are skipped).
    argument : str
        The argument the columns came from ("X", "y", "sensitive_features").

    Raises
    ------
    ValidationError
        A numeric column holds an infinite value.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> check_finite(pd.DataFrame({"a": [1.0, np.nan]}), argument="X")
    >>> check_finite(pd.DataFrame({"a": [1.0, -np.inf]}), argument="X")
    Traceback (most recent call last):
    ...
    rai_widgets.core.errors.ValidationError: X column 'a' has 1 infinite value(s), ...
    """
    for name in frame.columns:
        column = frame[name]
        if not is_numeric(column) or pd.api.types.is_integer_dtype(column.dtype):
            continue
        values = column.to_numpy(dtype=float, na_value=np.nan)
        infinite = np.isinf(values)
        if infinite.any():
            first = plain_label(frame.index[int(np.flatnonzero(infinite)[0])])
            raise ValidationError(
                f"{argument} column {name!r} has {int(infinite.sum())} infinite value(s), the "
                f"first at row {first!r}. Infinities are refused: they fall outside every bin "
                "and turn errors and bounds into infinity. Replace them with NaN (missing values "
                "form a slice of their own) or clip them to a finite value."
            )


def resolve_sensitive_features(
    sensitive_features: Any, X: pd.DataFrame
) -> tuple[list[Any], pd.DataFrame]:
    """Split ``sensitive_features`` into names of X's columns and extra aligned columns.

    Parameters
    ----------
    sensitive_features : None, str, list of str, Series, DataFrame, mapping or 1-D array
        Column names in X, or values aligned with X that the model never sees.
    X : pandas.DataFrame
        The features.

    Returns
    -------
    names : list
        Names of all sensitive features, in the order given.
    extra : pandas.DataFrame
        Columns that are not in X, indexed like X (possibly with no columns).

    Raises
    ------
    ColumnNotFoundError
        A name is not a column of X.
    ValidationError
        Values not aligned with X, or a name that clashes with a column of X.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [30, 40], "sex": ["F", "M"]})
    >>> names, extra = resolve_sensitive_features("sex", X)
    >>> names, extra.shape
    (['sex'], (2, 0))
    """
    extra = pd.DataFrame(index=X.index)
    if sensitive_features is None:
        return [], extra
    if isinstance(sensitive_features, (str, int, np.integer)) and not isinstance(
        sensitive_features, bool
    ):
        items: list[tuple[Any, Any]] = [(sensitive_features, None)]
    elif isinstance(sensitive_features, pd.DataFrame):
        items = [(col, sensitive_features[col]) for col in sensitive_features.columns]
    elif isinstance(sensitive_features, pd.Series):
        name = sensitive_features.name if sensitive_features.name is not None else None
        items = [(name if name is not None else "sensitive_feature_0", sensitive_features)]
    elif isinstance(sensitive_features, Mapping):
        items = list(sensitive_features.items())
    elif isinstance(sensitive_features, np.ndarray):
        if sensitive_features.ndim == 2:
            items = [
                (f"sensitive_feature_{i}", sensitive_features[:, i])
                for i in range(sensitive_features.shape[1])
            ]
        else:  # 1-D: one feature (align_to_rows reports a wrong length or shape)
            items = [("sensitive_feature_0", sensitive_features)]
    else:
        seq = list(sensitive_features)
        array_like = (list, tuple, np.ndarray, pd.Series, pd.Index)
        if seq and all(isinstance(v, array_like) for v in seq):  # several arrays of values
            items = [(f"sensitive_feature_{i}", v) for i, v in enumerate(seq)]
        elif (
            seq
            and all(isinstance(v, str) for v in seq)
            and (any(v in X.columns for v in seq) or len(seq) != len(X))
        ):
            items = [(v, None) for v in seq]  # column names
        else:  # one list of values, one per row
            items = [("sensitive_feature_0", np.asarray(seq, dtype=object))]
    names: list[Any] = []
    for name, values in items:
        if values is None:
            if name not in X.columns:
                hint = closest_names(name, X.columns)
                raise ColumnNotFoundError(
                    f"sensitive feature {name!r} is not a column of X.{hint}"
                    " Pass a column name of X, or the values themselves as a Series aligned "
                    "with X."
                )
        else:
            aligned = align_to_rows(
                values, X.index, argument=f"sensitive_features[{name!r}]", name=name
            )
            if name in X.columns:
                # X["sex"] passed as values (fairlearn style) is the column itself
                if not aligned.equals(X[name].rename(name)):
                    raise ValidationError(
                        f"sensitive feature {name!r} was passed as values that differ from X's "
                        f"column {name!r}; pass the name alone, or rename the Series."
                    )
            else:
                extra[name] = aligned
        if name in names:
            raise ValidationError(f"sensitive feature {name!r} is listed twice.")
        names.append(name)
    return names, extra
