"""The audit as static HTML: "What to look at first", the concerns as short items with their
numbers and bounds, then the notes, then what passed (collapsed), each item naming the tab that
shows its evidence. Presenter mode shows the concerns only.

Every finding is a sentence built from data (group names, column names): it is escaped here.

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.static_html import audit
>>> frame = pd.DataFrame([
...     {"check": "disparity", "severity": "concern", "finding": "Accuracy for <b>: 70%.",
...      "n": 120, "slice": {"sex": "<b>"}, "feature": "sex", "view": "fairness"},
...     {"check": "baseline", "severity": "ok", "finding": "Right for 88% of rows.",
...      "n": 500, "slice": None, "feature": None, "view": "fairness"},
... ])
>>> page = audit.findings_html(frame)
>>> "What to look at first" in page and "&lt;b&gt;" in page and "<b>:" not in page
True
>>> "Nothing here needs attention" in audit.findings_html(frame.iloc[1:], presenter=True)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit_headline import HeadlineLine
from rai_widgets.readings.glossary import annotate, plain_or
from rai_widgets.readings.plain_findings import plain_single
from rai_widgets.readings.tabs import TAB_TITLES  # the dashboard's tab titles, by view
from rai_widgets.static_html.audit_header import header_html, headline_html, running_html
from rai_widgets.static_html.page import escape, safe
from rai_widgets.views.audit import AuditModel

if TYPE_CHECKING:
    from rai_widgets.compute.audit import Audit
    from rai_widgets.session import ModelSession

__all__ = [
    "CHECK_TITLES",
    "MAX_SHOWN",
    "TAB_TITLES",
    "check_title",
    "evidence_text",
    "finding_metric",
    "findings_html",
    "header_html",
    "headline_html",
    "item_html",
    "model_html",
    "more_text",
    "passed_html",
    "running_html",
    "severity_heading",
    "view_html",
]


#: A short title for each check (an unknown check reads as its name).
CHECK_TITLES = {
    "baseline": "Against a simple baseline",
    "disparity": "Gap between groups",
    "four_fifths": "Four-fifths rule",
    "blind_spot": "Blind spot",
    "calibration": "Confidence against accuracy",  # over- or under-confident alike
    "coverage": "Prediction sets",
    "data_gap": "Too little data",
    "proxy": "Proxy of a sensitive feature",
    "leakage": "Possible leak",
    "explanation_trust": "Explanations to doubt",
    "test_cases": "Pinned test cases",
    "recourse": "Cost of recourse",
    "amplification": "Gap beside the actual outcomes",
    "representation": "Groups in the training data",
    "overlap": "Evaluation rows seen in training",
    "drift": "Training and evaluation differ",
    "label_quality": "Training labels to doubt",
    "lifecycle": "Where problems come from",
}

_HEADINGS = {
    "concern": "Concerns",
    "note": "Worth a look",
    "unclear": "Cannot tell yet",
}


def severity_heading(severity: str) -> str:
    """The heading of the findings of one severity.

    Examples
    --------
    >>> severity_heading("unclear")
    'Cannot tell yet'
    """
    return _HEADINGS[severity]


#: Findings of one severity listed at once; the rest are one click away.
MAX_SHOWN = 8


def check_title(check: str) -> str:
    """The short title of a check: "Gap between groups" for "disparity".

    Examples
    --------
    >>> check_title("four_fifths"), check_title("my_check")
    ('Four-fifths rule', 'My check')
    """
    return CHECK_TITLES.get(check, str(check).replace("_", " ").capitalize())


def _slice_of(finding: Mapping[str, Any]) -> dict | None:
    value = finding.get("slice")
    return value if isinstance(value, dict) and value else None


def _rows(n: Any) -> str:
    try:
        if n is None or math.isnan(float(n)):
            return ""
    except (TypeError, ValueError):
        return ""
    return f"{formatting.count(int(n))} rows"


def evidence_text(finding: Mapping[str, Any], places: Mapping[str, str] | None = None) -> str:
    """Where the evidence of a finding is, as text: the tab, and the slice it selects.

    Parameters
    ----------
    finding : mapping
        A row of ``Audit.frame()`` (``view``, ``slice``, ``n``).
    places : mapping, optional
        The name of the place that shows each view (default :data:`TAB_TITLES`, the
        dashboard's tabs).

    Returns
    -------
    str

    Examples
    --------
    >>> evidence_text({"view": "fairness", "slice": {"sex": "Female"}, "n": 16192})
    'See Fairness by group, for sex = Female (16,192 rows)'
    >>> evidence_text({"view": "audit", "slice": None, "n": None})
    ''
    """
    view = finding.get("view") or "audit"
    slice_ = _slice_of(finding)
    if view == "audit" and slice_ is None:
        return ""
    text = f"See {(places or TAB_TITLES).get(view, str(view))}"
    if slice_ is not None:
        where = " & ".join(f"{k} = {formatting.label(v)}" for k, v in slice_.items())
        text += f", for {where}"
    rows = _rows(finding.get("n"))
    return text + (f" ({rows})" if rows else "")


def item_html(
    finding: Mapping[str, Any],
    places: Mapping[str, str] | None = None,
    *,
    unit: str | None = None,
) -> str:
    """One finding: its check's title, its sentence (with the numbers) and where to look.

    Parameters
    ----------
    finding : mapping
        A row of ``Audit.frame()``.
    places : mapping, optional
        The name of the place that shows each view (see :func:`evidence_text`).
    unit : str, optional
        The regression target's unit: a finding is written in plain words too, for presenter
        mode, and those carry it.

    Returns
    -------
    str
        Escaped HTML (a ``<div class="rai-audit-text">``).

    Examples
    --------
    >>> item_html({"check": "blind_spot", "finding": "a < b", "view": "audit"})
    '<div class="rai-audit-text"><b>Blind spot.</b> a &lt; b</div>'
    """
    where = evidence_text(finding, places)
    evidence = f'<span class="rai-audit-where">{escape(where)}</span>' if where else ""
    sentence = annotate(escape(finding.get("finding", "")))
    plain = plain_single(finding, unit=unit)
    if plain:  # presenter mode reads the finding in plain words
        sentence = plain_or(sentence, plain)
    return (
        f'<div class="rai-audit-text"><b>{escape(check_title(str(finding.get("check"))))}.</b> '
        f"{sentence}{evidence}</div>"
    )


def _items_html(
    frame: pd.DataFrame,
    severity: str,
    places: Mapping[str, str] | None,
    unit: str | None = None,
    decorate: Callable[[int, str], str] | None = None,
) -> str:
    rows = frame[frame["severity"] == severity]
    if rows.empty:
        return ""
    items = []
    for i, row in rows.iterrows():
        text = item_html(row, places, unit=unit)
        if decorate is not None:  # a live page's controls around it
            text = decorate(int(i), text)
        items.append(f'<li class="rai-audit-item rai-audit-{severity}">{text}</li>')
    more = ""
    if len(items) > MAX_SHOWN:  # the largest first; the rest one click away
        rest = len(items) - MAX_SHOWN
        more = (
            f'<details class="rai-audit-more"><summary>{more_text(rest, severity)}</summary>'
            f'<ol class="rai-audit-list" start="{MAX_SHOWN + 1}">'
            f"{''.join(items[MAX_SHOWN:])}</ol></details>"
        )
    return (
        f'<h4 class="rai-audit-heading">{_HEADINGS[severity]} ({len(rows)})</h4>'
        f'<ol class="rai-audit-list">{"".join(items[:MAX_SHOWN])}</ol>{more}'
    )


def more_text(n: int, severity: str) -> str:
    """The label of the findings beyond the first :data:`MAX_SHOWN`: "Show 8 more concerns".

    Examples
    --------
    >>> more_text(1, "concern"), more_text(3, "note")
    ('Show 1 more concern', 'Show 3 more notes')
    """
    return f"Show {n} more {severity}{'s' if n != 1 else ''}"


def finding_metric(finding: Mapping[str, Any], metrics: Sequence[str]) -> str | None:
    """The metric of the fairness view that shows a finding: its ``metric``, when it is one of
    ``metrics`` (data, never read back from the sentence).

    Parameters
    ----------
    finding : mapping
        A row of ``Audit.frame()`` (``metric``).
    metrics : sequence of str
        The metrics the fairness view can show.

    Returns
    -------
    str or None

    Examples
    --------
    >>> finding_metric({"check": "four_fifths", "metric": "selection_rate"}, ["selection_rate"])
    'selection_rate'
    >>> finding_metric({"check": "disparity", "metric": "tpr"}, ["accuracy"]) is None
    True
    """
    metric = finding.get("metric")
    return metric if isinstance(metric, str) and metric in metrics else None


def passed_html(frame: pd.DataFrame, places: Mapping[str, str] | None = None) -> str:
    """What passed, collapsed in a ``<details>`` ("" when nothing passed).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()``.
    places : mapping, optional
        The name of the place that shows each view (see :func:`evidence_text`).

    Returns
    -------
    str
    """
    rows = frame[frame["severity"] == "ok"]
    if rows.empty:
        return ""
    items = "".join(
        f'<li class="rai-audit-item rai-audit-ok">{item_html(row, places)}</li>'
        for _, row in rows.iterrows()
    )
    return (
        f'<details class="rai-audit-passed"><summary>What passed ({len(rows)})</summary>'
        f'<ul class="rai-audit-list">{items}</ul></details>'
    )


def findings_html(
    frame: pd.DataFrame,
    *,
    presenter: bool = False,
    places: Mapping[str, str] | None = None,
    headline: Sequence[HeadlineLine] = (),
    unit: str | None = None,
    decorate: Callable[[int, str], str] | None = None,
) -> str:
    """The findings of an audit frame as HTML (the heading, concerns, notes, what passed).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()``.
    presenter : bool, default False
        The concerns only.
    places : mapping, optional
        The name of the place that shows each view (default: the dashboard's tabs).
    headline : sequence of HeadlineLine, optional
        Shown under the heading.
    unit : str, optional
        The regression target's unit (a concern's plain words carry it).
    decorate : callable, optional
        ``decorate(i, html) -> html``: what a live page draws around the item of the
        finding in row ``i`` of ``frame`` (a concern, note or unclear one), given its escaped
        HTML (the marimo single page adds its "Show evidence" button).

    Returns
    -------
    str
        Escaped HTML inside ``<div class="rai-audit">``.
    """
    header = header_html(
        frame, presenter=presenter, in_a_file=places is not None, headline=headline
    )
    parts = [header, _items_html(frame, "concern", places, unit, decorate)]
    if not presenter:
        parts += [
            _items_html(frame, "note", places, unit, decorate),
            _items_html(frame, "unclear", places, unit, decorate),
            passed_html(frame, places),
        ]
    return f'<div class="rai-audit">{"".join(parts)}</div>'


def model_html(
    model: AuditModel,
    *,
    presenter: bool = False,
    places: Mapping[str, str] | None = None,
    decorate: Callable[[int, str], str] | None = None,
) -> str:
    """An :class:`~rai_widgets.views.audit.AuditModel` as HTML: the heading, the headline, the
    concerns, the notes, what the data cannot tell yet and what passed.

    Parameters
    ----------
    model : AuditModel
        What the view shows.
    presenter : bool, default False
        The concerns only, the headline in plain words.
    places : mapping, optional
        The name of the place that shows each view (default: the dashboard's tabs).
    decorate : callable, optional
        What a live page draws around each finding (see :func:`findings_html`).

    Returns
    -------
    str
    """
    return findings_html(
        model.frame,
        presenter=presenter,
        places=places,
        headline=model.headline,
        unit=model.unit,
        decorate=decorate,
    )


def view_html(
    session: ModelSession,
    *,
    audit: Audit | None = None,
    presenter: bool = False,
    places: Mapping[str, str] | None = None,
    min_group_size: int | None = None,
) -> str:
    """The audit view as static HTML.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    audit : Audit, optional
        An audit already run (default: ``session.audit()``, cached by the session).
    presenter : bool, default False
        Presenter mode: the concerns only ("Nothing here needs attention" if there are none).
    places : mapping, optional
        The name of the place that shows each view (default: the dashboard's tabs; the HTML
        export names its sections).
    min_group_size : int, optional
        For a shared file: a finding with numbers about a group under this many rows says
        "too few to report" instead (see
        :func:`rai_widgets.readings.small_groups.mask_small_findings`).

    Returns
    -------
    str
        What ``AuditView(session).static_html()`` shows; an audit that fails shows its error
        box.

    Examples
    --------
    >>> import rai_widgets as rw
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
    ...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
    >>> page = view_html(s, audit=s.audit(checks=["baseline", "data_gap"]))
    >>> "What to look at first" in page and "What passed" in page
    True
    """

    def make() -> str:
        model = AuditModel.from_session(session, audit=audit, min_group_size=min_group_size)
        return model_html(model, presenter=presenter, places=places)

    return safe(make)
