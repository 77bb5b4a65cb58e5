"""What a view shows while the model's answers are still being computed: the progress (rows
done, time left), the first rows of the data itself, and the static picture of a view saved
before it was ready ("still computing", never a broken picture).

Examples
--------
>>> progress_html(250_000, 1_000_000, 30.4)
'<div class="rai-progress-text">Computing ...: 250,000 of 1,000,000 rows (25%), about 30 s ...'
>>> "still computing" in still_computing_html("Fairness by group")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from rai_widgets import formatting
from rai_widgets.static_html.examples import small_table
from rai_widgets.static_html.page import escape

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["data_preview_html", "progress_html", "still_computing_html"]


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


def progress_html(rows_done: int, n_rows: int, seconds_left: float | None) -> str:
    """One line of progress: rows done of all rows, the share, and the time left.

    Parameters
    ----------
    rows_done, n_rows : int
        Rows predicted so far, and in all.
    seconds_left : float or None
        Estimated seconds left (None before the first chunk is done).

    Returns
    -------
    str
    """
    share = rows_done / n_rows if n_rows else 1.0
    text = (
        f"Computing the model's answers: {formatting.count(rows_done)} of "
        f"{formatting.count(n_rows)} rows ({formatting.percent(share, 0)})"
    )
    text += f", about {_duration(seconds_left)} left." if seconds_left is not None else "."
    return f'<div class="rai-progress-text">{escape(text)}</div>'


def data_preview_html(session: ModelSession, *, n: int = 10) -> str:
    """The first ``n`` rows of the data (X's columns only), shown while the model's answers
    for them are being computed.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    n : int, default 10
        Rows shown.

    Returns
    -------
    str
    """
    frame = session.core.frame.iloc[: min(n, session.core.n_rows_)]
    note = (
        '<p class="rai-note">The first rows of the data; the model\'s answers, errors and '
        "readings appear here as soon as they are computed.</p>"
    )
    table = small_table(frame.set_axis(np.asarray(frame.index), axis=0))
    return f'{note}<div class="rai-data-preview">{table}</div>'


def still_computing_html(title: str, detail: str = "") -> str:
    """The static picture of a view saved before its numbers were ready.

    Parameters
    ----------
    title : str
        The view's title.
    detail : str, optional
        One more line (e.g. the progress when it was saved).

    Returns
    -------
    str
    """
    extra = f"<p>{escape(detail)}</p>" if detail else ""
    return (
        f'<div class="rai-still-computing"><h3>{escape(title)}</h3><p>This view was still '
        "computing when the notebook was saved: run the cell again to see it.</p>"
        f"{extra}</div>"
    )
