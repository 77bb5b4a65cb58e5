"""The rows behind an audit finding as static HTML: the table "Show evidence" opens under a
``label_quality`` finding (the suspect training rows), every cell escaped.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"sex": ["<b>F</b>"], "given_label": [">50K"],
...                      "given_label_proba": [0.04], "expected_label": ["<=50K"]}, index=[7])
>>> page = evidence_html(rows, group="sex = F")
>>> "&lt;b&gt;F&lt;/b&gt;" in page and "<b>F</b>" not in page and "0.040" in page
True
"""

from __future__ import annotations

import pandas as pd

from rai_widgets.formatting_kinds import column_kind
from rai_widgets.readings.lifecycle import suspect_rows_caption
from rai_widgets.static_html.examples import small_table
from rai_widgets.static_html.page import escape

__all__ = ["MAX_EVIDENCE_ROWS", "evidence_html"]

#: Rows the table shows at most (the most suspect; all are on ``finding.rows``).
MAX_EVIDENCE_ROWS = 50


def evidence_html(
    rows: pd.DataFrame, *, group: str | None = None, limit: int = MAX_EVIDENCE_ROWS
) -> str:
    """The suspect training rows of a ``label_quality`` finding as a caption and a table.

    Parameters
    ----------
    rows : pandas.DataFrame
        ``finding.rows`` (:func:`rai_widgets.session.checks.labels.suspect_rows`), the most
        suspect first.
    group : str, optional
        The group they are of ("sex = Female"), for the caption.
    limit : int, default 50
        Rows shown at most (the first ones).

    Returns
    -------
    str
        Escaped HTML inside ``<div class="rai-audit-evidence">``.
    """
    shown = rows.head(limit)
    words = suspect_rows_caption(len(rows), len(shown), group)
    caption = f'<p class="rai-muted">{escape(words)}</p>'
    if shown.empty:
        return f'<div class="rai-audit-evidence">{caption}</div>'
    kinds = {column: column_kind(column, shown[column]) for column in shown.columns}
    return f'<div class="rai-audit-evidence">{caption}{small_table(shown, kinds)}</div>'
