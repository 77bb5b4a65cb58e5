"""Assemble the :class:`sklearn.utils.Bunch` returned by every dataset loader."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pandas.api.types import is_numeric_dtype
from sklearn.utils import Bunch

_LABEL_WIDTH = 20
_TEXT_WIDTH = 92


@dataclass(frozen=True)
class Attribution:
    """What a dataset is, where it comes from and how to credit it (used in ``DESCR``)."""

    title: str
    summary: str
    source: str
    licence: str
    citation: str
    packaging: str


def make_bunch(
    frame: pd.DataFrame,
    *,
    target: str,
    sensitive_features: Sequence[str],
    attribution: Attribution,
    not_features: Sequence[str] = (),
    **extra: Any,
) -> Bunch:
    """Split ``frame`` into features and target and describe it.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features, target and any other outcome columns, in that order.
    target : str
        Name of the target column. Text targets make a classification dataset (the Bunch
        gets ``target_names``); numeric targets a regression dataset.
    sensitive_features : sequence of str
        Feature columns that describe people's protected attributes.
    attribution : Attribution
        Texts for ``DESCR``.
    not_features : sequence of str, default=()
        Columns besides ``target`` that stay in ``frame`` but not in ``data`` (for example a
        transform of the target, which would leak it).
    **extra
        More Bunch attributes (for example ``split``).

    Returns
    -------
    sklearn.utils.Bunch
        With ``data``, ``target``, ``frame``, ``feature_names``, ``sensitive_features``,
        ``DESCR``, ``target_names`` (classification only) and ``extra``.
    """
    data = frame.drop(columns=[target, *not_features])
    target_series = frame[target].copy()
    bunch = Bunch(
        data=data,
        target=target_series,
        frame=frame,
        feature_names=list(data.columns),
        sensitive_features=list(sensitive_features),
        DESCR=describe(data, target_series, sensitive_features, attribution),
        **extra,
    )
    if not is_numeric_dtype(target_series):
        bunch.target_names = sorted(target_series.dropna().unique().tolist())
    return bunch


def describe(
    data: pd.DataFrame,
    target: pd.Series,
    sensitive_features: Sequence[str],
    attribution: Attribution,
) -> str:
    """Return the ``DESCR`` text: summary, shape, target, sensitive features and credits."""
    if is_numeric_dtype(target):
        target_text = (
            f"{target.name} (numeric, regression): mean {target.mean():.2f}, "
            f"min {target.min():.2f}, max {target.max():.2f}"
        )
    else:
        counts = target.value_counts().sort_index()
        classes = ", ".join(f"{label!r} ({count:,})" for label, count in counts.items())
        target_text = f"{target.name} (classification): {classes}"
    missing = data.isna().sum()
    missing = missing[missing > 0]
    missing_text = ", ".join(f"{column} ({count:,})" for column, count in missing.items()) or "none"
    fields = [
        ("Rows x columns", f"{len(data):,} rows x {data.shape[1]} feature columns"),
        ("Target", target_text),
        ("Sensitive features", ", ".join(sensitive_features)),
        ("Missing values", missing_text),
        ("Source", attribution.source),
        ("Licence", attribution.licence),
        ("Citation", attribution.citation),
        ("Packaging", attribution.packaging),
    ]
    lines = [attribution.title, "=" * len(attribution.title), ""]
    lines += [textwrap.fill(attribution.summary, _TEXT_WIDTH), ""]
    for label, text in fields:
        lines.append(
            textwrap.fill(
                text,
                _TEXT_WIDTH,
                initial_indent=f"{label + ':':<{_LABEL_WIDTH}}",
                subsequent_indent=" " * _LABEL_WIDTH,
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    return "\n".join(lines) + "\n"
