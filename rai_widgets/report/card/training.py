"""The model card's "Training data", from the numbers when the session holds the training rows
(``ModelSession(train=...)``): how many rows, each group's share of them against its share of
the evaluation rows (with bounds), the share of training labels the data contradicts per group
(when the audit's label-quality check ran), and how many evaluation rows also occur in them.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> large = X["mean radius"].gt(15).rename("large")
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X[:400], y[:400]), X[400:],
...                     y[400:], train=(X[:400], y[:400]), random_state=0)
>>> table, facts = training_numbers(s, min_group_size=10)
>>> facts["n_rows"], table is None
(400, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets.compute.representation import group_shares
from rai_widgets.compute.train_overlap import exact_overlap
from rai_widgets.formatting import bounds, count, label, number, percent
from rai_widgets.report.card.blocks import Block, Bullets, Heading, Para, Table
from rai_widgets.report.card.content import CardContent
from rai_widgets.session.checks.labels import suspect_rates
from rai_widgets.session.checks.lifecycle import training_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = [
    "LIFECYCLE_CHECKS",
    "TRAINING_TABLE_COLUMNS",
    "lifecycle_blocks",
    "training_blocks",
    "training_numbers",
]

#: The audit's checks of where a problem came from: listed under "Ethical considerations".
LIFECYCLE_CHECKS = ("representation", "label_quality", "overlap", "drift", "amplification")

#: The columns of a card's ``training_`` table.
TRAINING_TABLE_COLUMNS = [
    "feature",
    "group",
    "train_n",
    "train_share",
    "train_lo",
    "train_hi",
    "eval_share",
    "ratio",
    "ratio_lo",
    "ratio_hi",
    "suspect_rate",
    "suspect_lo",
    "suspect_hi",
]


def training_numbers(
    session: ModelSession, *, min_group_size: int
) -> tuple[pd.DataFrame | None, dict[str, Any]]:
    """The training rows' numbers for the card.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    min_group_size : int
        Groups with fewer training rows are left out (a card is shared).

    Returns
    -------
    table : pandas.DataFrame or None
        :data:`TRAINING_TABLE_COLUMNS`, one row per group of each sensitive feature held by
        the training rows (None without any).
    facts : dict
        ``n_rows`` (training rows, None without them), ``overlap`` (evaluation rows that also
        occur in training) and ``n_eval``.
    """
    training = session.core.training
    if training is None:
        return None, {"n_rows": None, "overlap": None, "n_eval": session.core.n_rows_}
    facts: dict[str, Any] = {
        "n_rows": training.n_rows_,
        "overlap": int(exact_overlap(training.X, session.core.frame).sum()),
        "n_eval": session.core.n_rows_,
    }
    # the label-quality check refits the model twice: the card only reads its numbers
    suspects = suspect_rates(session, compute=False) or {}
    frames = []
    for feature in session.sensitive_features_:
        groups = training_groups(session, feature)
        if groups is None:
            continue
        table = group_shares(groups[0], groups[1]).rename_axis("group").reset_index()
        table.insert(0, "feature", str(feature))
        rates = suspects.get(feature)
        for column, source in (("suspect_rate", "rate"), ("suspect_lo", "rate_lo"),
                               ("suspect_hi", "rate_hi")):  # fmt: skip
            table[column] = (
                np.nan if rates is None else table["group"].map(rates[source]).astype(float)
            )
        frames.append(table[table["train_n"] >= min_group_size])
    if not frames:
        return None, facts
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].map(str)
    return out[TRAINING_TABLE_COLUMNS], facts


def training_blocks(card: CardContent) -> list[Block]:
    """The numbers of the "Training data" section (nothing when the session had none).

    Parameters
    ----------
    card : CardContent
        The card's numbers.

    Returns
    -------
    list of Block
    """
    facts = getattr(card, "training_facts_", {}) or {}
    if facts.get("n_rows") is None:
        return []
    n_eval = facts["n_eval"]
    text = (
        f"The session holds the {count(facts['n_rows'])} training rows (train=); no number on "
        f"this card was computed on them except this section's. {count(facts['overlap'])} of "
        f"the {count(n_eval)} evaluation rows ({percent(facts['overlap'] / max(n_eval, 1))}) "
        "also occur, identically, in them."
    )
    blocks: list[Block] = [Para.of(text)]
    table = getattr(card, "training_", None)
    if table is None or len(table) == 0:
        return blocks
    blocks.append(
        Para.of(
            "Each group's share of the training rows against its share of the evaluation "
            "rows (95% Wilson bounds; the ratio's bounds by MOVER), and the share of its "
            "training labels that the data contradicts (confident learning on out-of-fold "
            "scores of a copy of the model), where the audit computed it."
        )
    )
    body = []
    for _, row in table.iterrows():
        suspect = (
            "not computed"
            if pd.isna(row["suspect_rate"])
            else f"{percent(row['suspect_rate'])} "
            f"({bounds(row['suspect_lo'], row['suspect_hi'], kind='percent')})"
        )
        body.append(
            (
                f"{row['feature']} = {label(row['group'])}",
                count(row["train_n"]),
                f"{percent(row['train_share'])} "
                f"({bounds(row['train_lo'], row['train_hi'], kind='percent')})",
                percent(row["eval_share"]),
                f"{number(row['ratio'], 2)} ({bounds(row['ratio_lo'], row['ratio_hi'], digits=2)})",
                suspect,
            )
        )
    header = (
        "Group",
        "Training rows",
        "Share of training",
        "Share of evaluation",
        "Ratio",
        "Labels contradicted",
    )
    blocks.append(Table(header, tuple(body), text_columns=(0,)))
    return blocks


def lifecycle_blocks(card: CardContent) -> list[Block]:
    """The lifecycle findings of the audit (training data, labels, evaluation, amplification)
    that are concerns or notes, for the "Ethical considerations" section.

    Parameters
    ----------
    card : CardContent
        The card's numbers (its ``audit_``).

    Returns
    -------
    list of Block
        Nothing when there are none.
    """
    frame = getattr(card, "audit_", None)
    if frame is None or len(frame) == 0:
        return []
    shown = frame["check"].isin(LIFECYCLE_CHECKS) & frame["severity"].isin(["concern", "note"])
    found = frame[shown]
    if found.empty:
        return []
    items = tuple(
        (f"{'Concern' if row['severity'] == 'concern' else 'Note'}: {row['finding']}",)
        for _, row in found.iterrows()
    )
    return [
        Heading(3, "Where a problem may have come from (found in the numbers)"),
        Bullets(items),
    ]
