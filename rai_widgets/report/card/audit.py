"""The model card's audit section: what to look at first, from ``session.audit()``.

The concerns and the notes, each as its check's title and its sentence with the numbers and
bounds; what passed is named in one line. The findings are kept on the card as
``card.audit_`` (the frame of ``Audit.frame()``) and in ``card.to_dict()["audit"]``.

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.report.card.blocks import Bullets, Heading
>>> frame = pd.DataFrame([
...     {"check": "disparity", "severity": "concern", "finding": "Accuracy for a: 70%."},
...     {"check": "baseline", "severity": "ok", "finding": "Right for 88% of rows."},
... ])
>>> blocks = audit_blocks(frame)
>>> blocks[0].text, [b.text for b in blocks if isinstance(b, Heading)][1:]
('What to look at first (audit)', ['Headline', 'Concerns (1)'])
>>> audit_records(frame)[0]["check"]
'disparity'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from rai_widgets.compute.audit_headline import headline_lines
from rai_widgets.report.card.blocks import Block, Bullets, Heading, Para, Strong
from rai_widgets.report.card.json_values import plain
from rai_widgets.static_html.audit import check_title

__all__ = ["AUDIT_HEADING", "audit_blocks", "audit_records"]

AUDIT_HEADING = "What to look at first (audit)"
"""The heading of the card's audit section."""

_TITLES = {
    "concern": "Concerns",
    "note": "Worth a look",
    "unclear": "Cannot tell yet",
}


def audit_records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The findings as JSON-safe records (slices as ``{column: value}``, NaN as None).

    Parameters
    ----------
    frame : pandas.DataFrame or None
        ``Audit.frame()``; None gives an empty list.

    Returns
    -------
    list of dict
    """
    if frame is None:
        return []
    return [plain(row) for row in frame.to_dict(orient="records")]


def audit_blocks(
    frame: pd.DataFrame | None,
    note: str | None = None,
    *,
    level: int = 2,
    unit: str | None = None,
) -> list[Block]:
    """The audit section of the card: the headline (at most three sentences, as
    ``Audit.headline()`` chooses them), the concerns, then the notes, then what passed in one
    line.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        ``Audit.frame()``; None when the audit could not run.
    note : str, optional
        Why the audit could not run.
    level : int, default 2
        The level of the section's heading; its parts are one level below.
    unit : str, optional
        The regression target's unit (the headline's gaps carry it).

    Returns
    -------
    list of Block
    """
    blocks: list[Block] = [Heading(level, AUDIT_HEADING)]
    if frame is None:
        blocks.append(Para.of(note or "The audit could not run.", style="muted"))
        return blocks
    blocks.append(
        Para.of(
            "Every check of rai_widgets' audit, ranked: a concern is supported by its bounds "
            "(95%, widened where many gaps are compared, as each says); a note is worth a look "
            "or says why a check could not run; the data "
            "cannot tell yet when the bounds hold no difference and one that matters alike; a "
            "check passes only when its bounds rule out a difference that matters. The largest "
            "come first."
        )
    )
    headline = headline_lines(frame, unit=unit)
    if headline:
        blocks.append(Heading(level + 1, "Headline"))
        blocks.append(Bullets(tuple((line.technical,) for line in headline)))
    for severity, title in _TITLES.items():
        rows = frame[frame["severity"] == severity]
        if rows.empty:
            continue
        blocks.append(Heading(level + 1, f"{title} ({len(rows)})"))
        items = tuple(
            (Strong(f"{check_title(row['check'])}."), f" {row['finding']}")
            for _, row in rows.iterrows()
        )
        blocks.append(Bullets(items))
    if not (frame["severity"] == "concern").any():
        blocks.append(Para.of("No concern: nothing here needs attention."))
    passed = frame[frame["severity"] == "ok"]
    if len(passed):
        names = ", ".join(dict.fromkeys(check_title(c).lower() for c in passed["check"]))
        blocks.append(Para.of(f"{len(passed)} findings passed ({names}).", style="muted"))
    return blocks
