"""Render reminder e-mails from Jinja2 templates, with sandboxed user overrides that fall back on failure."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from imgcoach.reminders.mail.context import NO_SUPERVISOR, PAYLOAD_DRAFT_KINDS, ROTATION_KINDS, ReminderMail
from imgcoach.reminders.mail.errors import TemplateError
from imgcoach.reminders.mail.headers import clean_header_text

log = logging.getLogger(__name__)
OVERRIDE_RECHECK = 2.0  # seconds


def builtin_templates_root() -> Traversable:
    """The shipped ``emails`` folder, located through the ``imgcoach.templates`` package."""
    try:
        return files("imgcoach.templates") / "emails"
    except ModuleNotFoundError:
        # Only an editable install made before templates/ was mapped lands here; a wheel always has the package.
        return Path(__file__).resolve().parents[2] / "templates" / "emails"


def _builtin_loader(root: Traversable) -> jinja2.BaseLoader:
    def load(name: str) -> str | None:
        if "/" in name or "\\" in name or name.startswith("."):
            return None
        entry = root / name
        return entry.read_text(encoding="utf-8") if entry.is_file() else None

    return jinja2.FunctionLoader(load)


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith(".html.j2")  # type: ignore[union-attr]


def longdate(value: date | datetime) -> str:
    """``1 July 2026``: unambiguous for readers on both sides of the Atlantic."""
    return f"{value.day} {value:%B %Y}"


def longdatetime(value: datetime) -> str:
    """``Wed 1 July 2026, 09:00 EDT`` in the zone the value already carries (the applicant's)."""
    return f"{value:%a} {value.day} {value:%B %Y}, {value:%H:%M %Z}".rstrip()


def longday(value: date | datetime) -> str:
    """``Thu 26 November 2026``: a whole-day item of the digest."""
    return f"{value:%a} {longdate(value)}"


FILTERS: dict[str, Callable[..., str]] = {"longdate": longdate, "longdatetime": longdatetime, "longday": longday}


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(FILTERS)
    return env


@dataclass(frozen=True)
class Draft:
    """The message the applicant may send (or approve) to the supervisor."""

    to: str
    to_name: str
    subject: str
    body: str
    mailto: str


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str
    draft: Draft | None


# urllib.parse.quote(text, safe="") as one str.translate over the UTF-8 bytes: same output, C speed (the
# body of every draft is quoted for its mailto link, once per message the daemon sends).
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_QUOTE_TABLE = {b: chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in range(256)}


def _quote(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_QUOTE_TABLE)


def mailto_link(to: str, subject: str, body: str) -> str:
    """RFC 6068 link; line breaks become %0D%0A so mail programs keep the paragraphs."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={_quote(subject)}&body={_quote(body)}"


class MailRenderer:
    """Built-in templates in a strict environment; overrides (if any) first, in a sandbox."""

    def __init__(self, override_dir: Path | None = None, *, builtin_root: Traversable | None = None) -> None:
        builtin = _builtin_loader(builtin_root or builtin_templates_root())
        self._builtin = _configure(
            jinja2.Environment(
                loader=builtin,
                undefined=jinja2.StrictUndefined,
                autoescape=_autoescape,
                keep_trailing_newline=True,
                auto_reload=False,
            )
        )
        self._override_dirs: list[Path] = []
        self._overrides_checked: float | None = None
        self._overrides_found = False
        self._sandbox: SandboxedEnvironment | None = None
        if override_dir is not None:
            self._override_dirs = [override_dir / "emails", override_dir]
            self._sandbox = SandboxedEnvironment(
                loader=jinja2.ChoiceLoader(
                    [jinja2.FileSystemLoader([str(p) for p in self._override_dirs]), builtin]
                ),
                undefined=jinja2.StrictUndefined,
                autoescape=_autoescape,
                keep_trailing_newline=True,
            )
            _configure(self._sandbox)

    def _has_overrides(self) -> bool:
        """Whether the override folders hold templates; looked up at most every OVERRIDE_RECHECK seconds
        (it was a directory scan per template, five per message), so a new override is seen within that."""
        now = time.monotonic()
        if self._overrides_checked is None or now - self._overrides_checked >= OVERRIDE_RECHECK:
            self._overrides_found = any(p.is_dir() and any(p.glob("*.j2")) for p in self._override_dirs)
            self._overrides_checked = now
        return self._overrides_found

    def _render(self, name: str, context: dict[str, Any]) -> str:
        if self._sandbox is not None and self._has_overrides():
            try:
                return self._sandbox.get_template(name).render(context)
            except Exception as exc:  # any broken override falls back; it must never stop the daemon
                log.warning("template override for %s failed (%s: %s); using the built-in template",
                            name, type(exc).__name__, exc)
        try:
            return self._builtin.get_template(name).render(context)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"built-in template {name}: {exc}") from exc

    def _context(self, mail: ReminderMail) -> dict[str, Any]:
        if mail.kind in ROTATION_KINDS and mail.rotation is None:
            raise TemplateError(f"reminder {mail.reminder_id} ({mail.kind}) has no rotation")
        if mail.kind == "weekly_digest" and mail.digest is None:
            raise TemplateError(f"reminder {mail.reminder_id} (weekly_digest) has no digest")
        if mail.kind in PAYLOAD_DRAFT_KINDS and mail.draft is None:
            raise TemplateError(f"reminder {mail.reminder_id} ({mail.kind}) has no draft in its payload")
        zone = ZoneInfo(mail.tz)
        digest = mail.digest
        if digest is not None:
            digest = replace(digest, items=tuple(replace(i, when=i.when.astimezone(zone)) for i in digest.items))
        return {
            "kind": mail.kind,
            "reminder_id": mail.reminder_id,
            "applicant": mail.applicant,
            "rotation": mail.rotation,
            "digest": digest,
            "outreach": mail.outreach,
            "packet": mail.packet,
            "packet_missing": mail.packet_missing,
            "letter_deadline": mail.letter_deadline,
            "supervisor_known": mail.rotation is not None and mail.rotation.supervisor.name not in ("", NO_SUPERVISOR),
            # The draft's tense fits the day it goes out: during the rotation or after it.
            "during_rotation": mail.rotation is not None and mail.due.astimezone(zone).date() <= mail.rotation.end,
            "late": mail.late,
            "due": mail.due.astimezone(zone),
            "expires": mail.expires,
        }

    def render_draft(self, mail: ReminderMail) -> Draft | None:
        """The draft for someone else: rendered from the rotation, or the one stored with the reminder; None
        for the digest."""
        if mail.kind in PAYLOAD_DRAFT_KINDS:
            stored = mail.draft
            if stored is None:
                raise TemplateError(f"reminder {mail.reminder_id} ({mail.kind}) has no draft in its payload")
            subject = clean_header_text(stored.subject)
            body = stored.body.strip() + "\n"
            return Draft(to=stored.to, to_name=clean_header_text(stored.to_name), subject=subject, body=body,
                         mailto=mailto_link(stored.to, subject, body))
        if mail.kind not in ROTATION_KINDS:
            return None
        return self._rotation_draft(mail, self._context(mail))

    def _rotation_draft(self, mail: ReminderMail, context: dict[str, Any]) -> Draft:
        subject = clean_header_text(self._render("_supervisor_draft.subject.j2", context))
        body = self._render("_supervisor_draft.txt.j2", context).strip() + "\n"
        supervisor = mail.rotation.supervisor  # type: ignore[union-attr]
        return Draft(
            to=supervisor.email,
            to_name=supervisor.name,
            subject=subject,
            body=body,
            mailto=mailto_link(supervisor.email, subject, body),
        )

    def render(self, mail: ReminderMail) -> RenderedMail:
        """Subject, text and HTML of the e-mail to the applicant (with the draft embedded)."""
        context = self._context(mail)
        draft = self._rotation_draft(mail, context) if mail.kind in ROTATION_KINDS else self.render_draft(mail)
        context["draft"] = draft
        subject = clean_header_text(self._render(f"{mail.kind}.subject.j2", context))
        context["subject"] = subject
        return RenderedMail(
            subject=subject,
            text=self._render(f"{mail.kind}.txt.j2", context),
            html=self._render(f"{mail.kind}.html.j2", context),
            draft=draft,
        )
