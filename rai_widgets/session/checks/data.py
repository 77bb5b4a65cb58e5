"""Audit checks of what the data lets the model do: stand-ins for a sensitive feature
(``proxy``) and a single feature that gives the answer away (``leakage``).

Both fit, for each feature alone, a small lookup model: the feature is coded (text values as
they are, numbers in up to 32 quantile bins, missing values as their own code) and the model
predicts from the class frequencies (or the mean) of each code. It is cross-validated (3 folds)
on a seeded sample of at most 20,000 rows, so a feature with many distinct values cannot score
by memorising them. Each check takes the session (its public interface) and returns a list of
:class:`~rai_widgets.compute.audit.Finding`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.ensemble import RandomForestRegressor
>>> data = rw.datasets.load_wage()
>>> X = data.data[["year", "age"]]
>>> model = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, data.target)
>>> s = rw.ModelSession(model, X, data.target, random_state=0)
>>> [f.severity for f in leakage(s, alpha=0.05)]  # age holds most of the importance
['note', 'ok']
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from rai_widgets.compute.audit import Finding, cannot_run
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.core.errors import RaiWidgetsError
from rai_widgets.readings import leakage_findings as leak_words
from rai_widgets.readings import proxy_findings as proxy_words
from rai_widgets.readings.check_reasons import NO_SENSITIVE_REASON
from rai_widgets.readings.samples import sample_sentence
from rai_widgets.session.checks import one_feature
from rai_widgets.session.checks.run import without_y

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession

__all__ = ["leakage", "proxy"]

#: rows explained (SHAP) for the importance share; explanation_trust reuses the same rows

PROXY_CONCERN = 0.5  # skill above chance (0 = chance, 1 = perfect): binary balanced acc. 0.75
PROXY_NOTE = 0.2  # binary balanced accuracy 0.6
PROXY_RANK = 0.5  # a proxy is a route to harm, not a measured one: ranked below outcome gaps
LEAK_RATIO = 0.98  # a feature alone reaching 98% of the model's accuracy (or R^2)
DOMINANT_SHARE = 0.5  # one feature holding more than half of the model's importance
WORK_SHARE = 0.5  # ... and alone doing half of the model's gain over the trivial answer

_NO_SENSITIVE = NO_SENSITIVE_REASON


# -- shared helpers ----------------------------------------------------------------------------
def _candidates(session: ModelSession) -> list[Hashable]:
    """The model's features that are not sensitive features (identifiers are not in frame)."""
    sensitive = set(session.sensitive_features_)
    return [f for f in session.feature_names_ if f not in sensitive]


# -- proxy ---------------------------------------------------------------------------------------
def proxy(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Features that predict a sensitive feature well on their own: a model that never sees
    race can still use it through them.

    For each sensitive feature and each other feature of X, a one-feature lookup model is
    cross-validated (see the module). A categorical sensitive feature is scored by balanced
    accuracy against chance (1 / number of values), as skill = (balanced accuracy - chance) /
    (1 - chance), with a normal bound on the mean of the per-value recalls; a numeric one by
    held-out R^2 with a delta-method bound. Bounds are Bonferroni-corrected over the features
    tried. A concern when the skill's lower bound is at least 0.5 (balanced accuracy 0.75 for a
    binary feature) or R^2's at least 0.5; a note when at least 0.2 (balanced accuracy 0.6);
    one ok line sums up the rest. Ranked by half the skill: a proxy is a route to unfairness,
    not a measured harm, so outcome gaps of the same size come first.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage (shared among the features tried).

    Returns
    -------
    list of Finding
    """
    sensitive = list(session.sensitive_features_)
    if not sensitive:
        return cannot_run("proxy", _NO_SENSITIVE)
    features = _candidates(session)
    if not features:
        return cannot_run("proxy", "the model has no features besides the sensitive ones")
    positions = one_feature.sample_positions(session, one_feature.MAX_ROWS)
    sampled, sample_details = _sample(len(positions), session.core.n_rows_)
    frame = session.core.frame
    codes = {f: one_feature.codes(frame[f].iloc[positions]) for f in features}
    raw = {f: one_feature.binned(frame[f].iloc[positions]) for f in features}
    z = float(norm.ppf(1 - alpha / (2 * len(features) * len(sensitive))))
    findings: list[Finding] = []
    passed: list[tuple[float, str, Hashable]] = []
    undecided: list[tuple] = []  # (skill, feature, target, how, estimate, lo, hi, n)
    for target in sensitive:
        values = session.core.column(target).iloc[positions].reset_index(drop=True)
        numeric = pd.api.types.is_numeric_dtype(values) and values.nunique() > one_feature.BINS
        if numeric:
            keep = values.notna().to_numpy()
            t = values.to_numpy(dtype=float)[keep]
        else:
            t, uniques = pd.factorize(values, sort=True)
            keep, k = t >= 0, len(uniques)
            t = t[keep]
            if k < 2:
                continue
        folds = one_feature.folds(int(keep.sum()), one_feature.seed_of(session))
        for feature in features:
            x = codes[feature][keep]
            if numeric:
                values_of = raw[feature]
                p = one_feature.cv_means(
                    x, t, folds, values_of[keep] if values_of is not None else None
                )
                estimate, lo, hi = one_feature.r2(t, p, z)
                skill_lo, skill, skill_hi = lo, estimate, hi
                how = proxy_words.r2_clause(target, estimate, lo, hi)
            else:
                estimate, lo, hi = one_feature.balanced_accuracy(
                    t, one_feature.cv_classes(x, t, folds, balanced=True), z
                )
                chance = 1 / k
                skill, skill_lo = (estimate - chance) / (1 - chance), (lo - chance) / (1 - chance)
                skill_hi = (hi - chance) / (1 - chance)
                how = proxy_words.balanced_accuracy_clause(target, estimate, lo, hi, chance=chance)
            if np.isnan(skill_lo) or skill_lo < PROXY_NOTE:
                if not np.isnan(skill_hi) and skill_hi >= PROXY_CONCERN:  # too few rows to tell
                    undecided.append((skill, feature, target, how, estimate, lo, hi, len(t)))
                    continue
                passed.append((skill, proxy_words.closest_clause(feature, how), target))
                continue
            strong = skill_lo >= PROXY_CONCERN
            findings.append(
                Finding(
                    "proxy",
                    "concern" if strong else "note",
                    proxy_words.proxy_sentence(
                        feature, how, target, strong=strong, sampled=sampled
                    ),
                    estimate,
                    lo,
                    hi,
                    len(t),
                    feature=feature,
                    view="explanation",
                    size=PROXY_RANK * skill,
                    grouping=target,
                    details={
                        **_proxy_details(numeric, None if numeric else 1 / k),
                        **sample_details,
                    },
                )
            )
    findings += _undecided(undecided, sampled)
    open_targets = {item[2] for item in undecided}
    judged = [t for t in sensitive if t not in open_targets]
    passed = [item for item in passed if item[2] not in open_targets]
    if passed and judged:
        best = max(passed, key=lambda item: -np.inf if np.isnan(item[0]) else item[0])
        names = " or ".join(map(str, judged))
        findings.append(
            Finding(
                "proxy",
                "ok",
                proxy_words.proxy_ok_sentence(names, best[1], sampled),
                n=len(positions),
                view="explanation",
                size=0,
                details=sample_details or None,
            )
        )
    return findings or cannot_run("proxy", "no sensitive feature had two values to predict")


def _proxy_details(numeric: bool, chance: float | None) -> dict[str, Any]:
    """What a proxy's number is: R² of a numeric sensitive feature, else balanced accuracy
    against its chance level."""
    if numeric:
        return {"score": "r2"}
    return {"score": "balanced_accuracy", "chance": chance}


def _sample(n_used: int, n_rows: int) -> tuple[str, dict[str, int]]:
    """The sentence and the details that say the one-feature models saw a sample of the rows
    ("" and {} when they saw every row)."""
    sentence = sample_sentence(n_used, n_rows)
    return sentence, ({"sampled_rows": n_used} if sentence else {})


def _undecided(undecided: list[tuple], sampled: str = "") -> list[Finding]:
    """One "cannot tell yet" finding per sensitive feature whose proxies the data cannot
    judge (too few rows of a group): the closest feature, and how many others are as open."""
    out = []
    for target in dict.fromkeys(item[2] for item in undecided):
        mine = sorted((item for item in undecided if item[2] == target), key=lambda i: -i[0])
        skill, feature, _, how, estimate, lo, hi, n = mine[0]
        others = len(mine) - 1
        out.append(
            Finding(
                "proxy",
                "unclear",
                proxy_words.undecided_proxy_sentence(
                    feature, how, target, others=others, sampled=sampled
                ),
                estimate,
                lo,
                hi,
                n,
                feature=feature,
                view="explanation",
                size=PROXY_RANK * skill,
                grouping=target,
            )
        )
    return out


# -- leakage -------------------------------------------------------------------------------------
def leakage(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """A single feature that gives the answer away: alone it gets close to the model's own
    accuracy, or it holds most of the model's importance (a label leak, a post-outcome field).

    Accuracy: each feature's one-feature lookup model is cross-validated against y (see the
    module); a concern when the upper bound of its accuracy reaches 98% of the model's own
    accuracy (on every row) and its lower bound is clearly above always answering the majority
    class (by at least half the model's own gain over it, and 2 points). Regression: the same
    with held-out R^2 against the model's R^2 (MAE in the sentence). Bounds are Bonferroni
    corrected over the features. Importance: the share of the model's mean absolute SHAP
    contribution held by the top feature on a seeded sample of 40 rows (shared with
    ``explanation_trust``); a concern when the share and its lower bound (its own lower bound
    against the others' upper bounds) are above one half and the feature alone does at least
    half of the model's gain over the trivial answer (with two or three features one of them
    often holds half the importance without leaking anything); a note otherwise.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: 1 - the bounds' coverage (shared among the features).

    Returns
    -------
    list of Finding
    """
    if missing := without_y(session, "leakage"):
        return missing
    features = list(session.feature_names_)
    if not features:
        return cannot_run("leakage", "the model has no features")
    preds = session.predictions()
    positions = one_feature.sample_positions(session, one_feature.MAX_ROWS)
    sampled, sample_details = _sample(len(positions), session.core.n_rows_)
    frame = session.core.frame
    z = float(norm.ppf(1 - alpha / (2 * len(features))))
    regression = session.task_ == "regression"
    y_all = preds["y_true"]
    y = y_all.iloc[positions].reset_index(drop=True)
    folds = one_feature.folds(len(y), one_feature.seed_of(session))
    scored = []
    model_mae = None
    t: np.ndarray
    if regression:
        t = y.to_numpy(dtype=float)
        if np.ptp(y_all.to_numpy(dtype=float)) == 0:
            return cannot_run(
                "leakage",
                leak_words.constant_target_reason(float(y_all.iloc[0])),
            )
        residual = preds["residual"].to_numpy(dtype=float)
        model_r2 = 1 - np.sum(residual**2) / np.sum((y_all - y_all.mean()) ** 2)
        model_mae = float(np.abs(residual).mean())
        for feature in features:
            values = frame[feature].iloc[positions]
            p = one_feature.cv_means(
                one_feature.codes(values), t, folds, one_feature.binned(values)
            )
            estimate, lo, hi = one_feature.r2(t, p, z)
            scored.append((feature, estimate, lo, hi, float(np.abs(t - p).mean())))
        model_score, baseline = float(model_r2), 0.0
    else:
        t = pd.factorize(y.astype(object), sort=True)[0]
        model_score = float(preds["correct"].mean())
        baseline = float(y_all.value_counts(normalize=True).iloc[0])
        for feature in features:
            guessed = one_feature.cv_classes(
                one_feature.codes(frame[feature].iloc[positions]), t, folds, balanced=False
            )
            right = int((guessed == t).sum())
            lows, highs = wilson_interval(
                np.array([right]), np.array([len(t)]), 1 - alpha / len(features)
            )
            scored.append((feature, right / len(t), float(lows[0]), float(highs[0]), np.nan))
    findings = [
        _leak_finding(row, model_score, baseline, len(t), model_mae, sampled)
        for row in scored
        if row[3] >= LEAK_RATIO * model_score
        and row[2] - baseline >= max(0.02, 0.5 * (model_score - baseline))
    ]
    share = _importance_share(session)
    if isinstance(share, str):
        findings.append(
            Finding(
                "leakage",
                "note",
                leak_words.importance_not_checked_sentence(share),
                view="explanation",
            )
        )
    elif share[1] > DOMINANT_SHARE:
        findings.append(_dominance_finding(share, scored, model_score, baseline))
    if not any(f.severity == "concern" for f in findings):
        best = max(scored, key=lambda row: -np.inf if np.isnan(row[1]) else row[1])
        findings.append(
            Finding(
                "leakage",
                "ok",
                leak_words.leakage_ok_sentence(
                    best[0],
                    best[1],
                    regression=regression,
                    model_score=model_score,
                    top_share=None if isinstance(share, str) else (share[0], share[1]),
                    sampled=sampled,
                ),
                best[1],
                best[2],
                best[3],
                len(t),
                feature=best[0],
                view="explanation",
                size=0,
                details=sample_details or None,
            )
        )
    return findings


def _leak_finding(
    row: tuple,
    model_score: float,
    baseline: float,
    n: int,
    model_mae: float | None,
    sampled: str = "",
) -> Finding:
    feature, estimate, lo, hi, mae = row
    if model_mae is not None:  # regression
        text = leak_words.alone_regression_text(
            feature, estimate, lo, hi, mae=mae, model_score=model_score, model_mae=model_mae
        )
    else:
        text = leak_words.alone_classification_text(
            feature, estimate, lo, hi, model_score=model_score, baseline=baseline
        )
    details: dict[str, Any] = {
        "kind": "alone",
        "model": model_score,
        "baseline": baseline,
        "score": "r2" if model_mae is not None else "accuracy",
    }
    if sampled:
        details["sampled_rows"] = n
    return Finding(
        "leakage",
        "concern",
        leak_words.leak_sentence(text, feature, sampled),
        estimate,
        lo,
        hi,
        n,
        feature=feature,
        view="explanation",
        size=2.0 + estimate / max(model_score, 1e-12),
        details=details,
    )


def _dominance_finding(
    share: tuple, scored: list[tuple], model_score: float, baseline: float
) -> Finding:
    """One feature holding most of the importance: a concern when sure and it also does at
    least half of the model's work alone (its gain over the trivial answer), else a note."""
    feature, estimate, lo, hi, n = share
    alone = next((row[1] for row in scored if row[0] == feature), np.nan)
    gain = (alone - baseline) / (model_score - baseline) if model_score > baseline else np.nan
    sure = lo > DOMINANT_SHARE and gain >= WORK_SHARE
    verdict: Literal["works_alone", "does_little", "unsure"] = (
        "works_alone"
        if sure
        else "does_little"
        if lo > DOMINANT_SHARE and not np.isnan(gain)
        else "unsure"
    )
    text = leak_words.dominance_sentence(feature, estimate, lo, hi, n, verdict=verdict, gain=gain)
    return Finding(
        "leakage",
        "concern" if sure else "note",
        text,
        estimate,
        lo,
        hi,
        n,
        feature=feature,
        view="explanation",
        size=2.0 + estimate if sure else estimate,
        details={"kind": "importance", "work": float(gain)},
    )


def _importance_share(session: ModelSession) -> tuple[Hashable, float, float, float, int] | str:
    """The top feature's share of the mean absolute SHAP contribution, or why there is none."""
    try:
        table = session.feature_importance(
            rows=one_feature.explained_rows(session), random_state=one_feature.seed_of(session)
        )
    except RaiWidgetsError as err:
        return str(err).rstrip(".")
    sums = table.groupby("feature", sort=False)[["importance", "importance_lo", "importance_hi"]]
    totals = sums.sum()
    total = float(totals["importance"].sum())
    if total <= 0 or totals.empty:
        return "the model's contributions are all zero"
    feature = totals["importance"].idxmax()
    top = totals.loc[feature]
    others_hi = float(totals["importance_hi"].drop(index=feature).sum())
    lo = float(top["importance_lo"]) / max(float(top["importance_lo"]) + others_hi, 1e-12)
    others_lo = float(totals["importance_lo"].drop(index=feature).sum())
    hi = float(top["importance_hi"]) / max(float(top["importance_hi"]) + others_lo, 1e-12)
    n = int(table["n"].max())
    return feature, float(top["importance"]) / total, lo, hi, n
