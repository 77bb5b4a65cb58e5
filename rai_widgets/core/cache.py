"""A memory-bounded least-recently-used cache for computed results.

Keys are tuples that carry the model and data fingerprints of the result (see
:mod:`rai_widgets.core.fingerprint`), so a key can only ever match a result computed from the same
model state and the same data. Results are stored only after the computation succeeded: an
exception is never cached. Randomised computations are stored only when their seed is an ``int``.

Examples
--------
>>> cache = ResultCache(max_bytes=10_000_000)
>>> cache.get_or_compute(("square", 3), lambda: 3 * 3)
9
>>> cache.get_or_compute(("square", 3), lambda: 3 * 3)
9
>>> info = cache.info()
>>> (info.hits, info.misses)
(1, 1)
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = ["CacheInfo", "ResultCache", "argument_key", "is_cacheable_seed", "nbytes_of"]

T = TypeVar("T")

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB


@dataclass(frozen=True)
class CacheInfo:
    """Statistics of a :class:`ResultCache`.

    Attributes
    ----------
    hits, misses : int
        Lookups answered from the cache, and lookups that had to compute.
    evictions : int
        Entries dropped to stay within ``max_bytes``.
    entries : int
        Entries currently held (pinned ones included).
    bytes : int
        Estimated memory held by the entries (pinned ones included).
    max_bytes : int
        The memory bound of the entries that can be evicted.
    pinned_bytes : int
        The part of ``bytes`` held by pinned results (see :meth:`ResultCache.get_or_compute`),
        which the bound does not count.
    """

    hits: int
    misses: int
    evictions: int
    entries: int
    bytes: int
    max_bytes: int
    pinned_bytes: int = 0


def nbytes_of(value: Any) -> int:
    """Estimate the memory held by a cached value, in bytes.

    Parameters
    ----------
    value : object
        A DataFrame, Series, ndarray, or a tuple/list/dict/dataclass of those.

    Returns
    -------
    int
        The estimate (deep for pandas objects, so text columns count).

    Examples
    --------
    >>> import numpy as np
    >>> nbytes_of(np.zeros(10))
    80
    """
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, (pd.Series, pd.Index)):
        return int(value.memory_usage(deep=True))
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, pd.api.extensions.ExtensionArray):
        return int(value.nbytes)
    if isinstance(value, (tuple, list)):
        return sum(nbytes_of(item) for item in value) + sys.getsizeof(value)
    if isinstance(value, dict):
        return sum(nbytes_of(item) for item in value.values()) + sys.getsizeof(value)
    if hasattr(value, "__dataclass_fields__"):  # fields and lazily cached properties
        return sum(nbytes_of(item) for item in vars(value).values())
    return sys.getsizeof(value)


def is_cacheable_seed(random_state: Any) -> bool:
    """Tell whether a result computed with ``random_state`` is reproducible, hence cacheable.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or RandomState
        The seed of a randomised computation.

    Returns
    -------
    bool
        True only for an ``int`` (``bool`` excluded).

    Examples
    --------
    >>> is_cacheable_seed(0), is_cacheable_seed(None)
    (True, False)
    """
    return isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)


def argument_key(value: Any) -> Hashable | None:
    """Arguments as a part of a cache key: mappings as tuples sorted by key, lists as tuples;
    None when some part cannot be hashed (the result is then not cached).

    Parameters
    ----------
    value : object
        An argument, or a tuple of them.

    Returns
    -------
    hashable or None

    Examples
    --------
    >>> argument_key(({"b": 1, "a": [2, 3]}, "x")) == argument_key(({"a": (2, 3), "b": 1}, "x"))
    True
    >>> argument_key([{1, 2}]) is None
    True
    """

    def part(v: Any) -> Any:
        if isinstance(v, Mapping):
            return ("mapping", tuple(sorted((repr(k), part(item)) for k, item in v.items())))
        if isinstance(v, (list, tuple)):
            return tuple(part(item) for item in v)
        return v

    key = part(value)
    try:
        hash(key)
    except TypeError:
        return None
    return key


class ResultCache:
    """Least-recently-used cache bounded by the estimated memory of its entries.

    Parameters
    ----------
    max_bytes : int, default 1 GiB
        When the entries exceed this, the least recently used ones are dropped. A single result
        larger than the bound is returned but not stored. Pinned results (one per kind, such as
        the model's outputs on every row) are kept outside the bound.

    Examples
    --------
    >>> cache = ResultCache(max_bytes=1_000)
    >>> import numpy as np
    >>> _ = cache.get_or_compute("big", lambda: np.zeros(1_000))  # 8 kB: not stored
    >>> cache.info().entries
    0
    >>> _ = cache.get_or_compute(("outputs", 1), lambda: np.zeros(1_000), pinned=True)
    >>> ("outputs", 1) in cache, cache.info().pinned_bytes
    (True, 8000)
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = int(max_bytes)
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pinned: dict[Hashable, tuple[Hashable, Any, int]] = {}  # kind -> key, value, size
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._lock = threading.RLock()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries or self._pinned_entry(key) is not None

    def _pinned_entry(self, key: Hashable) -> tuple[Hashable, Any, int] | None:
        entry = self._pinned.get(_kind(key))
        return entry if entry is not None and entry[0] == key else None

    def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        cacheable: bool = True,
        pinned: bool = False,
    ) -> T:
        """Return the cached value for ``key``, computing and storing it on a miss.

        Parameters
        ----------
        key : hashable
            Must carry everything the value depends on (fingerprints, arguments).
        compute : callable
            Called with no argument on a miss. If it raises, nothing is stored.
        cacheable : bool, default True
            False for results that are not reproducible (e.g. unseeded randomness): they are
            computed every time and never stored.
        pinned : bool, default False
            Keep the result outside the memory bound, never evicted, until :meth:`clear` or
            until a pinned result of the same kind (the key's first item) replaces it: for the
            few results over every row whose loss would cost a pass of the model (its outputs)
            or of the data, which every other result reads. On a large frame the bound could
            otherwise drop them for results that are cheap to recompute, and the model would
            predict every row again.

        Returns
        -------
        object
            The value.
        """
        if cacheable:
            with self._lock:
                if pinned:
                    held = self._pinned_entry(key)
                    if held is not None:
                        self._hits += 1
                        return held[1]
                entry = self._entries.get(key)  # stored entries are tuples, never None
                if entry is not None:
                    self._entries.move_to_end(key)
                    self._hits += 1
                    return entry[0]
        with self._lock:
            self._misses += 1
        value = compute()
        if cacheable and pinned:
            with self._lock:
                self._pinned[_kind(key)] = (key, value, nbytes_of(value))
        elif cacheable:
            self._store(key, value)
        return value

    def _store(self, key: Hashable, value: Any) -> None:
        size = nbytes_of(value)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._bytes -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
                self._evictions += 1

    def info(self) -> CacheInfo:
        """Return hits, misses, evictions, entries and bytes held.

        Returns
        -------
        CacheInfo
        """
        with self._lock:
            pinned = sum(entry[2] for entry in self._pinned.values())
            return CacheInfo(
                hits=self._hits,
                misses=self._misses,
                evictions=self._evictions,
                entries=len(self._entries) + len(self._pinned),
                bytes=self._bytes + pinned,
                max_bytes=self.max_bytes,
                pinned_bytes=pinned,
            )

    def clear(self) -> None:
        """Drop every entry (statistics are kept)."""
        with self._lock:
            self._entries.clear()
            self._pinned.clear()
            self._bytes = 0


def _kind(key: Hashable) -> Hashable:
    """The kind of a result: the first item of a tuple key, else the key itself."""
    return key[0] if isinstance(key, tuple) and key else key
