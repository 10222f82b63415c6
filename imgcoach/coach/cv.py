"""The "Clinical Experience in the US" section of a CV, built from the rotations (md, txt or pdf)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.models import Rotation
from imgcoach.coach.pdf import PdfWriter

FORMATS = ("md", "txt", "pdf")
SETTINGS = {"inpatient": "Inpatient", "outpatient": "Outpatient", "mixed": "Inpatient and outpatient"}


def fmt_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True, slots=True)
class CvItem:
    """One CV entry: everything a program director scans for, in a fixed order."""

    title: str
    dates: str
    setting: str
    weekly_hours: str
    place: str
    supervisor: str
    responsibilities: tuple[str, ...]
    learned: tuple[str, ...]

    @property
    def meta(self) -> list[str]:
        return [x for x in (self.dates, self.setting, self.weekly_hours, self.place) if x]


def timing(r: Rotation, today: date) -> str:
    """What follows a rotation's dates: ' (planned)', ' (in progress)', or nothing once it has ended. The CV's
    rule, which the writer packet uses too, so neither presents a rotation still to come as done."""
    return " (planned)" if r.start > today else (" (in progress)" if r.end >= today else "")


def _clinical_here(r: Rotation, country: str) -> bool:
    """What the section's heading promises: clinical experience (research and volunteering are not, as readiness
    counts them) in `country`. They were listed under "Clinical Experience in the US" too."""
    return r.kind.clinical and r.country.upper() == country.upper()


def cv_items(rotations: list[Rotation], today: date, country: str = "US", include_planned: bool = False) -> list[CvItem]:
    """Host-country clinical rotations, newest first; ongoing ones say so, planned ones only on request."""
    items = []
    chosen = [r for r in rotations if _clinical_here(r, country) and (include_planned or r.start <= today)]
    for r in sorted(chosen, key=lambda r: (r.start, r.id), reverse=True):
        items.append(CvItem(
            title=r.title,
            dates=f"{fmt_day(r.start)} \u2013 {fmt_day(r.end)}{timing(r, today)}",
            setting=SETTINGS.get(r.setting, r.setting.capitalize()),
            weekly_hours=f"{r.weekly_hours:g} hours/week" if r.weekly_hours else "",
            place=", ".join(x for x in (r.department, r.city) if x),
            supervisor=r.supervisor,
            responsibilities=r.responsibilities,
            learned=r.learned,
        ))
    return items


def cv_bullet(item: str, *, capital: bool = True) -> str:
    """One responsibility or lesson as a CV shows it. The applicant writes them as one sentence split at
    semicolons ("Took histories under supervision; drafted notes for co-signature."), so the second item began in
    lower case and only the last kept a full stop: bullets read as fragments of different lists. Each bullet now
    begins with a capital and none ends with a lone full stop. A first word with a capital or digit inside it
    (eGFR, pH, mRNA, iPASS) is a term and stays as written; an ending such as "e.g." or "U.S." keeps its dots."""
    text = item.strip()
    first = text.split(" ", 1)[0]
    if capital and first.isalpha() and first.islower():
        text = text[0].upper() + text[1:]
    last = text.rsplit(" ", 1)[-1]
    if text.endswith(".") and not text.endswith("..") and "." not in last[:-1] and last.lower() != "etc.":
        text = text[:-1]
    return text


def heading_for(country: str) -> str:
    return f"Clinical Experience in the {country.upper()}" if country.upper() in ("US", "UK") else \
        f"Clinical Experience in {country}"


EMPTY = "(no host-country rotation recorded yet)"


def empty_note(rotations: list[Rotation], today: date, country: str = "US", include_planned: bool = False) -> str:
    """What an empty section says: "nothing recorded" would be false when planned rotations were left out, and
    "no rotation" when research or volunteering (left out: not clinical) was recorded."""
    planned = sum(1 for r in rotations if _clinical_here(r, country) and r.start > today)
    other = any(r.country.upper() == country.upper() and not r.kind.clinical for r in rotations)
    rotation = "clinical rotation" if other else "rotation"
    if planned and not include_planned:
        return (f"(no host-country {rotation} has started yet; {planned} planned "
                f"{'one is' if planned == 1 else 'ones are'} left out until {'it starts' if planned == 1 else 'they start'})")
    return EMPTY.replace("rotation", rotation)


def render_markdown(items: list[CvItem], heading: str = "Clinical Experience in the US", empty: str = EMPTY) -> str:
    out = [f"## {heading}", ""]
    for item in items:
        out += [f"### {item.title}", "", "*" + " \u00b7 ".join(item.meta) + "*", ""]
        if item.supervisor:
            out += [f"Supervisor: {item.supervisor}", ""]
        if item.responsibilities:
            out += ["Responsibilities:", *(f"- {cv_bullet(x)}" for x in item.responsibilities), ""]
        if item.learned:
            out += ["What I learned:", *(f"- {cv_bullet(x)}" for x in item.learned), ""]
    if not items:
        out += [empty, ""]
    return "\n".join(out)


def _joined(items: tuple[str, ...]) -> str:
    """The plain-text CV's one line of items: the first begins with a capital, the rest follow a semicolon as
    the applicant wrote them, and a full stop ends only the line."""
    line = "; ".join(cv_bullet(x, capital=n == 0) for n, x in enumerate(items))
    return line if line.endswith((".", "!", "?")) else line + "."


def render_text(items: list[CvItem], heading: str = "Clinical Experience in the US", empty: str = EMPTY) -> str:
    out = [heading.upper(), ""]
    for item in items:
        out += [item.title, "  " + " | ".join(item.meta)]
        if item.supervisor:
            out.append(f"  Supervisor: {item.supervisor}")
        if item.responsibilities:
            out.append("  Responsibilities: " + _joined(item.responsibilities))
        if item.learned:
            out.append("  What I learned: " + _joined(item.learned))
        out.append("")
    if not items:
        out += [empty, ""]
    return "\n".join(out)


def render_pdf(items: list[CvItem], heading: str = "Clinical Experience in the US", font: Path | None | str = "auto",
               name: str = "", empty: str = EMPTY) -> bytes:
    pdf = PdfWriter(font=font, title=f"{name} - {heading}" if name else heading)
    if name:
        pdf.heading(name, level=1)
    pdf.heading(heading, level=2)
    for item in items:
        pdf.paragraph(item.title, bold=True)
        pdf.paragraph(" | ".join(item.meta))
        if item.supervisor:
            pdf.paragraph(f"Supervisor: {item.supervisor}")
        if item.responsibilities:
            pdf.paragraph("Responsibilities:")
            for x in item.responsibilities:
                pdf.bullet(cv_bullet(x))
        if item.learned:
            pdf.paragraph("What I learned:")
            for x in item.learned:
                pdf.bullet(cv_bullet(x))
        pdf.space()
    if not items:
        pdf.paragraph(empty)
    return pdf.output()


def render_cv(rotations: list[Rotation], fmt: str, today: date, *, country: str = "US", name: str = "",
              include_planned: bool = False, font: Path | None | str = "auto") -> str | bytes:
    """The section in ``fmt`` (md, txt or pdf)."""
    if fmt not in FORMATS:
        raise CoachInputError(f"format: unknown CV format {fmt!r} (allowed: {', '.join(FORMATS)})")
    items = cv_items(rotations, today, country, include_planned)
    heading = heading_for(country)
    empty = empty_note(rotations, today, country, include_planned)
    if fmt == "md":
        return render_markdown(items, heading, empty)
    if fmt == "txt":
        return render_text(items, heading, empty)
    return render_pdf(items, heading, font=font, name=name, empty=empty)
