"""Every technical term a view shows: its plain words and a one-line explanation.

Views write a term with :func:`term_html`: the term itself with its explanation on hover, and
its plain words beside it for presenter mode, whose stylesheet shows the plain words instead of
the term (``.rai-presenter .rai-term-word`` hidden, ``.rai-term-plain`` shown). The workshop
notebook and the docs print the same glossary (:func:`glossary_frame`).

Examples
--------
>>> explain("ECE").plain
'calibration error'
>>> 'title="' in term_html("q-value")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import pandas as pd

from rai_widgets.core.errors import ValidationError

__all__ = [
    "GLOSSARY",
    "WORDS",
    "Term",
    "Word",
    "annotate",
    "explain",
    "glossary_frame",
    "plain_or",
    "term_html",
]


@dataclass(frozen=True)
class Term:
    """A technical term as the views show it.

    Attributes
    ----------
    name : str
        The term as written in a technical view ("ECE").
    plain : str
        The words presenter mode shows instead ("calibration error").
    explanation : str
        One line a newcomer can read (the hover text).
    """

    name: str
    plain: str
    explanation: str


_TERMS = (
    Term(
        "slice", "group of rows", "A subset of the rows that share a value, such as sex = Female."
    ),
    Term(
        "support",
        "number of rows",
        "How many rows a number is computed from; small support means a noisy number.",
    ),
    Term(
        "low support",
        "too few rows to be sure",
        "Fewer rows than the minimum: the number is shown but may be far from the truth.",
    ),
    Term(
        "confidence interval",
        "likely range",
        "The range that holds the true value 95 times in 100 samples like this one.",
    ),
    Term(
        "calibration",
        "whether scores match reality",
        "Whether cases given a score of 70% turn out positive about 70% of the time.",
    ),
    Term(
        "ECE",
        "calibration error",
        "Expected calibration error: the average gap between the scores and how often they "
        "came true.",
    ),
    Term(
        "coverage",
        "how often the truth was inside",
        "The share of cases not used to calibrate whose true answer fell inside the set or "
        "interval given.",
    ),
    Term(
        "conformal set",
        "answers it cannot rule out",
        "The answers the model cannot rule out at the promised level, calibrated on held-out rows.",
    ),
    Term(
        "prediction interval",
        "likely range of the outcome",
        "A range that holds the true outcome for the promised share of cases like this one.",
    ),
    Term(
        "SHAP",
        "feature contributions",
        "How much each feature moved this prediction from the average prediction (Shapley values).",
    ),
    Term(
        "LIME",
        "local simple-model explanation",
        "A simple model fitted to the model's answers on cases near this one; its weights "
        "explain the prediction.",
    ),
    Term(
        "R²",
        "share explained",
        "The share of the variation in the target that a model explains: 0% none, 100% all.",
    ),
    Term(
        "local fit",
        "how well the simple model matches",
        "R² of LIME's simple model near this case: low values mean its weights say little.",
    ),
    Term(
        "blind spot",
        "group where the model does badly",
        "A group (or pair of groups) where the model does clearly worse than elsewhere, found "
        "by a search with a correction for the many groups tried.",
    ),
    Term(
        "disparity",
        "gap between groups",
        "The difference (or ratio) of a metric between a group and the reference group.",
    ),
    Term(
        "four-fifths rule",
        "80% rule",
        "A group selected at less than 4/5 of the most-selected group's rate may face adverse "
        "impact (US EEOC guideline).",
    ),
    Term(
        "q-value",
        "false-alarm risk",
        "A p-value corrected for testing many groups at once (Benjamini-Hochberg); small "
        "values mean the gap is unlikely to be chance.",
    ),
    Term(
        "p-value",
        "chance of a gap this large by luck",
        "How often a gap at least this large would appear if there were no real difference.",
    ),
    Term(
        "AUC",
        "ranking quality",
        "The chance that a random positive case gets a higher score than a random negative one.",
    ),
    Term(
        "Brier score",
        "score error",
        "The mean squared gap between the score and the outcome (0 is perfect).",
    ),
    Term(
        "true positive rate",
        "positives found",
        "The share of actual positives the model predicts as positive.",
    ),
    Term(
        "false positive rate",
        "false alarms",
        "The share of actual negatives the model wrongly predicts as positive.",
    ),
    Term(
        "false negative rate",
        "positives missed",
        "The share of actual positives the model wrongly predicts as negative.",
    ),
    Term(
        "selection rate",
        "share predicted positive",
        "The share of rows the model predicts as the positive class.",
    ),
    Term(
        "MAE",
        "average error",
        "Mean absolute error: how far the prediction is from the truth, on average.",
    ),
    Term(
        "RMSE",
        "typical error (large misses count more)",
        "Root mean squared error: like the average error, but large misses weigh more.",
    ),
    Term("residual", "miss", "The true value minus the prediction."),
    Term(
        "threshold",
        "cut-off score",
        "The score above which the model's answer becomes the positive class.",
    ),
    Term(
        "counterfactual",
        "smallest change that flips the answer",
        "A nearby case, changed in as few features as possible, that gets another answer.",
    ),
    Term(
        "Mondrian",
        "per-group calibration",
        "Conformal calibration done separately in each group, so each gets the promised coverage.",
    ),
    Term(
        "proxy",
        "stand-in for a sensitive feature",
        "A feature that predicts a sensitive feature well, so the model can use it in its place.",
    ),
    Term(
        "leakage",
        "answer hidden in the input",
        "A feature that predicts the target almost perfectly, often because it was recorded "
        "after the outcome.",
    ),
)

#: Every term, by name (look up with :func:`explain`, which also accepts other cases).
GLOSSARY: dict[str, Term] = {term.name: term for term in _TERMS}


@dataclass(frozen=True)
class Word:
    """The one word for a concept: what the screen says, what the API calls it, and the words
    the screen no longer uses for it.

    Attributes
    ----------
    screen : str
        The word every view, export and card writes.
    api : str
        The name of the same concept in code (a contract name may differ from the screen's).
    meaning : str
        What it is, so that two concepts are never given one word.
    retired : tuple of str
        Words no rendered page uses for it (a test reads every view's picture for them).
    """

    screen: str
    api: str
    meaning: str
    retired: tuple[str, ...] = ()


#: One word per concept, decided here: views, exports, cards and docs use ``screen``.
WORDS: dict[str, Word] = {
    "blind spot": Word(
        "blind spot",
        "weak_slices (the contract's name; its rows are blind spots)",
        "a slice where the model does measurably worse than on the other rows",
        retired=("weak slice", "weak spot", "problem slice"),
    ),
    "slice": Word(
        "slice",
        "slice, selected_slice",
        "the rows that share given values of one or two columns (sex = Female & race = Black)",
        retired=("subgroup", "segment", "cohort"),
    ),
    "group": Word(
        "group",
        "by=, a label of slice_metrics' index",
        "one value of a grouping (a sensitive feature or a column): a slice of one column",
        retired=("bucket",),
    ),
    "row": Word(
        "row",
        "row, rows",
        "a line of the data, counted in numbers (16,281 rows)",
        retired=("record", "sample row"),
    ),
    "case": Word(
        "case",
        "row (selected_row)",
        "the one row a view follows or explains, as a person reads it (case 4,312)",
        retired=("instance", "data point"),
    ),
}
_BY_KEY = {name.casefold(): term for name, term in GLOSSARY.items()}


def explain(name: str) -> Term:
    """The glossary's entry for a term (case-insensitive).

    Parameters
    ----------
    name : str
        A term of :data:`GLOSSARY`.

    Returns
    -------
    Term

    Raises
    ------
    ValidationError
        For a term the glossary does not have (the error lists those it has).

    Examples
    --------
    >>> explain("shap").name
    'SHAP'
    """
    term = _BY_KEY.get(str(name).casefold())
    if term is None:
        raise ValidationError(
            f"name {name!r} is not in the glossary; it has: {', '.join(GLOSSARY)}."
        )
    return term


def term_html(name: str, text: str | None = None, plain: str | None = None) -> str:
    """A term as HTML: the term with its explanation on hover, and its plain words for
    presenter mode.

    Parameters
    ----------
    name : str
        A term of :data:`GLOSSARY`.
    text : str, optional
        The words shown in place of the term's name (e.g. "q" in a table header).
    plain : str, optional
        The plain words for this place (e.g. capitalised for a heading); default the term's.

    Returns
    -------
    str
        ``<span class="rai-term">`` holding an ``<abbr>`` (the term, hover text = the
        explanation) and a ``<span class="rai-term-plain">`` (the plain words).

    Examples
    --------
    >>> term_html("ECE")  # doctest: +NORMALIZE_WHITESPACE
    '<span class="rai-term"><abbr class="rai-term-word" title="Expected calibration error: the
    average gap between the scores and how often they came true.">ECE</abbr><span
    class="rai-term-plain">calibration error</span></span>'
    """
    term = explain(name)
    shown = term.name if text is None else text
    return (
        f'<span class="rai-term"><abbr class="rai-term-word" title="{escape(term.explanation)}">'
        f"{escape(shown)}</abbr>"
        f'<span class="rai-term-plain">{escape(term.plain if plain is None else plain)}</span>'
        "</span>"
    )


def plain_or(technical: str, plain: str) -> str:
    """A sentence written twice: technical (HTML, its terms marked) for the analyst, and in
    plain words (text) for presenter mode, which shows the second instead of the first.

    A sentence is written for presenter mode, never made by putting plain words in place of
    terms (that breaks its grammar: "The answers it cannot rule out holds ...").

    Parameters
    ----------
    technical : str
        The sentence as HTML (already escaped).
    plain : str
        The sentence in plain words, as text (escaped here).

    Returns
    -------
    str

    Examples
    --------
    >>> html = plain_or("The <abbr>ECE</abbr> is 0.03.", "Its scores are 3 points off.")
    >>> html.endswith('<span class="rai-term-plain">Its scores are 3 points off.</span></span>')
    True
    """
    return (
        f'<span class="rai-term"><span class="rai-term-word">{technical}</span>'
        f'<span class="rai-term-plain">{escape(plain)}</span></span>'
    )


#: A test's statistic in a generated sentence (escaped HTML), hidden in presenter mode.
_STATISTIC = re.compile(
    r"[;,] q (?:=|&lt;) [0-9.]+(?: over (?:the )?[\d,]+ (?:groups compared|slices searched))?"
)

#: Terms marked in generated sentences by :func:`annotate`: (pattern, term) — the pattern is
#: matched in escaped HTML, on word boundaries.
_MARKED: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"(?<![\w-])q(?= [=<] )"), "q-value"),
    (re.compile(r"(?<![\w-])R²"), "R²"),
    (re.compile(r"(?<![\w-])(AUC|ECE|SHAP|LIME)(?![\w-])"), None),
)


def annotate(escaped: str) -> str:
    """Mark the technical terms of a generated sentence (already HTML-escaped) with
    :func:`term_html`: "q = 0.003", "R²", "AUC", "ECE", "SHAP", "LIME".

    Parameters
    ----------
    escaped : str
        A sentence, HTML-escaped.

    Returns
    -------
    str
        The sentence with each term wrapped (hover explanation; plain words in presenter
        mode).

    Examples
    --------
    >>> out = annotate("The gap is real (q = 0.003).")
    >>> 'title="A p-value corrected' in out and out.endswith(" = 0.003).")
    True
    >>> annotate("quality = 3") == "quality = 3"
    True

    A test's statistic ("; q &lt; 0.0001 over the 4 groups compared") is for the analyst:
    presenter mode hides it (``rai-technical``).

    >>> '<span class="rai-technical">, q &lt; 0.001' in annotate("a gap (+3 pts, q &lt; 0.001).")
    True
    """
    out = _STATISTIC.sub(lambda m: f'<span class="rai-technical">{m.group(0)}</span>', escaped)
    for pattern, name in _MARKED:

        def mark(m: re.Match[str], n: str | None = name) -> str:
            return term_html(n or m.group(0), m.group(0))

        out = pattern.sub(mark, out)
    return out


def glossary_frame() -> pd.DataFrame:
    """The glossary as a table: ``term``, ``in plain words``, ``what it means``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> glossary_frame().columns.tolist()
    ['term', 'in plain words', 'what it means']
    """
    return pd.DataFrame(
        [(t.name, t.plain, t.explanation) for t in GLOSSARY.values()],
        columns=["term", "in plain words", "what it means"],
    )
