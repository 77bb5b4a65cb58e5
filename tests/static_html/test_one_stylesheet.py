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


def _widgets_in(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets_in(child)


def test_the_live_dashboard_holds_one_stylesheet_widget(adult_session):
    board = rw.Dashboard(adult_session)
    board.wait(600)
    styles = [w for w in _widgets_in(board) if "<style" in str(getattr(w, "value", ""))]
    assert len(styles) == 1 and styles[0] is board.children[0]
    # a view on its own keeps its own
    alone = rw.FairnessView(adult_session)
    assert sum("<style" in str(getattr(w, "value", "")) for w in _widgets_in(alone)) == 1
