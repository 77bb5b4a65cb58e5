"""The generated model card (Mitchell et al.), one module per job.

``model_card`` (the public :class:`~rai_widgets.ModelCard`), ``content`` (what a card holds),
``build`` (computing it from a session), ``numbers`` (its numbers), ``prose`` (summary and
limitations), ``factors``, ``analyses`` and ``audit`` (sections), ``layout`` (sections as
blocks), ``blocks`` (the block types), ``render`` (blocks to Markdown / HTML), ``formats``
(metric direction, name lists), ``json_values`` (JSON-safe values), ``as_dict`` and ``schema``
(the JSON document and its schema), ``model_description`` (the model in one line).
"""

from rai_widgets.report.card.model_card import ModelCard

__all__ = ["ModelCard"]
