"""ModelCardView: a card previewed section by section, as HTML or Markdown, driven by traits."""

from __future__ import annotations

import html
import re

import pytest
import traitlets

import rai_widgets as rw
from rai_widgets.widgets.model_card_view import ModelCardView

HOSTILE = "<img src=x onerror=alert(1)>"
MITCHELL = [
    "Model details",
    "Intended use",
    "Factors",
    "Metrics",
    "Evaluation data",
    "Training data",
    "Quantitative analyses",
    "Ethical considerations",
    "Caveats and recommendations",
]


@pytest.fixture(scope="module")
def card(german, german_model):
    session = rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features=["foreign_worker"],
        name=HOSTILE,
        random_state=0,
    )
    return rw.ModelCard.from_session(session, intended_use="Teaching <b>only</b>.")


def test_lazy_export():
    assert rw.ModelCardView is ModelCardView
    assert "ModelCardView" in rw.__all__


def test_the_view_lists_every_section_and_shows_the_whole_card(card):
    view = ModelCardView(card)
    assert view.section == "" and view.output_format == "html"
    assert re.findall(r"<li>(?:<b>)?(.*?)(?:</b>)?</li>", view.headings_html) == MITCHELL
    assert [label for label, _ in view.picker.options][1:] == MITCHELL
    assert view.content_html == card.to_html(fragment=True)
    assert re.findall(r"<h2>(.*?)</h2>", view.content_html) == MITCHELL


def test_the_section_trait_and_the_picker_follow_each_other(card):
    view = ModelCardView(card)
    view.section = "factors"
    assert view.picker.value == "factors"
    assert re.findall(r"<h2>(.*?)</h2>", view.content_html) == ["Factors"]
    assert "<li><b>Factors</b></li>" in view.headings_html
    view.picker.value = "intended_use"
    assert view.section == "intended_use"
    assert "Teaching &lt;b&gt;only&lt;/b&gt;." in view.content_html
    view.section = ""
    assert re.findall(r"<h2>(.*?)</h2>", view.content_html) == MITCHELL
    with pytest.raises(traitlets.TraitError, match="section must be"):
        view.section = "summary"


def test_markdown_is_shown_as_escaped_source(card):
    view = ModelCardView(card, section="training_data", output_format="markdown")
    assert view.format_toggle.value == "markdown"
    assert view.markdown == card.to_markdown(section="training_data")
    assert view.content_html.startswith('<pre class="rai-card-markdown"')
    assert html.escape(view.markdown) in view.content_html
    view.format_toggle.value = "html"
    assert view.output_format == "html"
    assert view.content_html == card.to_html(section="training_data", fragment=True)
    with pytest.raises(traitlets.TraitError, match="output_format"):
        view.output_format = "pdf"


def test_hostile_text_never_becomes_markup(card):
    view = ModelCardView(card, output_format="markdown")
    assert HOSTILE not in view.content_html and "<b>only" not in view.content_html
    view.output_format = "html"
    assert HOSTILE not in view.content_html and "<b>only" not in view.content_html
    assert html.escape(HOSTILE) in view.content_html


def test_the_static_fallback_is_what_is_shown(card):
    view = ModelCardView(card, section="metrics")
    bundle = view._repr_mimebundle_()
    assert bundle["text/html"] == view.static_html() == view.content_html
    assert "<script" not in bundle["text/html"]


def test_a_loaded_card_and_any_card_like_object_work(card, tmp_path):
    path = tmp_path / "card.json"
    card.to_json(path)
    view = ModelCardView(rw.ModelCard.from_json(path), section="factors")
    assert view.content_html == card.to_html(section="factors", fragment=True)

    class Card:
        def sections(self):
            return {"a": "Part A", "b": "Part B"}

        def to_markdown(self, section=None):
            return f"## {section or 'all'}\n"

        def to_html(self, path=None, *, section=None, fragment=False):
            return f"<h2>{section or 'all'}</h2>"

    view = ModelCardView(Card(), section="b")
    assert view.content_html == "<h2>b</h2>"
    assert [label for label, _ in view.picker.options] == ["Whole card", "Part A", "Part B"]


def test_not_a_card_is_refused(german):
    with pytest.raises(rw.ValidationError, match=r"card must be a model card.*from_session"):
        ModelCardView(german.data)
