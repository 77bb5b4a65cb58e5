"""The model as feature effects call it: one number per row (a class's probability, or the
prediction), from model input built once per set of rows.

:class:`ModelAnswer` calls the model's own method (``predict_proba``, or ``predict`` for a
regression or a labels-only classifier) in chunks of rows, once per chunk: no ``predict`` next
to ``predict_proba``, and no label checks the answer does not need. With the session's
``n_jobs``, chunks run in threads, each with OpenMP on one thread.

:class:`GridInputs` builds the model input of every row with some columns set to grid values:
the rows are decoded once (text as objects, dtypes as fitted), each call copies them and sets
only the grid columns, as scikit-learn's ``partial_dependence`` does, instead of decoding
every row again for every grid value.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> from sklearn.linear_model import LinearRegression
>>> from rai_widgets.core.codec import TabularCodec
>>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0], "c": ["a", "b", "a"]})
>>> codec = TabularCodec.fit(X)
>>> inputs = GridInputs(codec, codec.encode(X), [0])
>>> inputs(np.array([[5.0], [7.0]]))["x"].tolist()
[5.0, 5.0, 5.0, 7.0, 7.0, 7.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.core.codec import TabularCodec
from rai_widgets.core.errors import ModelError

__all__ = ["ANSWER_CHUNK_ROWS", "GridInputs", "ModelAnswer"]

#: Most rows per model call: bounds the memory a Pipeline's own transforms take.
ANSWER_CHUNK_ROWS = 100_000


class ModelAnswer:
    """The model's answer on model input, one number per row.

    Parameters
    ----------
    model : object
        The fitted model.
    method : {"predict_proba", "predict"}
        The method called.
    column : int, optional
        ``predict_proba``: the column of the class whose probability is the answer.
    target : object, optional
        ``predict`` of a classifier without probabilities: the answer is 1 where the predicted
        label is ``target``, else 0 (the share given the class).
    n_jobs : int, optional
        Chunks of rows run in this many threads (None or 1: one after the other).
    chunk_rows : int, default 100,000
        Most rows per model call.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    >>> model = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> answer = ModelAnswer(model, "predict_proba", column=1)
    >>> bool((answer(X) == model.predict_proba(X)[:, 1]).all())
    True
    """

    def __init__(
        self,
        model: Any,
        method: str,
        *,
        column: int | None = None,
        target: Any = None,
        n_jobs: int | None = None,
        chunk_rows: int = ANSWER_CHUNK_ROWS,
    ) -> None:
        self.model, self.method, self.column, self.target = model, method, column, target
        self.n_jobs, self.chunk_rows = n_jobs, chunk_rows

    def of_chunk(self, X: Any) -> np.ndarray:
        """The answer for one chunk of rows, in one model call.

        Raises
        ------
        ModelError
            The model failed, or answered NaN or infinity, or the wrong number of values.
        """
        name = f"{type(self.model).__name__}.{self.method}"
        try:
            out = np.asarray(getattr(self.model, self.method)(X))
        except Exception as err:
            raise ModelError(
                f"{name}(X) failed while computing feature effects: {type(err).__name__}: "
                f"{err}. Check that X has the columns and dtypes the model was trained on."
            ) from err
        if self.column is not None:
            if out.ndim != 2 or self.column >= out.shape[1]:
                raise ModelError(
                    f"{name} returned shape {out.shape}; expected one column per class."
                )
            out = out[:, self.column]
        elif self.target is not None:
            out = out == self.target
        out = out.astype(float, copy=False).reshape(-1)
        if len(out) != len(X):
            raise ModelError(f"{name} returned {len(out)} values for {len(X)} rows.")
        bad = ~np.isfinite(out)
        if bad.any():
            raise ModelError(
                f"{name} returned NaN or infinity for {int(bad.sum()):,} of the {len(out):,} "
                "rows with the feature set to a grid value. Feature effects ask about edited "
                "copies of the rows; make the model answer for any row."
            )
        return out

    def __call__(self, X: Any) -> np.ndarray:
        """The answer for every row of ``X`` (a DataFrame or an array), chunk by chunk."""
        starts = list(range(0, len(X), self.chunk_rows)) or [0]
        if len(starts) == 1:
            return self.of_chunk(X)
        chunks = (_rows(X, a, a + self.chunk_rows) for a in starts)
        if self.n_jobs is None or self.n_jobs == 1:
            return np.concatenate([self.of_chunk(chunk) for chunk in chunks])
        from joblib import Parallel, delayed

        with Parallel(n_jobs=self.n_jobs, prefer="threads") as parallel:
            parts = parallel(delayed(self._limited)(chunk) for chunk in chunks)
        return np.concatenate(parts)

    def _limited(self, X: Any) -> np.ndarray:
        """One chunk in a worker thread: OpenMP on one thread, the workers share the cores."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, user_api="openmp"):
            return self.of_chunk(X)

    def coded(self, codec: TabularCodec) -> Callable[[np.ndarray], np.ndarray]:
        """The answer on coded rows (decoded a chunk at a time)."""

        def answer(Z: np.ndarray) -> np.ndarray:
            parts = [
                self(codec.decode(Z[a : a + self.chunk_rows]))
                for a in range(0, len(Z), self.chunk_rows)
            ]
            return np.concatenate(parts) if parts else np.empty(0)

        return answer


class GridInputs:
    """Model input of every row with some columns set to grid values, point by point.

    Parameters
    ----------
    codec : TabularCodec
        The session's codec.
    Z : numpy.ndarray
        The rows, coded.
    columns : list of int
        The positions of the grid's columns.

    Notes
    -----
    Calling it with ``k`` grid points (an array of shape (k, len(columns)), coded) gives the
    model input of ``k * len(Z)`` rows: every row at the first point, then every row at the
    second... The rows are decoded once per ``k`` and copied for each call (the model may
    edit what it is given).
    """

    def __init__(self, codec: TabularCodec, Z: np.ndarray, columns: list[int]) -> None:
        self.codec, self.Z, self.columns = codec, Z, columns
        self._decoded: dict[int, Any] = {}

    def __call__(self, points: np.ndarray) -> Any:
        k, n = len(points), len(self.Z)
        if k not in self._decoded:
            self._decoded[k] = self.codec.decode(np.tile(self.Z, (k, 1)))
        block = self._decoded[k].copy()
        at = np.tile(self.Z[:1], (k, 1))
        for c, j in enumerate(self.columns):
            at[:, j] = points[:, c]
        values = self.codec.decode(at)  # the grid values in the model's own form
        repeat = np.repeat(np.arange(k), n)
        for j in self.columns:
            if isinstance(block, pd.DataFrame):
                block.isetitem(j, values.iloc[repeat, j].set_axis(block.index))
            else:
                block[:, j] = values[repeat, j]
        return block


def _rows(X: Any, start: int, stop: int) -> Any:
    return X.iloc[start:stop] if isinstance(X, (pd.DataFrame, pd.Series)) else X[start:stop]
