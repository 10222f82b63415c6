"""`letters add ... --due 1999-01-01` was stored without a word. A due date already passed for a letter still to
come (planned, requested, agreed) is a late letter or, far more often, a typo: it is kept (a letter asked for
long ago may truly be late, as a rotation's odd dates are kept with a warning) and said, naming the option typed
and how to change it, exit 0. One rule (plan.due_passed, LetterSaved.due_warning) for `letters add`, `letters
edit` and the app's letter forms; a date kept as it was is not said again (the app's form gives it back on every
save), nor one of a letter in hand. Real SQLite, the real CLI in this process, Textual Pilot, a fixed clock.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact
from imgcoach.plan.people import list_letters
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, press


@pytest.fixture
def writer_id(ctx: Context) -> int:
    writer = add_contact(ctx, "Dr. Ana Writer", role="attending", email="ana@hospital.example")
    assert writer.id is not None
    return writer.id


def test_letters_add_says_a_due_date_gone_by(ctx: Context, db_url: str, writer_id: int, cli_clock: FixedClock,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    today = cli_clock.now().date()
    added = run_cli(capsys, "letters", "add", "--writer", str(writer_id), "--due", "1999-01-01", "--db", db_url)
    assert added.code == 0, added.err
    letter_id = int(added.out)
    assert added.err == (f"imgcoach: warning: --due: 1999-01-01 has already passed (today is {today}); kept as given: "
                         f"`imgcoach letters edit {letter_id} --due YYYY-MM-DD` changes it\n")
    assert [lt.due_on for lt, _, _ in list_letters(ctx)] == [date(1999, 1, 1)]
    kept = run_cli(capsys, "letters", "edit", str(letter_id), "--notes", "ask in person", "--db", db_url)
    assert (kept.code, kept.err) == (0, "")  # the date was not changed: said once
    moved = run_cli(capsys, "letters", "edit", str(letter_id), "--due", "2000-01-01", "--db", db_url)
    assert moved.code == 0 and moved.err.startswith("imgcoach: warning: --due: 2000-01-01 has already passed")
    ahead = run_cli(capsys, "letters", "add", "--writer", str(writer_id), "--due", "2030-01-01", "--db", db_url)
    in_hand = run_cli(capsys, "letters", "add", "--writer", str(writer_id), "--status", "uploaded", "--due",
                      "2026-01-01", "--db", db_url)
    assert (ahead.code, ahead.err, in_hand.code, in_hand.err) == (0, "", 0, "")


async def test_the_app_s_letter_form_says_it_too(ctx: Context, writer_id: int, cli_clock: FixedClock) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Plan a letter request"
        fill(form, due_on="1999-01-01")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen), "saved"
        said = [str(n.message) for n in pilot.app._notifications]
        today = cli_clock.now().date()
        assert f"Due date: 1999-01-01 has already passed (today is {today}); kept as given: edit the letter request " \
               "to change it" in said, said
    assert [lt.due_on for lt, _, _ in list_letters(ctx)] == [date(1999, 1, 1)]
