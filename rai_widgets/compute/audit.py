"""The audit's findings as data: :class:`Finding`, :class:`Audit` and their ranking.

Pure data, no session: the checks that produce findings live in
:mod:`rai_widgets.session.checks` (they ask the session for its cached results). A check that
cannot run says why in a ``note`` (:func:`cannot_run`, :func:`check_failed`); it never invents
a number. :func:`audit_frame` ranks the findings: concerns first, then notes, then what passed,
each by effect size.

Examples
--------
>>> f = Finding("baseline", "ok", "Right for 86% of rows against 76% for always-'<=50K'.",
...             estimate=0.10, lo=0.09, hi=0.11, n=48842, view="fairness")
>>> frame = audit_frame([f, Finding("data_gap", "note", "No rows for race = Other.")])
>>> frame[["check", "severity"]].values.tolist()
[['data_gap', 'note'], ['baseline', 'ok']]
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rai_widgets.compute.audit_headline import headline_lines
from rai_widgets.core.errors import RaiWidgetsError

__all__ = [
    "COLUMNS",
    "DEFAULT_TOLERANCE",
    "SEVERITIES",
    "VIEWS",
    "Audit",
    "Finding",
    "audit_frame",
    "cannot_run",
    "check_failed",
]

#: Severities, most urgent first: "unclear" is a result the data cannot decide yet (its bounds
#: hold no difference and a difference that matters alike), shown apart from what passed.
SEVERITIES = ("concern", "note", "unclear", "ok")
#: The difference that matters, by default: 5 points of a rate (or 5% of an error), a ratio
#: 0.05 under its bar; ``ModelSession.audit(tolerance=...)`` sets another.
DEFAULT_TOLERANCE = 0.05
#: The dashboard tabs a finding can send the user to.
VIEWS = ("audit", "examples", "explanation", "fairness", "uncertainty")
#: The columns of :meth:`Audit.frame`.
COLUMNS = (
    "check",
    "severity",
    "finding",
    "estimate",
    "lo",
    "hi",
    "n",
    "slice",
    "feature",
    "view",
    "metric",
    "grouping",
    "reference",
    "details",
)


@dataclass(frozen=True)
class Finding:
    """One thing the audit found: what, how sure, on how many rows, and where to look.

    Attributes
    ----------
    check : str
        The check that found it (e.g. "disparity").
    severity : {"concern", "note", "unclear", "ok"}
        A concern is supported by its bounds; a note is worth a look or says why a check could
        not run; ok is what passed.
    finding : str
        One plain sentence with the numbers.
    estimate, lo, hi : float
        The effect and its bounds (NaN when there is no number).
    n : int or None
        Rows behind it.
    slice : dict or None
        ``{column: value}`` of the group it is about (usable as ``Dashboard.selected_slice``).
    feature : hashable or None
        The feature it is about.
    view : str
        The tab that shows the evidence.
    size : float
        How large the effect is, for ranking within a severity (default ``abs(estimate)``).
    metric : str or None
        The metric it is about, as ``ModelSession.metric_names()`` names it (the fairness
        tab shows it when the finding is clicked); None when it is about no one metric.
    grouping : hashable or None
        The sensitive feature a finding about ``feature`` concerns (a proxy: the sensitive
        feature it stands in for); the explanation colours ``feature`` by it when clicked.
    reference : object or None
        The group ``slice`` is compared with (a gap, the four-fifths rule, amplification), so
        that a short reading can name it.
    details : dict or None
        The other numbers its readings need, by name (both groups' rates, the bounds'
        coverage, the labels' ratio ...), so that a plain reading or the headline never reads
        a number back from the sentence.
    rows : pandas.DataFrame or None
        The rows behind it, to browse (``label_quality``: the suspect training rows with
        their given label, its out-of-fold probability and the label the model expects; see
        :func:`rai_widgets.session.checks.labels.suspect_rows`). Not a column of
        :meth:`Audit.frame`; "Show evidence" in the audit view shows them.
    """

    check: str
    severity: str
    finding: str
    estimate: float = math.nan
    lo: float = math.nan
    hi: float = math.nan
    n: int | None = None
    slice: dict | None = None
    feature: Hashable | None = None
    view: str = "audit"
    size: float | None = field(default=None, compare=False)
    metric: str | None = None
    grouping: Hashable | None = None
    reference: Any = None
    details: dict[str, Any] | None = field(default=None, compare=False)
    rows: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {self.severity!r}")
        if self.view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {self.view!r}")

    @property
    def effect(self) -> float:
        """The ranking key within a severity: ``size``, else ``abs(estimate)``, else 0."""
        if self.size is not None:
            return float(self.size)
        return 0.0 if math.isnan(self.estimate) else abs(float(self.estimate))


def cannot_run(check: str, why: str, *, view: str = "audit") -> list[Finding]:
    """The note of a check that cannot run here, saying why (never an invented number).

    Parameters
    ----------
    check : str
        The check's name.
    why : str
        The reason, as the end of a sentence ("this session has no y").
    view : str, default "audit"
        Where the user can look instead.

    Returns
    -------
    list of Finding
    """
    return [Finding(check, "note", f"Not checked: {why}.", view=view, size=-1.0)]


def check_failed(check: str, error: BaseException) -> list[Finding]:
    """The note of a check that raised: it names the check and says what went wrong, so one
    broken check never takes the rest of the audit (or the Dashboard) down.

    Parameters
    ----------
    check : str
        The check's name.
    error : Exception
        What it raised.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> print(check_failed("proxy", ValueError("all NA"))[0].finding)
    Not checked: the check failed with an unexpected error (ValueError: all NA). The other
    checks ran; please report this error.
    """
    if isinstance(error, RaiWidgetsError):
        why = str(error).rstrip(".")
        return [Finding(check, "note", f"Not checked: {why}.", size=-1.0)]
    what = f"{type(error).__name__}: {error}".rstrip(".")
    return [
        Finding(
            check,
            "note",
            f"Not checked: the check failed with an unexpected error ({what}). The other "
            "checks ran; please report this error.",
            size=-1.0,
        )
    ]


def audit_frame(findings: list[Finding]) -> pd.DataFrame:
    """The findings as a tidy table, concerns first, then notes, then ok, each by effect size.

    Parameters
    ----------
    findings : list of Finding
        In any order.

    Returns
    -------
    pandas.DataFrame
        The columns :data:`COLUMNS`, one row per finding.
    """
    order = sorted(
        range(len(findings)),
        key=lambda i: (SEVERITIES.index(findings[i].severity), -findings[i].effect, i),
    )
    rows: list[dict[str, object]] = [
        {
            "check": findings[i].check,
            "severity": findings[i].severity,
            "finding": findings[i].finding,
            "estimate": findings[i].estimate,
            "lo": findings[i].lo,
            "hi": findings[i].hi,
            "n": findings[i].n,
            "slice": findings[i].slice,
            "feature": findings[i].feature,
            "view": findings[i].view,
            "metric": findings[i].metric,
            "grouping": findings[i].grouping,
            "reference": findings[i].reference,
            "details": findings[i].details,
        }
        for i in order
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass
class Audit:
    """The result of ``ModelSession.audit()``: ranked findings with their evidence.

    Attributes
    ----------
    findings : list of Finding
        In the order found.
    checks : tuple of str
        The checks that ran.
    alpha : float
        The false discovery / error rate the checks used.
    unit : str or None
        The regression target's unit (the headline's gaps carry it).
    """

    findings: list[Finding]
    checks: tuple[str, ...]
    alpha: float
    unit: str | None = None

    def frame(self) -> pd.DataFrame:
        """One row per finding: ``check``, ``severity``, ``finding``, ``estimate``, ``lo``,
        ``hi``, ``n``, ``slice``, ``feature``, ``view``; concerns first, then by effect size.

        Returns
        -------
        pandas.DataFrame
        """
        return audit_frame(self.findings)

    def of(self, severity: str) -> pd.DataFrame:
        """The findings of one severity ("concern", "note", "unclear" or "ok"), ranked.

        Parameters
        ----------
        severity : str
            One of :data:`SEVERITIES`.

        Returns
        -------
        pandas.DataFrame
        """
        frame = self.frame()
        return frame[frame["severity"] == severity].reset_index(drop=True)

    def headline(self, *, plain: bool = False) -> list[str]:
        """At most three sentences a stakeholder can take away, the most urgent first.

        One sentence per check with concerns, chosen by severity and effect size; several
        concerns of one check fold into one sentence naming what they are about (the
        four-fifths rule failing for age, race and sex) with the largest one's number.
        Empty when there is no concern.

        Parameters
        ----------
        plain : bool, default False
            The sentences in plain words (presenter mode), without statistical terms.

        Returns
        -------
        list of str

        Examples
        --------
        >>> audit = Audit([Finding("data_gap", "concern", "Only 12 rows for race = Other.",
        ...                        n=12, slice={"race": "Other"})], ("data_gap",), 0.05)
        >>> audit.headline()
        ['Only 12 rows for race = Other.']
        """
        lines = headline_lines(self.frame(), unit=self.unit)
        return [line.plain if plain else line.technical for line in lines]

    @property
    def concerns(self) -> pd.DataFrame:
        """The concerns, ranked (what to look at first)."""
        return self.of("concern")

    def __repr__(self) -> str:
        counts = self.frame()["severity"].value_counts()
        parts = ", ".join(f"{int(counts.get(s, 0))} {s}" for s in SEVERITIES)
        return f"Audit({parts}; checks={list(self.checks)})"
