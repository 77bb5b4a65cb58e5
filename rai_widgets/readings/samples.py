"""How a finding says it was measured on a sample of the rows (the audit's one-feature models
on large data), so that a reader knows the number behind it.

Examples
--------
>>> sample_sentence(20_000, 500_000)
' Measured with one-feature models on a seeded sample of 20,000 of the 500,000 rows.'
>>> sample_sentence(1_000, 1_000)
''
"""

from __future__ import annotations

from rai_widgets import formatting

__all__ = ["sample_sentence"]


def sample_sentence(n_used: int, n_rows: int) -> str:
    """The sentence a finding ends with when its one-feature models saw a sample of the rows.

    Parameters
    ----------
    n_used : int
        Rows the models were fitted and scored on.
    n_rows : int
        Rows of the session.

    Returns
    -------
    str
        "" when every row was used; else the sample's size, with a leading space.
    """
    if n_used >= n_rows:
        return ""
    return (
        f" Measured with one-feature models on a seeded sample of {formatting.count(n_used)} "
        f"of the {formatting.count(n_rows)} rows."
    )
