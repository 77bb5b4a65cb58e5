"""The words of the reliability diagram (does the model mean what it says?): the line under
its title, for one chart of every group or for one panel per group.

Examples
--------
>>> reliability_note("P(>50K)", panels=False)
'P(>50K) against how often it happened; on the dashed line it is honest.'
"""

from __future__ import annotations

__all__ = ["reliability_note"]


def reliability_note(what: str, *, panels: bool) -> str:
    """The line under the diagram's title.

    Parameters
    ----------
    what : str
        What the model's score is of ("P(>50K)", "confidence").
    panels : bool
        One panel per group (each group in colour, the other groups faint behind it) rather
        than every group on one chart. Its words are the same in presenter mode (no "bounds").

    Returns
    -------
    str

    Examples
    --------
    >>> print(reliability_note("confidence", panels=True))  # doctest: +NORMALIZE_WHITESPACE
    confidence against how often it happened; on the dashed line it is honest. One panel per
    group: the group in colour, the other groups in grey behind it.
    """
    note = f"{what} against how often it happened; on the dashed line it is honest."
    if not panels:
        return note
    return f"{note} One panel per group: the group in colour, the other groups in grey behind it."
