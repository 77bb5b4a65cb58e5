"""ModelCardView: a model card previewed in the notebook, section by section, as HTML or Markdown.

The view takes a card (:class:`~rai_widgets.ModelCard`, or any object with the same public
``sections()``, ``to_markdown(section=...)`` and ``to_html(section=..., fragment=True)``), lists
its section headings (those of Mitchell et al., "Model Cards for Model Reporting"), and shows the
whole card or one section (:attr:`ModelCardView.section`) rendered as HTML or as the Markdown
source to copy (:attr:`ModelCardView.output_format`). It never builds the card: widgets do not
import the report layer.

Examples
--------
>>> import rai_widgets as rw
>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.linear_model import LogisticRegression
>>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
>>> s = rw.ModelSession(LogisticRegression(max_iter=5000).fit(X, y), X, y, random_state=0)
>>> view = rw.ModelCardView(rw.ModelCard.from_session(s))
>>> view.section = "training_data"
>>> "Not stated by the author." in view.content_html
True
>>> view.output_format = "markdown"
>>> view.markdown.splitlines()[0]
'## Training data'
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets

from rai_widgets.core.errors import ValidationError
from rai_widgets.widgets.fallback import StaticFallbackMixin
from rai_widgets.widgets.panes import html_pane, pane_property

__all__ = ["ModelCardView"]

WHOLE_CARD = "Whole card"
"""The section picker's label for the whole card (``section=""``)."""
_FORMATS = {"HTML": "html", "Markdown": "markdown"}


def _check_card(card: Any) -> dict[str, str]:
    """The card's sections (key -> heading), or a ValidationError naming ``card``."""
    needed = ("sections", "to_markdown", "to_html")
    missing = [name for name in needed if not callable(getattr(card, name, None))]
    if missing:
        raise ValidationError(
            f"card must be a model card (an object with sections(), to_markdown(section=...) "
            f"and to_html(section=..., fragment=True)); got {type(card).__name__}, which has "
            f"no {', '.join(missing)}. Build one with rw.ModelCard.from_session(session)."
        )
    sections = dict(card.sections())
    if not sections:
        raise ValidationError("card.sections() is empty: a model card has sections to show.")
    return {str(k): str(v) for k, v in sections.items()}


class ModelCardView(StaticFallbackMixin, widgets.VBox):
    """Preview a model card: its section headings, and the card (or one section) rendered.

    Parameters
    ----------
    card : ModelCard
        The card, e.g. ``rw.ModelCard.from_session(session)`` or
        ``rw.ModelCard.from_json(path)``.
    section : str, default ""
        A key of ``card.sections()`` (e.g. ``"factors"``); "" shows the whole card.
    output_format : {"html", "markdown"}, default "html"
        The card rendered, or its Markdown source.

    Attributes
    ----------
    section : traitlets.Unicode
        The section shown ("" for the whole card); the picker follows it.
    output_format : traitlets.Unicode
        "html" or "markdown"; the toggle follows it.
    sections : dict
        ``card.sections()``: key -> heading, in the card's order.
    picker : ipywidgets.Dropdown
        The section picker.
    format_toggle : ipywidgets.ToggleButtons
        HTML / Markdown.
    headings_html, content_html : str
        The list of headings (the shown one marked), and what is shown (read-only properties).
    """

    section = traitlets.Unicode("")
    output_format = traitlets.Unicode("html")

    def __init__(self, card: Any, *, section: str = "", output_format: str = "html") -> None:
        self.sections = _check_card(card)
        self.card = card
        options = [(WHOLE_CARD, ""), *((title, key) for key, title in self.sections.items())]
        self.picker = widgets.Dropdown(options=options, value="", description="Section")
        self.picker.add_class("rai-card-section-picker")
        self.format_toggle = widgets.ToggleButtons(options=list(_FORMATS.items()), value="html")
        self.format_toggle.add_class("rai-card-format")
        self._headings = html_pane("rai-card-headings")
        self._content = html_pane("rai-card-preview")
        super().__init__(
            [widgets.HBox([self.picker, self.format_toggle]), self._headings, self._content]
        )
        self.add_class("rai-view")
        self.add_class("rai-model-card-view")
        self.section, self.output_format = section, output_format
        traitlets.link((self, "section"), (self.picker, "value"))
        traitlets.link((self, "output_format"), (self.format_toggle, "value"))
        self._render()

    @traitlets.validate("section")
    def _check_section(self, proposal: dict) -> str:
        value = proposal["value"]
        if value != "" and value not in self.sections:
            raise traitlets.TraitError(
                f"section must be '' (the whole card) or one of {list(self.sections)}; "
                f"got {value!r}."
            )
        return value

    @traitlets.validate("output_format")
    def _check_format(self, proposal: dict) -> str:
        value = proposal["value"]
        if value not in _FORMATS.values():
            raise traitlets.TraitError(
                f"output_format must be 'html' or 'markdown'; got {value!r}."
            )
        return value

    @traitlets.observe("section", "output_format")
    def _changed(self, change: dict) -> None:
        if getattr(self, "_content", None) is not None:
            self._render()

    @property
    def markdown(self) -> str:
        """The Markdown of what is shown (the whole card or the section)."""
        return self.card.to_markdown(section=self.section or None)

    def _render(self) -> None:
        items = []
        for key, title in self.sections.items():
            text = html.escape(title)
            items.append(f"<li><b>{text}</b></li>" if key == self.section else f"<li>{text}</li>")
        self._headings.value = (
            '<details class="rai-card-headings"><summary>Sections</summary>'
            f"<ol>{''.join(items)}</ol></details>"
        )
        if self.output_format == "markdown":
            self._content.value = (
                '<pre class="rai-card-markdown" style="white-space:pre-wrap">'
                f"{html.escape(self.markdown)}</pre>"
            )
        else:
            self._content.value = self.card.to_html(section=self.section or None, fragment=True)

    headings_html = pane_property("_headings", "The section headings, the shown one in bold.")
    content_html = pane_property("_content", "The card or section shown, as HTML.")

    def static_html(self) -> str:
        """What is shown, as self-contained HTML (no script, no external URL)."""
        return self.content_html
