"""Whether an answer lies where the data has real cases: the distance of real cases to
their nearest real neighbour sets the radius (:func:`plausibility_radius`), and an answer
within it of a real case with its target is plausible (:class:`Support`).
"""

from __future__ import annotations

import numpy as np

from rai_widgets.compute.examples import nearest_distances

__all__ = ["Support", "plausibility_radius"]


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
        self.Z_pool, self.members, self.radius = Z_pool, members, radius
        self.categorical, self.scale = categorical, scale

    def nearest(self, H: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Each row's distance to the nearest of its case's real rows (an upper bound of the
        distance to the nearest real row with the target: never too kind)."""
        out = np.full(len(H), np.inf)
        for i in np.unique(owner):
            rows = np.flatnonzero(owner == i)
            out[rows] = nearest_distances(
                H[rows],
                self.Z_pool[self.members[i]],
                categorical=self.categorical,
                scale=self.scale,
            )
        return out

    def plausible(self, H: np.ndarray, owner: np.ndarray) -> np.ndarray:
        """Whether each row lies within its case's radius of a real row with the target."""
        return self.nearest(H, owner) <= self.radius[owner] + 1e-12


def plausibility_radius(
    Z_pool: np.ndarray,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
    quantile: float = 0.95,
    max_rows: int = 300,
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
