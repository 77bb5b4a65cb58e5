"""Example queries over cached predictions, and a mixed-type distance between real rows.

* :func:`gower_distances`: distance of every row to one row, over the raw columns: numeric
  columns as an absolute difference scaled by the column's robust spread, text/categorical
  columns as 0 (same) or 1 (different), a missing value as different from anything but another
  missing value; averaged over columns (Gower, 1971).
* :func:`rank_examples`: which rows answer a question ("confident errors", "ambiguous",
  "typical", "confidence near a target", "large errors"), most relevant first, with a reason.

Examples
--------
>>> import numpy as np
>>> Z = np.array([[20.0, 0.0], [30.0, 0.0], [20.0, 1.0]])
>>> scale = column_scales(Z, categorical=np.array([False, True]))
>>> gower_distances(Z, Z[0], categorical=np.array([False, True]), scale=scale).round(2).tolist()
[0.0, 0.5, 0.5]
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

__all__ = [
    "KINDS",
    "category_codes",
    "column_scales",
    "gower_distances",
    "nearest_distances",
    "rank_examples",
]

KINDS = ("confident_errors", "ambiguous", "typical", "confidence_near", "large_errors")

T = TypeVar("T")


def column_scales(Z: np.ndarray, *, categorical: np.ndarray) -> np.ndarray:
    """Spread of every numeric column (interquartile range, else range, else 1).

    Returns
    -------
    numpy.ndarray
        One positive number per column (1 for categorical columns).
    """
    scale = np.ones(Z.shape[1])
    for j in np.flatnonzero(~categorical):
        column = Z[:, j][~np.isnan(Z[:, j])]
        if len(column) == 0:
            continue
        q1, q3 = np.percentile(column, [25, 75])
        spread = q3 - q1 if q3 > q1 else column.max() - column.min()
        scale[j] = spread if spread > 0 else 1.0
    return scale


def gower_distances(
    Z: np.ndarray, query: np.ndarray, *, categorical: np.ndarray, scale: np.ndarray
) -> np.ndarray:
    """Mixed-type distance of every row of ``Z`` to ``query`` (0 = identical).

    Numeric differences are capped at 1 after scaling, so one extreme value cannot outweigh
    every other column.

    Returns
    -------
    numpy.ndarray
        Shape (n_rows,), values in [0, 1].
    """
    query = np.asarray(query, dtype=float)
    total = np.zeros(len(Z))
    for j in range(Z.shape[1]):
        column, q = Z[:, j], query[j]
        missing, q_missing = np.isnan(column), np.isnan(q)
        if categorical[j]:
            differs = column != q
        else:
            differs = np.minimum(np.abs(column - q) / scale[j], 1.0)
        if q_missing:
            differs = (~missing).astype(float)
        else:
            differs = np.where(missing, 1.0, differs)
        total += differs
    return total / Z.shape[1]


def category_codes(values: np.ndarray) -> np.ndarray | None:
    """Coded category values as small integers, missing (NaN) as -1; None when some value is
    not a whole number that fits (then compare the floats).

    Two values differ as codes exactly when they differ as Gower's categorical part has it
    (a missing value the same as another missing value, different from anything else), and
    comparing a few bytes per value is cheaper than comparing floats and then looking for
    missing ones.

    Examples
    --------
    >>> import numpy as np
    >>> category_codes(np.array([0.0, 3.0, np.nan])).tolist()
    [0, 3, -1]
    >>> category_codes(np.array([0.5])) is None
    True
    """
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    present = values[~missing]
    if len(present) and (
        present.min() < 0
        or present.max() >= 2**31 - 1
        or not np.array_equal(present, np.round(present))
    ):
        return None
    top = present.max() if len(present) else 0
    codes = np.where(missing, -1.0, values)
    return codes.astype(np.int16 if top < 2**15 - 1 else np.int32)


def nearest_distances(
    A: np.ndarray,
    B: np.ndarray,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
    exclude: np.ndarray | None = None,
    chunk_cells: int = 2_000_000,
) -> np.ndarray:
    """Each row of ``A``'s Gower distance (as :func:`gower_distances`) to its nearest row of
    ``B``, computed a block of rows at a time.

    ``exclude`` gives, per row of ``A``, a position in ``B`` not to count (the row itself,
    when ``A`` is drawn from ``B``), or -1.

    Returns
    -------
    numpy.ndarray
        Shape (len(A),); inf when ``B`` is empty.

    Examples
    --------
    >>> import numpy as np
    >>> A, B = np.array([[0.0, 1.0], [5.0, 0.0]]), np.array([[1.0, 1.0], [5.0, 1.0]])
    >>> nearest_distances(A, B, categorical=np.array([False, True]), scale=np.ones(2)).tolist()
    [0.5, 0.5]
    """
    out = np.full(len(A), np.inf)
    if len(B) == 0 or len(A) == 0:
        return out
    step = max(1, chunk_cells // len(B))
    gaps = [bool(np.isnan(A[:, j]).any() or np.isnan(B[:, j]).any()) for j in range(A.shape[1])]
    # categorical columns as small integer codes where both sides have them: the same parts
    codes = [
        (category_codes(A[:, j]), category_codes(B[:, j])) if categorical[j] else (None, None)
        for j in range(A.shape[1])
    ]
    for begin in range(0, len(A), step):
        block = A[begin : begin + step]
        total = np.zeros((len(block), len(B)))
        scratch = np.empty((len(block), len(B)))  # one block for every column's part
        for j in range(A.shape[1]):
            a_codes, b_codes = codes[j]
            if a_codes is not None and b_codes is not None:
                total += a_codes[begin : begin + step, None] != b_codes[None, :]
                continue
            a, b = block[:, j][:, None], B[:, j][None, :]
            if categorical[j]:
                d = (a != b).astype(float)
            else:
                with np.errstate(invalid="ignore"):
                    d = np.subtract(a, b, out=scratch)
                    np.abs(d, out=d)
                    np.divide(d, scale[j], out=d)
                    np.minimum(d, 1.0, out=d)
            if gaps[j]:  # missing: the same as missing, different from anything else
                a_missing, b_missing = np.isnan(a), np.isnan(b)
                d = np.where(a_missing | b_missing, (a_missing != b_missing).astype(float), d)
            total += d
        if exclude is not None:
            own = exclude[begin : begin + step]
            has = np.flatnonzero(own >= 0)
            total[has, own[has]] = np.inf
        out[begin : begin + step] = total.min(axis=1) / A.shape[1]
    return out


def _needed(value: T | None, name: str, kind: str) -> T:
    """``value``, which query ``kind`` cannot rank without."""
    if value is None:
        raise TypeError(f"rank_examples({kind!r}) needs {name}; got None.")
    return value


def rank_examples(
    kind: str,
    *,
    candidates: np.ndarray,
    correct: np.ndarray | None = None,
    confidence: np.ndarray | None = None,
    margin: np.ndarray | None = None,
    uncertainty: np.ndarray | None = None,
    abs_error: np.ndarray | None = None,
    proba_of_class: np.ndarray | None = None,
    target: float | None = None,
    typicality: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Order ``candidates`` (row positions) for a query, most relevant first.

    Returns
    -------
    positions : numpy.ndarray
        Candidate positions in order of relevance (those that do not qualify are dropped).
    score : numpy.ndarray
        The quantity they were ranked by (confidence, margin, distance to target ...).
    """
    c = candidates
    if kind == "confident_errors":
        correct = _needed(correct, "correct", kind)
        confidence = _needed(confidence, "confidence", kind)
        keep = c[~correct[c]]
        order = np.argsort(-confidence[keep], kind="stable")
        return keep[order], confidence[keep][order]
    if kind == "ambiguous":
        if uncertainty is None:
            score = values = _needed(margin, "margin or uncertainty", kind)
        else:
            score, values = uncertainty, -uncertainty
        order = np.argsort(values[c], kind="stable")
        ranked = c[order]
        return ranked, score[ranked]
    if kind == "large_errors":
        abs_error = _needed(abs_error, "abs_error", kind)
        order = np.argsort(-abs_error[c], kind="stable")
        return c[order], abs_error[c][order]
    if kind == "confidence_near":
        proba_of_class = _needed(proba_of_class, "proba_of_class", kind)
        gap = np.abs(proba_of_class[c] - _needed(target, "target", kind))
        order = np.argsort(gap, kind="stable")
        return c[order], proba_of_class[c][order]
    if kind == "typical":
        typicality = _needed(typicality, "typicality", kind)
        order = np.argsort(typicality[c], kind="stable")
        return c[order], typicality[c][order]
    raise ValueError(kind)
