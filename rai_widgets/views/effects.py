"""What a feature-effect chart shows, computed once from the session: the curves per group
(``ModelSession.effects``), a sample of single cases' curves behind a numeric feature's
average, and one case's own curve; :class:`~rai_widgets.display.EffectsDisplay` draws it.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.linear_model import LinearRegression
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> s = rw.ModelSession(LinearRegression().fit(X, data.target), X, data.target, random_state=0)
>>> effects = effects_data(s, "age", grid_resolution=5, n_ice=3, row=X.index[0])
>>> len(effects.frame), effects.ice["row"].nunique(), bool(effects.case_value == X["age"].iloc[0])
(5, 3, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rai_widgets import formatting

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["EffectsData", "effects_data", "is_number"]


def is_number(value: object) -> bool:
    """Whether ``value`` is a number (not a boolean), so a grid of them draws as a curve.

    Examples
    --------
    >>> is_number(3.5), is_number(True), is_number("a")
    (True, False, False)
    """
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


@dataclass(frozen=True)
class EffectsData:
    """One feature's effects, as the chart draws them.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``ModelSession.effects(feature, by=...)``.
    feature : str
        The feature's name.
    subject : str
        What moves, in words.
    points : bool
        Whether the answer is a probability (an axis in percent).
    rug : list
        A sample of the feature's values.
    reading : str
        The sentence under the chart.
    ice : pandas.DataFrame or None
        A sample of single cases' curves (a numeric feature's average only).
    case : pandas.DataFrame or None
        One case's own curve, through its own value.
    case_value : object
        The case's own value of the feature (None without a case).
    kind : {"average", "ale"}
        What the curves are.
    extrapolated : list
        Grid values beyond the data's values (drawn in a grey part of the chart).
    data_range : tuple of float, optional
        A numeric feature's smallest and largest value in the data.
    """

    frame: pd.DataFrame
    feature: str
    subject: str
    points: bool
    rug: list
    reading: str
    ice: pd.DataFrame | None
    case: pd.DataFrame | None
    case_value: Any
    kind: str
    extrapolated: list = field(default_factory=list)
    data_range: tuple[float, float] | None = None


def effects_data(
    session: ModelSession,
    feature: Hashable,
    *,
    by: Any = None,
    kind: str = "average",
    grid_resolution: int = 20,
    n_ice: int = 30,
    random_state: int | None = None,
    row: Hashable | None = None,
    grid: Sequence[Any] | None = None,
) -> EffectsData:
    """Compute the effects of ``feature`` (see ``ModelSession.effects``), and for the average
    of a numeric feature ``n_ice`` rows' own curves (0: none) and, with ``row``, that case's
    own curve.

    Parameters
    ----------
    session : ModelSession
        The model and data.
    feature : column label
        The feature.
    by, kind, grid_resolution, random_state
        As in ``ModelSession.effects``.
    n_ice : int, default 30
        Single cases' curves drawn behind a numeric feature's average.
    row : label of X's index, optional
        A case whose own curve is drawn.
    grid : sequence, optional
        The feature's values to set (as in ``ModelSession.effects``); values beyond the data
        are drawn in a grey part of the chart and named in the reading.

    Returns
    -------
    EffectsData
    """
    effects = session.effects(
        feature,
        by=by,
        kind=kind,
        grid=grid,
        grid_resolution=grid_resolution,
        random_state=random_state,
    )
    ice = None
    present = [v for v in effects["value"] if not formatting.is_missing(v)]
    if kind == "average" and n_ice > 0 and present and all(is_number(v) for v in present):
        ice = session.effects(
            feature, by=by, kind="individual", grid=present, n_ice=n_ice, random_state=random_state
        )
    case = None
    own: Any = None if row is None else session.core.frame.loc[row, feature]
    if ice is not None and row is not None:
        # the case's own value is a point of its curve: the dot sits on its real answer
        points = sorted({*map(float, present), *([float(own)] if is_number(own) else [])})
        case = session.effects(
            feature, by=by, kind="individual", grid=points, rows=[row], random_state=random_state
        )
    return EffectsData(
        frame=effects,
        feature=str(feature),
        subject=str(effects.attrs.get("subject", "the answer")),
        points=session.task_ != "regression",
        rug=list(effects.attrs.get("rug") or []),
        reading=str(effects.attrs.get("reading", "")),
        ice=ice,
        case=case,
        case_value=own,
        kind=kind,
        extrapolated=list(effects.attrs.get("extrapolated") or []),
        data_range=effects.attrs.get("range"),
    )
