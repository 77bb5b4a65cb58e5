"""The audit view's model: the findings to show, their counts and the headline, computed once.

The live widget, its static picture, the export and the model card render an
:class:`AuditModel`; none of them asks the session what to show. For a shared file
(``min_group_size``) a finding with numbers about a smaller group says "too few to report" in
place of its numbers, and the headline is read from what is shown.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0,
...                     sensitive_features=X["mean radius"].gt(15).rename("large"))
>>> model = AuditModel.from_session(s, audit=s.audit(checks=["baseline", "data_gap"]))
>>> model.counts["ok"] >= 1, model.complete, len(model.headline) <= 3
(True, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from rai_widgets.compute.audit import COLUMNS, SEVERITIES, Audit
from rai_widgets.compute.audit_headline import HeadlineLine, headline_lines
from rai_widgets.readings.lifecycle import NO_TRAINING
from rai_widgets.readings.small_groups import mask_small_findings

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["NEEDS_TRAINING", "AuditModel", "fold_untrained"]

#: The checks that read the training rows (``ModelSession(train=...)``).
NEEDS_TRAINING = ("representation", "overlap", "drift", "label_quality")


def fold_untrained(frame: pd.DataFrame) -> pd.DataFrame:
    """The audit's rows with the notes of the checks that need training rows, when none were
    given, folded into one (four notes saying the same would crowd the list).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()``.

    Returns
    -------
    pandas.DataFrame
        The same rows, or those notes replaced by one row of check ``"lifecycle"`` at the
        place of the first.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"check": ["drift", "overlap", "baseline"],
    ...                       "severity": ["note", "note", "ok"],
    ...                       "finding": [f"Not checked: {NO_TRAINING}."] * 2 + ["Right."]})
    >>> fold_untrained(frame)["check"].tolist()
    ['lifecycle', 'baseline']
    """
    if frame.empty:
        return frame
    alone = frame["check"].isin(NEEDS_TRAINING) & frame["finding"].eq(
        f"Not checked: {NO_TRAINING}."
    )
    if alone.sum() < 2:
        return frame
    names = [str(c).replace("_", " ") for c in frame.loc[alone, "check"]]
    first = frame.index[alone][0]
    row = frame.loc[first].copy()
    row["check"] = "lifecycle"
    row["finding"] = (
        f"Not checked: {NO_TRAINING}. With them the audit asks where a problem came from "
        f"({', '.join(names[:-1])} and {names[-1]})."
    )
    out = frame.copy()
    out.loc[first] = row
    return out.drop(index=frame.index[alone][1:]).reset_index(drop=True)


@dataclass(frozen=True)
class AuditModel:
    """What the audit view shows: the ranked findings, their counts and the headline.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``Audit.frame()``, concerns first (for a shared file, small groups' numbers left
        out).
    headline : tuple of HeadlineLine
        At most three lines, one per check with concerns (``Audit.headline()``).
    checks_done, checks_total : int
        Checks run so far, and in all (equal once the audit is complete).
    min_group_size : int or None
        For a shared file: the smallest group whose numbers are shown.
    unit : str or None
        The regression target's unit.
    """

    frame: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COLUMNS)))
    headline: tuple[HeadlineLine, ...] = ()
    checks_done: int = 0
    checks_total: int = 0
    min_group_size: int | None = None
    unit: str | None = None

    @classmethod
    def from_audit(
        cls,
        audit: Audit,
        *,
        checks_total: int | None = None,
        min_group_size: int | None = None,
    ) -> AuditModel:
        """The model of an audit already run (or of the checks done so far).

        Parameters
        ----------
        audit : Audit
            ``session.audit()``, or the audit so far while its checks run.
        checks_total : int, optional
            How many checks the whole audit runs (default: those of ``audit``).
        min_group_size : int, optional
            For a shared file (see :func:`~rai_widgets.readings.small_groups.mask_small_findings`).

        Returns
        -------
        AuditModel
        """
        frame = fold_untrained(audit.frame())
        if min_group_size is not None:
            frame = mask_small_findings(frame, min_group_size=min_group_size)
        done = len(audit.checks)
        return cls(
            frame=frame,
            headline=tuple(headline_lines(frame, unit=audit.unit)),
            checks_done=done,
            checks_total=done if checks_total is None else checks_total,
            min_group_size=min_group_size,
            unit=audit.unit,
        )

    @classmethod
    def from_session(
        cls,
        session: ModelSession,
        *,
        audit: Audit | None = None,
        min_group_size: int | None = None,
    ) -> AuditModel:
        """The model of ``session.audit()`` (cached by the session) or of ``audit``.

        Parameters
        ----------
        session : ModelSession
            The model and data.
        audit : Audit, optional
            An audit already run.
        min_group_size : int, optional
            For a shared file.

        Returns
        -------
        AuditModel
        """
        result = audit if audit is not None else session.audit()
        return cls.from_audit(result, min_group_size=min_group_size)

    @property
    def complete(self) -> bool:
        """Whether every check has run."""
        return self.checks_done >= self.checks_total

    @property
    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity named (0 when none)."""
        counts = self.frame["severity"].value_counts() if len(self.frame) else pd.Series()
        return {severity: int(counts.get(severity, 0)) for severity in SEVERITIES}

    def of(self, severity: str) -> pd.DataFrame:
        """The findings of one severity, ranked, keeping their positions in :attr:`frame`.

        Parameters
        ----------
        severity : str
            One of "concern", "note", "unclear", "ok".

        Returns
        -------
        pandas.DataFrame
        """
        return self.frame[self.frame["severity"] == severity]
