"""The look of every PDF the app prints (year-end reports, applications, decision logs):
fonts, colours and paragraph styles.

The fonts are Bitstream Vera, which ReportLab ships in its own package, so every machine that
runs the app has them. Unlike the built-in Helvetica they carry the typographic minus (U+2212),
curly quotes, dashes and all of Swedish. A character they lack (rare letters such as Sámi ŋ, ŧ
or Polish ą) is printed as its base letter, or "?" when it has none.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

FONT = "Vera"
FONT_BOLD = "Vera-Bold"
FONT_ITALIC = "Vera-Italic"
FONT_BOLD_ITALIC = "Vera-BoldItalic"

INK = colors.HexColor("#1a1a1a")
MUTED_HEX = "#5a5a5a"  # also written into Paragraph markup, which takes colours as text
MUTED = colors.HexColor(MUTED_HEX)
ACCENT = colors.HexColor("#1d3a5f")  # headings and rules: a sober dark blue
HEADER_FILL = colors.HexColor("#e3e9f0")
TOTAL_FILL = colors.HexColor("#f3f5f8")
RULE = colors.HexColor("#b8c2cc")
HAIRLINE = colors.HexColor("#dde2e7")

# Spaces the fonts lack, replaced by the no-break space they have (amounts keep together).
_SPACES = {"\u202f": "\u00a0", "\u2009": "\u00a0", "\u2007": "\u00a0"}
# Sámi letters the fonts lack that have no decomposition into a base letter.
_BASE_LETTERS = {"ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T"}


#: One document at a time cuts its subset of the fonts (see SharedTTFont).
_SUBSETTING = threading.Lock()


class SharedTTFont(TTFont):
    """A TrueType font that documents saved at the same moment in one process (the threads of
    a gunicorn worker) may all embed. ReportLab cuts each document's subset of glyphs out of
    the font file through one read position that the font's face keeps: two saving at once
    moved each other's position and read the wrong glyphs (an IndexError, a 500 under load).
    The subsets are therefore cut one at a time; the pages themselves are laid out in
    parallel as before."""

    def addObjects(self, doc) -> None:
        with _SUBSETTING:
            super().addObjects(doc)


@cache
def register_fonts() -> frozenset[int]:
    """Register the Vera family once and return the code points its regular face can draw."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    faces = {
        FONT: "Vera.ttf",
        FONT_BOLD: "VeraBd.ttf",
        FONT_ITALIC: "VeraIt.ttf",
        FONT_BOLD_ITALIC: "VeraBI.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(SharedTTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


class _Printable(dict):
    """What each character is printed as, worked out the first time it is met (for translate)."""

    def __missing__(self, code: int) -> int | str:
        glyphs = register_fonts()
        char = chr(code)
        if code in glyphs or char in "\n\t":
            printed: int | str = code
        elif char in _SPACES:
            printed = _SPACES[char]
        elif char in _BASE_LETTERS:
            printed = _BASE_LETTERS[char]
        else:
            base = unicodedata.normalize("NFKD", char)[:1]
            printed = base if base and ord(base) in glyphs else "?"
        if len(self) < 10_000:  # the characters a region's texts use, not every one there is
            self[code] = printed
        return printed


_PRINTABLE = _Printable()


def printable(text: str) -> str:
    """Return text the fonts can draw: missing spaces and letters replaced, nothing dropped."""
    return text.translate(_PRINTABLE)


def markup(text: str) -> str:
    """Return plain text as safe Paragraph markup, with line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


@cache
def paragraph_styles() -> dict[str, ParagraphStyle]:
    """Return the paragraph styles of the reports by name."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          bulletFontName=FONT)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18,
                                leading=23, textColor=ACCENT, spaceAfter=10),
        "fact_label": ParagraphStyle("fact_label", parent=body, fontName=FONT_BOLD,
                                     fontSize=9, leading=12, textColor=MUTED),
        "fact": ParagraphStyle("fact", parent=body, fontSize=9, leading=12),
        "caption": ParagraphStyle("caption", parent=body, fontName=FONT_BOLD, fontSize=10.5,
                                  leading=14, textColor=ACCENT, spaceBefore=16, spaceAfter=5),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=10.5,
                                  leading=14, textColor=ACCENT, spaceBefore=16, spaceAfter=4,
                                  keepWithNext=1),
        "note": ParagraphStyle("note", parent=body, fontSize=9, leading=12.5, leftIndent=12,
                               bulletIndent=2, spaceAfter=3),
        "cell": cell,
        "cell_strong": ParagraphStyle("cell_strong", parent=cell, fontName=FONT_BOLD),
        "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=FONT_BOLD),
        "cell_remark": ParagraphStyle("cell_remark", parent=cell, fontName=FONT_ITALIC,
                                      fontSize=7.5, leading=10, textColor=MUTED),
        "cell_group": ParagraphStyle("cell_group", parent=cell, textColor=INK),
        "cell_bullet": ParagraphStyle("cell_bullet", parent=cell, leftIndent=8, bulletIndent=0,
                                      spaceAfter=2),
        "amount": ParagraphStyle("amount", parent=cell, alignment=TA_RIGHT),
        "amount_strong": ParagraphStyle("amount_strong", parent=cell, fontName=FONT_BOLD,
                                        alignment=TA_RIGHT),
        "amount_head": ParagraphStyle("amount_head", parent=cell, fontName=FONT_BOLD,
                                      alignment=TA_RIGHT),
        "footer": ParagraphStyle("footer", parent=body, fontSize=7.5, textColor=MUTED),
        # A line under a table: why a column is left out.
        "remark": ParagraphStyle("remark", parent=body, fontName=FONT_ITALIC, fontSize=8.5,
                                 leading=11, textColor=MUTED, spaceBefore=4),
    }


_CELL_STYLES = ("cell", "cell_strong", "cell_head", "cell_group", "cell_bullet", "amount",
                "amount_strong", "amount_head")


@cache
def compact_paragraph_styles() -> dict[str, ParagraphStyle]:
    """Return the styles with the table cells set a size smaller, for tables of many columns."""
    styles = dict(paragraph_styles())
    for name in _CELL_STYLES:
        styles[name] = ParagraphStyle(f"{name}_compact", parent=styles[name], fontSize=7,
                                      leading=9)
    styles["cell_remark"] = ParagraphStyle("cell_remark_compact", parent=styles["cell_remark"],
                                           fontSize=6.5, leading=8)
    return styles


def numbered_canvas(draw_count: Callable[[Canvas, int, int], None], *,
                    laid_out: Callable[[Canvas], None] | None = None) -> type[Canvas]:
    """Return a canvas class that calls `draw_count(canvas, page, pages)` on every page, and
    `laid_out(canvas)` once every page is laid out (to fill in the forms the pages drew before
    what they show was known, such as the pages a table of contents names).

    The pages are kept as they end and finished only when the document is saved, once their
    number is known: "Sida n av N" in one pass, where counting first would render it all twice.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._ended_pages: list[dict] = []

        def showPage(self) -> None:
            # A page's content lives in the canvas's attributes, which a new page replaces.
            self._ended_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if laid_out is not None:
                laid_out(self)
            pages = len(self._ended_pages)
            for state in self._ended_pages:
                self.__dict__.update(state)
                self.saveState()
                draw_count(self, self._pageNumber, pages)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


@cache
def _plain_frag(style: ParagraphStyle):
    """Return the fragment the markup parser makes of plain text in `style`, to copy."""
    _, frags, _ = ParaParser().parse("x", style)
    return frags[0]


class CellParagraph(Paragraph):
    """A Paragraph for the cells of long tables, which print thousands of them.

    Plain text (no tags, no entities) skips the markup parser, taking a copy of the fragment
    the parser makes of it; and a wrap at the width it was last wrapped at is not redone: a
    table wraps each cell to measure it and again to draw it.
    """

    def __init__(self, text: str, style: ParagraphStyle, bulletText: str | None = None) -> None:
        self._wrapped_at: tuple[float, tuple[float, float]] | None = None
        frags = None
        if (bulletText is None and text and "<" not in text and "&" not in text
                and not style.textTransform):
            cleaned = cleanBlockQuotedText(text)
            if cleaned:
                frags = [_plain_frag(style).clone(text=cleaned, link=[], us_lines=[])]
                text = cleaned
        super().__init__(text, style, bulletText=bulletText, frags=frags)

    def wrap(self, availWidth, availHeight):
        if self._wrapped_at is None or self._wrapped_at[0] != availWidth:
            self._wrapped_at = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped_at[1]


# Where a Paragraph may break a line: at the spaces ReportLab splits words at, not at a no-break
# space (nor the narrow, thin and figure spaces, which `printable` makes no-break spaces).
_BREAKING = (" \t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680" + "".join(map(chr, range(0x2000, 0x200C)))
             + "\u2028\u2029\u205f\u3000")
_BREAKS = re.compile(f"[{re.escape(_BREAKING)}]+")


def cell_lines(text: str, font: str, size: float, width: float) -> str:
    """Return plain text broken into lines of at most `width` points, as a table's string cell.

    A string cell costs a fraction of a Paragraph, which counts when a table has ten thousand
    rows. It breaks as a Paragraph does: at spaces, which may shrink a little to fit a word
    on (ReportLab's spaceShrinkage), line breaks kept (an empty line too, but not a last one),
    and a word too long for a line cut where the line ends.
    """
    text = printable(text)
    face = pdfmetrics.getFont(font)

    def measure(part: str) -> float:
        return face.stringWidth(part, size)

    space = measure(" ")
    shrink = rl_config.spaceShrinkage * space  # a space a line has may shrink this much
    parts = text.split("\n")
    if len(parts) > 1 and not parts[-1].strip(_BREAKING):
        parts.pop()
    lines: list[str] = []
    for part in parts:
        words = _BREAKS.split(part.strip(_BREAKING))
        joined = " ".join(words)
        if measure(joined) <= width:  # the common case: the whole part fits on one line
            lines.append(joined)
            continue
        line: list[str] = []
        used = -space  # the first word of a line follows no space
        for word in words:
            if not word:
                continue
            wide = measure(word)
            if used + space + wide > width + shrink * len(line):
                if wide > width:
                    *full, word = _cut(word, used + space if line else 0, width, measure)
                    for piece in full:
                        lines.append(" ".join([*line, piece] if piece else line))
                        line, used = [], -space
                    wide = measure(word)
                elif line:
                    lines.append(" ".join(line))
                    line, used = [], -space
            line.append(word)
            used += space + wide
        lines.append(" ".join(line))
    return "\n".join(lines)


def _cut(word: str, start: float, width: float, measure) -> list[str]:
    """Return a word too long for a line in the pieces a Paragraph cuts it into: the first
    fills the line from `start` on, each next one a line, the last what is left over."""
    pieces, piece, at = [], "", start
    for char in word:
        wide = measure(char)
        if at + wide > width and (piece or wide <= width):
            pieces.append(piece)
            piece, at = "", 0
        piece += char
        at += wide
    pieces.append(piece)
    return pieces


class CellLines(Flowable):
    """Plain text of a table cell broken into lines already (`cell_lines`), in runs of their
    own font, size and colour at the cell's leading: a title with a remark under it in a
    smaller italic, as a Paragraph of that markup draws it, at a fraction of its cost.

    `runs`: (lines, font, size, colour) in order, the lines joined by line breaks.
    """

    def __init__(self, runs: list[tuple[str, str, float, object]], leading: float) -> None:
        super().__init__()
        self.runs = [(text.split("\n"), font, size, color) for text, font, size, color in runs]
        self.leading = leading

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = self.leading * sum(len(lines) for lines, *_ in self.runs)
        return self.width, self.height

    def draw(self):
        if not self.runs:
            return
        # As a Paragraph: the first baseline a font size under the top, then a leading a line.
        y = self.height - self.runs[0][2]
        for lines, font, size, color in self.runs:
            self.canv.setFont(font, size)
            self.canv.setFillColor(color)
            for line in lines:
                self.canv.drawString(0, y, line)
                y -= self.leading
