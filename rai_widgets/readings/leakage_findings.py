"""The leakage check's sentences: a feature that alone gets close to the model's own score,
one that holds most of the model's importance, and the passing line.

The check (:func:`rai_widgets.session.checks.data.leakage`) fits the one-feature models and
reads the importance; these templates say what it found. ``sampled`` is the sentence of
:func:`rai_widgets.readings.samples.sample_sentence` ("" when every row was used).

Examples
--------
>>> print(dominance_sentence("age", 0.62, 0.4, 0.8, 40, verdict="unsure"))
age holds 62% of the model's importance (40% to 80%, 40 rows explained): more than half, though
the bounds reach below it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

from rai_widgets import formatting

__all__ = [
    "alone_classification_text",
    "alone_regression_text",
    "constant_target_reason",
    "dominance_sentence",
    "importance_not_checked_sentence",
    "leak_sentence",
    "leakage_ok_sentence",
]


def constant_target_reason(value: float) -> str:
    """Why the leakage check cannot run on a regression target that never varies.

    Examples
    --------
    >>> constant_target_reason(2.0)[:30]
    'y is the same for every row (2'
    """
    return (
        f"y is the same for every row ({formatting.number(value, 4)}), "
        "so there is no variance for a feature or the model to explain"
    )


def importance_not_checked_sentence(why: str) -> str:
    """The note that the importance share could not be read, saying why.

    Examples
    --------
    >>> importance_not_checked_sentence("the model's contributions are all zero")
    "Importance not checked: the model's contributions are all zero."
    """
    return f"Importance not checked: {why}."


def alone_regression_text(
    feature: Hashable,
    estimate: float,
    lo: float,
    hi: float,
    *,
    mae: float,
    model_score: float,
    model_mae: float,
) -> str:
    """A feature alone against the model, in a regression (held-out R² and MAE; no end).

    Examples
    --------
    >>> alone_regression_text("age", 0.9, 0.88, 0.92, mae=3.1, model_score=0.91,
    ...                       model_mae=3.0)[:54]
    'age alone explains 90.0% of the variance of the target'
    """
    return (
        f"{feature} alone explains {formatting.percent(estimate)} of the variance of the "
        f"target (R² {formatting.bounds(lo, hi, kind='percent')}; off by "
        f"{formatting.number(mae, 3)} on average) against the model's "
        f"{formatting.percent(model_score)} (off by {formatting.number(model_mae, 3)})"
    )


def alone_classification_text(
    feature: Hashable, estimate: float, lo: float, hi: float, *, model_score: float, baseline: float
) -> str:
    """A feature alone against the model, in a classification (accuracy; no end).

    Examples
    --------
    >>> alone_classification_text("id", 0.99, 0.98, 1.0, model_score=0.99, baseline=0.7)[:36]
    'id alone is right for 99.0% of rows '
    """
    return (
        f"{feature} alone is right for {formatting.percent(estimate)} of rows "
        f"({formatting.bounds(lo, hi, kind='percent')}) against the model's "
        f"{formatting.percent(model_score)} and {formatting.percent(baseline)} for always "
        "answering the majority class"
    )


def leak_sentence(text: str, feature: Hashable, sampled: str = "") -> str:
    """A feature that is nearly the whole answer on its own: ``text`` (its score against the
    model's), then the question to ask.

    Examples
    --------
    >>> leak_sentence("id alone is right for 99.0% of rows", "id")[:70]
    'id alone is right for 99.0% of rows: nearly the whole answer on its ow'
    """
    return (
        text + f": nearly the whole answer on its own. Is {feature} known before the decision? "
        "If it is recorded after the outcome (or is the label in another form), it leaks the "
        f"answer; if it is known before, it is simply a strong feature.{sampled}"
    )


def dominance_sentence(
    feature: Hashable,
    estimate: float,
    lo: float,
    hi: float,
    n: int,
    *,
    verdict: Literal["works_alone", "does_little", "unsure"],
    gain: float = float("nan"),
) -> str:
    """One feature holding most of the model's importance.

    Parameters
    ----------
    feature : hashable
        The feature.
    estimate, lo, hi : float
        Its share of the importance and the bounds.
    n : int
        Rows explained.
    verdict : {"works_alone", "does_little", "unsure"}
        Sure, and alone it does ``gain`` of the model's gain over the trivial answer (at
        least half); sure, but alone it does little; the bounds reach below one half.
    gain : float
        The share of the model's gain the feature does alone.

    Returns
    -------
    str

    Examples
    --------
    >>> dominance_sentence("age", 0.7, 0.6, 0.8, 40, verdict="does_little", gain=0.1)[-50:]
    'er: worth checking it is known before the outcome.'
    """
    text = (
        f"{feature} holds {formatting.percent(estimate, 0)} of the model's importance "
        f"({formatting.bounds(lo, hi, kind='percent', digits=0)}, {n} rows explained)"
    )
    if verdict == "works_alone":
        return text + (
            f" and alone does {formatting.percent(gain, 0)} of the model's gain over the "
            "trivial answer: one feature deciding alone is how a leaked outcome looks; check "
            "that it is known before the outcome."
        )
    if verdict == "does_little":
        return text + (
            f", though alone it does only {formatting.percent(max(gain, 0.0), 0)} of the "
            "model's gain over the trivial answer: worth checking it is known before the "
            "outcome."
        )
    return text + ": more than half, though the bounds reach below it."


def leakage_ok_sentence(
    best: Hashable,
    best_score: float,
    *,
    regression: bool,
    model_score: float,
    top_share: tuple[Hashable, float] | None,
    sampled: str = "",
) -> str:
    """The passing line of the leakage check: the best feature alone against the model, and
    the largest share of importance.

    Parameters
    ----------
    best : hashable
        The feature that does best alone.
    best_score : float
        Its held-out R² (regression) or accuracy.
    regression : bool
        Scores are R²; else accuracies.
    model_score : float
        The model's own score.
    top_share : (hashable, float) or None
        The feature with the largest share of importance and that share (None: not read).
    sampled : str, default ""
        The sample sentence, or "".

    Returns
    -------
    str

    Examples
    --------
    >>> print(leakage_ok_sentence("age", 0.2, regression=False, model_score=0.85,
    ...                           top_share=("age", 0.31)))
    No single feature gives the answer away: the best alone, age, is right for 20.0% against the
    model's 85.0%; the largest share of importance is age's 31%.
    """
    alone = (
        f"explains {formatting.percent(best_score)} of the variance (R²)"
        if regression
        else f"is right for {formatting.percent(best_score)}"
    )
    model = f"the model's {formatting.percent(model_score)}"
    top = (
        ""
        if top_share is None
        else (
            f"; the largest share of importance is {top_share[0]}'s "
            f"{formatting.percent(top_share[1], 0)}"
        )
    )
    return (
        f"No single feature gives the answer away: the best alone, {best}, {alone} "
        f"against {model}{top}.{sampled}"
    )
