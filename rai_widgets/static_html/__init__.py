"""Static HTML of every view: session results and display SVG in, escaped HTML out.

One module per view, each with a ``view_html(session, ...)`` entry that draws the view as its
widget's ``static_html()`` does for the same state, and the pieces the widget's live panes are
built from. Used by the widgets (live panes and the ``text/html`` fallback), the HTML export and
the model card. No widget library is imported here; the one stylesheet of the views is
``assets/views.css`` (:func:`~rai_widgets.static_html.page.stylesheet`).

=======================  ================================================================
module                   entry
=======================  ================================================================
``audit``                ``view_html(session, *, audit, presenter, places)``
``examples``             ``view_html(session, *, page, page_size, query, slice, ...)``
``explanation``          ``view_html(session, *, row, slice_by, feature, color_by, parts)``
``fairness``             ``view_html(session, *, by, metric, intersections, ...)``
``threshold``            ``panel_html(session, *, by, thresholds, rate)``
``uncertainty``          ``view_html(session, *, row, by, confidence_level)``
``comparison``           ``view_html(session_a, session_b, *, by, metric)``
``dashboard``            ``view_html(session, *, selected_row, selected_slice, presenter)``
``page``                 ``error_box``, ``table``, ``escape``, ``stylesheet``, ``style_tag``
=======================  ================================================================

Examples
--------
>>> from rai_widgets.static_html import page
>>> page.error_box("bad <input>")
'<div class="rai-error">bad &lt;input&gt;</div>'
"""

from rai_widgets.static_html import (
    audit,
    comparison,
    dashboard,
    examples,
    explanation,
    fairness,
    page,
    threshold,
    uncertainty,
)

__all__ = [
    "audit",
    "comparison",
    "dashboard",
    "examples",
    "explanation",
    "fairness",
    "page",
    "threshold",
    "uncertainty",
]
