"""The audit's headline: at most three lines a stakeholder can take away.

The concerns are taken in the audit's order (severity, then effect size) and grouped by the
check that found them; the first three checks each give one line. A check with one concern is
headed by that finding's own sentence; several concerns of one check fold into one sentence
(:func:`rai_widgets.readings.headline.folded_sentence`) and stay listed under it. With no
concern, the headline is empty: the audit's heading says that nothing needs attention.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame([
...     {"check": "four_fifths", "severity": "concern", "finding": "Selected 1.8% ...",
...      "feature": "age", "slice": {"age": "17–28"}, "estimate": 0.056, "lo": 0.045,
...      "hi": 0.07, "metric": "selection_rate", "grouping": None},
...     {"check": "four_fifths", "severity": "concern", "finding": "Selected 8.1% ...",
...      "feature": "sex", "slice": {"sex": "Female"}, "estimate": 0.32, "lo": 0.29,
...      "hi": 0.35, "metric": "selection_rate", "grouping": None},
...     {"check": "proxy", "severity": "concern", "finding": "relationship predicts sex.",
...      "feature": "relationship", "slice": None, "estimate": 0.8, "lo": 0.79,
...      "hi": 0.81, "metric": None, "grouping": "sex"},
... ])
>>> [(line.check, line.rows) for line in headline_lines(frame)]
[('four_fifths', (0, 1)), ('proxy', (2,))]
>>> headline_lines(frame)[1].technical
'relationship predicts sex.'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rai_widgets.readings.headline import folded_sentence, plain_single

__all__ = ["MAX_LINES", "HeadlineLine", "headline_lines"]

#: Lines in a headline: what a person can take away from a meeting.
MAX_LINES = 3


@dataclass(frozen=True)
class HeadlineLine:
    """One line of the headline: a sentence with its number, and the findings it stands for.

    Attributes
    ----------
    check : str
        The check whose concerns it heads.
    technical : str
        The sentence (text) for the analyst.
    plain : str
        The same in plain words (presenter mode).
    rows : tuple of int
        The positions, in ``Audit.frame()``, of the findings it stands for (largest first).
    """

    check: str
    technical: str
    plain: str
    rows: tuple[int, ...]


def headline_lines(
    frame: pd.DataFrame, *, unit: str | None = None, limit: int = MAX_LINES
) -> list[HeadlineLine]:
    """At most ``limit`` lines, one per check, from the concerns of an audit frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()`` (ranked: concerns first, the largest first).
    unit : str, optional
        The regression target's unit.
    limit : int, default 3
        Lines at most.

    Returns
    -------
    list of HeadlineLine
        Empty when there is no concern.
    """
    if frame.empty or "severity" not in frame:
        return []
    positions = [i for i, severity in enumerate(frame["severity"]) if severity == "concern"]
    by_check: dict[str, list[int]] = {}
    for i in positions:
        by_check.setdefault(str(frame["check"].iloc[i]), []).append(i)
    lines = []
    for check, rows in list(by_check.items())[:limit]:
        records = [frame.iloc[i].to_dict() for i in rows]
        if len(rows) == 1:
            sentence = str(records[0].get("finding", ""))
            plain = plain_single(records[0], unit=unit) or sentence
            lines.append(HeadlineLine(check, sentence, plain, tuple(rows)))
        else:  # the number comes from the largest finding that still has one (a shared
            # file leaves out the numbers of a small group)
            numbered = [r for r in records if pd.notna(r.get("estimate"))]
            words = folded_sentence(
                numbered + [r for r in records if pd.isna(r.get("estimate"))], unit=unit
            )
            lines.append(HeadlineLine(check, words.technical, words.plain, tuple(rows)))
    return lines
