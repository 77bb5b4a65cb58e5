"""Readings: every sentence the views, exports and cards generate, each backed by its numbers.

One module per subject, each a set of templates that take numbers (never a session) and return
the sentence, or say plainly that the data cannot show a difference:

* :mod:`~rai_widgets.readings.units`: regression numbers with the target's unit.
* :mod:`~rai_widgets.readings.glossary`: every technical term a view shows, its plain words and
  a one-line explanation (the hover text, and the words presenter mode uses instead).
* :mod:`~rai_widgets.readings.groups`: which group a model does worst for, said only when a
  test with multiple-testing control supports it.

Every template is tested on a case where it must speak and one where it must stay quiet.

Examples
--------
>>> from rai_widgets.readings import amount, explain
>>> amount(64.25, "thousand dollars")
'64.25 thousand dollars'
>>> explain("coverage").plain
'how often the truth was inside'
"""

from rai_widgets.readings.glossary import GLOSSARY, Term, explain, glossary_frame, term_html
from rai_widgets.readings.units import amount, check_unit

__all__ = [
    "GLOSSARY",
    "Term",
    "amount",
    "check_unit",
    "explain",
    "glossary_frame",
    "term_html",
]
