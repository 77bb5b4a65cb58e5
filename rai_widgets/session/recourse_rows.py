"""The rows a counterfactual search works on, coded only where it needs them.

A search measures Gower distances between its cases and a pool of real rows with the target
(a seeded sample of at most a few thousand). It needs each numeric column's spread and
whether it holds whole numbers, which are read from the data one column at a time
(:func:`distance_columns`), and the pool's rows coded as numbers with its plausibility radius
(:func:`coded_pool`): never a coded copy of every row (1.1 GB on 10,000,000 rows of Adult).

The numbers are the ones a coded copy of every row gives: the same spread
(:func:`~rai_widgets.compute.examples.column_scales`), the same whole-number check
(:func:`~rai_widgets.compute.counterfactual_types.whole_columns`) and the same codes
(:meth:`~rai_widgets.core.codec.TabularCodec.encode` of the pool's rows).

Examples
--------
>>> import pandas as pd
>>> from rai_widgets.core.codec import TabularCodec
>>> X = pd.DataFrame({"age": [20, 30, 40, 50], "job": ["a", "b", "a", "b"]})
>>> codec = TabularCodec.fit(X)
>>> columns = distance_columns(X, codec)
>>> columns.scale.tolist(), columns.whole.tolist()
([15.0, 1.0], [True, False])
>>> pool = coded_pool(X, codec, np.array([1, 3]), columns, random_state=0)
>>> pool.Z.tolist(), pool.radius
([[30.0, 1.0], [50.0, 1.0]], 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rai_widgets.compute.counterfactual_types import whole_columns
from rai_widgets.compute.examples import column_scales
from rai_widgets.compute.plausibility import plausibility_radius
from rai_widgets.core.codec import TabularCodec

__all__ = ["CodedPool", "DistanceColumns", "coded_pool", "distance_columns"]


@dataclass(frozen=True)
class DistanceColumns:
    """What a Gower distance needs to know of every column.

    Attributes
    ----------
    categorical : numpy.ndarray of bool
        The coded (text, categorical) columns.
    scale : numpy.ndarray
        Each numeric column's spread (1 for categorical columns).
    whole : numpy.ndarray of bool
        The numeric columns that hold only whole numbers (missing values aside).
    """

    categorical: np.ndarray
    scale: np.ndarray
    whole: np.ndarray


@dataclass(frozen=True)
class CodedPool:
    """Real rows with one target, coded, and how close real rows with it lie to each other.

    Attributes
    ----------
    positions : numpy.ndarray of int
        The rows' positions in the data, in order.
    Z : numpy.ndarray
        The rows coded (:meth:`~rai_widgets.core.codec.TabularCodec.encode`).
    radius : float
        Their :func:`~rai_widgets.compute.plausibility.plausibility_radius`.
    """

    positions: np.ndarray
    Z: np.ndarray
    radius: float


def distance_columns(frame: pd.DataFrame, codec: TabularCodec) -> DistanceColumns:
    """Each column's kind, spread and whole-number check, one column at a time.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data (the session's snapshot).
    codec : TabularCodec
        The session's codec (which columns are coded).

    Returns
    -------
    DistanceColumns
        As :func:`~rai_widgets.compute.examples.column_scales` and
        :func:`~rai_widgets.compute.counterfactual_types.whole_columns` give them on the
        coded rows, without coding every row: the extra memory is a few copies of one column.
    """
    categorical = codec.categorical
    scale = np.ones(len(codec.columns))
    whole = np.zeros(len(codec.columns), bool)
    numeric = np.array([False])
    for j in np.flatnonzero(~categorical):
        # a numeric column codes as itself in floats (TabularCodec.encode)
        values = frame[codec.columns[j].name].to_numpy(dtype=float, na_value=np.nan)[:, None]
        scale[j] = column_scales(values, categorical=numeric)[0]
        whole[j] = whole_columns(values, numeric)[0]
    return DistanceColumns(categorical, scale, whole)


def coded_pool(
    frame: pd.DataFrame,
    codec: TabularCodec,
    positions: np.ndarray,
    columns: DistanceColumns,
    *,
    random_state: int,
) -> CodedPool:
    """The rows at ``positions`` coded, with their plausibility radius.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    codec : TabularCodec
        The session's codec.
    positions : numpy.ndarray of int
        The pool's rows (sorted).
    columns : DistanceColumns
        From :func:`distance_columns`.
    random_state : int
        Seed of the sample the radius is measured on.

    Returns
    -------
    CodedPool
    """
    Z = codec.encode(frame.iloc[positions])
    radius = plausibility_radius(
        Z, categorical=columns.categorical, scale=columns.scale, random_state=random_state
    )
    return CodedPool(positions, Z, radius)
