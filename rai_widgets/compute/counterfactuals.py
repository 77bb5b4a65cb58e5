"""Counterfactual search: the smallest changes to a case, among values real cases have, that
give the answer asked for, every one checked by the model.

The search works on rows coded as numbers (:class:`~rai_widgets.core.codec.TabularCodec`:
numbers as they are, categories as codes) and calls the model only through ``judge``, in a
few batched calls whatever the number of cases:

1. **Start from real cases.** For each case, the ``n_starts`` nearest real rows that the
   model gives the target, by Gower distance over the features that may change and over all
   features (real cases alike in what may not change keep the target more often); for a case
   none of whose starts keeps the target, five times as many, once.
2. **Keep what may not change.** Each start takes the case's own value for every immutable
   feature, for a change against a ``monotone`` direction, and for a value the start lacks;
   a number outside ``ranges`` is clipped to it. The model judges every start (one call).
3. **Take back every change that is not needed.** Feature by feature (largest changes
   first), the case's own value is put back wherever the model still gives the target
   (one call per feature, for every start of every case at once).
4. **Shrink what is left.** A changed number is moved back towards the case's value (a
   quarter, half or three quarters of the way, on the data's grain), as far as the model
   still gives the target (one call per feature).
5. **Choose.** Valid answers only (the model was called on exactly these values), at most
   ``max_changes`` changes, plausible first, then fewest changes, then smallest distance; each
   answer changes another set of features (none the same features with other values, and
   first none that holds an answer already chosen), so there may be fewer than ``n``.

Guarantees: every answer returned gets the target from the model (``judge`` said so on
those values); immutable features never change; a monotone feature moves only its way;
numbers stay inside the data's range (and ``ranges``) and categories among those seen, as
every value comes from a real case or lies between the case's and a real case's. A case for
which no start survives gets a reason, not an exception. ``plausible`` says whether an answer
lies as close to a real case with the target as real cases with it lie to each other (within
the 95th percentile of their nearest-neighbour distances).

Examples
--------
>>> import numpy as np
>>> Z = np.array([[1.0, 0.0], [2.0, 0.0], [8.0, 0.0], [9.0, 1.0]])
>>> def judge(Zc, owner):  # "yes" when the first feature is 5 or more
...     return Zc[:, 0] >= 5, Zc[:, 0] / 10
>>> found = search_counterfactuals(
...     Z[[1]], Z[[2, 3]], judge=judge, categorical=np.array([False, True]),
...     scale=np.array([4.0, 1.0]), constraints=Constraints.free(2), n=1)
>>> found[0].Z.tolist(), found[0].n_changed.tolist()
([[5.0, 0.0]], [1])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from rai_widgets.compute.counterfactual_types import Constraints, Found
from rai_widgets.compute.examples import category_codes, gower_distances
from rai_widgets.compute.plausibility import Support, plausibility_radius, plausible_against
from rai_widgets.compute.smallest import smallest_first

__all__ = ["Constraints", "Found", "search_counterfactuals"]

#: A model's verdict on coded rows: whether each gets its case's target, and a score (the
#: target's probability, or the prediction for a regression). ``owner`` says which case each
#: row belongs to (an index into the cases searched).
Judge = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

#: How far back towards the case a changed number is tried, nearest the case first.
SHRINK_STEPS = (0.25, 0.5, 0.75)


def _differs(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Where two coded matrices differ (two missing values are the same)."""
    return ~((A == B) | (np.isnan(A) & np.isnan(B)))


#: Cases whose distances to their pool are measured in one block (bounds the memory: a
#: block holds cases x pool rows floats, twice).
STARTS_BLOCK_CELLS = 1_000_000


def _column_distances(
    rows: np.ndarray,
    cases: np.ndarray,
    *,
    categorical: bool,
    scale: float,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """One column's Gower part between every case (axis 0) and every row (axis 1): the same
    elementwise arithmetic as :func:`~rai_widgets.compute.examples.gower_distances` on one
    column, for many cases at once (into ``out`` when given: no new block per column)."""
    column, q = rows[None, :], cases[:, None]
    if categorical:
        differs = np.not_equal(column, q, out=out)
        differs = differs if differs.dtype == float else differs.astype(float)
    else:
        differs = np.subtract(column, q, out=out)
        np.abs(differs, out=differs)
        differs /= scale
        np.minimum(differs, 1.0, out=differs)
    missing, q_missing = np.isnan(column), np.isnan(q)
    if not (missing.any() or q_missing.any()):  # nothing missing: nothing to change
        return differs
    np.copyto(differs, 1.0, where=missing)  # missing: different from anything ...
    differs[q_missing[:, 0]] = (~missing).astype(float)  # ... but another missing value
    return differs


def _starts(
    Z_cases: np.ndarray,
    Z_pool: np.ndarray,
    pools: Sequence[np.ndarray],
    case_pool: np.ndarray,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
    mutable: np.ndarray,
    n_starts: int,
    n_support: int,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The nearest pool rows with each case's target, over the features that may change:
    (owner case, pool position) pairs; and per case the rows of its support.

    Cases sharing a pool are measured together, a block at a time (one pass over the columns
    per block, not per case)."""
    n_cases = len(Z_cases)
    support: list[np.ndarray] = [np.empty(0, int) for _ in range(n_cases)]
    if not mutable.any():
        return np.empty(0, int), np.empty(0, int), support
    takes: list[np.ndarray | None] = [None] * n_cases
    width = Z_pool.shape[1]
    for k, members in enumerate(pools):
        cases = np.flatnonzero(case_pool == k)
        if len(cases) == 0 or len(members) == 0:
            continue
        rows = Z_pool[members]
        # categorical columns as small integer codes (see category_codes): same distances
        row_codes = [category_codes(rows[:, j]) if categorical[j] else None for j in range(width)]
        block = max(1, STARTS_BLOCK_CELLS // len(members))
        for a in range(0, len(cases), block):
            mine = cases[a : a + block]
            Q = Z_cases[mine]
            # one pass over the columns: the distance over what may change, and over all
            changeable = np.zeros((len(mine), len(rows)))
            whole = np.zeros((len(mine), len(rows)))
            scratch = np.empty((len(mine), len(rows)))
            for j in range(width):
                b_codes = row_codes[j]
                q_codes = None if b_codes is None else category_codes(Q[:, j])
                if b_codes is not None and q_codes is not None:
                    differs = b_codes[None, :] != q_codes[:, None]
                    whole += differs
                    if mutable[j]:
                        changeable += differs
                    continue
                part = _column_distances(
                    rows[:, j],
                    Q[:, j],
                    categorical=bool(categorical[j]),
                    scale=scale[j],
                    out=scratch,
                )
                whole += part
                if mutable[j]:
                    changeable += part
            by_whole = smallest_first(whole, max(n_starts, n_support))
            by_changeable = smallest_first(changeable, n_starts)
            for r, i in enumerate(mine):
                # the nearest in what may change, and the nearest overall (alike in what may
                # not: likelier to keep the target once the case's own values are put back)
                take = np.union1d(
                    members[by_changeable[r, :n_starts]], members[by_whole[r, :n_starts]]
                )
                support[i] = np.union1d(members[by_whole[r, :n_support]], take)
                takes[i] = take
    owners = [np.full(len(t), i) for i, t in enumerate(takes) if t is not None]
    if not owners:
        return np.empty(0, int), np.empty(0, int), support
    positions = [t for t in takes if t is not None]
    return np.concatenate(owners), np.concatenate(positions), support


def _hybrids(
    Z_cases: np.ndarray, Z_pool: np.ndarray, owner: np.ndarray, start: np.ndarray, c: Constraints
) -> np.ndarray:
    """Each start with the case's own values where it may not or cannot change."""
    case, target = Z_cases[owner], Z_pool[start].copy()
    target = np.where(np.isnan(target) & ~np.isnan(case), case, target)  # never "missing"
    target = np.clip(target, c.low, c.high)  # NaN stays NaN
    keep = (
        ~c.mutable[None, :]
        | ((c.direction > 0) & (target < case))
        | ((c.direction < 0) & (target > case))
    )
    return np.where(keep, case, target)


def _accept(
    trial: np.ndarray,
    rows: np.ndarray,
    plausible: np.ndarray,
    owner: np.ndarray,
    judge: Judge,
    support: Support,
) -> np.ndarray:
    """Which trial rows keep the target, and stay plausible where they were."""
    still, _ = judge(trial, owner[rows])
    check = still & plausible[rows]
    if check.any():
        still[check] = support.plausible(trial[check], owner[rows][check])
    return still


def _take_back(
    H: np.ndarray,
    ok: np.ndarray,
    plausible: np.ndarray,
    Z_cases: np.ndarray,
    owner: np.ndarray,
    judge: Judge,
    support: Support,
) -> np.ndarray:
    """Put the case's value back in every changed column the target does not need (and a
    plausible answer's plausibility does not need)."""
    H = H.copy()
    if len(H) == 0:
        return H
    case = Z_cases[owner]
    change = np.where(_differs(H, case), np.abs(np.nan_to_num(H - case)), 0.0)
    order = np.argsort(-(change > 0).sum(axis=0) - change.mean(axis=0), kind="stable")
    for j in order:
        rows = np.flatnonzero(ok & _differs(H[:, j], case[:, j]))
        if len(rows) == 0:
            continue
        trial = H[rows].copy()
        trial[:, j] = case[rows, j]
        keep = _accept(trial, rows, plausible, owner, judge, support)
        H[rows[keep], j] = case[rows[keep], j]
    return H


def _shrink(
    H: np.ndarray,
    ok: np.ndarray,
    plausible: np.ndarray,
    Z_cases: np.ndarray,
    owner: np.ndarray,
    judge: Judge,
    support: Support,
    c: Constraints,
    categorical: np.ndarray,
) -> np.ndarray:
    """Move each changed number back towards the case's value, as far as the target (and a
    plausible answer's plausibility) holds."""
    H = H.copy()
    case = Z_cases[owner]
    for j in np.flatnonzero(~categorical & c.mutable):
        rows = np.flatnonzero(ok & _differs(H[:, j], case[:, j]) & ~np.isnan(case[:, j]))
        if len(rows) == 0 or not SHRINK_STEPS:
            continue
        trials, who, step = [], [], []
        for k, f in enumerate(SHRINK_STEPS):
            trial = H[rows].copy()
            value = case[rows, j] + f * (H[rows, j] - case[rows, j])
            trial[:, j] = np.round(value) if c.whole[j] else value
            trials.append(trial)
            who.append(rows)
            step.append(np.full(len(rows), k))
        T, W, S = np.concatenate(trials), np.concatenate(who), np.concatenate(step)
        still = _accept(T, W, plausible, owner, judge, support)
        best = np.full(len(H), len(SHRINK_STEPS))
        np.minimum.at(best, W[still], S[still])  # nearest the case that still holds
        picks = np.flatnonzero(still & (S == best[W]))
        H[W[picks], j] = T[picks, j]
    return H


def search_counterfactuals(
    Z_cases: np.ndarray,
    Z_pool: np.ndarray,
    *,
    judge: Judge,
    categorical: np.ndarray,
    scale: np.ndarray,
    constraints: Constraints,
    n: int = 3,
    pools: Sequence[np.ndarray] | None = None,
    case_pool: np.ndarray | None = None,
    n_starts: int | None = None,
    n_support: int = 200,
    radius: Sequence[float] | None = None,
    random_state: int = 0,
) -> list[Found]:
    """Counterfactuals of every case, in a few batched model calls (see the module).

    Parameters
    ----------
    Z_cases : numpy.ndarray
        The cases, coded, shape (n_cases, n_columns).
    Z_pool : numpy.ndarray
        Real rows to start from, coded.
    judge : callable
        ``judge(Z, owner) -> (ok, score)``: the model's verdict on coded rows, ``owner``
        giving the case each row belongs to.
    categorical : numpy.ndarray of bool
        The coded (categorical) columns.
    scale : numpy.ndarray
        Each numeric column's spread (Gower distance).
    constraints : Constraints
        What may change.
    n : int, default 3
        Answers wanted per case.
    pools : sequence of numpy.ndarray, optional
        Positions in ``Z_pool`` of the rows with each target (default: every row, one
        target).
    case_pool : numpy.ndarray of int, optional
        Which of ``pools`` each case's target is (default: the first).
    n_starts : int, optional
        Real rows tried per case (default ``max(10, 5 * n)``).
    n_support : int, default 200
        Real rows with the target nearest each case, against which plausibility is kept
        while the search takes changes back (the answers' ``plausible`` is then measured
        against the whole pool).
    radius : sequence of float, optional
        Per pool, its plausibility radius, when already known (default: measured here).
    random_state : int, default 0
        Seed of the sample :func:`~rai_widgets.compute.plausibility.plausibility_radius` measures.

    Returns
    -------
    list of Found
        One per case, in order.
    """
    n_cases = len(Z_cases)
    pools = [np.arange(len(Z_pool))] if pools is None else list(pools)
    case_pool = np.zeros(n_cases, int) if case_pool is None else np.asarray(case_pool)
    n_starts = max(10, 5 * n) if n_starts is None else n_starts
    c = constraints
    radii = np.asarray(
        [
            plausibility_radius(
                Z_pool[pool], categorical=categorical, scale=scale, random_state=random_state
            )
            for pool in pools
        ]
        if radius is None
        else radius,
        dtype=float,
    )
    owner, start, near = _starts(
        Z_cases,
        Z_pool,
        pools,
        case_pool,
        categorical=categorical,
        scale=scale,
        mutable=c.mutable,
        n_starts=n_starts,
        n_support=n_support,
    )
    case_radius = radii[case_pool] if n_cases else np.empty(0)
    support = Support(Z_pool, near, case_radius, categorical=categorical, scale=scale)
    H = _hybrids(Z_cases, Z_pool, owner, start, c)
    ok = judge(H, owner)[0] if len(H) else np.zeros(0, bool)
    stuck = np.setdiff1d(np.arange(n_cases), owner[ok])
    if len(stuck) and c.mutable.any():  # once more, from five times as many real cases
        more_owner, more_start, _ = _starts(
            Z_cases[stuck],
            Z_pool,
            pools,
            case_pool[stuck],
            categorical=categorical,
            scale=scale,
            mutable=c.mutable,
            n_starts=5 * n_starts,
            n_support=0,
        )
        more_owner = stuck[more_owner]
        more = _hybrids(Z_cases, Z_pool, more_owner, more_start, c)
        if len(more):
            owner, start = np.concatenate([owner, more_owner]), np.concatenate([start, more_start])
            H = np.concatenate([H, more])
            ok = np.concatenate([ok, judge(more, more_owner)[0]])
    plausible = support.plausible(H, owner) if len(H) else np.zeros(0, bool)
    H = _take_back(H, ok, plausible, Z_cases, owner, judge, support)
    H = _shrink(H, ok, plausible, Z_cases, owner, judge, support, c, categorical)
    # the last call of judge: every answer returned is one of these rows (Found.judged)
    ok, score = judge(H, owner) if len(H) else (np.zeros(0, bool), np.zeros(0))
    # what is returned is what the model said of these values; plausible against every row
    # plausible against every real row with the target; an answer near one of its case's
    # support rows is plausible already (the support's distance is an upper bound)
    plausible = np.zeros(len(H), bool)
    if ok.any():
        plausible[ok] = support.plausible(H[ok], owner[ok])
    unsure = np.flatnonzero(ok & ~plausible)
    if len(unsure):
        plausible[unsure] = plausible_against(
            H[unsure],
            Z_pool,
            case_pool[owner[unsure]],
            pools,
            radii,
            categorical=categorical,
            scale=scale,
        )
    return [
        _choose(
            i,
            Z_cases[i],
            H,
            ok,
            score,
            plausible,
            owner,
            start,
            pools[case_pool[i]],
            c,
            n,
            categorical=categorical,
            scale=scale,
        )
        for i in range(n_cases)
    ]


def _choose(
    i: int,
    case: np.ndarray,
    H: np.ndarray,
    ok: np.ndarray,
    score: np.ndarray,
    plausible: np.ndarray,
    owner: np.ndarray,
    start: np.ndarray,
    pool: np.ndarray,
    c: Constraints,
    n: int,
    *,
    categorical: np.ndarray,
    scale: np.ndarray,
) -> Found:
    """Up to ``n`` valid answers of case ``i``: plausible first, then fewest changes, then
    nearest; each changing another set of features where the answers allow."""
    mine = np.flatnonzero(owner == i)
    width = len(case)
    empty = Found(
        np.empty((0, width)), np.empty(0, int), np.empty(0), np.empty(0), np.empty(0, int)
    )
    if len(pool) == 0:
        return _with_reason(empty, "no real case gets that answer from the model")
    if not c.mutable.any():
        return _with_reason(empty, "every feature is immutable")
    mine = mine[ok[mine]]
    if len(mine) == 0:
        return _with_reason(
            empty,
            "none of the nearest real cases with that answer keeps it once the features that "
            "may not change are kept",
        )
    changed = _differs(H[mine], case[None, :])
    n_changed = changed.sum(axis=1)
    if c.max_changes is not None:
        keep = n_changed <= c.max_changes
        if not keep.any():
            return _with_reason(
                empty, f"every answer found changes more than {c.max_changes} features"
            )
        mine, changed, n_changed = mine[keep], changed[keep], n_changed[keep]
    distance = gower_distances(H[mine], case, categorical=categorical, scale=scale)
    order = np.lexsort((distance, n_changed, ~plausible[mine]))
    chosen: list[int] = []
    for k in order:  # another set of changed features first, none holding a chosen one ...
        if not any((changed[j] <= changed[k]).all() for j in chosen):
            chosen.append(k)
        if len(chosen) == n:
            break
    for k in order:  # ... then other sets (never the same features with other values)
        if len(chosen) == n:
            break
        if k not in chosen and not any((changed[j] == changed[k]).all() for j in chosen):
            chosen.append(k)
    chosen.sort(key=lambda k: (not plausible[mine[k]], n_changed[k], distance[k]))
    pick = mine[chosen]
    return Found(
        H[pick],
        n_changed[chosen],
        distance[chosen],
        score[pick],
        start[pick],
        "",
        plausible[pick],
        pick,
    )


def _with_reason(found: Found, reason: str) -> Found:
    return Found(found.Z, found.n_changed, found.distance, found.score, found.start, reason)
