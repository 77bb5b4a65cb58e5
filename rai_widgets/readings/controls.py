"""The words on the controls of the Dashboard's single page (the live view marimo draws): the
slice picker, the button that follows all rows again, a finding's "Show evidence" and the
example pages' steps. The same words as the Dashboard's ipywidgets controls in JupyterLab.

Examples
--------
>>> CONTROL_LABELS["evidence"], CONTROL_LABELS["all_rows"]
('Show evidence', 'Show all rows')
>>> evidence_tooltip("See Fairness by group, for sex = Female (16,192 rows)")
'Show evidence: See Fairness by group, for sex = Female (16,192 rows)'
"""

from __future__ import annotations

__all__ = ["CONTROL_LABELS", "evidence_tooltip"]

#: The label of each control, by what it does.
CONTROL_LABELS = {
    "slice": "Slice",  # the picker of the slice every view follows
    "all_rows": "Show all rows",  # every view follows all rows again
    "evidence": "Show evidence",  # a finding: its slice, and the tab that shows it
    "previous": "Previous",  # the example rows' previous page
    "next": "Next",  # and the next one
}


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
