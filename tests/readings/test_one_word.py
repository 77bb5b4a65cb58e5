"""One word per concept (``readings.glossary.WORDS``): no page a user reads uses a retired word
for a concept, and every word's meaning is its own."""

from __future__ import annotations

import html
import re

import pytest

import rai_widgets as rw
from rai_widgets.readings.glossary import WORDS


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page)).lower()


@pytest.fixture(scope="module")
def pages(adult_session, tmp_path_factory):
    board = rw.Dashboard(adult_session)
    board.wait(600)
    path = tmp_path_factory.mktemp("export") / "adult.html"
    adult_session.to_html(path)
    return {
        "dashboard": _text(board.static_html()),
        "export": _text(path.read_text(encoding="utf-8")),
        "card": rw.ModelCard.from_session(adult_session).to_markdown().lower(),
    }


@pytest.mark.parametrize("concept", sorted(WORDS))
def test_no_page_uses_a_retired_word(pages, concept):
    for name, text in pages.items():
        for word in WORDS[concept].retired:
            found = re.search(rf"\b{re.escape(word.lower())}s?\b", text)
            where = "" if found is None else text[max(found.start() - 80, 0) : found.end() + 80]
            assert found is None, f"{name} says {word!r} for a {concept}: {where!r}"


def test_each_word_is_one_concept():
    screens = [word.screen for word in WORDS.values()]
    assert len(set(screens)) == len(screens)
    retired = [r for word in WORDS.values() for r in word.retired]
    assert not set(retired) & set(screens)


def test_the_screen_word_is_used(pages):
    assert "blind spot" in pages["dashboard"] and "blind spot" in pages["export"]
