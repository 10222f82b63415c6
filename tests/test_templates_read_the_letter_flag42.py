"""The e-mail templates named the letter-request kinds themselves (`kind in ("letter_request_open",
"letter_request_last_call")`, three times), beside the one constant (reminders.rules.LETTER_KINDS) that sync, the
Outbox and the addressees read: a kind added there would have left the templates behind. They read a context
flag now, `letter_request`, computed from the constant. The rendered e-mails are unchanged (byte for byte, on
every demo reminder, checked when the flag came in; the render tests hold the words).
"""

from __future__ import annotations

import re

from imgcoach.reminders.mail.context import REMINDER_KINDS
from imgcoach.reminders.mail.render import MailRenderer, builtin_templates_root
from imgcoach.reminders.rules import LETTER_KINDS
from tests.mail_samples import sample


def test_no_template_lists_the_letter_kinds() -> None:
    root = builtin_templates_root()
    spelled = {t.name: [k for k in LETTER_KINDS if re.search(rf"kind\s+in\s*\([^)]*{k}", t.read_text())]
               for t in root.iterdir() if t.name.endswith(".j2")}
    assert len(spelled) > 10
    assert {name: kinds for name, kinds in spelled.items() if kinds} == {}


def test_the_flag_is_the_constant() -> None:
    renderer = MailRenderer()
    flags = {kind: renderer._context(sample(kind))["letter_request"] for kind in REMINDER_KINDS}
    assert {kind for kind, flag in flags.items() if flag} == set(LETTER_KINDS)
