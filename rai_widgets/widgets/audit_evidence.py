"""The rows behind a finding, shown under its row of the audit view when "Show evidence" is
clicked (the suspect training rows of a ``label_quality`` finding), and taken away when
another finding is selected.

Examples
--------
>>> import ipywidgets as widgets
>>> import pandas as pd
>>> from rai_widgets.compute.audit import Audit, Finding
>>> rows = pd.DataFrame({"given_label": ["yes"], "expected_label": ["no"]})
>>> audit = Audit([Finding("label_quality", "concern", "...", slice={"sex": "F"}, rows=rows)],
...               ("label_quality",), 0.05)
>>> box = widgets.HBox([widgets.Button(), widgets.HTML("the finding")])
>>> show_evidence(box, audit, audit.frame().iloc[0])
>>> len(box.children), "expected_label" in box.children[-1].value
(3, True)
>>> show_evidence(box, audit, None)
>>> len(box.children)
2
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from rai_widgets.compute.audit import Audit
from rai_widgets.static_html.audit_evidence import evidence_html
from rai_widgets.views.audit_evidence import finding_group, finding_rows

__all__ = ["show_evidence"]

_PANES: weakref.WeakSet[widgets.Widget] = weakref.WeakSet()


def show_evidence(box: widgets.Box, audit: Audit | None, finding: Mapping[str, Any] | None) -> None:
    """Show the rows behind ``finding`` under it, in its row ``box`` of the audit view (the
    row wraps to put the table under the button and the sentence); with ``finding`` None, or a
    finding without rows, take any table shown there away.

    Parameters
    ----------
    box : ipywidgets.Box
        The finding's row in the audit view.
    audit : Audit or None
        The audit the view shows.
    finding : mapping or None
        The finding's row of the view's frame (None: it is not selected).
    """
    children = [child for child in box.children if child not in _PANES]
    rows = None if finding is None else finding_rows(audit, finding)
    if rows is not None and finding is not None:
        pane = widgets.HTML(
            evidence_html(rows, group=finding_group(finding)),
            layout={"width": "100%", "max_height": "360px", "overflow": "auto"},
        )
        pane.add_class("rai-audit-evidence-pane")
        _PANES.add(pane)
        children.append(pane)
    if len(children) != len(box.children) or rows is not None:
        box.layout.flex_flow = "row wrap" if rows is not None else None
        box.children = tuple(children)
