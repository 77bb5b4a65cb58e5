"""The stylesheet is inlined once per page: a saved view, the saved Dashboard (five views in
one picture) and the offline export each carry one ``<style>`` block."""

from __future__ import annotations

import pytest

import rai_widgets as rw

VIEWS = [
    "Dashboard",
    "FairnessView",
    "UncertaintyView",
    "ExampleBrowser",
    "ExplanationView",
    "EffectsView",
]


@pytest.mark.parametrize("name", [*VIEWS, "AuditView"])
def test_a_saved_view_carries_the_stylesheet_once(adult_session, name):
    view = getattr(rw, name)(adult_session)
    view.wait(600)
    page = view.static_html()
    assert page.count("<style") == 1 and page.startswith("<style>")
    assert "<style" not in view.static_body()
    assert view._repr_mimebundle_()["text/html"].count("<style") == 1


def test_the_export_carries_one_stylesheet(adult_session, tmp_path):
    adult_session.to_html(tmp_path / "adult.html")
    page = (tmp_path / "adult.html").read_text(encoding="utf-8")
    assert page.count("<style") == 1
    assert ".rai-fair" in page and ".rai-x-table" in page  # the views' rules and the page's
