"""The first run's guided set-up: four short forms, keyboard only, each saved on its own.

1. the profile (required: where you live sets when reminders arrive);
2. an exam: a score already earned or the date of the next one (Escape skips);
3. the first clinical rotation (Escape skips);
4. where reminders go: e-mail through an SMTP server (tested with one message) or a local mailbox folder,
   which is said to be not e-mail (Escape keeps the local mailbox: `imgcoach mail setup` later).
Then the timeline opens on the new plan. Every step saves through the same services as the
screens, in one transaction, so stopping half-way leaves a consistent database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from imgcoach.core.errors import FieldError, UserError, ValidationError
from imgcoach.tui.forms import ASSUMED_NOTE, EXAM_FORM, ROTATION_STEP
from imgcoach.tui.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from imgcoach.core.context import Context

STEPS = 4
# The first step's dialog says what the set-up is: at 80x24 it covers the Profile screen's welcome.
# Its lines are broken by hand: Textual sizes a grid row as if the text wrapped wider than its column.
INTRO = ("Welcome", "Four short steps plan your application year:\nyour profile, an exam, your first rotation,\n"
                    "and where reminders go.")
SKIP = "Escape skips this step · ctrl+s saves · Tab moves between fields"


class GuidedSetup:
    """Runs the steps as a chain of forms on `screen` (the profile screen)."""

    def __init__(self, screen: Any, profile_fields: list[FormField], profile_values: dict[str, Any],
                 done: Callable[[], None]) -> None:
        self.screen = screen
        self.profile_fields = profile_fields
        self.profile_values = profile_values
        self.done = done
        self.profile: Any = None

    def _push(self, title: str, fields: list[FormField], values: dict[str, Any], submit: Any, hint: str,
              after: Callable[[Any], None], save_label: str = "Next", cancel_label: str = "Skip",
              intro: tuple[str, str] | None = None) -> AwaitMount:
        form = FormScreen(title, fields, values, submit, hint=hint, save_label=save_label, cancel_label=cancel_label,
                          intro=intro)
        return self.screen.app.push_screen(form, after)

    def start(self) -> AwaitMount:
        """Opens step 1; awaiting the result waits until its form is mounted (the first run's keys go there)."""

        def save(ctx: Context, values: dict[str, Any]) -> Any:
            # Imported in the save's worker: the step opens before the database stack has loaded.
            from imgcoach.coach import save_profile_and_drafts

            # The profile form's use case: a profile set up again with a new name redrafts what it signs.
            return save_profile_and_drafts(ctx, **values)  # what it did is said as the profile form says it (say_saved)

        return self._push(f"Step 1 of {STEPS}: your profile", self.profile_fields, self.profile_values, save,
                   "Name, e-mail and time zone are needed: reminders are timed in your own zone.", self._after_profile,
                   cancel_label="Cancel", intro=INTRO)  # Escape here pauses the set-up; on the later steps it skips one step

    def _after_profile(self, profile: Any) -> None:
        if profile is None:  # Escape on step 1: nothing saved, the profile screen says how to start again
            self.screen.setup_paused()
            return
        from imgcoach.tui.screens.profile_screen import say_saved

        say_saved(self.screen, profile, plain_save=False)
        self.profile = profile.applicant
        self.screen.reload()
        self.exam_step()

    def exam_step(self) -> None:
        from imgcoach.plan import add_exam

        def save(ctx: Context, v: dict[str, Any]) -> Any:
            return add_exam(ctx, v["exam"], v["taken_on"], score=v["score"], result=v["result"])

        self._push(f"Step 2 of {STEPS}: an exam score or your next exam date", EXAM_FORM, {}, save,
                   f"A past date with a score or result records it; a future date plans it. {SKIP}",
                   self._after_exam)

    def _after_exam(self, exam: Any) -> None:
        if exam is not None:
            self.screen.notify(f"Added {exam.exam}")
            self.screen.reload()
        self.rotation_step()

    def rotation_step(self) -> None:
        from imgcoach.plan import add_rotation

        specialties = getattr(self.profile, "target_specialties", None) or [""]
        values = {"kind": "observership", "specialty": specialties[0]}  # hours: blank, 40 assumed unless given
        self._push(f"Step 3 of {STEPS}: your first clinical rotation", ROTATION_STEP, values,
                   lambda ctx, v: add_rotation(ctx, **v),
                   f"Observerships and externships usually run 4 to 8 weeks. {SKIP}", self._after_rotation)

    def _after_rotation(self, rotation: Any) -> None:
        if rotation is not None:
            self.screen.notify(f"Added {rotation.specialty} at {rotation.institution}; reminders planned"
                               + (ASSUMED_NOTE if rotation.hours_assumed else ""))
        self.mail_step()

    def mail_step(self) -> None:
        email = getattr(self.profile, "email", "") or "you"
        self._push(f"Step 4 of {STEPS}: where reminders go", MAIL_FORM, {"where": "smtp", "security": "starttls"},
                   lambda ctx, v: save_mail_choice(ctx, v, getattr(self.profile, "email", "")),
                   f"E-mail: a test message goes to {email} now. The password: the system keyring "
                   f"(keyring set imgcoach LOGIN) or IMGCOACH_SMTP_PASSWORD, never a file. {SKIP}",
                   self._after_mail, save_label="Finish")

    def _after_mail(self, where: Any) -> None:
        if where is not None:
            self.screen.notify(f"Reminders go to {where}", timeout=8)
        else:
            self.screen.notify("Reminders go to a local mailbox folder, not e-mail: `imgcoach mail setup` changes it",
                               severity="warning", timeout=10)
        self.screen.notify("Set-up done. Next: s then g plans your study; r then w adds a supervisor; ? shows keys.",
                           timeout=10)
        self.done()


MAIL_FORM = [
    # Each fits the 42 cells a choice has at 80 columns: longer, the e-mail one read "…SMTP serv… ▶".
    FormField("where", "Reminders go to", "choice", (("e-mail, via your provider's SMTP server", "smtp"),
                                                     ("a local mailbox folder here (not e-mail)", "local"))),
    FormField("host", "SMTP server", placeholder="e.g. smtp.gmail.com"),
    FormField("security", "Security", "choice", (("STARTTLS (port 587)", "starttls"), ("TLS (port 465)", "tls"))),
    FormField("port", "Port", "int", placeholder="empty: 587 for STARTTLS, 465 for TLS"),
    FormField("user", "Login", placeholder="e.g. you@gmail.com (empty if none)"),
]


def save_mail_choice(ctx: Context, values: dict[str, Any], test_to: str) -> str:
    """Save the choice in config.toml (as `imgcoach mail setup` does) and, for e-mail, send a test message."""
    from imgcoach.core.locations import config_file, data_dir
    from imgcoach.reminders import MailChoice, configure_mail, send_test_message, where_words

    smtp = values.get("where") == "smtp"
    host = (values.get("host") or "").strip()
    if smtp and not host:
        raise ValidationError([FieldError("host", "", "an SMTP server is needed to e-mail you (or choose the local "
                                                      "mailbox)")])
    path = config_file()
    setup = configure_mail(path, MailChoice(host=host if smtp else None, port=values.get("port"),
                                            security=values.get("security") or "starttls",
                                            user=values.get("user")),
                           config=dict(ctx.settings.extra), data_dir=data_dir())
    # What the daemon will use (an IMGCOACH_SMTP_* variable wins over the file), named when it overrides.
    settings, override = setup.effective, setup.override_line()
    said = f" ({override})" if override else ""
    if settings.smtp is None:
        return where_words(settings) + said
    try:
        where = send_test_message(ctx, settings, test_to)
    except UserError as exc:
        raise UserError(f"saved in {path}, but {exc}; correct it here, or Escape and `imgcoach mail test` later") \
            from None
    return f"e-mail via {where}; a test message went to {test_to}{said}"
