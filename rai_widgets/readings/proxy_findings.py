"""The proxy check's sentences: a feature that predicts a sensitive feature on its own (a
stand-in the model can use in its place), one the data cannot judge yet, and the passing line.

The check (:func:`rai_widgets.session.checks.data.proxy`) fits the one-feature models and
computes the scores and bounds; these templates say them. ``sampled`` is the sentence of
:func:`rai_widgets.readings.samples.sample_sentence` ("" when every row was used).

Examples
--------
>>> how = balanced_accuracy_clause("sex", 0.81, 0.78, 0.84, chance=0.5)
>>> print(proxy_sentence("relationship", how, "sex", strong=True))
relationship alone predicts sex with 81% balanced accuracy (78% to 84%; chance 50%): the model
can use it in place of sex.
"""

from __future__ import annotations

from collections.abc import Hashable

from rai_widgets import formatting

__all__ = [
    "balanced_accuracy_clause",
    "closest_clause",
    "proxy_ok_sentence",
    "proxy_sentence",
    "r2_clause",
    "undecided_proxy_sentence",
]


def r2_clause(target: Hashable, estimate: float, lo: float, hi: float) -> str:
    """How well a feature predicts a numeric sensitive feature: its held-out R² and bounds.

    Examples
    --------
    >>> r2_clause("age", 0.31, 0.27, 0.35)
    'explains 31.0% of the variance of age (R² 27.0% to 35.0%)'
    """
    return (
        f"explains {formatting.percent(estimate)} of the variance of {target} (R² "
        f"{formatting.bounds(lo, hi, kind='percent')})"
    )


def balanced_accuracy_clause(
    target: Hashable, estimate: float, lo: float, hi: float, *, chance: float
) -> str:
    """How well a feature predicts a categorical sensitive feature: its balanced accuracy and
    bounds against chance.

    Examples
    --------
    >>> balanced_accuracy_clause("race", 0.3, 0.25, 0.35, chance=0.2)
    'predicts race with 30% balanced accuracy (25% to 35%; chance 20%)'
    """
    return (
        f"predicts {target} with {formatting.percent(estimate, 0)} balanced accuracy "
        f"({formatting.bounds(lo, hi, kind='percent', digits=0)}; chance "
        f"{formatting.percent(chance, 0)})"
    )


def closest_clause(feature: Hashable, how: str) -> str:
    """A feature and how well it predicts, as the passing line names the closest one.

    Examples
    --------
    >>> closest_clause("age", "explains 2.0% of the variance of sex")
    'age explains 2.0% of the variance of sex'
    """
    return f"{feature} {how}"


def proxy_sentence(
    feature: Hashable, how: str, target: Hashable, *, strong: bool, sampled: str = ""
) -> str:
    """A feature that stands in for a sensitive feature, fully (``strong``) or in part.

    Parameters
    ----------
    feature : hashable
        The feature.
    how : str
        How well it predicts (:func:`r2_clause` or :func:`balanced_accuracy_clause`).
    target : hashable
        The sensitive feature.
    strong : bool
        The model can use it in place of the sensitive feature; else a partial stand-in.
    sampled : str, default ""
        The sample sentence (with its leading space), or "".

    Returns
    -------
    str

    Examples
    --------
    >>> proxy_sentence("age", "explains 25.0% of the variance of sex", "sex", strong=False)
    'age alone explains 25.0% of the variance of sex: a partial stand-in for sex.'
    """
    tail = (
        f": the model can use it in place of {target}."
        if strong
        else f": a partial stand-in for {target}."
    )
    return f"{feature} alone {how}{tail}{sampled}"


def undecided_proxy_sentence(
    feature: Hashable, how: str, target: Hashable, *, others: int, sampled: str = ""
) -> str:
    """A feature whose bounds reach a strong stand-in and a weak one alike.

    Parameters
    ----------
    feature, how, target
        As in :func:`proxy_sentence`.
    others : int
        Other features of the same sensitive feature that cannot be judged either.
    sampled : str, default ""
        The sample sentence, or "".

    Returns
    -------
    str

    Examples
    --------
    >>> undecided_proxy_sentence("age", "predicts race with 30% balanced accuracy", "race",
    ...                          others=2)[-49:]
    'alike); 2 other features cannot be judged either.'
    """
    more = (
        f"; {others} other feature{'s' if others != 1 else ''} cannot be judged either"
        if others
        else ""
    )
    return (
        f"{feature} alone {how}: the data cannot tell yet whether it stands in for "
        f"{target} (its bounds reach a strong stand-in and a weak one alike){more}."
        f"{sampled}"
    )


def proxy_ok_sentence(names: str, closest: str, sampled: str = "") -> str:
    """The passing line of the proxy check.

    Parameters
    ----------
    names : str
        The sensitive features judged, joined ("sex or race").
    closest : str
        The closest feature (:func:`closest_clause`).
    sampled : str, default ""
        The sample sentence, or "".

    Returns
    -------
    str

    Examples
    --------
    >>> print(proxy_ok_sentence("sex", "age explains 2.0% of the variance of sex"))
    No other feature predicts sex well on its own; the closest: age explains 2.0% of the variance
    of sex.
    """
    return f"No other feature predicts {names} well on its own; the closest: {closest}.{sampled}"
