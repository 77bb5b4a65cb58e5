"""Whether an answer lies where the data has real cases: the distance of real cases to
their nearest real neighbour sets the radius (:func:`plausibility_radius`), and an answer
within it of a real case with its target is plausible (:class:`Support`).
"""

from __future__ import annotations

import numpy as np

from rai_widgets.compute.examples import nearest_distances

__all__ = ["Support", "plausibility_radius", "plausible_against"]


class Support:
    """Where real cases with each case's target lie: per case, the real rows with its target
    nearest to it and to its starts (the rows an answer between them can be nearest to), and
    the radius within which an answer counts as plausible.

    Parameters
    ----------
    Z_pool : numpy.ndarray
        Real rows, coded.
    members : list of numpy.ndarray
        Per case, the positions in ``Z_pool`` an answer is measured against.
    radius : numpy.ndarray
        Per case, the plausibility radius (:func:`plausibility_radius` of its target's rows).
    categorical, scale : numpy.ndarray
        As :func:`~rai_widgets.compute.examples.gower_distances` takes them.

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.array([[0.0], [1.0], [9.0]])
    >>> support = Support(Z, [np.array([0, 1])], np.array([0.5]),
    ...                   categorical=np.array([False]), scale=np.array([2.0]))
    >>> support.plausible(np.array([[1.5], [8.0]]), np.array([0, 0])).tolist()
    [True, False]
    """

    def __init__(
        self,
        Z_pool: np.ndarray,
        members: list[np.ndarray],
        radius: np.ndarray,
        *,
        categorical: np.ndarray,
        scale: np.ndarray,
    ) -> None:
        self.radius, self.categorical, self.scale = radius, categorical, scale
        width = max((len(m) for m in members), default=0)
        # every case's rows side by side, padded: one vectorised pass for every case at once
        self.rows = np.full((len(members), max(width, 1), Z_pool.shape[1]), np.nan)
        self.valid = np.zeros((len(members), max(width, 1)), bool)
        for i, m in enumerate(members):
            self.rows[i, : len(m)] = Z_pool[m]
            self.valid[i, : len(m)] = True
        self.gaps = np.isnan(Z_pool).any(axis=0)
        # one contiguous (case, row) array per column: a column's rows are gathered in one read
        self.columns = [np.ascontiguousarray(self.rows[:, :, j]) for j in range(Z_pool.shape[1])]

    def nearest(self, H: np.ndarray, owner: np.ndarray, chunk_cells: int = 4_000_000) -> np.ndarray:
        """Each row's distance to the nearest of its case's real rows (an upper bound of the
        distance to the nearest real row with the target: never too kind)."""
        out = np.full(len(H), np.inf)
        width = self.rows.shape[1]
        step = max(1, chunk_cells // width)
        gaps = self.gaps | np.isnan(H).any(axis=0)
        for begin in range(0, len(H), step):
            block, who = H[begin : begin + step], owner[begin : begin + step]
            total = np.zeros((len(block), width))
            for j in range(H.shape[1]):
                a, b = block[:, j][:, None], self.columns[j][who]
                if self.categorical[j]:
                    d = (a != b).astype(float)
                else:
                    with np.errstate(invalid="ignore"):
                        d = np.subtract(a, b)
                        np.abs(d, out=d)
                        d /= self.scale[j]
                        np.minimum(d, 1.0, out=d)
                if gaps[j]:
                    a_missing, b_missing = np.isnan(a), np.isnan(b)
                    d = np.where(a_missing | b_missing, (a_missing != b_missing).astype(float), d)
                total += d
            total[~self.valid[who]] = np.inf
            out[begin : begin + step] = total.min(axis=1) / H.shape[1]
        return out

    def plausible(self, H: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Whether each row lies within its case's radius of a real row with the target."""
        return self.nearest(H, owner) <= self.radius[owner] + 1e-12


def plausible_against(
    H: np.ndarray,
    Z_pool: np.ndarray,
    pool_of_row: np.ndarray,
    pools: list[np.ndarray],
    radius: np.ndarray,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
) -> np.ndarray:
    """Whether each row of ``H`` lies within its target's radius of a real row with that
    target, measured against every row of the target's pool.

    Parameters
    ----------
    H : numpy.ndarray
        Answers, coded.
    Z_pool : numpy.ndarray
        Real rows, coded.
    pool_of_row : numpy.ndarray of int
        Per answer, which of ``pools`` holds the real rows with its target.
    pools : list of numpy.ndarray
        Positions in ``Z_pool`` per target.
    radius : numpy.ndarray
        Per pool, its plausibility radius.
    categorical, scale : numpy.ndarray
        As :func:`~rai_widgets.compute.examples.gower_distances` takes them.

    Returns
    -------
    numpy.ndarray of bool
    """
    out = np.zeros(len(H), bool)
    for k in np.unique(pool_of_row):
        rows = np.flatnonzero(pool_of_row == k)
        d = nearest_distances(H[rows], Z_pool[pools[k]], categorical=categorical, scale=scale)
        out[rows] = d <= radius[k] + 1e-12
    return out


def plausibility_radius(
    Z_pool: np.ndarray,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
    quantile: float = 0.95,
    max_rows: int = 200,
    random_state: int = 0,
) -> float:
    """How close real cases lie to their nearest other real case: the ``quantile`` of
    nearest-neighbour Gower distances among (a sample of) ``Z_pool``'s rows.

    An answer no farther than this from a real case with its target lies where the data has
    real cases (``plausible``).

    Examples
    --------
    >>> import numpy as np
    >>> Z = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> plausibility_radius(Z, categorical=np.array([False]), scale=np.array([1.0]))
    1.0
    """
    n = len(Z_pool)
    if n < 2:
        return 0.0
    rng = np.random.default_rng(random_state)
    take = np.sort(rng.choice(n, min(n, max_rows), replace=False))
    nearest = nearest_distances(
        Z_pool[take], Z_pool, categorical=categorical, scale=scale, exclude=take
    )
    return float(np.quantile(nearest, quantile))
