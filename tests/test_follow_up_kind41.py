"""The outreach follow-up's kind is spelled once (reminders.kinds.FOLLOW_UP_KIND).

It was spelled in four places (coach.outreach_actions, reminders/mail/digest.py, reminders/digest.py and the
outbox's approval refusal, which told a follow-up by the literal): a rename in one would have left the digest
listing follow-ups as plain reminders, or the refusal telling the applicant there was nothing to send.
"""

from __future__ import annotations

import re
from pathlib import Path

import imgcoach


def test_the_kind_is_spelled_in_one_place_only() -> None:
    root = Path(imgcoach.__file__).parent
    spelled = sorted(str(path.relative_to(root)) for path in root.rglob("*.py")
                     if re.search(r"""["']outreach_follow_up["']""", path.read_text(encoding="utf-8")))
    assert spelled == ["reminders/kinds.py"], spelled


def test_every_reader_names_the_one_constant() -> None:
    from imgcoach.coach import outreach_actions
    from imgcoach.reminders import FOLLOW_UP_KIND, reminder_label
    from imgcoach.reminders.mail.context import PAYLOAD_DRAFT_KINDS, REMINDER_KINDS

    assert outreach_actions.FOLLOW_UP_KIND is FOLLOW_UP_KIND
    assert FOLLOW_UP_KIND in PAYLOAD_DRAFT_KINDS and FOLLOW_UP_KIND in REMINDER_KINDS
    assert reminder_label(FOLLOW_UP_KIND) == "Outreach follow-up"
