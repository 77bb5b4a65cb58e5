"""Distinct findings among overlapping slices: "married" and "married & husband" are one.

Examples
--------
>>> import numpy as np
>>> a = np.array([1, 1, 1, 0, 0], dtype=bool)
>>> b = np.array([1, 1, 0, 0, 0], dtype=bool)  # inside a
>>> c = np.array([0, 0, 0, 1, 1], dtype=bool)
>>> distinct_masks([a, b, c], limit=6, overlap=0.8)
([0, 2], 1)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["distinct_masks"]


def distinct_masks(
    masks: Iterable[np.ndarray], *, limit: int, overlap: float = 0.8
) -> tuple[list[int], int]:
    """The masks, strongest first, that do not repeat an already kept one.

    A mask repeats a kept one when more than ``overlap`` of the smaller of the two is shared.

    Parameters
    ----------
    masks : iterable of boolean numpy.ndarray
        Row masks in order of strength (read lazily: reading stops at ``limit`` kept masks).
    limit : int
        How many to keep at most.
    overlap : float, default 0.8
        The share of the smaller mask's rows above which two masks are one finding.

    Returns
    -------
    kept : list of int
        Positions (in ``masks``) of the distinct masks.
    hidden : int
        Masks left out as repeats (among those read).
    """
    kept: list[tuple[int, np.ndarray]] = []
    hidden = 0
    for i, mask in enumerate(masks):
        size = mask.sum()
        if any((mask & m).sum() / min(size, m.sum()) > overlap for _, m in kept):
            hidden += 1
            continue
        kept.append((i, mask))
        if len(kept) == limit:
            break
    return [i for i, _ in kept], hidden
