"""LIME for tabular data, batched across rows, with fidelity and stability measured.

The algorithm is that of ``lime.lime_tabular.LimeTabularExplainer`` with its defaults
(quartile discretisation, sampling from the training distribution, exponential kernel of width
0.75 * sqrt(n_features) on the binary "same bin as the explained row" representation, weighted
ridge regression with alpha=1):

* numeric columns are cut at their training quartiles; every column is then a discrete feature
  whose values are sampled with their training frequencies; a sampled numeric bin gets a value
  drawn from a normal truncated to the bin, with the bin's training mean and spread;
* a perturbed row is represented by which features keep the explained row's bin or category;
* the local model is a weighted ridge regression of the model output on that representation.
  Its coefficients are the contributions (probability points of keeping the row's value instead
  of a typical other value), its weighted R^2 is ``local_r2`` (fidelity).

Differences that matter: every row's perturbations go to the model in a few large calls, the
ridge fits of all rows are solved together, and the spread of every coefficient is estimated
from the same perturbations by the sandwich (HC0) standard error, the spread the coefficient
shows over resamples of those perturbations (a test checks it against refits on bootstrap
resamples): no extra model calls.

Cost beyond the model calls is kept small: every cell of a perturbation takes one uniform
draw, which picks the bin or category and places the value inside the bin (feature by
feature over all rows at once, from per-row generators); with few features the ridge fits are
solved from sums per binary pattern (:func:`local_fit`), the same normal equations, R^2 and
sandwich errors in one pass over the model outputs.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> Z = np.column_stack([rng.normal(size=500), rng.integers(0, 3, 500)])
>>> sampler = LimeSampler.fit(Z, categorical=np.array([False, True]))
>>> f = lambda Z: (Z[:, :1] > 0).astype(float)  # the model only looks at column 0
>>> result = lime_explain(f, Z[:2], sampler, n_samples=1000, random_state=0)
>>> result.coef.shape, bool(abs(result.coef[0, 0, 0]) > abs(result.coef[0, 1, 0]))
((2, 2, 1), True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import ndtr, ndtri

from rai_widgets.compute.batching import DEFAULT_TARGET_ROWS, row_batches, run_batches
from rai_widgets.compute.explain_permutation import row_seed
from rai_widgets.compute.local_fit import (
    local_fit,
)

__all__ = ["LimeResult", "LimeSampler", "lime_explain"]

MISSING = -1  # discrete value of a missing cell


@dataclass(frozen=True)
class LimeSampler:
    """Training statistics LIME samples from (one entry per column).

    Attributes
    ----------
    edges : list of numpy.ndarray or None
        Quartile edges of numeric columns (None for categorical ones).
    values, freqs : list of numpy.ndarray
        Discrete values (bins or category codes) and their training frequencies.
    bin_mean, bin_std, bin_min, bin_max : list of numpy.ndarray or None
        Per-bin statistics of numeric columns, for drawing values inside a bin.
    """

    edges: list
    values: list
    freqs: list
    bin_mean: list
    bin_std: list
    bin_min: list
    bin_max: list

    @classmethod
    def fit(cls, Z: np.ndarray, *, categorical: np.ndarray) -> LimeSampler:
        """Learn quartiles, frequencies and bin statistics from encoded training data."""
        edges: list[np.ndarray | None] = []  # None for categorical (or empty) columns
        values: list[np.ndarray] = []
        freqs: list[np.ndarray] = []
        bin_mean: list[np.ndarray | None] = []
        bin_std: list[np.ndarray | None] = []
        bin_min: list[np.ndarray | None] = []
        bin_max: list[np.ndarray | None] = []
        for j in range(Z.shape[1]):
            column = Z[:, j]
            present = column[~np.isnan(column)]
            if categorical[j] or len(present) == 0:
                edges.append(None)
                bin_mean.append(None)
                bin_std.append(None)
                bin_min.append(None)
                bin_max.append(None)
                discrete = np.where(np.isnan(column), MISSING, column).astype(np.int64)
            else:
                cut = np.unique(np.percentile(present, [25, 50, 75]))
                edges.append(cut)
                bins = np.searchsorted(cut, present)
                n_bins = len(cut) + 1
                lows = np.concatenate([[present.min()], cut])
                highs = np.concatenate([cut, [present.max()]])
                count = np.bincount(bins, minlength=n_bins)
                with np.errstate(invalid="ignore", divide="ignore"):
                    means = np.bincount(bins, present, minlength=n_bins) / count
                    means = np.where(count > 0, means, (lows + highs) / 2)
                    squares = np.bincount(bins, (present - means[bins]) ** 2, minlength=n_bins)
                    stds = np.where(count > 1, np.sqrt(squares / count), 0.0)
                bin_mean.append(means)
                bin_std.append(stds)
                bin_min.append(lows)
                bin_max.append(highs)
                discrete = np.full(len(column), MISSING, dtype=np.int64)
                discrete[~np.isnan(column)] = bins
            counts = np.bincount(discrete - MISSING)  # codes and bins start at MISSING = -1
            uniq = np.flatnonzero(counts) + MISSING
            counts = counts[counts > 0]
            values.append(uniq)
            freqs.append(counts / counts.sum())
        return cls(edges, values, freqs, bin_mean, bin_std, bin_min, bin_max)

    def discretize(self, Z: np.ndarray) -> np.ndarray:
        """Discrete value (bin or category code, -1 if missing) of every cell."""
        out = np.empty(Z.shape, dtype=np.int64)
        for j, cut in enumerate(self.edges):
            column = Z[:, j]
            missing = np.isnan(column)
            if cut is None:
                out[:, j] = np.where(missing, MISSING, np.nan_to_num(column)).astype(np.int64)
            else:
                out[:, j] = np.where(missing, MISSING, np.searchsorted(cut, column))
        return out

    @cached_property
    def _draws(self) -> list[_Draw]:
        """How each feature turns one uniform per cell into a value (precomputed once)."""
        return [_Draw.build(self, j) for j in range(len(self.edges))]

    def sample_rows(
        self, rows: np.ndarray, n_samples: int, rngs: list[np.random.Generator]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Perturbations of several encoded rows at once, each from its own generator.

        Every cell takes one uniform draw: where it falls among the feature's cumulative
        training frequencies picks the bin or category, and its position inside that bin's
        share of [0, 1) places the value inside the bin (a normal truncated to the bin).

        Returns
        -------
        Z : numpy.ndarray
            Perturbed rows, shape (R, n_samples, M); row r's first perturbation is row r.
        binary : numpy.ndarray
            Whether each cell keeps the row's own bin or category, bool, shape (R, n_samples, M).
        matches : numpy.ndarray
            How many features of each perturbation keep the row's own bin or category,
            shape (R, n_samples).
        """
        n_rows, n_feat = rows.shape
        # feature-major storage: every feature's draws are contiguous (each step below is one
        # pass over contiguous memory), and so is every column of Z once the rows are
        # flattened (what decoding reads)
        uniform = np.empty((n_feat, n_rows, n_samples))
        for r, rng in enumerate(rngs):  # each row's draws come from its own seed
            uniform[:, r] = rng.random((n_feat, n_samples))
        own = self.discretize(rows)  # (R, M)
        Z = np.empty((n_feat, n_rows, n_samples))
        binary = np.empty((n_feat, n_rows, n_samples), dtype=bool)
        matches = np.zeros((n_rows, n_samples), dtype=np.uint16 if n_feat < 2**16 else np.intp)
        for j, draw in enumerate(self._draws):
            u = uniform[j]
            state = draw.state(u)
            np.equal(state, draw.state_of(own[:, j])[:, None], out=binary[j])
            matches += binary[j]
            draw.value(state, u, out=Z[j])
        Z, binary = Z.transpose(1, 2, 0), binary.transpose(1, 2, 0)
        Z[:, 0] = rows
        matches[:, 0] = n_feat
        binary[:, 0] = True
        return Z, binary, matches


@dataclass(frozen=True)
class _Draw:
    """One feature's sampling tables, indexed by state (a bin or category with its
    training frequency, in the order of ``LimeSampler.values``).

    A uniform ``u`` falls in state ``k`` when ``cuts[k - 1] <= u < cuts[k]``. For a numeric
    feature its value is ``mean[k] + std[k] * ndtri(slope[k] * u + offset[k])``: the normal
    truncated to the bin, with ``u``'s position inside the state's share mapped onto the
    bin's normal probabilities; clipped to the bin's range against rounding.
    """

    values: np.ndarray  # discrete value of each state (bin or category code, -1 missing)
    cuts: np.ndarray  # inner cumulative frequencies
    numeric: bool
    code: np.ndarray  # categorical: the encoded value of each state (NaN if missing)
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    slope: np.ndarray | None = None
    offset: np.ndarray | None = None
    low: np.ndarray | None = None
    high: np.ndarray | None = None

    @classmethod
    def build(cls, sampler: LimeSampler, j: int) -> _Draw:
        values = np.asarray(sampler.values[j], dtype=np.int64)
        cumulative = np.minimum(np.cumsum(sampler.freqs[j]), 1.0)
        code = np.where(values == MISSING, np.nan, values.astype(float))
        draw = cls(values, cumulative[:-1].copy(), sampler.edges[j] is not None, code)
        if not draw.numeric:
            return draw
        missing = values == MISSING
        b = np.where(missing, 0, values)
        mean = np.where(missing, np.nan, sampler.bin_mean[j][b])
        std = np.where(missing, 0.0, sampler.bin_std[j][b])
        low = np.where(missing, np.nan, sampler.bin_min[j][b])
        high = np.where(missing, np.nan, sampler.bin_max[j][b])
        start = np.concatenate([[0.0], cumulative[:-1]])
        share = np.concatenate([cumulative[:-1], [1.0]]) - start
        with np.errstate(divide="ignore", invalid="ignore"):
            a_cdf = ndtr((low - mean) / std)
            b_cdf = ndtr((high - mean) / std)
            slope = (b_cdf - a_cdf) / share
        spread = (std > 0) & np.isfinite(slope)
        slope = np.where(spread, slope, 0.0)
        offset = np.where(spread, a_cdf - start * slope, 0.5)  # ndtri(0.5) = 0: the mean
        std = np.where(spread, std, 0.0)
        return cls(values, draw.cuts, True, code, mean, std, slope, offset, low, high)

    def state(self, u: np.ndarray) -> np.ndarray:
        """State index of every uniform draw."""
        if len(self.cuts) > 8:
            return np.searchsorted(self.cuts, u, side="right")
        # a few comparisons are cheaper than a binary search; counted in one byte per draw
        # (four times less memory to pass over than intp), indexes taken as intp once
        count = np.zeros(u.shape, dtype=np.uint8)
        above = np.empty(u.shape, dtype=bool)
        for cut in self.cuts:
            np.greater_equal(u, cut, out=above)
            count += above
        return count.astype(np.intp)

    def state_of(self, discrete: np.ndarray) -> np.ndarray:
        """State index of discrete values (-2 for a value never seen in training)."""
        k = np.searchsorted(self.values, discrete)
        k = np.minimum(k, len(self.values) - 1)
        return np.where(self.values[k] == discrete, k, -2)

    def value(self, state: np.ndarray, u: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Encoded value of every draw, written to ``out``."""

        def at(table: np.ndarray, into: np.ndarray | None = None) -> np.ndarray:
            # states are always valid: "clip" takes without the buffered bounds check
            return np.take(table, state, out=into, mode="clip")

        if not self.numeric:
            return at(self.code, out)
        # build() sets every table of a numeric feature
        assert self.slope is not None and self.offset is not None and self.std is not None
        assert self.mean is not None and self.low is not None and self.high is not None
        t = at(self.slope)
        t *= u
        t += at(self.offset)
        np.clip(t, 1e-12, 1 - 1e-12, out=t)
        value = ndtri(t, out=out)
        value *= at(self.std, t)
        value += at(self.mean, t)
        np.maximum(value, at(self.low, t), out=value)
        return np.minimum(value, at(self.high, t), out=value)


@dataclass(frozen=True)
class LimeResult:
    """LIME for a batch of rows.

    Attributes
    ----------
    coef, spread : numpy.ndarray
        Contributions and their bootstrap standard deviation, shape (R, M, K).
    intercept, local_r2 : numpy.ndarray
        Shape (R, K).
    f_rows : numpy.ndarray
        The model's own output for each row, shape (R, K).
    """

    coef: np.ndarray
    spread: np.ndarray
    intercept: np.ndarray
    local_r2: np.ndarray
    f_rows: np.ndarray


class _Batch:
    """LIME for a batch of rows: one model call over all their perturbations (picklable)."""

    def __init__(self, predict_fn, rows, sampler, n_samples, random_state, positions):
        self.predict_fn = predict_fn
        self.rows = rows
        self.sampler = sampler
        self.n_samples = n_samples
        self.random_state = random_state
        self.positions = positions

    def __call__(self, batch: np.ndarray) -> tuple[np.ndarray, ...]:
        rngs = [row_seed(self.random_state, self.positions[i]) for i in batch]
        Z, binary, matches = self.sampler.sample_rows(self.rows[batch], self.n_samples, rngs)
        n_feat = binary.shape[2]
        outputs = self.predict_fn(Z.reshape(-1, n_feat))
        y = outputs.reshape(len(batch), self.n_samples, outputs.shape[1])  # (R, n, K)
        # lime's kernel on the euclidean distance to the row itself in the binary
        # representation, whose square is the number of features that changed
        width = 0.75 * np.sqrt(n_feat)
        kernel = np.sqrt(np.exp(-(n_feat - np.arange(n_feat + 1)) / width**2))
        coef, intercept, r2, spread = local_fit(binary, matches, y, kernel)
        return coef, spread, intercept, r2, y[:, 0, :]


def lime_explain(
    predict_fn: Callable[[np.ndarray], np.ndarray],
    rows: np.ndarray,
    sampler: LimeSampler,
    *,
    n_samples: int = 2000,
    random_state: int | None = None,
    positions: np.ndarray | None = None,
    n_jobs: int | None = None,
    target_rows: int = DEFAULT_TARGET_ROWS,
    progress: bool | None = None,
) -> LimeResult:
    """LIME explanations of every row, batched.

    Parameters
    ----------
    predict_fn : callable
        Maps an encoded matrix (n, M) to model outputs (n, K).
    rows : numpy.ndarray
        Encoded rows to explain, shape (R, M).
    sampler : LimeSampler
        Training statistics.
    n_samples : int, default 2000
        Perturbed rows the model evaluates per explained row (the first is the row itself);
        the stability estimate reuses them.
    random_state : int or None
        Seed; each row draws from (random_state, its position).
    positions : numpy.ndarray, optional
        Row positions in the session's data, for seeding.
    n_jobs : int, optional
        joblib ``n_jobs``.
    target_rows : int
        Model evaluations per batch.
    progress : bool, optional
        Progress bar.

    Returns
    -------
    LimeResult
    """
    rows = np.asarray(rows, dtype=float)
    positions = np.arange(len(rows)) if positions is None else np.asarray(positions)
    batches = row_batches(len(rows), rows_per_item=n_samples, target_rows=target_rows)
    work = _Batch(predict_fn, rows, sampler, n_samples, random_state, positions)
    parts = run_batches(work, batches, desc="LIME", n_jobs=n_jobs, progress=progress)
    coef, spread, intercept, r2, f_rows = (np.concatenate(p) for p in zip(*parts, strict=True))
    return LimeResult(coef=coef, spread=spread, intercept=intercept, local_r2=r2, f_rows=f_rows)
