"""The "What would change it?" section as static HTML: one sentence, then the case and its
counterfactuals side by side (only the features any of them changes), then what the model
says of each. The live views, the saved picture and the export draw it from one
:class:`~rai_widgets.views.recourse.RecourseModel`.

Examples
--------
>>> from rai_widgets.views.recourse import RecourseModel
>>> model = RecourseModel("If age were 45 instead of 40, the model would say >50K (62%).",
...     headers=("Feature", "This case", "Change 1"), rows=(("age", "40", "45"),),
...     answers=("The model says", "<=50K (41%)", ">50K (62%)"), plausible=(True,))
>>> html = recourse_html(model)
>>> "What would change it?" in html and html.count("<tr>") == 3
True
"""

from __future__ import annotations

from rai_widgets.static_html.page import escape, table
from rai_widgets.views.recourse import RecourseModel

__all__ = ["recourse_html"]

#: The section's note under the table.
NOTE = (
    "Each change was checked with the model. Only the features a change touches are listed; "
    "a blank cell keeps this case's value. A change marked * lies farther from real cases "
    "with that answer than real cases lie from each other."
)


def recourse_html(model: RecourseModel) -> str:
    """The section, escaped.

    Parameters
    ----------
    model : RecourseModel
        The case's counterfactuals.

    Returns
    -------
    str
        ``<section class="rai-recourse">``.
    """
    parts = [
        '<section class="rai-recourse"><h4>What would change it?</h4>',
        f'<p class="rai-reading">{escape(model.sentence)}</p>',
    ]
    if model.rows:
        headers = list(model.headers)
        for k, plausible in enumerate(model.plausible):
            if not plausible:
                headers[2 + k] += " *"
        parts.append(table(headers, [*model.rows, model.answers], css="rai-small-table"))
        parts.append(f'<p class="rai-muted">{escape(NOTE)}</p>')
    parts.append("</section>")
    return "".join(parts)
