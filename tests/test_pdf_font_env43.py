"""IMGCOACH_PDF_FONT names the font the PDF exports embed; a wrong value is said, naming the variable.

Found in stop 43: `IMGCOACH_PDF_FONT=/etc/passwd imgcoach cv --format pdf -o cv.pdf` ended in "internal error:
ValueError: Unsupported font file extension", a damaged .ttf in fontTools' TTLibError, and a path with a typo
fell back to a system font without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a font\n")
    (tmp_path / "Broken.ttf").write_bytes(bytes(range(256)) * 12)  # a .ttf name over bytes no font reader takes


@pytest.mark.parametrize(("font", "said"), [
    ("{tmp}/notes.txt", "not a TrueType or OpenType font (.ttf or .otf)"),
    ("{tmp}/NoSuchFont.ttf", "no font file there"),
    ("{tmp}/Broken.ttf", "not a font fpdf2 can read"),
])
def test_a_wrong_font_is_named_and_nothing_is_written(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: str,
                                                      said: str) -> None:
    _files(tmp_path)
    value = font.format(tmp=tmp_path)
    monkeypatch.setenv("IMGCOACH_PDF_FONT", value)
    out = tmp_path / "cv.pdf"
    res = run_cli(capsys, "cv", "--format", "pdf", "-o", str(out), "--db", db_url)
    assert res.code == 2 and f"IMGCOACH_PDF_FONT={value}: {said}" in res.err and "internal error" not in res.err
    assert not out.exists()
