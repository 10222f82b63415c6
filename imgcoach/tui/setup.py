"""The first run's guided set-up: three short forms, keyboard only, each saved on its own.

1. the profile (required: where you live sets when reminders arrive);
2. an exam: a score already earned or the date of the next one (Escape skips);
3. the first clinical rotation (Escape skips).
Then the timeline opens on the new plan. Every step saves through the same services as the
screens, in one transaction, so stopping half-way leaves a consistent database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from imgcoach.tui.forms import EXAM_FORM, ROTATION_STEP
from imgcoach.tui.widgets.form import FormField, FormScreen

if TYPE_CHECKING:
    from imgcoach.core.context import Context

STEPS = 3
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
              after: Callable[[Any], None], save_label: str = "Next") -> None:
        form = FormScreen(title, fields, values, submit, hint=hint, save_label=save_label)
        self.screen.app.push_screen(form, after)

    def start(self) -> None:
        from imgcoach.plan import set_profile

        self._push(f"Step 1 of {STEPS}: your profile", self.profile_fields, self.profile_values,
                   lambda ctx, v: set_profile(ctx, **v),
                   "Name, e-mail and time zone are needed: reminders are timed in your own zone.", self._after_profile)

    def _after_profile(self, profile: Any) -> None:
        if profile is None:  # Escape on step 1: nothing saved, the profile screen says how to start again
            self.screen.setup = False
            self.screen.notify("Set-up paused: press e on the Profile screen to start it again", timeout=8)
            return
        self.profile = profile
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
        values = {"kind": "observership", "setting": "inpatient", "hours_per_week": 40, "specialty": specialties[0]}
        self._push(f"Step 3 of {STEPS}: your first clinical rotation", ROTATION_STEP, values,
                   lambda ctx, v: add_rotation(ctx, **v),
                   f"Observerships and externships usually run 4 to 8 weeks. {SKIP}", self._after_rotation,
                   save_label="Finish")

    def _after_rotation(self, rotation: Any) -> None:
        if rotation is not None:
            self.screen.notify(f"Added {rotation.specialty} at {rotation.institution}; reminders planned")
        self.screen.notify("Set-up done. Next: s then g plans your study; r then w adds a supervisor; ? shows keys.",
                           timeout=10)
        self.done()
