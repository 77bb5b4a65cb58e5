"""Content fingerprints of data and models, used as cache keys.

A fingerprint changes whenever the content changes, so a cache keyed by it can never serve a
result computed from other data or from another fit of the model:

* :func:`data_fingerprint` hashes every column's values, dtype, name and the index. Numeric
  columns and Arrow-backed text are hashed as raw bytes with xxh3-128 (many GB/s). Text stored
  as Python objects is hashed by content (``pandas.util.hash_array``), which is slower; an
  :class:`ObjectGuard` makes repeated fingerprints of unchanged object columns cheap: it keeps a
  reference to every object it has hashed, so while the stored pointers are unchanged the
  objects (immutable strings) are the very same ones, and no freed string's address can be
  reused by a new one in between.
* :func:`model_fingerprint` hashes the pickled state of the model, with its numpy arrays hashed
  out of band, so refitting a model in place (new coefficients, new trees) changes it.

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.core.fingerprint import data_fingerprint
>>> X = pd.DataFrame({"age": [25, 40], "sex": ["F", "M"]})
>>> before = data_fingerprint(X)
>>> X.loc[0, "age"] = 26
>>> data_fingerprint(X) == before
False
"""

from __future__ import annotations

import ctypes
import pickle
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
import xxhash

__all__ = ["ObjectGuard", "array_fingerprint", "data_fingerprint", "model_fingerprint"]


class ObjectGuard:
    """Memo of content hashes of object arrays, valid while their objects are unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> guard = ObjectGuard()
    >>> a = np.array(["x", "y"], dtype=object)
    >>> first = guard.content_hash("col", a)
    >>> a[0] = "z"
    >>> guard.content_hash("col", a) == first
    False
    """

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[np.ndarray, np.ndarray, bytes]] = {}

    def content_hash(self, key: Hashable, values: np.ndarray) -> bytes:
        """Hash of an object array's content, reused while it holds the same objects."""
        pointers = _object_pointers(values)
        entry = self._entries.get(key)
        if entry is not None and np.array_equal(entry[1], pointers):
            return entry[2]
        digest = _object_content_hash(values)
        # the copy holds a reference to every object: their addresses cannot be reused
        self._entries[key] = (np.array(values, dtype=object, copy=True), pointers, digest)
        return digest


def _object_content_hash(values: np.ndarray) -> bytes:
    flat = np.asarray(values, dtype=object).ravel()
    hashed = pd.util.hash_array(flat, categorize=True)
    return xxhash.xxh3_128(hashed.view(np.uint8)).digest()


def _object_pointers(values: np.ndarray) -> np.ndarray:
    """Return the PyObject pointers stored in an object array, as unsigned integers."""
    values = np.ascontiguousarray(values)
    if values.size == 0:
        return np.empty(0, dtype=np.uintp)
    buffer = (ctypes.c_size_t * values.size).from_address(values.ctypes.data)
    # Copy while ``values`` is alive so the pointers stay valid for the hash.
    return np.ctypeslib.as_array(buffer).copy()


def _update_with_array(
    h: xxhash.xxh3_128, values: np.ndarray, guard: ObjectGuard | None = None, key: Any = None
) -> None:
    """Feed one numpy array (dtype, shape and content) into the hash."""
    values = np.asarray(values)
    h.update(str(values.dtype).encode())
    h.update(np.asarray(values.shape, dtype=np.int64).tobytes())
    if values.dtype.hasobject:
        if guard is None:
            h.update(_object_content_hash(values))
        else:
            h.update(guard.content_hash(key, values))
    else:
        # numpy's stubs declare the buffer protocol (__buffer__) only for Python >= 3.12
        h.update(np.ascontiguousarray(values).view(np.uint8).ravel())  # type: ignore[arg-type]


def _update_with_extension_array(
    h: xxhash.xxh3_128, values: Any, guard: ObjectGuard | None = None, key: Any = None
) -> None:
    """Feed a pandas ExtensionArray (categorical, string, nullable, arrow) into the hash."""
    h.update(str(values.dtype).encode())
    if isinstance(values, pd.Categorical):
        _update_with_array(h, values.codes)
        _update_with_index(h, values.categories)
        return
    arrow = getattr(values, "_pa_array", None)
    if arrow is not None:
        h.update(np.int64(len(values)).tobytes())
        for chunk in arrow.chunks:
            h.update(np.asarray([chunk.offset, len(chunk)], dtype=np.int64).tobytes())
            for buffer in chunk.buffers():
                if buffer is not None:
                    h.update(memoryview(buffer))
        return
    ndarray = getattr(values, "_ndarray", None)
    if ndarray is not None:  # NumpyExtensionArray, python-backed StringArray
        _update_with_array(h, ndarray, guard, key)
        return
    data, mask = getattr(values, "_data", None), getattr(values, "_mask", None)
    if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):  # nullable Int/Float/bool
        _update_with_array(h, data)
        _update_with_array(h, mask)
        return
    _update_with_array(h, pd.util.hash_array(np.asarray(values, dtype=object)))


def _update_with_index(
    h: xxhash.xxh3_128, index: pd.Index, guard: ObjectGuard | None = None, key: Any = "index"
) -> None:
    if isinstance(index, pd.RangeIndex):
        h.update(f"range:{index.start}:{index.stop}:{index.step}".encode())
        return
    h.update(repr(index.names).encode())
    if isinstance(index, pd.MultiIndex):
        for level in range(index.nlevels):
            _update_with_index(h, index.levels[level], guard, (key, level))
            _update_with_array(h, index.codes[level])
        return
    _update_with_values(h, index.array, guard, key)


def _update_with_values(
    h: xxhash.xxh3_128, values: Any, guard: ObjectGuard | None = None, key: Any = None
) -> None:
    if isinstance(values, np.ndarray):
        _update_with_array(h, values, guard, key)
    elif isinstance(values, pd.api.extensions.ExtensionArray):
        _update_with_extension_array(h, values, guard, key)
    else:
        _update_with_array(h, np.asarray(values), guard, key)


def array_fingerprint(values: Any, *, guard: ObjectGuard | None = None, key: Any = "") -> str:
    """Return a hex fingerprint of an array, Series, Index or DataFrame.

    Parameters
    ----------
    values : array-like, pandas.Series, pandas.Index or pandas.DataFrame
        The data to fingerprint.
    guard : ObjectGuard, optional
        Memo that makes repeated fingerprints of unchanged object data cheap.
    key : hashable
        Names this data in the guard.

    Returns
    -------
    str
        32 hexadecimal characters; equal data and layout give equal fingerprints.

    Examples
    --------
    >>> import numpy as np
    >>> array_fingerprint(np.arange(3)) == array_fingerprint(np.arange(3))
    True
    """
    if isinstance(values, pd.DataFrame):
        return data_fingerprint(values, guard=guard, key=key)
    h = xxhash.xxh3_128()
    if isinstance(values, pd.Series):
        h.update(repr(values.name).encode())
        _update_with_index(h, values.index, guard, (key, "index"))
        _update_with_values(h, values.array, guard, key)
    elif isinstance(values, pd.Index):
        _update_with_index(h, values, guard, key)
    else:
        _update_with_values(h, values, guard, key)
    return h.hexdigest()


def data_fingerprint(X: pd.DataFrame, *, guard: ObjectGuard | None = None, key: Any = "") -> str:
    """Return a hex fingerprint of a DataFrame's columns, dtypes, values and index.

    Parameters
    ----------
    X : pandas.DataFrame
        The data to fingerprint.
    guard : ObjectGuard, optional
        Memo that makes repeated fingerprints of unchanged object columns cheap.
    key : hashable
        Names this frame in the guard.

    Returns
    -------
    str
        32 hexadecimal characters.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2.0]})
    >>> data_fingerprint(X) == data_fingerprint(X.copy())
    True
    """
    h = xxhash.xxh3_128()
    h.update(repr(list(X.columns)).encode())
    _update_with_index(h, X.index, guard, (key, "index"))
    for position in range(X.shape[1]):
        _update_with_values(h, X.iloc[:, position].array, guard, (key, position))
    return h.hexdigest()


def model_fingerprint(model: Any) -> str:
    """Return a hex fingerprint of a fitted model's full state.

    The model is pickled with protocol 5 so that its numpy arrays are handed over out of band and
    hashed directly from memory, without copying.

    Parameters
    ----------
    model : object
        Any picklable model. Models that cannot be pickled fall back to an identity-based key,
        which still changes when the object is replaced but not when it is refitted in place.

    Returns
    -------
    str
        32 hexadecimal characters.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> m = LinearRegression().fit([[0.0], [1.0]], [0.0, 1.0])
    >>> before = model_fingerprint(m)
    >>> _ = m.fit([[0.0], [1.0]], [1.0, 0.0])
    >>> model_fingerprint(m) == before
    False
    """
    h = xxhash.xxh3_128()
    buffers: list[pickle.PickleBuffer] = []
    try:
        payload = pickle.dumps(model, protocol=5, buffer_callback=buffers.append)
    except Exception:  # unpicklable duck-typed model (lambdas, open handles ...)
        h.update(f"unpicklable:{type(model).__qualname__}:{id(model)}".encode())
        return h.hexdigest()
    h.update(payload)
    for buffer in buffers:
        h.update(buffer.raw())
    return h.hexdigest()
