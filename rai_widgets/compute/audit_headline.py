"""The audit's headline: at most three lines a stakeholder can take away.

The concerns are taken in the audit's order (severity, then effect size) and grouped by the
check that found them; the first three checks each give one line. A check with one concern is
headed by that finding's own sentence; several concerns of one check fold into one sentence
(:func:`rai_widgets.readings.headline.folded_sentence`) and stay listed under it. Two lines
never state one fact: the four-fifths rule and the actual outcomes' gap for the same two groups
become one line (:func:`rai_widgets.readings.headline.selection_sentence`), and a check whose
largest finding repeats a fact already stated (the selection rates of the same two groups) is
headed by its largest finding that does not, or gives its line to the next check. With no
concern, the headline is empty: the audit's heading says that nothing needs attention.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame([
...     {"check": "four_fifths", "severity": "concern", "finding": "Selected 1.8% ...",
...      "feature": "age", "slice": {"age": "17–28"}, "estimate": 0.056, "lo": 0.045,
...      "hi": 0.07, "metric": "selection_rate", "grouping": None, "reference": "38–48"},
...     {"check": "four_fifths", "severity": "concern", "finding": "Selected 8.1% ...",
...      "feature": "sex", "slice": {"sex": "Female"}, "estimate": 0.32, "lo": 0.29,
...      "hi": 0.35, "metric": "selection_rate", "grouping": None, "reference": "Male"},
...     {"check": "proxy", "severity": "concern", "finding": "relationship predicts sex.",
...      "feature": "relationship", "slice": None, "estimate": 0.8, "lo": 0.79,
...      "hi": 0.81, "metric": None, "grouping": "sex", "reference": None},
... ])
>>> [(line.check, line.rows) for line in headline_lines(frame)]
[('four_fifths', (0, 1)), ('proxy', (2,))]
>>> headline_lines(frame)[1].technical
'relationship predicts sex.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from rai_widgets.readings.headline import folded_sentence, plain_single, selection_sentence
from rai_widgets.readings.plain_findings import compared_with, details_of, where_of

__all__ = ["MAX_LINES", "SELECTION_CHECKS", "HeadlineLine", "fact_of", "headline_lines"]

#: The checks that read the ratio of two groups' selection rates (one fact for two groups).
SELECTION_CHECKS = ("four_fifths", "amplification")

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


def fact_of(row: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    """The fact a finding states: what it measures, and the two groups it compares (a group
    against the rest of the rows for a blind spot).

    Examples
    --------
    >>> four = fact_of({"check": "four_fifths", "slice": {"age": "17–28"}, "reference": "38–48"})
    >>> four[0], sorted(four[1])
    ('selection_rate', ['age = 17–28', 'age = 38–48'])
    >>> four == fact_of({"check": "amplification", "slice": {"age": "17–28"},
    ...                  "reference": "38–48"})
    True
    """
    check = str(row.get("check"))
    metric = row.get("metric")
    measure = (
        "selection_rate"
        if check in SELECTION_CHECKS
        else f"{check}:{metric}"
        if isinstance(metric, str)
        else check
    )
    if check == "disparity" and metric == "selection_rate":
        measure = "selection_rate"
    reference = row.get("reference")
    other = "the rest" if reference is None or reference != reference else compared_with(row)
    return measure, frozenset({where_of(row), other})


def _lead_first(records: list[dict], positions: list[int], stated: set) -> tuple[list, list]:
    """The records with the largest one whose fact is not stated yet first ([] when every one
    repeats a stated fact)."""
    for i, record in enumerate(records):
        if fact_of(record) not in stated:
            order = [i, *(j for j in range(len(records)) if j != i)]
            return [records[j] for j in order], [positions[j] for j in order]
    return [], []


def _words(records: list[dict], unit: str | None) -> tuple[str, str]:
    """A line's two sentences: one finding's own (a blind spot among overlapping ones is
    counted), or the folded sentence of several."""
    if len(records) == 1:
        details = details_of(records[0])
        overlapping = records[0].get("check") == "blind_spot" and details.get("found", 1) > 1
        if not overlapping:
            sentence = str(records[0].get("finding", ""))
            return sentence, plain_single(records[0], unit=unit) or sentence
    # the number comes from the largest finding that still has one (a shared file leaves out
    # the numbers of a small group)
    numbered = [r for r in records if pd.notna(r.get("estimate"))]
    unnumbered = [r for r in records if pd.isna(r.get("estimate"))]
    words = folded_sentence(numbered + unnumbered, unit=unit)
    return words.technical, words.plain


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
    lines: list[HeadlineLine] = []
    firsts: list[list[dict]] = []  # each line's records, its lead first
    stated: set = set()
    for check, rows in by_check.items():
        records = [frame.iloc[i].to_dict() for i in rows]
        merged = _merge_selection(lines, firsts, check, records, rows, unit)
        if merged is not None:
            j, line = merged
            lines[j] = line
            stated.add(fact_of(records[0]))
            continue
        if len(lines) == limit:
            continue
        records, rows = _lead_first(records, rows, stated)
        if not records:
            continue  # every finding of it repeats a fact already stated
        technical, plain = _words(records, unit)
        lines.append(HeadlineLine(check, technical, plain, tuple(rows)))
        firsts.append(records)
        stated.add(fact_of(records[0]))
    return lines


def _merge_selection(
    lines: list[HeadlineLine],
    firsts: list[list[dict]],
    check: str,
    records: list[dict],
    rows: list[int],
    unit: str | None,
) -> tuple[int, HeadlineLine] | None:
    """The four-fifths rule and the actual outcomes' gap whose largest findings are about the
    same two groups: one line (the earlier one's place, both checks' findings under it)."""
    if check not in SELECTION_CHECKS:
        return None
    for j, (line, earlier) in enumerate(zip(lines, firsts, strict=True)):
        if line.check == check or line.check not in SELECTION_CHECKS:
            continue
        if fact_of(earlier[0]) != fact_of(records[0]):
            continue
        four, amp = (earlier, records) if check == "amplification" else (records, earlier)
        if pd.isna(amp[0].get("estimate")) or pd.isna(four[0].get("estimate")):
            continue  # a shared file left out a small group's numbers
        words = selection_sentence(four, amp)
        return j, HeadlineLine(line.check, words.technical, words.plain, (*line.rows, *rows))
    return None
