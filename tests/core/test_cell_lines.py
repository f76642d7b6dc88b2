"""Does a long table's string cell break its text into the lines a Paragraph would, so that
the cheaper cell prints the same?"""

from __future__ import annotations

import random

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from app.core.pdf.styles import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    cell_lines,
    markup,
    register_fonts,
)

WORDS = ["Projekt", "för", "bättre", "samverkan", "kring", "unga", "&", "<unga>", "§12",
         "RS/2024/88", "Länsstyrelsensamverkansprojektmedelsredovisning", "50\u00a0000\u00a0kr",
         "Östersunds", "kommun", "i", "Å", "—", "Härjedalen", "SVOM,", "2024-06-10,",
         "\u00a0kr", "em\u2003space", "tab\tbed"]


def paragraph_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Return the text of each line a Paragraph of `text` breaks into at `width`, without its
    spaces (a Paragraph of markup keeps its words in fragments)."""
    register_fonts()
    paragraph = Paragraph(markup(text), ParagraphStyle("cell", fontName=font, fontSize=size,
                                                       leading=size * 1.3))
    paragraph.wrap(width, 10**6)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        return [unspaced("".join(words)) for _, words in lines]
    return [unspaced("".join(getattr(f, "text", "") for f in line.words)) for line in lines]


def unspaced(text: str) -> str:
    return "".join(text.split())


def texts(count: int):
    rng = random.Random(14)
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 14))]
        separators = [rng.choice([" ", " ", " ", "  ", "\n"]) for _ in words]
        yield "".join(w + s for w, s in zip(words, separators, strict=True)).strip(" ")


@pytest.mark.parametrize("font, size", [(FONT, 8.5), (FONT_BOLD, 7), (FONT_ITALIC, 6.5)])
def test_a_string_cell_breaks_where_a_paragraph_does(font, size):
    widths = random.Random(size).sample(range(25, 260), 12)
    for text in texts(150):
        for width in widths:
            expected = paragraph_lines(text, font, size, width)
            if not expected:  # an empty Paragraph has no line; the cell draws nothing either
                continue
            lines = cell_lines(text, font, size, width).split("\n")
            assert [unspaced(line) for line in lines] == expected, (text, width)
