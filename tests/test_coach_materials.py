"""CV, writer packet and stories, parsed back (the PDFs with pypdf) and compared to the data."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from imgcoach.coach import cv, packet
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.files import write_atomic
from imgcoach.coach.pdf import find_unicode_font, to_latin1
from imgcoach.coach.sample import sample_data
from imgcoach.coach.stories import QUESTIONS, render_stories, stories

TODAY = date(2026, 11, 25)
DATA = sample_data(TODAY)
ROTATIONS = list(DATA.plan.rotations)
US = [r for r in ROTATIONS if r.country == "US"]
FONT = find_unicode_font()


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_markdown_cv_parses_back_to_the_rotations():
    md = cv.render_cv(ROTATIONS, "md", TODAY)
    assert md.startswith("## Clinical Experience in the US")
    titles = re.findall(r"^### (.+)$", md, re.M)
    assert titles == [r.title for r in sorted(US, key=lambda r: r.start, reverse=True)]
    blocks = dict(zip(titles, re.split(r"^### .+$", md, flags=re.M)[1:], strict=True))
    for r in US:
        block = blocks[r.title]
        meta = re.search(r"^\*(.+)\*$", block, re.M).group(1).split(" \u00b7 ")
        assert meta[0].startswith(f"{cv.fmt_day(r.start)} \u2013 {cv.fmt_day(r.end)}")
        assert meta[1] == cv.SETTINGS[r.setting] and meta[2] == f"{r.weekly_hours:g} hours/week"
        assert f"Supervisor: {r.supervisor}" in block
        assert re.findall(r"^- (.+)$", block, re.M) == [*r.responsibilities, *r.learned]
    assert "Lagos" not in md  # home-country rotation left out
    assert "(in progress)" in md


def test_text_cv_and_planned_rotations():
    txt = cv.render_cv(ROTATIONS, "txt", date(2026, 1, 1), include_planned=True)
    assert txt.splitlines()[0] == "CLINICAL EXPERIENCE IN THE US"
    assert txt.count("(planned)") == 3
    # Not "nothing recorded": three are, and they are left out only because they have not started.
    assert ("(no host-country rotation has started yet; 3 planned ones are left out until they start)"
            in cv.render_cv(ROTATIONS, "txt", date(2026, 1, 1)))
    assert "(no host-country rotation recorded yet)" in cv.render_cv([], "md", date(2026, 1, 1))
    with pytest.raises(CoachInputError, match="unknown CV format 'docx'"):
        cv.render_cv(ROTATIONS, "docx", TODAY)


@pytest.mark.parametrize("font", ["auto", None], ids=["unicode-font", "latin1-fallback"])
def test_pdf_cv_read_back_with_pypdf(font):
    if font == "auto" and FONT is None:
        pytest.skip("no Unicode TrueType font on this machine")
    data = cv.render_cv(ROTATIONS, "pdf", TODAY, name="Dr. Zoë Ngọc Đặng", font=font)
    pages, text = pdf_text(data)
    assert pages >= 1
    for r in US:
        assert r.title in text
        assert r.supervisor in text
        for line in r.responsibilities:
            assert " ".join(line.split()) in text
    expected_name = "Dr. Zoë Ngọc Đặng" if font == "auto" else to_latin1("Dr. Zoë Ngọc Đặng")
    assert expected_name in text
    assert to_latin1("Zoë Ngọc Đặng \u2013 “x”") == "Zoë Ngoc Dang - \"x\""


def test_packet_markdown_and_one_page_pdf(tmp_path: Path):
    cv_file = tmp_path / "cv.pdf"
    cv_file.write_bytes(b"%PDF-1.4 synthetic")
    applicant = replace(DATA.plan.applicant, cv_path=str(cv_file), personal_statement_path=str(tmp_path / "missing-ps.docx"))
    p = packet.build_packet("DR. MARCUS BELL", applicant, ROTATIONS, DATA.cases, DATA.projects, DATA.entries)
    assert p.writer == "Dr. Marcus Bell"
    assert [c.title for c in p.cases] == [c.title for c in DATA.cases if c.rotation_id == 2]
    assert [x.title for x in p.projects] == ["Euglycemic DKA after an SGLT2 inhibitor: a case report"]
    out = tmp_path / "out"
    files = packet.write_packet(p, out, TODAY)
    # one dash between words: "Dr. Marcus Bell" was packet-dr--marcus-bell
    assert files.markdown.name == f"packet-dr-marcus-bell-{TODAY:%Y%m%d}.md", files.markdown.name
    md = files.markdown.read_text()
    for c in p.cases:
        assert f"- {c.title}: {' '.join(c.summary.split())}" in md
    # "Attached" names the copy beside the summary, and not the statement draft that was not found
    assert "- CV: cv.pdf" in md and str(tmp_path) not in md and "missing-ps" not in md
    pages, text = pdf_text(files.pdf.read_bytes())
    assert pages == 1
    for c in p.cases:
        assert c.title in text
    assert "Teaching conference: euglycemic DKA" in text
    assert files.copied == (out / "cv.pdf",) and (out / "cv.pdf").read_bytes() == cv_file.read_bytes()
    assert files.missing and "missing-ps.docx" in files.missing[0]


def test_packet_stays_on_one_page_with_many_cases():
    many = [replace(DATA.cases[0], id=100 + i, title=f"Case {i}", summary="Long story. " * 60) for i in range(12)]
    p = packet.build_packet("Dr. Marcus Bell", DATA.plan.applicant, ROTATIONS, many, DATA.projects, DATA.entries)
    pages, text = pdf_text(packet.render_pdf(p))
    assert pages == 1 and "Case 11" in text


def test_packet_without_a_graduation_year_leaves_it_out():
    # The profile's graduation year is optional; the packet used to crash on None.year (found by mypy).
    applicant = replace(DATA.plan.applicant, graduation=None)
    p = packet.build_packet("Dr. Marcus Bell", applicant, ROTATIONS, DATA.cases, DATA.projects, DATA.entries)
    about = dict(p.sections())["About me"][0]
    assert about.startswith(f"{applicant.name}, applying to ") and "graduated" not in about
    with_year = dict(packet.build_packet("Dr. Marcus Bell", DATA.plan.applicant, ROTATIONS, DATA.cases,
                                         DATA.projects, DATA.entries).sections())["About me"][0]
    assert f"graduated {DATA.plan.applicant.graduation.year}, " in with_year


def test_unknown_writer_names_the_known_ones():
    with pytest.raises(CoachInputError, match="no rotation with .Dr. Nobody. as supervisor, attending or letter writer.*Dr. Jane Whitfield"):
        packet.build_packet("Dr. Nobody", DATA.plan.applicant, ROTATIONS, DATA.cases, DATA.projects)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_refused(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(CoachInputError, match="cannot be written"):
            write_atomic(locked / "cv.md", "x")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_export_to_a_file_path_that_is_not_a_folder(tmp_path: Path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(CoachInputError, match="not a folder"):
        write_atomic(blocker / "cv.md", "content")
    with pytest.raises(CoachInputError, match="not a folder"):
        packet.write_packet(packet.build_packet("Dr. Marcus Bell", DATA.plan.applicant, ROTATIONS, [], []),
                            blocker, TODAY)
    assert blocker.read_text() == "x"


def test_stories_map_tags_to_common_questions():
    grouped = stories(DATA.cases, DATA.entries, ROTATIONS)
    assert list(grouped) == list(QUESTIONS.values())
    titles = {q: [s.title for s in items] for q, items in grouped.items()}
    assert "Discharge delayed by insurance authorisation" in titles[QUESTIONS["systems"]]
    assert "Goals-of-care conversation with a large family" in titles[QUESTIONS["conversation"]]
    assert titles[QUESTIONS["feedback"]] and "What I changed" in grouped[QUESTIONS["feedback"]][0].summary
    only = stories(DATA.cases, DATA.entries, ROTATIONS, tag="ethical dilemma")
    assert {s.title for items in only.values() for s in items} == {"Goals-of-care conversation with a large family"}
    assert "(no story yet" in render_stories(only)
