"""The letter-writer packet: a one-page summary of what the applicant did with that writer, plus CV and PS.

Writers write better letters when they are reminded of concrete cases; the packet puts them on one page.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import date
from pathlib import Path

from imgcoach.coach.cv import fmt_day, timing
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.files import check_writable_dir, write_atomic
from imgcoach.coach.models import Applicant, Case, Project, Rotation, WeeklyEntry
from imgcoach.coach.pdf import PdfWriter
from imgcoach.core.locations import refuse_missing_folder

# The packet labels the e-mail and the app use, and the rule (and words) of what it attaches: `profile set`'s.
from imgcoach.reminders import (
    PACKET_CV,
    PACKET_STATEMENT,
    document_line,
    document_problem,
)

PROJECT_LABELS = {"case_report": "Case report", "qi": "Quality improvement", "research": "Research"}


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass(frozen=True, slots=True)
class Packet:
    writer: str
    applicant: Applicant
    rotations: tuple[Rotation, ...]
    cases: tuple[Case, ...]
    projects: tuple[Project, ...]
    presentations: tuple[str, ...]
    attachments: tuple[tuple[str, str], ...]  # (label, path) from the profile; write_packet keeps the files found
    today: date | None = None  # marks rotations not yet ended (planned, in progress); None: no mark

    def sections(self, summary_limit: int = 260) -> list[tuple[str, list[str]]]:
        """(heading, lines) pairs shared by the Markdown and the PDF so both say the same."""
        a = self.applicant
        graduated = f"graduated {a.graduation.year}, " if a.graduation else ""  # None: year not recorded yet
        fields = ", ".join(a.target_specialties) or "residency"  # none yet: "applying to  (Match 2028)" read broken
        about = [f"{a.name}, {graduated}applying to {fields} (Match {a.match_year})" + (f"; {a.email}" if a.email else "")]
        rot = [f"{r.title}: {fmt_day(r.start)} \u2013 {fmt_day(r.end)}"
               + (timing(r, self.today) if self.today is not None else "")
               + (f", {r.weekly_hours:g} h/week" if r.weekly_hours else "") for r in self.rotations]
        # The summary goes to the writer: an empty section is left out, not filled with a note meant for the
        # applicant ("(no case logged yet)", "(none in profile)"); write_packet tells the applicant instead.
        sections = [("About me", about), ("Rotations with you", rot)]
        if self.cases:
            sections.append(("Cases we saw together",
                             [f"{c.title}: {_shorten(c.summary, summary_limit)}" if c.summary else c.title
                              for c in self.cases]))
        if self.projects:
            sections.append(("Projects", [f"{PROJECT_LABELS.get(p.kind, p.kind)}: {p.title} ({p.status.replace('_', ' ')})"
                                          for p in self.projects]))
        if self.presentations:
            sections.append(("Presentations", list(self.presentations)))
        if self.attachments:
            sections.append(("Attached", [f"{label}: {path}" for label, path in self.attachments]))
        return sections


def build_packet(writer: str, applicant: Applicant, rotations: list[Rotation], cases: list[Case],
                 projects: list[Project], entries: Sequence[WeeklyEntry] = (),
                 linked: Mapping[int, Collection[str]] | None = None, *, today: date | None = None,
                 contact_ids: Mapping[str, int] | None = None) -> Packet:
    """Select what was done with ``writer``, matched case-insensitively on each rotation's supervisor and on
    ``linked``: the other people on a rotation (an attending, a program director) and the writers of letters
    asked for it. A letter writer is often the attending, not the contact filed as supervisor.

    ``contact_ids`` (a contact's casefolded name -> its id) lets a refusal say the id each person it could mean
    is named by: no command takes part of a name, so the refusal says how to name them."""
    key = writer.strip().casefold()

    def people(r: Rotation) -> list[str]:
        return [n.strip() for n in (r.supervisor, *(linked or {}).get(r.id, ())) if n.strip()]

    mine = sorted((r for r in rotations if any(n.casefold() == key for n in people(r))), key=lambda r: r.start)
    if not mine:
        known = sorted({n for r in rotations for n in people(r)})
        # "Elena Petrova" for "Dr. Elena Petrova (fictional)": the refusal listed her among the people it said were
        # not on any rotation; name the one person whose stored name holds every word typed.
        words = set(re.findall(r"\w+", key))
        near = [n for n in known if words and words <= set(re.findall(r"\w+", n.casefold()))]
        id_of = contact_ids or {}

        def named(n: str) -> str:
            return f"{n!r} (contact {id_of[n.casefold()]})" if n.casefold() in id_of else repr(n)

        hint = "; give one of these names as stored, or a contact id (`imgcoach contacts list`)" if known else ""
        if len(near) == 1:
            hint = f"; did you mean {named(near[0])}? (give the name as stored, or the contact id)"
        elif near:  # "Dr." fits three people: they are named, never one of them guessed
            hint = (f"; {writer!r} could mean {', '.join(named(n) for n in near[:-1])} or {named(near[-1])} "
                    "(give one name as stored, or the contact id)")
        raise CoachInputError(f"writer: no rotation with {writer!r} as supervisor, attending or letter writer "
                              f"(people on your rotations: {', '.join(known) or 'none'}){hint}")
    ids = {r.id for r in mine}
    my_cases = tuple(sorted((c for c in cases if c.rotation_id in ids), key=lambda c: c.id))
    my_projects = tuple(p for p in projects if p.rotation_id in ids or p.supervisor.strip().casefold() == key)
    presentations = tuple(p for e in sorted(entries, key=lambda e: e.week_of) if e.rotation_id in ids
                          for p in e.presentations)
    attachments = tuple((label, path) for label, path in (
        (PACKET_CV, applicant.cv_path), (PACKET_STATEMENT, applicant.personal_statement_path)) if path)
    name = next(n for n in people(mine[-1]) if n.casefold() == key)  # as the applicant filed it
    return Packet(name, applicant, tuple(mine), my_cases, my_projects, presentations, attachments, today)


def title_for(packet: Packet) -> str:
    return f"For {packet.writer}: summary from {packet.applicant.name}"


def render_markdown(packet: Packet) -> str:
    out = [f"# {title_for(packet)}", ""]
    for heading, lines in packet.sections(summary_limit=10_000):
        out += [f"## {heading}", "", *(f"- {x}" for x in lines), ""]
    return "\n".join(out)


def render_pdf(packet: Packet, font: Path | None | str = "auto") -> bytes:
    """One page: the font shrinks, then the case summaries shorten, until it fits."""
    data = b""
    for limit in (260, 160, 90):
        for size in (10.5, 9.5, 8.5, 7.5):
            pdf = PdfWriter(font=font, base_size=size, title=title_for(packet))
            pdf.heading(title_for(packet), level=2)
            for heading, lines in packet.sections(summary_limit=limit):
                pdf.paragraph(heading, bold=True)
                for line in lines:
                    pdf.bullet(line)
                pdf.space(1.5)
            data = pdf.output()
            if pdf.pages == 1:
                return data
    return data


@dataclass(frozen=True, slots=True)
class PacketFiles:
    markdown: Path
    pdf: Path
    copied: tuple[Path, ...]
    missing: tuple[str, ...]
    # What the summary leaves out for want of it, and how to add it: said to the applicant, not to the writer.
    notes: tuple[str, ...] = ()
    created: Path | None = None  # the packet's folder, made for it (said: it was made without a word)


def write_packet(packet: Packet, out_dir: Path, today: date, font: Path | None | str = "auto") -> PacketFiles:
    """Write packet.md and packet.pdf to ``out_dir`` and copy the CV and PS drafts next to them. The summary's
    "Attached" names the files found, by the names of their copies: it listed a file that was not found, by the
    applicant's own path, as attached.

    A missing `out_dir` is made, the folder the packet is, when the folder it goes in exists (PacketFiles.created,
    which the CLI says); one whose folder is missing too is refused, as every written file's is: a typo made a
    chain of folders without a word."""
    refuse_missing_folder(out_dir)
    check_writable_dir(out_dir)
    created = None
    if not out_dir.exists():
        try:
            out_dir.mkdir()
        except OSError as exc:
            raise CoachInputError(f"{out_dir}: cannot make the folder ({exc.strerror or exc})") from None
        created = out_dir
    # One dash between words: "Dr. Ada Obi" gave packet-dr--ada-obi (each of ". " a dash).
    words = "".join(ch if ch.isalnum() else " " for ch in packet.writer.lower()).split()
    stem = f"packet-{'-'.join(words) or 'writer'}-{today:%Y%m%d}"
    found: list[tuple[str, Path]] = []
    missing = []
    for label, path in packet.attachments:
        # The one rule of what the packet attaches (reminders.document_problem): this said "(file not found)" of
        # what `profile set` and the app's Letters say "does not exist (yet)" or "is not a file" of.
        why = document_problem(path)
        if not why:
            found.append((label, Path(path).expanduser()))
        else:
            missing.append(document_line(label, path, why))
    packet = dc_replace(packet, attachments=tuple((label, src.name) for label, src in found))
    md = write_atomic(out_dir / f"{stem}.md", render_markdown(packet))
    pdf = write_atomic(out_dir / f"{stem}.pdf", render_pdf(packet, font=font))
    copied = []
    for _, src in found:
        dest = out_dir / src.name
        if src.resolve() != dest.resolve():
            shutil.copyfile(src, dest)
        copied.append(dest)
    notes = []
    if not packet.cases:
        notes.append(f"no case logged on your rotation{'s' if len(packet.rotations) > 1 else ''} with {packet.writer}, "
                     "so the summary has no cases section, the part that helps a writer most: `imgcoach cases add "
                     f"{packet.rotations[-1].id} TITLE --summary TEXT` adds one")
    if not packet.attachments and not missing:
        notes.append("nothing attached: your profile names no CV or personal statement (`imgcoach profile set "
                     "--cv-path PATH --personal-statement-path PATH`)")
    return PacketFiles(md, pdf, tuple(copied), tuple(missing), tuple(notes), created)
