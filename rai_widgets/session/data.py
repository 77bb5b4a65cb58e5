"""The data half of a session: a snapshot of X, y and the sensitive features, identifier
columns kept apart, the result cache, and the columns, rows and slices everything else asks
for. :class:`~rai_widgets.session.core.SessionCore` adds the model to it.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"age": [25, 40, 61], "sex": ["F", "M", "F"]})
>>> data = SessionData(X, sensitive_features=["sex"])
>>> data.slices("sex").sizes.tolist(), data.positions_of([2]).tolist()
([2, 1], [2])
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.arguments import check_int
from rai_widgets.core.cache import DEFAULT_MAX_BYTES, CacheInfo, ResultCache
from rai_widgets.core.errors import ColumnNotFoundError
from rai_widgets.core.slices import DEFAULT_MAX_GROUPS, SliceSet, resolve_slices, spec_key
from rai_widgets.core.validation import (
    align_to_rows,
    as_frame,
    check_finite,
    check_no_missing,
    closest_names,
    resolve_sensitive_features,
)
from rai_widgets.session.inputs import (
    copy_on_write,
    identifier_names,
    snapshot_frame,
    snapshot_model_input,
    without_columns,
)
from rai_widgets.session.rows import row_positions, spec_mask

__all__ = ["SessionData"]


class SessionData:
    """The snapshot of a session's data, its cache, and its columns, rows and slices.

    Parameters
    ----------
    X, y, sensitive_features, feature_names, identifier_columns, cache_max_bytes
        As in :class:`~rai_widgets.ModelSession`.
    """

    def __init__(
        self,
        X: Any,
        y: Any = None,
        *,
        sensitive_features: Any = None,
        feature_names: Any = None,
        identifier_columns: Any = None,
        cache_max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        check_int(cache_max_bytes, argument="cache_max_bytes", minimum=0)
        self._model_input = snapshot_model_input(X)
        full = as_frame(self._model_input, feature_names=feature_names)
        ids = identifier_names(identifier_columns, full, sensitive_features)
        self._identifiers = full[ids]
        self._X = full.drop(columns=ids) if ids else full
        if ids:
            self._model_input = without_columns(self._model_input, full, ids)
        check_finite(self._X, argument="X")
        if y is None:
            self.target_name_ = None
            self._y = None
        else:
            self.target_name_ = getattr(y, "name", None)
            aligned = align_to_rows(y, self._X.index, argument="y", name="y_true")
            self._y = aligned.copy(deep=not copy_on_write())
            check_no_missing(self._y, argument="y")
            check_finite(self._y.to_frame(), argument="y")
        names, extra = resolve_sensitive_features(sensitive_features, self._X)
        self.sensitive_features_ = names
        check_finite(extra, argument="sensitive_features")
        self._extra = snapshot_frame(extra)
        self._cache = ResultCache(max_bytes=cache_max_bytes)
        self._data_token = uuid.uuid4().hex

    @property
    def X(self) -> pd.DataFrame:
        """A copy of the data snapshot, with the user's column names and index."""
        return snapshot_frame(self._X)

    @property
    def y(self) -> pd.Series | None:
        """A copy of the true targets, indexed like X (None if not given)."""
        return None if self._y is None else self._y.copy()

    @property
    def has_y(self) -> bool:
        """Whether the session has true targets (metrics need them)."""
        return self._y is not None

    @property
    def feature_names_(self) -> list[Hashable]:
        """X's column names."""
        return list(self._X.columns)

    @property
    def n_rows_(self) -> int:
        """Number of rows of X."""
        return len(self._X)

    @property
    def identifier_columns_(self) -> list[Hashable]:
        """Columns of X kept to find a case by (e.g. an id), which the model never sees."""
        return list(self._identifiers.columns)

    def identifiers(self) -> pd.DataFrame:
        """The identifier columns, indexed like X (a copy).

        Shown in the live views to find a case; never written to exports, model cards,
        saved static pictures or the audit.
        """
        return snapshot_frame(self._identifiers)

    @property
    def frame(self) -> pd.DataFrame:
        """The data snapshot itself (no copy). Read-only by contract: use :attr:`X` for a copy
        you may change."""
        return self._X

    @property
    def model_input(self) -> Any:
        """The snapshot in the form the model takes (a DataFrame, or a read-only array).

        A DataFrame comes as a fresh shallow copy, so a model that edits its input cannot
        reach the snapshot (under pandas' copy-on-write this costs nothing).
        """
        if isinstance(self._model_input, pd.DataFrame):
            return self._model_input.copy(deep=False)
        return self._model_input

    @property
    def model_takes_frame(self) -> bool:
        """Whether the model is called on DataFrames (else on arrays)."""
        return isinstance(self._model_input, pd.DataFrame)

    def as_model_input(self, rows: pd.DataFrame) -> Any:
        """Rows in X's raw form, converted to what the model takes (a frame or an array)."""
        return rows if self.model_takes_frame else rows.to_numpy()

    @property
    def y_values(self) -> pd.Series | None:
        """The true targets snapshot itself (no copy; read-only by contract), or None."""
        return self._y

    @property
    def cache(self) -> ResultCache:
        """The session's result cache (keys must include :meth:`state` fields)."""
        return self._cache

    def cache_info(self) -> CacheInfo:
        """Hits, misses, evictions, entries and bytes of the session's result cache.

        Returns
        -------
        CacheInfo
        """
        return self._cache.info()

    def cache_clear(self) -> None:
        """Drop every cached result."""
        self._cache.clear()

    def column(self, name: Hashable) -> pd.Series:
        """A column of X, or a sensitive feature given as values, indexed like X.

        Raises
        ------
        ColumnNotFoundError
            ``name`` is neither, with the closest names.
        """
        if name in self._X.columns:
            return self._X[name]
        if name in self._extra.columns:
            return self._extra[name]
        known = [*self._X.columns, *self._extra.columns]
        raise ColumnNotFoundError(
            f"{name!r} is not a column of X nor a sensitive feature.{closest_names(name, known)}"
            " Slice by a column name, Bins(column, ...), or values aligned with X."
        )

    def column_names(self) -> list[Hashable]:
        """X's columns, then the sensitive features given as values (not columns of X)."""
        return [*self._X.columns, *self._extra.columns]

    def group_frame(self) -> pd.DataFrame:
        """X with the sensitive features given as values joined on (for per-group tables)."""
        return self._X.join(self._extra) if len(self._extra.columns) else self._X

    def slices(self, by: Any, *, max_groups: int = DEFAULT_MAX_GROUPS) -> SliceSet:
        """Resolve a grouping into named sets of row positions (cached).

        Parameters
        ----------
        by : column name, Bins, boolean mask / values aligned with X, or a list of those
            A list gives the intersections. Numeric columns with many values are cut into
            quartiles; missing values form a slice of their own.
        max_groups : int, default 250
            More slices than this raise :class:`~rai_widgets.TooManyGroupsError`.

        Returns
        -------
        SliceSet
            ``labels``, ``codes``, ``sizes``, ``positions(label)``, ``mask(label)``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
        >>> s.core.slices(X["bmi"] > 0).sizes.tolist()
        [247, 195]
        """
        check_int(max_groups, argument="max_groups", minimum=1)
        return self._cache.get_or_compute(
            ("slices", self._data_token, spec_key(by), max_groups),
            lambda: resolve_slices(by, self.column, self._X.index, max_groups=max_groups),
        )

    def positions_of(self, rows: Any, *, argument: str = "rows") -> np.ndarray:
        """Row positions of row labels (a label, a list of labels, or None for all rows).

        ``argument`` names the caller's argument in the error ("row" for one case).

        Raises
        ------
        RowNotFoundError
            A label is not in X's index.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X.set_index(X.index + 100), y.values)
        >>> s.core.positions_of([100, 102]).tolist()
        [0, 2]
        """
        return row_positions(self._X.index, rows, argument=argument)

    def slice_mask(self, spec: Any) -> np.ndarray:
        """Boolean mask of a slice: None (all rows), a mask aligned with X, or {column: value}.

        For a numeric column a value may be a bin: its label such as "17–28" (as
        ``slice_metrics`` shows it) or a ``pandas.Interval``.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X, y)
        >>> int(s.core.slice_mask({"sex": X["sex"].iloc[0]}).sum())
        207
        """
        return spec_mask(self, spec)
