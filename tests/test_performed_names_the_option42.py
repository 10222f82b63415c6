"""`log add --performed` on an observing-only rotation said "procedures performed: ...", where every other
field error of the CLI names the option typed (test_errors_name_the_option41).

Why it escaped: the rule raised a plain error with its own spelling of the field, not a field error, and the
option's parameter (`performed`) was not the field's name, so cli.common.Command could not have named it either.
The rule now raises a field error and `log add`'s list options carry the fields' names; the other coach rules
that spelled a field by hand (`projects add --status/--title`, `outreach add --kind/--status/INSTITUTION`) raise
field errors too. Real SQLite, the real CLI in this process, a fixed clock.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize(("words", "said"), [
    (("log", "add", "{r}", "--week", "{today}", "--hours", "20", "--performed", "ECG"),
     "--performed: rotation {r} is observing only; record them as observed (hands-on work is not permitted "
     "there) (got 'ECG')"),
    (("projects", "add", "--kind", "qi", "--title", "T", "--status", "bogus"), "--status: unknown project status"),
    (("projects", "add", "--kind", "qi", "--title", " "), "--title: a project needs a title"),
    (("outreach", "add", "Riverside (fictional)", "--kind", "residency"), "--kind: unknown outreach kind"),
    (("outreach", "add", "Riverside (fictional)", "--status", "replied"),
     "--status: a new entry starts as drafted or sent"),
])
def test_a_coach_refusal_names_the_option_typed(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str,
                                                rotation_under_way: int, cli_clock: FixedClock, words: tuple[str, ...],
                                                said: str) -> None:
    today = cli_clock.now().date().isoformat()
    before = database_state(db_url)
    refused = run_cli(capsys, *(w.format(r=rotation_under_way, today=today) for w in words), "--db", db_url)
    assert refused.code == 2, refused
    assert refused.err.startswith(f"imgcoach: error: {said.format(r=rotation_under_way)}"), refused.err
    assert database_state(db_url) == before
