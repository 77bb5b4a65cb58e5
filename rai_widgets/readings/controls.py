"""The words on the controls of the Dashboard's single page (the live view marimo draws): the
slice picker, the button that follows all rows again, a finding's "Show evidence", the example
pages' steps, the "Show" picker of the example rows, the what-if editor of the case, the
pin button, the fairness tab's grouping, metric and decision thresholds per group, and the
uncertainty tab's grouping and promised coverage. The same words as the Dashboard's
ipywidgets controls in JupyterLab.

Examples
--------
>>> CONTROL_LABELS["evidence"], CONTROL_LABELS["all_rows"], CONTROL_LABELS["query"]
('Show evidence', 'Show all rows', 'Show')
>>> evidence_tooltip("See Fairness by group, for sex = Female (16,192 rows)")
'Show evidence: See Fairness by group, for sex = Female (16,192 rows)'
>>> what_if_intro("12")  # doctest: +NORMALIZE_WHITESPACE
"Change one or more of case 12's values, then press Try it: the model answers the changed
case. The data itself does not change."
"""

from __future__ import annotations

from rai_widgets import formatting

__all__ = [
    "CONTROL_LABELS",
    "evidence_tooltip",
    "number_needed",
    "pin_label",
    "pinned_intro",
    "threshold_label",
    "thresholds_intro",
    "too_many_values",
    "what_if_change",
    "what_if_intro",
]

#: The label of each control, by what it does.
CONTROL_LABELS = {
    "slice": "Slice",  # the picker of the slice every view follows
    "all_rows": "Show all rows",  # every view follows all rows again
    "evidence": "Show evidence",  # a finding: its slice, and the tab that shows it
    "previous": "Previous",  # the example rows' previous page
    "next": "Next",  # and the next one
    "query": "Show",  # the example rows' query picker (the example browser's "Show")
    "what_if": "What if",  # the what-if editor of the case
    "change": "Change",  # the column picker of the what-if editor
    "to": "to",  # its new value
    "try": "Try it",  # add the change and ask the model
    "remove": "Remove",  # take one change back
    "undo": "Undo every change",  # back to the case as it is
    "as_it_is": "The case as it is",  # the model's answer to the case in the data
    "changed": "With the changes",  # and to the changed case
    "pinned": "Pinned cases",  # the cases pinned, side by side
    "unpin": "Unpin",  # take a case out of the pinned ones
    "presenter": "Presenter mode",  # the Dashboard's switch: larger type, plain words
    "group_by": "Group by",  # the grouping of the fairness or the uncertainty tab
    "metric": "Metric",  # the fairness tab's metric (its table and chart)
    "intersections": "Intersections with the next group column",  # FairnessView's checkbox
    "thresholds": "Decision thresholds per group",  # the fairness tab's threshold controls
    "rate": "Compare",  # the rate the thresholds compare across groups
    "equalize": "Equalise it across groups",  # the thresholds that equalise that rate
    "reset_thresholds": "Back to 0.5 for all",  # one threshold of 0.5 for every group
    "confidence_level": "Promised coverage",  # the uncertainty tab's confidence level
}


def thresholds_intro() -> str:
    """The line under the fairness tab's threshold controls (the ThresholdPanel's).

    Examples
    --------
    >>> thresholds_intro()  # doctest: +NORMALIZE_WHITESPACE
    "Move a group's slider to change who the model selects in that group; the curves and the
    table below follow."
    """
    return (
        "Move a group's slider to change who the model selects in that group; the curves and "
        "the table below follow."
    )


def threshold_label(group: str) -> str:
    """What a group's threshold slider is named (read aloud by a screen reader).

    Examples
    --------
    >>> threshold_label("male : single")
    'Decision threshold for male : single'
    """
    return f"Decision threshold for {group}"


def evidence_tooltip(where: str) -> str:
    """The tooltip of a finding's "Show evidence" button: where its evidence is.

    Parameters
    ----------
    where : str
        :func:`rai_widgets.static_html.audit.evidence_text` of the finding.

    Returns
    -------
    str
    """
    return f"{CONTROL_LABELS['evidence']}: {where}"


def what_if_intro(case: str) -> str:
    """The line under the what-if editor's heading.

    Parameters
    ----------
    case : str
        The case's row label (:func:`rai_widgets.formatting.row_label`).

    Returns
    -------
    str
    """
    return (
        f"Change one or more of case {case}'s values, then press {CONTROL_LABELS['try']}: "
        "the model answers the changed case. The data itself does not change."
    )


def what_if_change(column: str, before: str, after: str) -> str:
    """One change of the what-if, as its list shows it.

    Parameters
    ----------
    column : str
        The column changed.
    before, after : str
        Its value in the data, and the value tried (formatted).

    Returns
    -------
    str

    Examples
    --------
    >>> what_if_change("age", "38", "45")
    'age: 38 → 45'
    """
    return f"{column}: {before} → {after}"


def pin_label(case: str, *, pinned: bool) -> str:
    """The words on the pin button of a case (the example browser's "Pin as test case").

    Examples
    --------
    >>> pin_label("12", pinned=False), pin_label("12", pinned=True)
    ('Pin case 12 as a test case', 'Case 12 is pinned')
    """
    return f"Case {case} is pinned" if pinned else f"Pin case {case} as a test case"


def pinned_intro() -> str:
    """The line over the pinned cases side by side."""
    return (
        "One column per case pinned, the model's answer first. They are test cases: "
        "test_cases.run(session) asks a new model for them again."
    )


def number_needed(column: str) -> str:
    """What the editor says when the value typed for a numeric column is not a number.

    Examples
    --------
    >>> number_needed("age")
    'age takes a number: type one in the box.'
    """
    return f"{column} takes a number: type one in the box."


def too_many_values(column: str, n_values: int) -> str:
    """What the editor says of a column with too many values to list.

    Examples
    --------
    >>> too_many_values("name", 48842)  # doctest: +NORMALIZE_WHITESPACE
    "name has 48,842 values, too many to list here; set it from Python with
    view.what_if_changes = {'name': ...}."
    """
    return (
        f"{column} has {formatting.count(n_values)} values, too many to list here; set it from "
        f"Python with view.what_if_changes = {{{column!r}: ...}}."
    )
