"""Render the outreach and mentor e-mail drafts from the Jinja2 templates in templates/outreach/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2


@dataclass(frozen=True, slots=True)
class Draft:
    """An e-mail the applicant reviews before anything is sent."""

    subject: str
    body: str
    title: str = ""  # which e-mail it is, where a face lists several ("First e-mail", "Confirmation")
    to: str = ""  # "Name <address>" when it goes to someone else than the entry's coordinator (a supervisor)
    address: str = ""  # the recipient's address alone, where recorded: a mail program's To (draft_outreach fills it)

    def as_text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def outreach_template_dir() -> Path:
    """templates/outreach, found as package data (``imgcoach.templates``) or next to the source tree."""
    try:
        return Path(str(resources.files("imgcoach.templates") / "outreach"))
    except ModuleNotFoundError:  # an editable install made before templates/ became a package
        return Path(__file__).resolve().parents[2] / "templates" / "outreach"


@cache
def letter_day(value: date) -> str:
    """A day as a letter writes it, "13 November 2026" (the reminders' e-mails write days the same way),
    not the ISO "2026-11-13" a coordinator would read as a form field."""
    return f"{value.day} {value:%B %Y}"


_NAMED_UNITS = ("department of ", "division of ", "section of ", "office of ", "school of ", "college of ")


def unit_name(value: str) -> str:
    """A department as a sentence names it: "the Department of Medicine" (a letter read "positions in
    Department of Medicine"), "Internal Medicine" as it is."""
    return f"the {value}" if value.lower().startswith(_NAMED_UNITS) else value


def _environment(folder: str) -> jinja2.Environment:
    import jinja2  # here: `readiness` loads this module (coach.sample -> mentors) and renders no draft (issue 17)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text e-mail
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["letter_day"] = letter_day
    env.filters["unit_name"] = unit_name
    return env


def render_draft(template: str, folder: Path | None = None, **context: Any) -> Draft:
    """Render ``template``; its first line is ``Subject: ...`` and the rest is the body."""
    env = _environment(str(folder or outreach_template_dir()))
    text = env.get_template(template).render(**context).lstrip("\n")
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"template {template} must start with a 'Subject:' line")
    return Draft(first.removeprefix("Subject:").strip(), rest.lstrip("\n"))
