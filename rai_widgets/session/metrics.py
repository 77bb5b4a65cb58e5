"""The metrics component of a session: quality per slice with bounds, and disparities.

:class:`Metrics` depends on the :class:`~rai_widgets.session.core.SessionCore` interface only;
every slice result is computed from the cached predictions in one vectorised pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rai_widgets.compute.disparities import compute_disparities
from rai_widgets.compute.intervals import DEFAULT_N_BOOT
from rai_widgets.compute.slice_metrics import (
    DEFAULT_MIN_SUPPORT,
    compute_slice_metrics,
    metric_names_for,
)
from rai_widgets.core.arguments import check_int, check_names, check_seed
from rai_widgets.core.cache import is_cacheable_seed
from rai_widgets.core.errors import ValidationError
from rai_widgets.core.slices import DEFAULT_MAX_GROUPS, spec_key
from rai_widgets.session.core import SessionCore

__all__ = ["Metrics", "in_asked_order"]


def _place_in(known: list[str]) -> Callable[[str], tuple[int, str]]:
    """Sort key: a metric's place in ``known`` (unknown names last, by name)."""
    place = {name: i for i, name in enumerate(known)}
    return lambda name: (place.get(name, len(known)), name)


def in_asked_order(table: pd.DataFrame, asked: Sequence[str]) -> pd.DataFrame:
    """A copy of a slice-metrics table with its metric columns in the order they were asked.

    Parameters
    ----------
    table : pandas.DataFrame
        ``n``, then each metric with its ``_lo``/``_hi`` bounds, then ``low_support``.
    asked : sequence of str
        The metrics, in the order wanted.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"n": [5], "accuracy": [0.8], "auc": [0.9], "low_support": [True]})
    >>> list(in_asked_order(table, ["auc", "accuracy"]).columns)
    ['n', 'auc', 'accuracy', 'low_support']
    """
    metric_columns = [
        column
        for name in asked
        for column in (name, f"{name}_lo", f"{name}_hi")
        if column in table.columns
    ]
    placed = set(metric_columns)
    head = [c for c in table.columns if c == "n"]
    rest = [c for c in table.columns if c not in placed and c != "n"]
    return table[head + metric_columns + rest]  # a new frame: the cached one stays as it is


class Metrics:
    """Model quality per slice, with bounds.

    Parameters
    ----------
    core : SessionCore
        The session.
    """

    def __init__(self, core: SessionCore) -> None:
        self._core = core

    def metric_names(self) -> list[str]:
        """The metrics :meth:`slice_metrics` can compute for this session.

        Returns
        -------
        list of str

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> rw.ModelSession(Ridge().fit(X, y), X, y).metric_names()
        ['mae', 'rmse', 'mean_prediction', 'mean_residual']
        """
        core = self._core
        if not core.has_y:
            core.metric_inputs()  # raises the error that says metrics need y
        adapter = core.adapter  # what the model can give is known before it predicts
        probabilities = core.task_ != "regression" and (adapter.one_pass or adapter.has_proba)
        return metric_names_for(
            core.task_,
            core.classes_,
            has_score=core.task_ == "binary" and (probabilities or adapter.has_decision),
            has_probabilities=probabilities,
        )

    def slice_metrics(
        self,
        by: Any = None,
        *,
        metrics: Sequence[str] | str | None = None,
        ci: float | None = 0.95,
        min_support: int = DEFAULT_MIN_SUPPORT,
        n_boot: int = DEFAULT_N_BOOT,
        max_groups: int = DEFAULT_MAX_GROUPS,
        random_state: int | np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Model quality per slice, with bounds, from the cached predictions.

        Parameters
        ----------
        by : None, column name, Bins, mask/values aligned with X, or a list of those
            None: one row named "overall". A column: one row per value (index name = the column
            name). A list: one row per observed intersection (a MultiIndex, like fairlearn's
            ``MetricFrame.by_group``).
        metrics : str or list of str, optional
            Default: every metric available (see :meth:`metric_names`).
        ci : float or None, default 0.95
            Coverage of ``<metric>_lo``/``<metric>_hi``: Wilson score bounds for proportions,
            a seeded percentile bootstrap within each slice otherwise. None: no bounds.
        min_support : int, default 30
            Slices with fewer rows get ``low_support=True``.
        n_boot : int, default 200
            Bootstrap replicates.
        max_groups : int, default 250
            Largest number of slices.
        random_state : int, Generator or None
            Seed of the bootstrap; default the session's ``random_state``.

        Returns
        -------
        pandas.DataFrame
            ``n``, then each metric with its ``_lo``/``_hi`` bounds, then ``low_support``.

        Raises
        ------
        ValidationError
            No y, an unknown metric, a bad ``ci``.
        ColumnNotFoundError
            ``by`` names no column.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.linear_model import LinearRegression
        >>> data = rw.datasets.load_wage()
        >>> X, y = data.data[["year", "age"]], data.target
        >>> s = rw.ModelSession(LinearRegression().fit(X, y), X, y,
        ...                     sensitive_features=data.data["race"], random_state=0)
        >>> s.slice_metrics(by="race", metrics=["mae"], ci=None).round(1)
                     n   mae  low_support
        race
        1. White  2480  28.5        False
        2. Black   293  26.4        False
        3. Asian   190  34.6        False
        4. Other    37  30.0        False
        """
        core = self._core
        seed = core.random_state if random_state is None else random_state
        check_seed(seed)
        check_int(max_groups, argument="max_groups", minimum=1)
        asked = (
            None
            if metrics is None
            else list(dict.fromkeys(check_names(metrics, argument="metrics")))
        )
        # the same metrics asked as a list, in another order or by default share one entry
        known = self.metric_names() if core.has_y else []
        canonical = known if asked is None else sorted(asked, key=_place_in(known))
        state = core.state()
        key = (
            "slice_metrics",
            state.model,
            state.data,
            spec_key(by),
            tuple(canonical),
            ci,
            min_support,
            n_boot,
            max_groups,
            seed if is_cacheable_seed(seed) else None,
        )

        def compute() -> pd.DataFrame:
            return compute_slice_metrics(
                core.metric_inputs(),
                core.slices(by, max_groups=max_groups),
                metrics=None if asked is None else canonical,
                ci=ci,
                n_boot=n_boot,
                random_state=seed,
                min_support=min_support,
            )

        cacheable = ci is None or is_cacheable_seed(seed)
        table = core.cache.get_or_compute(key, compute, cacheable=cacheable)
        return table.copy() if asked is None else in_asked_order(table, asked)

    def disparities(
        self,
        by: Any,
        *,
        metric: str,
        reference: Any = None,
        ci: float | None = 0.95,
        min_support: int = DEFAULT_MIN_SUPPORT,
        n_boot: int = DEFAULT_N_BOOT,
        max_groups: int = DEFAULT_MAX_GROUPS,
        random_state: int | np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Each slice's ``metric`` against a reference slice: difference and ratio, with bounds.

        Parameters
        ----------
        by : grouping
            As in :meth:`slice_metrics`.
        metric : str
            One of :meth:`metric_names`.
        reference : label, optional
            The reference slice (a tuple for intersections); default the largest slice.
        ci : float or None, default 0.95
            Coverage of the bounds (MOVER intervals from each slice's own bounds).
        min_support, n_boot, max_groups : int
            As in :meth:`slice_metrics`.
        random_state : int, Generator or None
            Seed of the bootstrap, for non-proportion metrics.

        Returns
        -------
        pandas.DataFrame
            ``n``, ``<metric>``, ``reference`` (bool), ``difference``(``_lo``/``_hi``),
            ``ratio``(``_lo``/``_hi``), ``low_support``. ``.attrs["reference"]`` names the
            reference slice.

        Examples
        --------
        >>> import rai_widgets as rw
        >>> from sklearn.datasets import load_diabetes
        >>> from sklearn.linear_model import Ridge
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> s = rw.ModelSession(Ridge().fit(X, y), X, y, random_state=0)
        >>> d = s.disparities(X["bmi"] > 0, metric="mae")
        >>> bool(d.attrs["reference"]), float(d.loc[False, "difference"])
        (False, 0.0)
        >>> round(float(d.loc[True, "ratio"]), 2)
        1.3
        """
        if not isinstance(metric, str):
            raise ValidationError(f"metric must be one metric name; got {metric!r}.")
        table = self.slice_metrics(
            by,
            metrics=[metric],
            ci=ci,
            min_support=min_support,
            n_boot=n_boot,
            max_groups=max_groups,
            random_state=random_state,
        )
        return compute_disparities(table, metric=metric, reference=reference)
