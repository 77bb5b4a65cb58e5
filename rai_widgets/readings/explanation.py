"""Explanation readings: do two explainers of one case agree, and how contributions are written.

Templates take numbers and formats, never a session:

* :func:`agreement_sentence`: whether SHAP and LIME push the main features the same way and by
  similar amounts, the feature they disagree on most (both numbers), and which to prefer when
  LIME's number is larger than the whole move it is meant to be a share of.
* :func:`contribution_decimals`: one precision for every contribution of one explanation,
  so "+5.1" and "+4.57" never stand side by side.
* :func:`lime_warning`, :func:`nothing_pushes_sentence`: when LIME should not be trusted on a
  case, and when neither explainer finds anything that moves it.
* The explanation charts' titles and notes (:func:`waterfall_title`, :data:`WATERFALL_NOTE`,
  ...).

Examples
--------
>>> agreement_sentence(5, 5, 2, largest=("capital-gain", -0.657, -0.036))
... # doctest: +NORMALIZE_WHITESPACE
'SHAP and LIME agree on the direction of all 5 main features, but on the size for only 2;
the largest disagreement is capital-gain (LIME -65.7 pts, SHAP -3.6 pts).'
>>> contribution_decimals([17.3, -4.57, 0.842])
1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rai_widgets import formatting

__all__ = [
    "AGREEMENT_NOTE",
    "AGREEMENT_TITLE",
    "DEPENDENCE_NOTE",
    "IMPORTANCE_NOTE",
    "WATERFALL_NOTE",
    "agreement_sentence",
    "contribution_decimals",
    "dependence_title",
    "importance_title",
    "lime_warning",
    "nothing_pushes_sentence",
    "off_the_scale",
    "waterfall_title",
]

Format = Callable[[float], str]


def contribution_decimals(contributions: Sequence[float], *, digits: int = 3) -> int:
    """Decimals that give the largest contribution ``digits`` significant digits: one
    precision for all the contributions of one explanation.

    Parameters
    ----------
    contributions : sequence of float
        The contributions shown together (NaN ignored).
    digits : int, default 3
        Significant digits of the largest.

    Returns
    -------
    int
        Between 0 and 6 (1 when every contribution is zero or missing).

    Examples
    --------
    >>> contribution_decimals([-17.3, 4.57]), contribution_decimals([0.0123, -0.002])
    (1, 4)
    >>> contribution_decimals([1234.5, 3.2]), contribution_decimals([0.0, float("nan")])
    (0, 1)
    """
    sizes = [abs(float(c)) for c in contributions if math.isfinite(float(c))]
    largest = max(sizes, default=0.0)
    if largest == 0.0:
        return 1
    return min(6, max(0, digits - 1 - math.floor(math.log10(largest))))


def off_the_scale(lime: float, move: float, shap_sizes: float) -> bool:
    """Whether LIME's contribution of a feature is off the scale of the prediction: larger
    than the whole move from the average prediction to this one, and than all of SHAP's
    contributions together (up and down), which add up to that move.

    Parameters
    ----------
    lime : float
        The feature's contribution by LIME.
    move : float
        The prediction minus SHAP's base value (the average prediction).
    shap_sizes : float
        The sum of the sizes of SHAP's contributions, every feature's.

    Returns
    -------
    bool

    Examples
    --------
    >>> off_the_scale(-0.657, -0.232, 0.251), off_the_scale(16.5, -6.3, 38.4)
    (True, False)
    """
    return abs(lime) > abs(move) and abs(lime) > shap_sizes


def _main(n: int) -> str:
    """ "the main feature", "both main features", "all 5 main features"."""
    if n == 1:
        return "the main feature"
    if n == 2:
        return "both main features"
    return f"all {n} main features"


def _counts(shown: int, same_direction: int, same_size: int) -> str:
    """How many of the main features the explainers push the same way, and by similar amounts."""
    if same_direction >= shown and same_size >= shown:
        return f"agree on the direction and the size of {_main(shown)}"
    if shown == 1:
        if same_direction >= 1:
            return "agree on the direction of the main feature, but not on its size"
        return "push the main feature opposite ways"
    if same_direction == 0:
        return f"agree on the direction of none of the {shown} main features"
    size = "none of them" if same_size == 0 else f"only {same_size}"
    if same_direction >= shown:
        return f"agree on the direction of {_main(shown)}, but on the size for {size}"
    size = "none of them" if same_size == 0 else str(same_size)
    return (
        f"agree on the direction of only {same_direction} of the {shown} main features, "
        f"and on the size for {size}"
    )


def agreement_sentence(
    shown: int,
    same_direction: int,
    same_size: int,
    *,
    largest: tuple[str, float, float] | None = None,
    move: float | None = None,
    shap_sizes: float | None = None,
    shap_adds_up: bool = False,
    fmt: Format = formatting.points,
    plain: bool = False,
) -> str:
    """How far SHAP and LIME agree on one case, and which to prefer when they do not.

    Parameters
    ----------
    shown : int
        The main features compared (SHAP's strongest, at most five).
    same_direction, same_size : int
        Of those, the ones both explainers push the same way, and the ones they push the same
        way by a similar amount (within a factor of two; a feature both hardly move counts as
        agreeing on both).
    largest : (feature, lime, shap), optional
        The feature whose two contributions differ the most among those that are not of a
        similar size, main or not; named after the counts. None: nothing to name.
    move : float, optional
        The prediction minus the average prediction (SHAP's base value).
    shap_sizes : float, optional
        The sum of the sizes of SHAP's contributions (every feature's, up and down).
    shap_adds_up : bool, default False
        Whether SHAP's contributions add up to ``move``. With it, a LIME contribution of the
        named feature off the scale of the prediction (:func:`off_the_scale`) says to prefer
        SHAP.
    fmt : callable, default :func:`rai_widgets.formatting.points`
        How a contribution reads, unit and sign included ("-3.6 pts", "-17.3 thousand
        dollars"); a size reads without its "+".
    plain : bool, default False
        The sentence for presenter mode: plain words instead of "SHAP" and "LIME".

    Returns
    -------
    str

    Examples
    --------
    >>> agreement_sentence(5, 5, 5)
    'SHAP and LIME agree on the direction and the size of all 5 main features.'
    >>> agreement_sentence(5, 5, 2, largest=("capital-gain", -0.657, -0.036), move=-0.232,
    ...                    shap_sizes=0.251, shap_adds_up=True)  # doctest: +NORMALIZE_WHITESPACE
    "SHAP and LIME agree on the direction of all 5 main features, but on the size for only 2;
    the largest disagreement is capital-gain (LIME -65.7 pts, SHAP -3.6 pts). LIME's 65.7 pts
    for capital-gain is more than the whole move from the average prediction to this one
    (23.2 pts), while SHAP's contributions add up to that move: prefer SHAP here."
    >>> agreement_sentence(5, 4, 3, largest=("age", 0.05, -0.02), plain=True)
    ... # doctest: +NORMALIZE_WHITESPACE
    'The two explainers agree on which way only 4 of the 5 main features push, and on how
    much for 3; they differ most on age (simple model +5.0 pts, feature contributions
    -2.0 pts).'
    """
    counts = (_plain_counts if plain else _counts)(shown, same_direction, same_size)
    lime_name, shap_name = ("simple model", "feature contributions") if plain else ("LIME", "SHAP")
    lead = "The two explainers" if plain else "SHAP and LIME"
    text = f"{lead} {counts}"
    if largest is None:
        return text + "."
    feature, lime, shap = largest
    both = f"{lime_name} {fmt(lime)}, {shap_name} {fmt(shap)}"
    if same_size < shown:
        most = "they differ most on" if plain else "the largest disagreement is"
        text += f"; {most} {feature} ({both})."
    else:
        text += f"; they differ on {feature} ({both}), which is not one of them."
    if (
        move is not None
        and shap_sizes is not None
        and shap_adds_up
        and off_the_scale(lime, move, shap_sizes)
    ):
        size, whole = fmt(abs(lime)).lstrip("+"), fmt(abs(move)).lstrip("+")
        if plain:
            text += (
                f" The simple model's {size} for {feature} is more than the prediction moved "
                f"in all ({whole}), while the feature contributions add up to that move: trust "
                "them here."
            )
        else:
            text += (
                f" LIME's {size} for {feature} is more than the whole move from the average "
                f"prediction to this one ({whole}), while SHAP's contributions add up to that "
                "move: prefer SHAP here."
            )
    return text


def _plain_counts(shown: int, same_direction: int, same_size: int) -> str:
    """:func:`_counts` in plain words ("agree on which way all 5 main features push")."""
    if same_direction >= shown and same_size >= shown:
        return f"agree on which way {_main(shown)} push, and by how much"
    if shown == 1:
        if same_direction >= 1:
            return "agree on which way the main feature pushes, but not on how much"
        return "push the main feature opposite ways"
    if same_direction == 0:
        return f"agree on which way none of the {shown} main features push"
    if same_direction >= shown:
        size = "none of them" if same_size == 0 else f"only {same_size}"
        return f"agree on which way {_main(shown)} push, but on how much for {size}"
    size = "none of them" if same_size == 0 else str(same_size)
    return (
        f"agree on which way only {same_direction} of the {shown} main features push, "
        f"and on how much for {size}"
    )


# -- the explanation charts' titles and notes ------------------------------------------------

#: The note under the waterfall's title.
WATERFALL_NOTE = (
    "Each bar is how much that value moved the prediction (SHAP): dark bars push it up, light "
    "bars push it down."
)
#: The title of the SHAP-against-LIME chart.
AGREEMENT_TITLE = "Two explainers, side by side"
#: The line under that title in the explanation tab (the reading below the chart says more).
AGREEMENT_NOTE = "SHAP and LIME: what each says moved this prediction."
#: The note under the importance chart's title.
IMPORTANCE_NOTE = "Average size of each feature's effect, with 95% bounds."
#: The note under the dependence plot's title.
DEPENDENCE_NOTE = "Each dot is one case; above the line the value raised the prediction."


def waterfall_title(subject: str) -> str:
    """The waterfall's title.

    Examples
    --------
    >>> waterfall_title("chance of >50K")
    'Why this case: chance of >50K'
    """
    return f"Why this case: {subject}"


def importance_title(by_name: str | None) -> str:
    """The importance chart's title, per slice of ``by_name`` (None: the whole data).

    Examples
    --------
    >>> importance_title(None), importance_title("sex")
    ('What the model relies on', 'What the model relies on by sex')
    """
    where = f" by {by_name}" if by_name else ""
    return f"What the model relies on{where}"


def dependence_title(feature: str, color_by: str | None) -> str:
    """The dependence plot's title.

    Examples
    --------
    >>> dependence_title("age", "sex")
    'How age moves predictions, coloured by sex'
    """
    colored = f", coloured by {color_by}" if color_by else ""
    return f"How {feature} moves predictions{colored}"


def nothing_pushes_sentence(*, plain: bool = False) -> str:
    """What the agreement reading says when neither explainer finds a feature that moves the
    prediction (a constant model, say).

    Examples
    --------
    >>> nothing_pushes_sentence(plain=True)
    'Neither explainer finds a feature that moves this prediction.'
    """
    if plain:
        return "Neither explainer finds a feature that moves this prediction."
    return "Neither SHAP nor LIME finds a feature that moves this prediction."


def lime_warning(
    reliable: bool,
    local_r2: float,
    *,
    plain: bool = False,
    term: Callable[[str], str] = str,
) -> str:
    """Why LIME should not be trusted on this case ("" when it can be).

    Parameters
    ----------
    reliable : bool
        Whether LIME's leading weights are stable.
    local_r2 : float
        R² of LIME's simple model near the case.
    plain : bool, default False
        The sentence for presenter mode.
    term : callable, default str
        Writes a technical term ("LIME", "local fit", "SHAP"): ``readings.glossary.term_html``
        for HTML with its explanation on hover (the rest of the sentence is then HTML-safe).

    Returns
    -------
    str

    Examples
    --------
    >>> lime_warning(False, 0.31)
    "LIME's local fit is weak here (R² 0.31): trust SHAP more."
    >>> lime_warning(False, 0.31, plain=True)  # doctest: +NORMALIZE_WHITESPACE
    "The simple model fitted around this case matches the model poorly (it explains 31% of the
    model's answers near it): trust the feature contributions more."
    >>> lime_warning(True, 0.2)
    ''
    """
    if reliable:
        return ""
    if local_r2 < 0.5:
        if plain:
            return (
                "The simple model fitted around this case matches the model poorly (it explains "
                f"{formatting.percent(max(local_r2, 0.0), 0)} of the model's answers near it): "
                "trust the feature contributions more."
            )
        return (
            f"{term('LIME')}'s {term('local fit')} is weak here (R² {local_r2:.2f}): "
            f"trust {term('SHAP')} more."
        )
    if plain:
        return (
            "The simple-model explanation changes from one run to the next here: trust the "
            "feature contributions more."
        )
    return f"{term('LIME')}'s leading weights are unstable here: trust {term('SHAP')} more."
