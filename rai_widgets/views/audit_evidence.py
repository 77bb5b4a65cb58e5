"""Which rows stand behind a finding of the audit view: ``Finding.rows`` of the finding a row
of the view's frame shows (the suspect training rows of a ``label_quality`` finding).

The view's frame is ``Audit.frame()`` (perhaps with small groups' numbers masked for a shared
file), whose rows are not the findings themselves: a row is matched to its finding by check,
severity and slice, which no two findings of one check share.

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.compute.audit import Audit, Finding
>>> rows = pd.DataFrame({"given_label": ["yes"]})
>>> audit = Audit([Finding("label_quality", "concern", "...", slice={"sex": "F"}, rows=rows)],
...               ("label_quality",), 0.05)
>>> finding_rows(audit, audit.frame().iloc[0]) is rows
True
>>> finding_rows(audit, {"check": "disparity", "severity": "concern", "slice": None}) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from rai_widgets import formatting
from rai_widgets.compute.audit import Audit

__all__ = ["finding_group", "finding_rows"]


def _slice(value: Any) -> dict | None:
    return value if isinstance(value, dict) and value else None


def finding_rows(audit: Audit | None, finding: Mapping[str, Any]) -> pd.DataFrame | None:
    """The rows behind a finding (its ``Finding.rows``), or None when it has none.

    Parameters
    ----------
    audit : Audit or None
        The audit the view shows.
    finding : mapping
        A row of the view's frame (``check``, ``severity``, ``slice``).

    Returns
    -------
    pandas.DataFrame or None
    """
    if audit is None:
        return None
    wanted = (finding.get("check"), finding.get("severity"), _slice(finding.get("slice")))
    for found in audit.findings:
        if found.rows is not None and (found.check, found.severity, _slice(found.slice)) == wanted:
            return found.rows
    return None


def finding_group(finding: Mapping[str, Any]) -> str | None:
    """The group a finding is about, as a sentence names it ("sex = Female"), or None.

    Examples
    --------
    >>> finding_group({"slice": {"sex": "Female"}}), finding_group({"slice": None})
    ('sex = Female', None)
    """
    spec = _slice(finding.get("slice"))
    return None if spec is None else formatting.slice_description(spec)
