"""The model card's cost of recourse: per group of each sensitive feature, how large a change
the people the model refuses must make to be accepted, against the other refused people
(the numbers of the audit's ``recourse`` check, ``recourse_costs``).

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> table, note = recourse_table(s, min_group_size=10)
>>> table is None, note.startswith("no sensitive features")
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rai_widgets.formatting import count, label
from rai_widgets.report.card.blocks import Block, Heading, Para, Table
from rai_widgets.report.card.content import CardContent
from rai_widgets.session.checks.recourse import recourse_costs

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["RECOURSE_TABLE_COLUMNS", "recourse_blocks", "recourse_table"]

#: The columns of a card's ``recourse_`` table.
RECOURSE_TABLE_COLUMNS = [
    "feature",
    "group",
    "n",
    "features",
    "features_lo",
    "features_hi",
    "distance",
    "distance_lo",
    "distance_hi",
    "rest_distance",
    "gap",
    "gap_lo",
    "gap_hi",
    "q_value",
    "significant",
]


def recourse_table(
    session: ModelSession, *, min_group_size: int
) -> tuple[pd.DataFrame | None, str]:
    """The cost of recourse per group, one table for every sensitive feature.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    min_group_size : int
        Groups with fewer people searched are left out (a card is shared).

    Returns
    -------
    table : pandas.DataFrame or None
        :data:`RECOURSE_TABLE_COLUMNS`; None when nothing could be compared.
    note : str
        Why not ("" when the table exists).
    """
    costs = recourse_costs(session)
    if costs.note:
        return None, costs.note
    frames = []
    for feature, table in costs.tables.items():
        if table.empty:
            continue
        frame = table.rename_axis("group").reset_index()
        frame.insert(0, "feature", str(feature))
        frames.append(frame[frame["n"] >= min_group_size])
    if not frames:
        return None, "too few people with a counterfactual in any group"
    out = pd.concat(frames, ignore_index=True)
    out["group"] = out["group"].map(str)
    return out[RECOURSE_TABLE_COLUMNS], ""


def recourse_blocks(card: CardContent) -> list[Block]:
    """The "Cost of recourse" part of the quantitative analyses.

    Parameters
    ----------
    card : CardContent
        The card's numbers.

    Returns
    -------
    list of Block
    """
    blocks: list[Block] = [Heading(3, "Cost of recourse")]
    table = getattr(card, "recourse_", None)
    if table is None or len(table) == 0:
        why = card.notes_.get("recourse", "not computed")
        blocks.append(Para.of(f"Not computed: {why}.", style="muted"))
        return blocks
    blocks.append(
        Para.of(
            "For a seeded sample of the people each group has among those the model refuses, "
            "the smallest valid change that gets the other answer (a counterfactual, checked "
            "with the model; sensitive features kept): the features it changes and its Gower "
            "distance (0: no change; 1: every feature different), with 95% bootstrap bounds. "
            "The gap is the distance against the other refused people; a group needs a larger "
            "change when its q-value (Benjamini-Hochberg) is at most 0.05 and the gap's bounds "
            "are above zero."
        )
    )
    body = []
    for _, row in table.iterrows():
        q = float(row["q_value"])
        body.append(
            (
                f"{row['feature']} = {label(row['group'])}",
                count(row["n"]),
                f"{row['features']:.1f} ({row['features_lo']:.1f} to {row['features_hi']:.1f})",
                f"{row['distance']:.2f} ({row['distance_lo']:.2f} to {row['distance_hi']:.2f})",
                f"{row['gap']:+.2f} ({row['gap_lo']:+.2f} to {row['gap_hi']:+.2f})",
                "< 0.001" if q < 0.001 else f"{q:.3f}",
                "larger change" if bool(row["significant"]) else "no difference shown",
            )
        )
    header = (
        "Group",
        "People",
        "Features changed",
        "Distance",
        "Gap to the rest",
        "q-value",
        "Reading",
    )
    blocks.append(Table(header, tuple(body), text_columns=(0, 6)))
    return blocks
