"""What a view says for a classifier that gives labels only (``predict`` without scores).

One plain sentence for the analyst and the stakeholder alike: what cannot be shown, what still
works, and what would show it. The exact remedy in code (a calibrated wrapper around the model)
is in the audit's notes, which the analyst reads.

Examples
--------
>>> print(labels_only_sentence("how sure it is of each answer"))  # doctest: +NORMALIZE_WHITESPACE
This model gives only yes/no answers, so how sure it is of each answer cannot be shown. The
examples, its errors and fairness by group work as they are; a model that gives probabilities
would show it.
"""

from __future__ import annotations

__all__ = ["labels_only_sentence"]


def labels_only_sentence(what: str) -> str:
    """The note a view shows in place of ``what`` for a model without scores.

    Parameters
    ----------
    what : str
        What cannot be shown, as the subject of the sentence ("how sure it is of each
        answer").

    Returns
    -------
    str
    """
    return (
        f"This model gives only yes/no answers, so {what} cannot be shown. The examples, its "
        "errors and fairness by group work as they are; a model that gives probabilities would "
        "show it."
    )
