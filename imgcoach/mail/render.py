"""Render reminder e-mails from Jinja2 templates, with sandboxed user overrides that fall back on failure."""

from __future__ import annotations

import logging
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

from imgcoach.mail.context import ROTATION_KINDS, ReminderMail
from imgcoach.mail.errors import TemplateError
from imgcoach.mail.headers import clean_header_text

log = logging.getLogger(__name__)


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


FILTERS: dict[str, Callable[..., str]] = {"longdate": longdate, "longdatetime": longdatetime}


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


def mailto_link(to: str, subject: str, body: str) -> str:
    """RFC 6068 link; line breaks become %0D%0A so mail programs keep the paragraphs."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


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
        return any(p.is_dir() and any(p.glob("*.j2")) for p in self._override_dirs)

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
            "packet": mail.packet,
            "late": mail.late,
            "due": mail.due.astimezone(zone),
            "expires": mail.expires,
        }

    def render_draft(self, mail: ReminderMail) -> Draft | None:
        """The supervisor draft for rotation reminders; None for the digest."""
        if mail.kind not in ROTATION_KINDS:
            return None
        context = self._context(mail)
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
        draft = self.render_draft(mail)
        context["draft"] = draft
        subject = clean_header_text(self._render(f"{mail.kind}.subject.j2", context))
        context["subject"] = subject
        return RenderedMail(
            subject=subject,
            text=self._render(f"{mail.kind}.txt.j2", context),
            html=self._render(f"{mail.kind}.html.j2", context),
            draft=draft,
        )
