"""One palette: colours are written in two files, the design tokens (CSS custom properties)
and the chart palette of images (``display/svg_base.COLORS``); every stylesheet names
tokens, and every token it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from rai_widgets.display.svg_base import COLORS
from rai_widgets.static_html.page import design_tokens

PACKAGE = Path(__file__).resolve().parents[2] / "rai_widgets"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
ALLOWED = {"static_html/assets/tokens.css", "display/svg_base.py"}


def test_colours_are_written_in_two_files():
    written = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.suffix in {".py", ".css", ".js"} and HEX.search(path.read_text(encoding="utf-8"))
    }
    assert written <= ALLOWED, sorted(written - ALLOWED)


def test_every_token_a_stylesheet_names_exists():
    defined = set(re.findall(r"(--rai-[a-z0-9-]+)\s*:", design_tokens()))
    for css in PACKAGE.rglob("*.css"):
        used = set(re.findall(r"var\((--rai-[a-z0-9-]+)\)", css.read_text(encoding="utf-8")))
        assert used <= defined, (css.name, sorted(used - defined))


def test_the_charts_and_the_pages_share_the_palette():
    tokens = dict(re.findall(r"--rai-([a-z0-9-]+):\s*(#[0-9a-fA-F]+)", design_tokens()))
    assert tokens["blue"] == COLORS["better"] and tokens["orange"] == COLORS["worse"]
