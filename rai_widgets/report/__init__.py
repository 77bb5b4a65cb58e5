"""Reports: the generated model card and the self-contained offline HTML export.

report/ never builds a widget: the views' static pictures come from
:mod:`rai_widgets.static_html`, and every number is formatted by :mod:`rai_widgets.formatting`.
One module, one job:

Model card
    ``model_card`` (the public :class:`~rai_widgets.ModelCard`), ``card_content`` (what a card
    holds), ``card_numbers`` (its numbers, from the session), ``card_prose`` (summary and
    limitations), ``card_layout`` (sections as blocks), ``card_blocks`` (the block types),
    ``card_render`` (blocks to Markdown / HTML), ``card_format`` (metric direction, name lists),
    ``card_json`` (JSON-safe values), ``model_description`` (the model in one line).
HTML export
    ``export`` (the public :func:`~rai_widgets.report.export.export_html`), ``export_slices``
    (the slice picker and its metrics lines), ``export_rows`` (the example rows),
    ``export_views`` (the views drawn for all rows), ``export_page`` (the HTML document),
    ``export_budget`` (fitting the size budget), ``export_text`` (sizes, JSON, row counts).
Front end
    ``frontend`` reads ``assets/export.css``, ``assets/export.js`` and ``assets/card.css``.
"""
