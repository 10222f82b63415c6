"""A small PDF writer over fpdf2 that copes with names like "Zoë Ngọc Đặng" or "Müller".

fpdf2's core fonts are latin-1 only. When a Unicode TrueType font is available (DejaVu Sans ships with most
Linux distributions; ``IMGCOACH_PDF_FONT`` can point at any .ttf) it is embedded; otherwise text is
transliterated to latin-1 (accents dropped, typographic punctuation simplified) so the export never fails.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from imgcoach.coach.errors import CoachInputError

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Fedora, Arch
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",  # macOS
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)

_PUNCTUATION = str.maketrans({
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    "\u2026": "...", "\u2022": "-", "\u2192": "->", "\u2264": "<=", "\u2265": ">=", "\u00a0": " ",
    "\u0110": "D", "\u0111": "d", "\u0141": "L", "\u0142": "l", "\u0131": "i",
})


def to_latin1(text: str) -> str:
    """Best-effort latin-1 rendering: keep what latin-1 has, strip accents it lacks, '?' for the rest."""
    out = []
    for ch in text.translate(_PUNCTUATION):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


FONT_ENV = "IMGCOACH_PDF_FONT"
FONT_SUFFIXES = (".ttf", ".otf")  # what fpdf2's add_font reads


def find_unicode_font(candidates: Iterable[str] | None = None) -> Path | None:
    """The first readable Unicode .ttf: ``IMGCOACH_PDF_FONT`` first, then the usual system places.

    A font the variable names must be there and be one: a typo fell back to DejaVu in silence, and a file of
    another kind ended the export in fpdf2's "internal error"."""
    env = os.environ.get(FONT_ENV)
    if env:
        chosen = Path(env).expanduser()
        if not chosen.is_file():
            raise CoachInputError(f"{FONT_ENV}={env}: no font file there (a .ttf or .otf file, or unset it to use "
                                  "a system font)")
        if chosen.suffix.lower() not in FONT_SUFFIXES:
            raise CoachInputError(f"{FONT_ENV}={env}: not a TrueType or OpenType font (.ttf or .otf)")
        return chosen
    for name in FONT_CANDIDATES if candidates is None else candidates:
        path = Path(name)
        if path.is_file():
            return path
    return None


class PdfWriter:
    """Headings, paragraphs and bullets on A4/Letter pages, Unicode when a font allows it."""

    def __init__(self, font: Path | None | str = "auto", base_size: float = 10.5, title: str = "") -> None:
        # fpdf2 is imported here, on the first PDF: importing it cost 0.7 s, which every reader of the coach's
        # rules paid (the app's Readiness screen opened in 1-3 s on the large plan).
        from fpdf import FPDF

        font_path = find_unicode_font() if font == "auto" else (Path(font) if font else None)
        self.pdf: FPDF = FPDF(format="Letter")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(18, 16, 18)
        if title:
            self.pdf.set_title(title)
        self.pdf.set_creator("imgcoach")
        if font_path is not None and not self._add_font(font_path, chosen=font != "auto" or bool(os.environ.get(FONT_ENV))):
            font_path = None  # a system font fpdf2 cannot read: latin-1 text, as without one
        self.unicode = font_path is not None
        self.family = "body" if font_path is not None else "helvetica"
        self.size = base_size
        self.pdf.add_page()

    def _add_font(self, path: Path, chosen: bool) -> bool:
        """Embed `path` (and its -Bold sibling when there is one); False when fpdf2 cannot read it. A font the
        user chose (IMGCOACH_PDF_FONT) that cannot be read is their error, said with the variable's name."""
        bold = path.with_name(path.stem + "-Bold" + path.suffix)
        try:
            self.pdf.add_font("body", "", str(path))
            self.pdf.add_font("body", "B", str(bold if bold.is_file() else path))
        except Exception as exc:  # fontTools and fpdf2 raise many kinds for a damaged or foreign file
            if chosen:
                raise CoachInputError(f"{FONT_ENV}={path}: not a font fpdf2 can read ({type(exc).__name__})") from None
            return False
        return True

    def _text(self, text: str) -> str:
        return text if self.unicode else to_latin1(text)

    def heading(self, text: str, level: int = 1) -> None:
        size = self.size + {1: 5, 2: 2.5}.get(level, 1)
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, size * 0.5, self._text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)

    def paragraph(self, text: str, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", self.size)
        self.pdf.multi_cell(0, self.size * 0.48, self._text(text), new_x="LMARGIN", new_y="NEXT")

    def bullet(self, text: str) -> None:
        self.pdf.set_font(self.family, "", self.size)
        self.pdf.set_x(self.pdf.l_margin + 4)
        self.pdf.multi_cell(0, self.size * 0.48, self._text("- " + text), new_x="LMARGIN", new_y="NEXT")

    def space(self, mm: float = 2.5) -> None:
        self.pdf.ln(mm)

    @property
    def pages(self) -> int:
        return self.pdf.page_no()

    def output(self) -> bytes:
        return bytes(self.pdf.output())
