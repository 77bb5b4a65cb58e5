"""Readings: every sentence the views, exports and cards generate, each backed by its numbers.

One module per subject, each a set of templates that take numbers (never a session) and return
the sentence, or say plainly that the data cannot show a difference:

* :mod:`~rai_widgets.readings.units`: regression numbers with the target's unit.
* :mod:`~rai_widgets.readings.glossary`: every technical term a view shows, its plain words and
  a one-line explanation (the hover text, and the words presenter mode uses instead).
* :mod:`~rai_widgets.readings.groups`: which group a model does worse for, said only when a
  test with multiple-testing control supports it; the clearest blind spot.
* :mod:`~rai_widgets.readings.changes`: what an edit of a case does ("stays at" when nothing
  visible changed).
* :mod:`~rai_widgets.readings.comparison`: two models on the same rows (the positive class
  named, "better" / "worse" by the metric's direction).
* :mod:`~rai_widgets.readings.metrics`: which way is better for each metric, so colours and
  words keep one meaning.
* :mod:`~rai_widgets.readings.uncertainty`: intervals read as the method made them, empty sets
  explained, coverage against its promise said only as far as its bounds allow.

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
from rai_widgets.readings.uncertainty import coverage_sentence, interval_sentence, set_sentence
from rai_widgets.readings.units import amount, check_unit

__all__ = [
    "GLOSSARY",
    "Term",
    "amount",
    "check_unit",
    "coverage_sentence",
    "explain",
    "glossary_frame",
    "interval_sentence",
    "set_sentence",
    "term_html",
]
