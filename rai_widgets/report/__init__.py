"""Reports: the generated model card (:mod:`rai_widgets.report.card`) and the self-contained
offline HTML export (:mod:`rai_widgets.report.export`).

report/ never builds a widget: the views' static pictures come from
:mod:`rai_widgets.static_html`, and every number is formatted by :mod:`rai_widgets.formatting`.
Shared by both: ``frontend`` reads ``assets/export.css``, ``assets/export.js`` and
``assets/card.css``; ``small_groups`` names the groups too small to report.
"""
