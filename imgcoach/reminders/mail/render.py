"""Render reminder e-mails from Jinja2 templates, with sandboxed user overrides that fall back on failure."""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections import deque
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
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from imgcoach.reminders.kinds import reminder_label
from imgcoach.reminders.mail.context import NO_SUPERVISOR, PAYLOAD_DRAFT_KINDS, ROTATION_KINDS, ReminderMail
from imgcoach.reminders.mail.errors import TemplateError
from imgcoach.reminders.mail.headers import clean_header_text
from imgcoach.reminders.packet import packet_in_sentence
from imgcoach.reminders.rules import LETTER_KINDS

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


FILTERS: dict[str, Callable[..., str]] = {"longdate": longdate, "longdatetime": longdatetime, "longday": longday,
                                          "in_sentence": packet_in_sentence}


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


HALFWAY_DAYS = 2  # a feedback reminder sent this many days after its day still says "halfway through"


@functools.lru_cache(maxsize=256)  # the same draft for every reminder of a rotation and kind
def mailto_link(to: str, subject: str, body: str) -> str:
    """RFC 6068 link; line breaks become %0D%0A so mail programs keep the paragraphs."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={_quote(subject)}&body={_quote(body)}"


# The built-in templates print ``reminder_id`` and nothing else that differs between two reminders of one
# applicant, rotation and kind: each is rendered once per distinct input and the id filled in afterwards.
# The marker carries a random token per process, so no stored text can contain it by chance or on purpose.
_ID_MARK = f"\ue000{secrets.token_hex(8)}\ue000"
_MEMO_MAX = 512  # rendered texts kept; a full memo is simply emptied


@dataclass(frozen=True)
class _Plan:
    """What a built-in template's output depends on: the context names it (and what it includes) reads;
    ``id_slot``: ``reminder_id`` is only ever printed as is, so it may be filled in after rendering."""

    names: tuple[str, ...]
    id_slot: bool


def _plan_for(env: jinja2.Environment, name: str) -> _Plan | None:
    """The plan of a template and everything it includes, extends or imports; None when that cannot be known
    (a template named by an expression)."""
    names: set[str] = set()
    printed = uses = 0
    seen: set[str] = set()
    todo = [name]
    assert env.loader is not None
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)
        ast = env.parse(source)
        names |= meta.find_undeclared_variables(ast)
        for ref in meta.find_referenced_templates(ast):
            if ref is None:
                return None
            todo.append(ref)
        uses += sum(1 for n in ast.find_all(nodes.Name) if n.name == "reminder_id")
        printed += sum(1 for out in ast.find_all(nodes.Output) for n in out.nodes
                       if isinstance(n, nodes.Name) and n.name == "reminder_id")
    id_slot = uses > 0 and uses == printed
    names -= set(env.globals)  # range, dict...: the same for every message
    return _Plan(tuple(sorted(n for n in names if not (id_slot and n == "reminder_id"))), id_slot)


class MailRenderer:
    """Built-in templates in a strict environment; overrides (if any) first, in a sandbox.

    A built-in template's output is kept per distinct input (the values of the names it reads, and the
    applicant's zone, in which every date-time of the context is written): the daemon renders a kind once
    per applicant and rotation, not once per reminder. Overrides are rendered every time (a user's template
    may print anything, even random text).
    """

    def __init__(self, override_dir: Path | None = None, *, builtin_root: Traversable | None = None) -> None:
        self._builtin_root = builtin_root or builtin_templates_root()
        builtin = _builtin_loader(self._builtin_root)
        self._builtin = _configure(
            jinja2.Environment(
                loader=builtin,
                undefined=jinja2.StrictUndefined,
                autoescape=_autoescape,
                keep_trailing_newline=True,
                auto_reload=False,
            )
        )
        self._plans: dict[str, tuple[jinja2.Template, _Plan | None]] = {}
        self._memo: dict[tuple[Any, ...], str] = {}
        self._override_dirs: list[Path] = []
        # Each override that failed and was replaced by the built-in template: (its file, why). The preview
        # reads it: after editing a template the Outbox showed the built-in words without a sign of the error.
        # A deque: the daemon keeps one renderer for months, and a broken override fails at every message.
        self.fallbacks: deque[tuple[str, str]] = deque(maxlen=50)
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

    def unused_overrides(self) -> list[tuple[Path, str | None]]:
        """Template files in the override folders whose names no built-in template has, so nothing ever renders
        them (`thankyou.txt.j2`), each with the nearest built-in name: a typo left the built-in words in force
        without a sign."""
        import difflib

        if not self._override_dirs:
            return []
        builtin = {entry.name for entry in self._builtin_root.iterdir() if entry.name.endswith(".j2")}
        found: list[tuple[Path, str | None]] = []
        for folder in self._override_dirs:
            for path in sorted(folder.glob("*.j2")) if folder.is_dir() else ():
                if path.name not in builtin:
                    near = difflib.get_close_matches(path.name, sorted(builtin), n=1, cutoff=0.6)
                    found.append((path, near[0] if near else None))
        return found

    def _render(self, name: str, context: dict[str, Any]) -> str:
        if self._sandbox is not None and self._has_overrides():
            try:
                return self._sandbox.get_template(name).render(context)
            except Exception as exc:  # any broken override falls back; it must never stop the daemon
                log.warning("template override for %s failed (%s: %s); using the built-in template",
                            name, type(exc).__name__, exc)
                self.fallbacks.append(self._failed_override(name, exc))
        try:
            return self._render_builtin(name, context)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"built-in template {name}: {exc}") from exc

    def _failed_override(self, name: str, exc: Exception) -> tuple[str, str]:
        """The override's file (the one that failed: an included one for a syntax error there) and why, with the
        line where jinja2 knows it."""
        where = getattr(exc, "filename", None) or next(
            (str(d / name) for d in self._override_dirs if (d / name).is_file()), name)
        line = getattr(exc, "lineno", None)
        message = getattr(exc, "message", None) or str(exc)
        return where, (f"line {line}: " if line else "") + f"{type(exc).__name__}: {message}"

    def _render_builtin(self, name: str, context: dict[str, Any]) -> str:
        # The built-in environment never reloads (auto_reload=False): its template and plan are kept here, one
        # dict look-up instead of jinja2's locked cache look-up, five times a message.
        known = self._plans.get(name)
        if known is None:
            known = self._plans[name] = (self._builtin.get_template(name), _plan_for(self._builtin, name))
        template, plan = known
        if plan is None:
            return template.render(context)
        due = context.get("due")
        try:
            key = (name, getattr(due, "tzinfo", None), *(context[n] for n in plan.names))
            text = self._memo.get(key)
            reminder_id = str(context["reminder_id"]) if plan.id_slot else ""
        except (KeyError, TypeError):  # a name left undefined (StrictUndefined says which), or unhashable
            return template.render(context)
        if text is None:
            text = template.render({**context, "reminder_id": _ID_MARK} if plan.id_slot else context)
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = text
        return text.replace(_ID_MARK, reminder_id) if plan.id_slot else text

    def _context(self, mail: ReminderMail) -> dict[str, Any]:
        if mail.kind in ROTATION_KINDS and mail.rotation is None:
            raise TemplateError(f"reminder {mail.reminder_id} ({reminder_label(mail.kind)}) has no rotation")
        if mail.kind == "weekly_digest" and mail.digest is None:
            raise TemplateError(f"reminder {mail.reminder_id} (Weekly digest) has no digest")
        if mail.kind in PAYLOAD_DRAFT_KINDS and mail.draft is None:
            raise TemplateError(f"reminder {mail.reminder_id} ({reminder_label(mail.kind)}) has no draft in its payload")
        zone = ZoneInfo(mail.tz)
        due_day = mail.due.astimezone(zone).date()
        sent_on = max(mail.sent_on or due_day, due_day)
        digest = mail.digest
        if digest is not None:
            digest = replace(digest, items=tuple(replace(i, when=i.when.astimezone(zone)) for i in digest.items))
        return {
            "kind": mail.kind,
            # A letter request (rules.LETTER_KINDS): the templates read this flag, never the kinds spelled out, so
            # a kind added to the constant cannot leave a template behind.
            "letter_request": mail.kind in LETTER_KINDS,
            # The reminder's one label (the Outbox's "Thank-you note"): each subject starts with it, so the e-mail
            # is named as every screen names the reminder, not by a wording of the templates' own.
            "label": reminder_label(mail.kind),
            "reminder_id": mail.reminder_id,
            "applicant": mail.applicant,
            "rotation": mail.rotation,
            "digest": digest,
            "outreach": mail.outreach,
            "packet": mail.packet,
            "packet_missing": mail.packet_missing,
            "packet_unfound": mail.packet_unfound,
            "letter_deadline": mail.letter_deadline,
            "supervisor_known": mail.rotation is not None and mail.rotation.supervisor.name not in ("", NO_SUPERVISOR),
            # The words fit the day it goes out, not the day it was due: during the rotation or after it; still
            # about halfway (within HALFWAY_DAYS of the feedback day), or nearer the end; the last day to ask
            # ahead or passed.
            "sent_on": sent_on,
            "during_rotation": mail.rotation is not None and sent_on <= mail.rotation.end,
            # Sent on the rotation's last day: "before the rotation ends on <today>" read as days to come.
            "last_day": mail.rotation is not None and sent_on == mail.rotation.end,
            "halfway": (sent_on - due_day).days <= HALFWAY_DAYS,
            "deadline_passed": mail.letter_deadline is not None and sent_on > mail.letter_deadline,
            "late": mail.late,
            "late_reason": mail.late_reason,
            "waited": mail.waited,
            "planned": mail.planned.astimezone(zone) if mail.planned is not None else None,
            "due": mail.due.astimezone(zone),
            "expires": mail.expires,
            "approvable": mail.approvable,
            "approved_draft": mail.approved_draft,
        }

    def render_draft(self, mail: ReminderMail) -> Draft | None:
        """The draft for someone else: rendered from the rotation, or the one stored with the reminder; None
        for the digest."""
        if mail.kind in PAYLOAD_DRAFT_KINDS:
            stored = mail.draft
            if stored is None:
                raise TemplateError(f"reminder {mail.reminder_id} ({reminder_label(mail.kind)}) has no draft in its payload")
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
