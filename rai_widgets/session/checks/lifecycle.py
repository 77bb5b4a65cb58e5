"""Audit checks across the lifecycle: the training rows (``ModelSession(train=...)``) against
the evaluation rows. Where did a problem come from?

* :func:`representation`: a group trained on far fewer rows than it is evaluated on (or than
  its share of a population given as ``population=``);
* :func:`overlap`: evaluation rows that also occur in training, beyond what the duplicates
  within the data explain: on them the evaluation is optimistic;
* :func:`drift` (in :mod:`~rai_widgets.session.checks.drift`, re-exported here): features
  whose distribution differs between training and evaluation, over all rows and per group,
  a concern where the model's quality moved with them.

Without training rows each says so in a note. The label-quality check is in
:mod:`~rai_widgets.session.checks.labels`.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X[:400], y[:400]), X[400:],
...                     y[400:], train=(X[:400], y[:400]), random_state=0)
>>> overlap(s, alpha=0.05)[0].severity
'ok'
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from rai_widgets import formatting
from rai_widgets.compute.audit import Finding, cannot_run
from rai_widgets.compute.intervals import wilson_interval
from rai_widgets.compute.representation import group_shares
from rai_widgets.compute.train_overlap import exact_overlap, near_overlap
from rai_widgets.formatting_metrics import metric_value
from rai_widgets.readings import lifecycle as words
from rai_widgets.readings import lifecycle_findings as findings_words
from rai_widgets.session.checks.drift import MAX_DRIFT_FINDINGS, drift
from rai_widgets.session.checks.one_feature import seed_of
from rai_widgets.session.checks.training_groups import training_groups

if TYPE_CHECKING:
    from rai_widgets.session import ModelSession
    from rai_widgets.session.training import TrainingData

__all__ = ["MAX_DRIFT_FINDINGS", "drift", "overlap", "representation", "training_groups"]

RATIO_FLOOR = 0.5  # a group trained on less than half its evaluation share
NEAR_SAMPLE = 5000
MIN_OVERLAP = 0.001  # an excess of overlapping rows this large (0.1% of them) ...
MIN_OVERLAP_ROWS = 10  # ... and of at least this many rows ...
MIN_OVERLAP_FACTOR = 1.25  # ... a quarter more than the duplicates explain, is a concern


def _training(session: ModelSession, check: str) -> TrainingData | list[Finding]:
    training = session.core.training
    return cannot_run(check, words.NO_TRAINING) if training is None else training


def representation(
    session: ModelSession, *, alpha: float, test_cases: Any = None, population: Any = None
) -> list[Finding]:
    """Is each group in the training rows as much as it is evaluated on?

    Per sensitive feature, each group's share of the training rows against its share of the
    evaluation rows (Wilson bounds, MOVER bounds on the ratio, a one-sided test with
    Benjamini-Hochberg control): a concern when a group was trained on measurably less than
    half its evaluation share; with ``population=`` given to the session, also against its
    share of that population. Otherwise one ok finding per feature naming its least
    represented group.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the false discovery rate.
    population : mapping, optional
        ``{feature: {group: share}}`` (default: the session's ``population=``).

    Returns
    -------
    list of Finding
    """
    training = _training(session, "representation")
    if isinstance(training, list):
        return training
    if not session.sensitive_features_:
        return cannot_run("representation", "no sensitive features were given")
    populations = session.core.population if population is None else population
    findings: list[Finding] = []
    for by in session.sensitive_features_:
        groups = training_groups(session, by)
        if groups is None:
            findings += _not_in_training(by)
            continue
        table = group_shares(
            groups[0],
            groups[1],
            population=(populations or {}).get(by),
            confidence=1 - alpha,
            ratio_floor=RATIO_FLOOR,
        )
        findings += _share_findings(by, table)
    return findings


def _not_in_training(by: Hashable) -> list[Finding]:
    return [
        Finding(
            "representation",
            "note",
            findings_words.not_in_training_sentence(by),
            feature=by,
            size=-1.0,
        )
    ]


def _under(by: Hashable, spec: dict, row: pd.Series, text: str, ratio: str) -> Finding:
    """The concern of a group under-represented in training (``ratio``: the column of the
    ratio it is measured by, against the evaluation rows or the population)."""
    return Finding(
        "representation",
        "concern",
        text,
        row[ratio],
        row[f"{ratio}_lo"],
        row[f"{ratio}_hi"],
        int(row["train_n"]),
        slice=spec,
        feature=by,
        view="fairness",
        size=1 - float(row[ratio]),
    )


def _share_findings(by: Hashable, table: pd.DataFrame) -> list[Finding]:
    findings = []
    for group, row in table.iterrows():
        spec = {by: group}
        where = formatting.slice_description(spec)
        if bool(row["under"]):
            text = words.share_sentence(
                where,
                train_share=row["train_share"],
                train_lo=row["train_lo"],
                train_hi=row["train_hi"],
                train_n=int(row["train_n"]),
                eval_share=row["eval_share"],
                eval_lo=row["eval_lo"],
                eval_hi=row["eval_hi"],
                ratio=row["ratio"],
                ratio_lo=row["ratio_lo"],
                ratio_hi=row["ratio_hi"],
            )
            findings.append(_under(by, spec, row, text, "ratio"))
        if bool(row.get("under_population", False)):
            text = words.population_sentence(
                where,
                train_share=row["train_share"],
                population_share=row["population_share"],
                ratio_hi=row["population_ratio_hi"],
            )
            findings.append(_under(by, spec, row, text, "population_ratio"))
    if findings:
        return findings
    shown = table[table["eval_n"] > 0]
    least = shown["ratio"].idxmin()
    row = shown.loc[least]
    return [
        Finding(
            "representation",
            "ok",
            findings_words.representation_ok_sentence(
                by, least, ratio=row["ratio"], lo=row["ratio_lo"], hi=row["ratio_hi"]
            ),
            row["ratio"],
            row["ratio_lo"],
            row["ratio_hi"],
            int(row["train_n"]),
            feature=by,
        )
    ]


def overlap(session: ModelSession, *, alpha: float, test_cases: Any = None) -> list[Finding]:
    """Evaluation rows that also occur in the training rows, beyond what duplicates explain.

    Exact copies are counted by row hashing (with a check of every match); the count that
    duplicates as common as those within the training rows would give is the expectation
    (a training row meets its twin among the other training rows as often as an evaluation
    row meets one in training, under a random split). A concern when the excess is beyond
    chance (a one-sided two-proportion test) and at least :data:`MIN_OVERLAP` of the evaluation
    rows (0.1%), 10 rows and a quarter of the expectation (data with many duplicates of its own
    is not blamed for them); the finding gives the model's quality on those rows against the
    others.
    Near-duplicates (Gower distance within 1%) are counted in a sample of 5,000 rows.

    Parameters
    ----------
    session, alpha, test_cases : ModelSession, float, TestCases or None
        The model and data; alpha: the test's error rate.

    Returns
    -------
    list of Finding
    """
    training = _training(session, "overlap")
    if isinstance(training, list):
        return training
    X = session.core.frame
    found = exact_overlap(training.X, X)
    n_eval, n_train = len(X), training.n_rows_
    k = int(found.sum())
    duplicated = int(training.X.duplicated(keep=False).sum())
    expected = n_eval * duplicated / max(n_train, 1)
    p_value = _excess_p(k, n_eval, duplicated, n_train)
    excess = (k - expected) / n_eval
    severity = (
        "concern"
        if p_value <= alpha
        and excess >= MIN_OVERLAP
        and k - expected >= MIN_OVERLAP_ROWS
        and k >= MIN_OVERLAP_FACTOR * expected
        else "note"
        if p_value <= alpha
        else "ok"
    )
    on, off, right, better = (
        _quality_split(session, found) if 0 < k < n_eval else (None, None, "", False)
    )
    text = words.overlap_sentence(
        n_overlap=k,
        n_eval=n_eval,
        expected=expected,
        quality_on=on,
        quality_off=off,
        right=right or "right for",
        optimistic=severity != "ok" and better,
    )
    text += " " + _near_text(training.X, X, session)
    lo, hi = wilson_interval(np.array([k]), np.array([n_eval]), 1 - alpha)
    return [
        Finding(
            "overlap",
            severity,
            text,
            k / n_eval,
            float(lo[0]),
            float(hi[0]),
            n_eval,
            view="examples",
            size=excess,
        )
    ]


def _near_text(train: pd.DataFrame, X: pd.DataFrame, session: ModelSession) -> str:
    """Near-duplicates of sampled evaluation rows in training, beside the same rate of sampled
    training rows among the other training rows (what the data's density gives anyway)."""
    seed = seed_of(session)
    near = near_overlap(train, X, sample=NEAR_SAMPLE, random_state=seed)
    rng = np.random.default_rng(seed)
    if len(train) < 2 * NEAR_SAMPLE:
        take = rng.permutation(len(train))[: len(train) // 2]
    else:
        take = rng.choice(len(train), NEAR_SAMPLE, replace=False)
    rest = np.ones(len(train), dtype=bool)
    rest[take] = False
    baseline = near_overlap(train[rest], train.iloc[take], sample=None, random_state=seed)
    return words.near_clause(
        rate=near.rate,
        lo=near.rate_lo,
        hi=near.rate_hi,
        n_sampled=near.n_sampled,
        max_distance=near.max_distance,
        baseline=baseline.rate,
    )


def _excess_p(k: int, n: int, k_ref: int, n_ref: int) -> float:
    """One-sided two-proportion z-test that k/n exceeds k_ref/n_ref."""
    if n == 0 or n_ref == 0:
        return 1.0
    pooled = (k + k_ref) / (n + n_ref)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_ref))
    if spread == 0:
        return 1.0 if k / n <= k_ref / n_ref else 0.0
    return float(stats.norm.sf((k / n - k_ref / n_ref) / spread))


def _quality_split(
    session: ModelSession, found: np.ndarray
) -> tuple[str | None, str | None, str, bool]:
    """The model's quality on the overlapping rows and on the others (accuracy or MAE), and
    whether it is better on them."""
    if not session.core.has_y:
        return (None, None, "", False)
    answers = session.predictions()
    if session.task_ == "regression":
        error = (answers["y_true"] - answers["y_pred"]).abs().to_numpy(dtype=float)
        unit = session.target_unit
        on, off = float(error[found].mean()), float(error[~found].mean())
        return (metric_value("mae", on, unit=unit), metric_value("mae", off, unit=unit),
                "off by", on < off)  # fmt: skip
    right = answers["correct"].to_numpy(dtype=bool)
    on, off = float(right[found].mean()), float(right[~found].mean())
    return (metric_value("accuracy", on), metric_value("accuracy", off), "right for", on > off)
