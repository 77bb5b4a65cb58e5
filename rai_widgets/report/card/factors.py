"""The model card's "Factors" and "Metrics" sections: who is evaluated, and how it is measured.

Factors are the sensitive features and their groups (with their sizes), their intersections,
and the features that the audit's concerns and notes name. Metrics are the metrics reported,
why each one, how its 95% bounds are computed, and the methods behind the other numbers
(disparities, calibration, conformal coverage, blind spots, support thresholds).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y,
...                     sensitive_features=large, random_state=0)
>>> card = rw.ModelCard.from_session(s, metrics=["accuracy"])
>>> group_sizes(card)[0]["groups"][0]
{'group': 'False', 'n': 396, 'too_few': False, 'low_support': False}
>>> metric_rows(card)[0]["bounds_method"]
'Wilson score interval'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from rai_widgets.compute.slice_metrics import MIN_CLASS_SUPPORT
from rai_widgets.formatting import count, label
from rai_widgets.formatting_metrics import metric_name, metric_value
from rai_widgets.report.card.blocks import Block, Bullets, Heading, Para, Strong, Table
from rai_widgets.report.card.content import CardContent
from rai_widgets.report.card.formats import bounds_method, metric_reason
from rai_widgets.report.small_groups import TOO_FEW
from rai_widgets.static_html.audit import check_title

__all__ = [
    "BOUNDS_LEVEL",
    "MAX_GROUPS_LISTED",
    "audit_features",
    "factor_blocks",
    "group_sizes",
    "metric_blocks",
    "metric_methods",
    "metric_rows",
]

BOUNDS_LEVEL = 0.95
"""The coverage of every bound on the card."""
MAX_GROUPS_LISTED = 12
"""Groups of one feature named under Factors; the rest are counted."""


def group_sizes(card: CardContent) -> list[dict[str, Any]]:
    """The groups evaluated, per sensitive feature: name, ``n``, too few to report, low support.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of dict
        ``{"feature": str, "groups": [{"group", "n", "too_few", "low_support"}, ...]}``.
    """
    return [
        {"feature": str(feature), "groups": _groups(table)}
        for feature, table in card.by_group_.items()
    ]


def _groups(table: pd.DataFrame) -> list[dict[str, Any]]:
    too_few = table["too_few"] if "too_few" in table else pd.Series(False, index=table.index)
    return [
        {
            "group": label(group),
            "n": int(row["n"]),
            "too_few": bool(too_few.iloc[i]),
            "low_support": bool(row["low_support"]),
        }
        for i, (group, row) in enumerate(table.iterrows())
    ]


def audit_features(card: CardContent) -> list[dict[str, Any]]:
    """The features the audit's concerns and notes are about, most findings first.

    A finding is about a feature when its ``feature`` names it or its ``slice`` selects on it.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of dict
        ``{"feature": str, "n_findings": int, "checks": [str, ...]}``.
    """
    frame = getattr(card, "audit_", None)
    if frame is None or frame.empty:
        return []
    found: dict[str, list[str]] = {}
    for _, row in frame[frame["severity"].isin(["concern", "note"])].iterrows():
        names = []
        feature = row.get("feature")
        if isinstance(feature, str) or (feature is not None and not pd.isna(feature)):
            names.append(str(feature))
        if isinstance(row.get("slice"), dict):
            names += [str(c) for c in row["slice"]]
        for name in dict.fromkeys(names):
            found.setdefault(name, []).append(str(row["check"]))
    ranked = sorted(found.items(), key=lambda item: -len(item[1]))
    return [
        {"feature": name, "n_findings": len(checks), "checks": list(dict.fromkeys(checks))}
        for name, checks in ranked
    ]


def factor_blocks(card: CardContent) -> list[Block]:
    """The body of the "Factors" section (its heading excluded).

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of Block
    """
    blocks: list[Block] = [
        Para.of(
            "The groups the model is evaluated on (the sensitive features), and the features "
            "the audit found relevant. Other factors (instrumentation, environment) are not "
            "known to the session: state them under Caveats and recommendations."
        ),
        Heading(3, "Groups evaluated"),
    ]
    items: list[tuple[Any, ...]] = []
    for entry in group_sizes(card):
        groups = entry["groups"]
        named = []
        for g in groups[:MAX_GROUPS_LISTED]:
            flag = f", {TOO_FEW}" if g["too_few"] else ", low support" if g["low_support"] else ""
            named.append(f"{g['group']} (n = {count(g['n'])}{flag})")
        rest = len(groups) - MAX_GROUPS_LISTED
        text = ", ".join(named) + (f" and {rest} more" if rest > 0 else "")
        items.append((Strong(entry["feature"]), f": {len(groups)} groups: {text}."))
    for features, table in getattr(card, "intersectional_", {}).items():
        n_few = int(table["too_few"].astype(bool).sum()) if "too_few" in table else 0
        few = f" ({n_few} {TOO_FEW})" if n_few else ""
        items.append(
            (
                Strong(" and ".join(str(f) for f in features)),
                f": {len(table)} combinations that occur{few}.",
            )
        )
    if items:
        blocks.append(Bullets(tuple(items)))
    else:
        blocks.append(
            Para.of(
                "No sensitive features were given: pass sensitive_features= to ModelSession "
                "or to ModelCard.from_session to evaluate groups of people.",
                style="muted",
            )
        )
    blocks.append(Heading(3, "Features the audit found relevant"))
    found = audit_features(card)
    if found:
        blocks.append(
            Bullets(
                tuple(
                    (
                        Strong(f["feature"]),
                        f": {f['n_findings']} finding{'s' if f['n_findings'] != 1 else ''} "
                        f"({', '.join(check_title(c).lower() for c in f['checks'])}).",
                    )
                    for f in found
                )
            )
        )
    elif getattr(card, "audit_", None) is None:
        blocks.append(Para.of(card.notes_.get("audit", "The audit could not run."), style="muted"))
    else:
        blocks.append(Para.of("No concern or note of the audit names a feature.", style="muted"))
    return blocks


def metric_rows(card: CardContent) -> list[dict[str, str]]:
    """Each metric reported: its key, its name, why it is reported and how its bounds are built.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of dict
        ``{"name", "label", "why", "bounds_method"}``.
    """
    return [
        {
            "name": m,
            "label": metric_name(m),
            "why": metric_reason(m),
            "bounds_method": bounds_method(m),
        }
        for m in card.metrics_
    ]


def metric_methods(card: CardContent) -> dict[str, str]:
    """How the card's other numbers are computed, one sentence each.

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    dict
        ``bounds``, ``disparities``, ``calibration``, ``conformal``, ``blind_spots``,
        ``support``.
    """
    level = metric_value("coverage", card.confidence_level_)
    rare = (
        f" (or fewer than {MIN_CLASS_SUPPORT} rows of one class)"
        if card.details_["task"] == "binary"
        else ""
    )
    return {
        "bounds": f"Every value has {BOUNDS_LEVEL:.0%} bounds: Wilson score intervals for "
        "proportions, a seeded percentile bootstrap within each group otherwise.",
        "disparities": "Differences between groups have MOVER bounds, built from each "
        "group's own bounds; a gap is called beyond chance only when its bounds exclude zero.",
        "calibration": "Calibration: expected calibration error over 10 equal-count bins of "
        "predicted probability, and mean confidence minus accuracy (classifiers).",
        "conformal": f"Uncertainty of single predictions: split conformal prediction sets or "
        f"intervals built to hold the true value {level} of the time (confidence level), "
        "calibrated on half of the rows and checked on the other half, with Wilson bounds.",
        "blind_spots": "Blind spots: every slice of one or two columns against the rest of "
        "the data, p-values adjusted with Benjamini-Hochberg (false discovery rate 5%).",
        "support": f"Groups with fewer than {card.min_support_} rows{rare} are flagged as low "
        f"support; groups with fewer than {card.min_group_size_} rows are named with their "
        f"size and read {TOO_FEW!r}.",
    }


def metric_blocks(card: CardContent) -> list[Block]:
    """The body of the "Metrics" section (its heading excluded).

    Parameters
    ----------
    card : CardContent
        The card's numbers, e.g. a :class:`~rai_widgets.ModelCard`.

    Returns
    -------
    list of Block
    """
    rows = tuple((r["label"], r["why"], r["bounds_method"]) for r in metric_rows(card))
    first = metric_name(card.metrics_[0])
    intro = f"The metrics reported and why; the first, {first}, leads the summary and the "
    return [
        Para.of(intro + "limitations."),
        Table(("Metric", "Why it is reported", "95% bounds"), rows, text_columns=(0, 1, 2)),
        Heading(3, "Methods"),
        Bullets(tuple((text,) for text in metric_methods(card).values())),
    ]
