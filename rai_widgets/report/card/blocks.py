"""The model card's document model: headings, paragraphs, bullet lists and tables of plain text.

A card is laid out as a list of blocks holding plain, unescaped text; the renderers in
:mod:`rai_widgets.report.card.render` escape every piece, so text taken from data (a column
name, a category value, the model's name) can never become Markdown or HTML markup.

Examples
--------
>>> blocks = [Heading(2, "Metrics"), Para.of("Rows: ", Strong("569"), style="muted"),
...           Table(("Metric", "Value"), (("Accuracy", "95.1%"),))]
>>> blocks[1].segments
('Rows: ', Strong(text='569'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Block", "Bullets", "Heading", "Para", "Segment", "Strong", "Table"]


@dataclass(frozen=True)
class Strong:
    """Text shown in bold."""

    text: str


Segment = str | Strong
"""A run of text in a paragraph or bullet: plain, or bold."""


@dataclass(frozen=True)
class Heading:
    """A heading of ``level`` 1 (the title) to 6."""

    level: int
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph; ``style`` is "", "muted" (an absent author section, a note) or "summary"."""

    segments: tuple[Segment, ...]
    style: str = ""

    @classmethod
    def of(cls, *segments: Segment, style: str = "") -> Para:
        """A paragraph of the given segments.

        Examples
        --------
        >>> Para.of("No groups.", style="muted")
        Para(segments=('No groups.',), style='muted')
        """
        return cls(tuple(segments), style=style)


@dataclass(frozen=True)
class Bullets:
    """A bullet list; each item is a tuple of segments."""

    items: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class Table:
    """A table of text cells.

    ``muted`` marks rows shown in grey (low support); ``text_columns`` are the left-aligned
    columns, the others hold numbers.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    muted: tuple[bool, ...] = field(default=())
    text_columns: tuple[int, ...] = (0,)


Block = Heading | Para | Bullets | Table
"""One block of a card."""
