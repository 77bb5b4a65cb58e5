"""Fitting an export into its size budget: the largest per-slice row cap whose file fits.

The size of the file grows about linearly with the cap, so the search interpolates on size
(bisecting every third step), and builds the document a handful of times, not once per cap.

Examples
--------
>>> class Doc:  # a document of 1,000 bytes plus 10 per row kept
...     max_bytes = 1_500
...     def build(self, cap):
...         return b"x" * (1_000 + 10 * (200 if cap is None else min(cap, 200)))
>>> cap, document = largest_cap(Doc(), 200)
>>> cap, len(document)
(50, 1500)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rai_widgets.formatting import count
from rai_widgets.report.export.text import format_bytes
from rai_widgets.report.export.views import VIEWS, ViewSection

__all__ = ["BudgetTooSmall", "Buildable", "largest_cap", "too_small_message"]


class Buildable(Protocol):
    """A document that can be built for a per-slice row cap."""

    max_bytes: int

    def build(self, cap: int | None) -> bytes:
        """The document with at most ``cap`` rows per slice (None: every row)."""


class BudgetTooSmall(Exception):
    """Even a document without any example row is over the budget.

    Attributes
    ----------
    n_bytes : int
        The size of that document.
    """

    def __init__(self, n_bytes: int) -> None:
        super().__init__(n_bytes)
        self.n_bytes = n_bytes


def largest_cap(report: Buildable, largest: int) -> tuple[int | None, bytes]:
    """The largest per-slice cap whose document fits the budget, and that document.

    Parameters
    ----------
    report : Buildable
        The document (``build(cap)`` and ``max_bytes``).
    largest : int
        The rows of the largest slice (a cap this large keeps every row).

    Returns
    -------
    cap : int or None
        None when every row fits.
    document : bytes

    Raises
    ------
    BudgetTooSmall
        Not even the document without example rows fits.
    """
    full = report.build(None)
    if len(full) <= report.max_bytes:
        return None, full
    lo, lo_doc = 0, report.build(0)
    if len(lo_doc) > report.max_bytes:
        raise BudgetTooSmall(len(lo_doc))
    hi, hi_size = largest, len(full)  # hi never fits
    lo_size = len(lo_doc)
    step = 0
    while hi - lo > 1:
        step += 1
        # interpolate on size (it grows about linearly with the cap), bisect every third step
        if step % 3 and hi_size > lo_size:
            guess = lo + int((hi - lo) * (report.max_bytes - lo_size) / (hi_size - lo_size))
            guess = min(max(guess, lo + 1), hi - 1)
        else:
            guess = (lo + hi) // 2
        doc = report.build(guess)
        if len(doc) <= report.max_bytes:
            lo, lo_doc, lo_size = guess, doc, len(doc)
        else:
            hi, hi_size = guess, len(doc)
    return lo, lo_doc


def too_small_message(fixed: int, max_bytes: int, sections: Sequence[ViewSection]) -> str:
    """Why a budget is too small, what takes the room, and what to do about it.

    Parameters
    ----------
    fixed : int
        Bytes of the document without example rows.
    max_bytes : int
        The budget.
    sections : list of ViewSection
        The views in the document.

    Returns
    -------
    str

    Examples
    --------
    >>> print(too_small_message(91_802, 40_000, []))
    max_bytes=40,000 (40 KB) is too small: the report without any example row already takes \
91,802 bytes (92 KB). Use fewer slices (by=...) or set max_bytes to at least 91,802, better \
1,091,802 to leave room for rows.
    """
    sizes = sorted(
        ((sec.key, len(sec.body.encode("utf-8"))) for sec in sections), key=lambda kv: -kv[1]
    )
    parts = ", ".join(f"{key} {format_bytes(n)}" for key, n in sizes)
    text = (
        f"max_bytes={count(max_bytes)} ({format_bytes(max_bytes)}) is too small: the report "
        f"without any example row already takes {count(fixed)} bytes ({format_bytes(fixed)})"
        + (f"; of that, {parts}." if parts else ".")
    )
    if sizes:
        keep = [v for v in VIEWS if v not in {k for k, _ in sizes[:1]}]
        text += f" Drop the largest view (views={tuple(keep)!r}) or"
    else:
        text += " Use fewer slices (by=...) or"
    room = max(fixed * 2, fixed + 1_000_000)
    return (
        text
        + f" set max_bytes to at least {count(fixed)}, better {count(room)} to leave room for rows."
    )
