"""Whether an answer lies where the data has real cases: the distance of real cases to
their nearest real neighbour sets the radius (:func:`plausibility_radius`), and an answer
within it of a real case with its target is plausible (:class:`Support`).
"""

from __future__ import annotations

import numpy as np

from rai_widgets.compute.examples import category_codes, nearest_distances

__all__ = ["SLACK", "Support", "plausibility_radius", "plausible_against"]

#: How far from the radius a distance added in another order than column by column may lie
#: and still decide plausibility: the orders differ by at most about (columns x 2.2e-16),
#: far below this for any table under millions of columns.
SLACK = 1e-9


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
        n_columns = Z_pool.shape[1]
        self.width = max(width, 1)
        # every case's rows side by side, padded: one vectorised pass for every case at once;
        # one contiguous (case, row) array per column, so a column's rows are gathered in one
        # read (a categorical column's as integer codes when it has them)
        self.valid = np.zeros((len(members), self.width), bool)
        for i, m in enumerate(members):
            self.valid[i, : len(m)] = True
        self.gaps = np.isnan(Z_pool).any(axis=0)
        self.columns: list[np.ndarray] = []
        self.codes: list[np.ndarray | None] = []
        for j in range(n_columns):
            column = np.full((len(members), self.width), np.nan)
            for i, m in enumerate(members):
                column[i, : len(m)] = Z_pool[m, j]
            self.columns.append(column)
            self.codes.append(category_codes(column) if categorical[j] else None)

    def nearest(self, H: np.ndarray, owner: np.ndarray, chunk_cells: int = 4_000_000) -> np.ndarray:
        """Each row's distance to the nearest of its case's real rows (an upper bound of the
        distance to the nearest real row with the target: never too kind)."""
        out = np.full(len(H), np.inf)
        width = self.width
        step = max(1, chunk_cells // width)
        gaps = self.gaps | np.isnan(H).any(axis=0)
        # a categorical column of H as codes too, when both sides have them
        codes = [
            None if self.codes[j] is None else category_codes(H[:, j]) for j in range(H.shape[1])
        ]
        for begin in range(0, len(H), step):
            block, who = H[begin : begin + step], owner[begin : begin + step]
            total = np.zeros((len(block), width))
            scratch = np.empty((len(block), width))
            for j in range(H.shape[1]):
                a_codes = codes[j]
                b_codes = self.codes[j]
                if a_codes is not None and b_codes is not None:
                    # codes: -1 (missing) equals only -1, as Gower has it
                    total += b_codes[who] != a_codes[begin : begin + step, None]
                    continue
                total += self._part(
                    j, block[:, j][:, None], self.columns[j][who], gaps[j], out=scratch
                )
            total[~self.valid[who]] = np.inf
            out[begin : begin + step] = total.min(axis=1) / H.shape[1]
        return out

    def plausible(
        self, H: np.ndarray, owner: np.ndarray, chunk_cells: int = 4_000_000
    ) -> np.ndarray:
        """Whether each row lies within its case's radius of a real row with the target:
        ``nearest(H, owner) <= radius[owner] + 1e-12``, the same answer for less work.

        Categorical mismatches are counted first (small integers): a real row that differs
        in more categories than the radius allows cannot be within it, since the distance
        adds each mismatch as a whole 1 (a floating-point sum of non-negative parts never
        falls below the whole ones among them). The numbers are then added for the pairs
        left only; a pair whose distance lies within ``SLACK`` of the radius (where the
        order of the additions could matter) gets the distance exactly as :meth:`nearest`
        adds it, column by column.
        """
        out = np.zeros(len(H), bool)
        if len(H) == 0:
            return out
        n_columns, width = H.shape[1], self.width
        limit = self.radius[owner] + 1e-12
        codes = [
            None if self.codes[j] is None else category_codes(H[:, j]) for j in range(n_columns)
        ]
        counted = [j for j in range(n_columns) if codes[j] is not None]
        added = [j for j in range(n_columns) if codes[j] is None]
        columns = {j: np.ascontiguousarray(H[:, j]) for j in added}
        gaps = self.gaps | np.isnan(H).any(axis=0)
        # per row, the most mismatches within the limit: the largest m with m / n <= limit
        most = np.floor(limit * n_columns)
        most = np.where((most + 1) / n_columns <= limit, most + 1, most)
        most = np.where(most / n_columns > limit, most - 1, most)
        step = max(1, chunk_cells // width)
        for begin in range(0, len(H), step):
            stop = min(begin + step, len(H))
            who = owner[begin:stop]
            mismatches = np.zeros((stop - begin, width), np.int32)
            for j in counted:
                mismatches += self.codes[j][who] != codes[j][begin:stop, None]  # type: ignore[index]
            mismatches[~self.valid[who]] = n_columns + 1  # padding: never near
            r, c = np.nonzero(mismatches <= most[begin:stop, None])
            if len(r) == 0:
                continue
            flat, rows = who[r] * width + c, r + begin  # each pair's case row, and H's row
            total = mismatches[r, c].astype(float)
            for j in added:
                total += self._part(j, columns[j][rows], self.columns[j].ravel()[flat], gaps[j])
            distance = total / n_columns
            out[rows[distance < limit[rows] - SLACK]] = True
            close = np.flatnonzero(np.abs(distance - limit[rows]) <= SLACK)
            if len(close):  # the order of the additions could matter: add as nearest() does
                exact = np.zeros(len(close))
                for j in range(n_columns):
                    b = self.columns[j].ravel()[flat[close]]
                    exact += self._part(j, H[rows[close], j], b, gaps[j])
                out[rows[close][exact / n_columns <= limit[rows[close]]]] = True
        return out

    def _part(
        self, j: int, a: np.ndarray, b: np.ndarray, gaps: bool, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Column ``j``'s Gower part between ``a`` and ``b`` (paired, or broadcast against
        each other); a numeric part is written into ``out`` when given (a scratch array)."""
        if self.categorical[j]:
            d = (a != b).astype(float)
        else:
            with np.errstate(invalid="ignore"):
                d = np.subtract(a, b, out=out)
                np.abs(d, out=d)
                d /= self.scale[j]
                np.minimum(d, 1.0, out=d)
        if gaps:
            a_missing, b_missing = np.isnan(a), np.isnan(b)
            d = np.where(a_missing | b_missing, (a_missing != b_missing).astype(float), d)
        return d


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
