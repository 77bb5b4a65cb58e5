"""A long group name on a bar chart is read whole, on two lines, not cut."""

from __future__ import annotations

import re

from rai_widgets.display.svg import bar_chart


def test_a_long_group_name_is_drawn_whole_on_two_lines():
    labels = ["female : divorced/separated/married", "male : single"]
    svg = bar_chart(labels, [0.1, -0.2])
    first = re.search(r"<text[^>]*>(?:(?!</text>).)*female(?:(?!</text>).)*</text>", svg).group(0)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", first)
    assert lines == ["female : divorced/", "separated/married"]
    assert "…" not in svg and "male : single<title>" in svg
