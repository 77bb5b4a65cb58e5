"""Groups too small to report: shared by the model card and the HTML export.

The numbers' side lives in :mod:`rai_widgets.compute.small_groups`, the words in
:mod:`rai_widgets.readings.small_groups`; this module names them for the report.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"n": [500, 4], "accuracy": [0.8, 1.0], "accuracy_lo": [0.76, 0.5],
...                       "accuracy_hi": [0.83, 1.0]}, index=["a", "b"])
>>> masked = mask_small_groups(table, min_group_size=10)
>>> masked["too_few"].tolist(), masked["accuracy"].isna().tolist()
([False, True], [False, True])
"""

from __future__ import annotations

from rai_widgets.compute.small_groups import (
    DEFAULT_MIN_GROUP_SIZE,
    mask_small_groups,
    split_small_groups,
)
from rai_widgets.readings.small_groups import TOO_FEW, mask_small_findings, not_shown_sentence

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "TOO_FEW",
    "mask_small_findings",
    "mask_small_groups",
    "not_shown_sentence",
    "split_small_groups",
]
