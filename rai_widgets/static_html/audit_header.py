"""The top of the audit view: the heading "What to look at first", the headline (at most three
sentences, :func:`headline_html`) and the line counting the findings, or the line saying the
checks are still running.

Examples
--------
>>> import pandas as pd
>>> "2 checks passed" in header_html(pd.DataFrame({"severity": ["ok", "ok"]}))
True
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from rai_widgets.compute.audit_headline import HeadlineLine
from rai_widgets.readings.glossary import annotate
from rai_widgets.static_html.page import escape

__all__ = ["header_html", "headline_html", "running_html"]


def headline_html(lines: Sequence[HeadlineLine], *, presenter: bool = False) -> str:
    """The headline: at most three sentences, each with its number, the most urgent first
    ("" when there is none); a line that stands for several findings says so.

    Parameters
    ----------
    lines : sequence of HeadlineLine
        ``AuditModel.headline``.
    presenter : bool, default False
        The sentences in plain words.

    Returns
    -------
    str

    Examples
    --------
    >>> from rai_widgets.compute.audit_headline import HeadlineLine
    >>> page = headline_html([HeadlineLine("proxy", "a <b> c", "a c", (0, 3))])
    >>> "a &lt;b&gt; c" in page and "(2 findings, listed below)" in page
    True
    """
    if not lines:
        return ""
    items = []
    for line in lines:
        sentence = line.plain if presenter else line.technical
        folded = (
            f' <span class="rai-audit-folded">({len(line.rows)} findings, listed below)</span>'
            if len(line.rows) > 1
            else ""
        )
        items.append(f"<li>{annotate(escape(sentence))}{folded}</li>")
    return (
        '<div class="rai-audit-headline" role="region" aria-label="Headline">'
        f'<ol class="rai-audit-headline-list">{"".join(items)}</ol></div>'
    )


def header_html(
    frame: pd.DataFrame,
    *,
    presenter: bool = False,
    in_a_file: bool = False,
    headline: Sequence[HeadlineLine] = (),
) -> str:
    """The heading "What to look at first", the headline and one line counting the findings.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()``.
    presenter : bool, default False
        Presenter mode: the count of concerns only.
    in_a_file : bool, default False
        In a shared file (the export): its section carries the heading, and a finding names
        the section with its evidence (a file has no tabs).
    headline : sequence of HeadlineLine, optional
        ``AuditModel.headline``, shown under the heading (see :func:`headline_html`).

    Returns
    -------
    str

    Examples
    --------
    >>> frame = pd.DataFrame({"severity": ["concern", "ok", "ok"]})
    >>> "1 concern, 0 notes, 0 the data cannot tell yet and 2 checks passed" in header_html(frame)
    True
    """
    counts = frame["severity"].value_counts() if len(frame) else pd.Series(dtype=int)
    concerns, notes, unclear, ok = (
        int(counts.get(k, 0)) for k in ("concern", "note", "unclear", "ok")
    )
    if presenter:
        line = (
            "Nothing here needs attention: no finding is beyond what chance explains."
            if concerns == 0
            else f"{concerns} finding{'s need' if concerns != 1 else ' needs'} attention, the "
            "largest first. Each is beyond what chance explains."
        )
    else:
        line = (
            f"{concerns} concern{'s' if concerns != 1 else ''}, {notes} "
            f"note{'s' if notes != 1 else ''}, {unclear} the data cannot tell yet and {ok} "
            f"check{'s' if ok != 1 else ''} passed. A concern is supported by its bounds (95%, "
            "widened where many gaps are compared, as each says); "
            "a note is worth a look or says why a check could not run; the data cannot tell "
            "when the bounds hold no difference and one that matters alike; a check passes "
            "only when its bounds rule out a difference that matters. The largest come first; "
            f"each names the {'section' if in_a_file else 'tab'} with its evidence."
        )
        if concerns == 0:
            line = "Nothing here needs attention. " + line
    title = "" if in_a_file else '<h3 class="rai-audit-title">What to look at first</h3>'
    top = headline_html(headline, presenter=presenter)
    return f'{title}{top}<p class="rai-audit-lead">{escape(line)}</p>'


def running_html(frame: pd.DataFrame, *, done: int, total: int) -> str:
    """The heading while the audit's checks run: how many are done, the concerns so far.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()`` of the checks done so far.
    done, total : int
        Checks done, and checks in all.

    Returns
    -------
    str

    Examples
    --------
    >>> frame = pd.DataFrame({"severity": ["concern", "ok"]})
    >>> "3 of 12 checks done; 1 concern so far" in running_html(frame, done=3, total=12)
    True
    """
    concerns = int((frame["severity"] == "concern").sum()) if len(frame) else 0
    line = (
        f"The checks are running: {done} of {total} checks done; {concerns} "
        f"concern{'s' if concerns != 1 else ''} so far. Findings appear as each check ends."
    )
    return (
        '<h3 class="rai-audit-title">What to look at first</h3>'
        f'<p class="rai-audit-lead rai-audit-running">{escape(line)}</p>'
    )
