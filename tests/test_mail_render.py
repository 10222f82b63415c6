"""Rendering reminder e-mails: every kind, strict undefined, escaping, drafts, sandboxed overrides."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgcoach.reminders.mail.context import REMINDER_KINDS, ROTATION_KINDS, Person
from imgcoach.reminders.mail.errors import TemplateError
from imgcoach.reminders.mail.render import MailRenderer, builtin_templates_root, mailto_link
from tests.mail_samples import ROTATION, sample


@pytest.fixture(scope="module")
def renderer() -> MailRenderer:
    return MailRenderer()


def test_every_kind_ships_subject_text_and_html() -> None:
    root = builtin_templates_root()
    for kind in REMINDER_KINDS:
        for part in ("subject", "txt", "html"):
            assert (root / f"{kind}.{part}.j2").is_file(), f"{kind}.{part}.j2 missing"


@pytest.mark.parametrize("kind", sorted(ROTATION_KINDS))
def test_rotation_kinds_embed_a_supervisor_draft(renderer: MailRenderer, kind: str) -> None:
    out = renderer.render(sample(kind))
    assert "\n" not in out.subject and out.subject
    draft = out.draft
    assert draft is not None and draft.to == "jane.okafor@hospital.example"
    assert draft.body.startswith("Dear Dr. Jane Okafor,")
    for text in (out.text, draft.body):
        assert "Internal Medicine" in text and "Lakeside General Hospital" in text
        assert "1 July 2026" in text and "28 July 2026" in text
        assert "DKA in a 19-year-old" in text
    # Only a letter request names the packet the applicant attaches; a thank-you note asks for nothing.
    for item in ("CV", "Personal statement draft", "Summary of cases"):
        assert (f"- {item}" in draft.body) == kind.startswith("letter_request"), (kind, draft.body)
    assert draft.mailto in out.text
    assert draft.mailto.replace("&", "&amp;") in out.html
    assert "<pre" in out.html and "Dear Dr. Jane Okafor," in out.html


def test_weekly_digest_lists_items_in_the_applicants_zone(renderer: MailRenderer) -> None:
    out = renderer.render(sample("weekly_digest", tz="Asia/Kolkata"))
    assert out.draft is None
    assert "27 July 2026 to 2 August 2026" in out.subject
    assert "Tue 28 July 2026, 19:30 IST: Rotation ends (Lakeside General)" in out.text
    assert "<li><strong>Tue 28 July 2026, 19:30 IST</strong>" in out.html


def test_late_reminder_says_so(renderer: MailRenderer) -> None:
    out = renderer.render(sample("thank_you", late=True))
    assert out.subject.startswith("[late] ")
    assert "LATE: this reminder was due on Wed 29 July 2026, 09:00 EDT" in out.text
    on_time = renderer.render(sample("thank_you"))
    assert "LATE" not in on_time.text and "[late]" not in on_time.subject


def test_html_is_escaped_but_text_is_not(renderer: MailRenderer) -> None:
    rotation = ROTATION.__class__(**{**ROTATION.__dict__, "cases": ("<script>alert(1)</script> & more",)})
    out = renderer.render(sample("letter_request_open", rotation=rotation))
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "<script>alert(1)</script> & more" in out.text


def test_missing_rotation_fails_loudly(renderer: MailRenderer) -> None:
    with pytest.raises(TemplateError, match="has no rotation"):
        renderer.render(sample("thank_you", rotation=None))


def test_undefined_variable_in_a_builtin_template_is_an_error(tmp_path: Path) -> None:
    for entry in builtin_templates_root().iterdir():
        (tmp_path / entry.name).write_text(entry.read_text())
    (tmp_path / "thank_you.subject.j2").write_text("Hi {{ applicant.nickname }}")
    with pytest.raises(TemplateError, match="nickname"):
        MailRenderer(builtin_root=tmp_path).render(sample("thank_you"))


def test_unknown_kind_is_an_error(renderer: MailRenderer) -> None:
    with pytest.raises(TemplateError):
        renderer.render(replace(sample("thank_you"), kind="birthday"))


def test_subject_with_newlines_in_a_name_stays_on_one_line(renderer: MailRenderer) -> None:
    rotation = ROTATION.__class__(**{**ROTATION.__dict__, "supervisor": Person("Dr. X\r\nBcc: a@b.c", "x@y.z")})
    out = renderer.render(sample("thank_you", rotation=rotation))
    assert "\r" not in out.subject and "\n" not in out.subject
    assert out.draft is not None and "\n" not in out.draft.subject


def test_mailto_link_round_trips_subject_and_body() -> None:
    link = mailto_link("jane@x.example", "Letter & thanks?", "Dear Jane,\n\nLine 2 = ok")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "jane@x.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Letter & thanks?"]
    assert query["body"] == ["Dear Jane,\r\n\r\nLine 2 = ok"]
    assert "%0D%0A" in link


def test_user_override_is_used(tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "thank_you.subject.j2").write_text("Custom: thank {{ rotation.supervisor.name }}")
    (tmp_path / "_supervisor_draft.txt.j2").write_text("Hi {{ rotation.supervisor.name }}, thanks!")
    out = MailRenderer(override_dir=tmp_path).render(sample("thank_you"))
    assert out.subject == "Custom: thank Dr. Jane Okafor"
    assert out.draft is not None and out.draft.body == "Hi Dr. Jane Okafor, thanks!\n"
    assert "Hi Dr. Jane Okafor, thanks!" in out.text  # built-in body, overridden partial


@pytest.mark.parametrize(
    "source",
    [
        "{% if %}broken",  # syntax error
        "{{ applicant.no_such_field }}",  # StrictUndefined
        "{{ applicant.__class__.__mro__ }}",  # sandbox refuses private attributes
        "{{ ''.__class__.__subclasses__() }}",
    ],
)
def test_broken_override_falls_back_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   source: str) -> None:
    (tmp_path / "thank_you.subject.j2").write_text(source)
    with caplog.at_level(logging.WARNING, logger="imgcoach.reminders.mail.render"):
        out = MailRenderer(override_dir=tmp_path).render(sample("thank_you"))
    assert out.subject == "Thank-you note to Dr. Jane Okafor"
    assert any("thank_you.subject.j2" in r.getMessage() for r in caplog.records)


def test_override_cannot_include_files_outside_the_template_folders(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path.parent / "secret.txt"
    secret.write_text("TOP SECRET")
    (tmp_path / "thank_you.txt.j2").write_text('{% include "../secret.txt" %}')
    out = MailRenderer(override_dir=tmp_path).render(sample("thank_you"))
    assert "TOP SECRET" not in out.text
    assert "Your rotation has ended" in out.text


@pytest.mark.parametrize("kind", REMINDER_KINDS)
def test_every_kind_renders_from_its_sample_under_strict_undefined(renderer: MailRenderer, kind: str) -> None:
    for late in (False, True):
        out = renderer.render(sample(kind, late=late))
        assert out.subject and "\n" not in out.subject and out.text.strip() and "<html" in out.html


def test_outreach_follow_up_renders_without_a_rotation_and_embeds_the_stored_draft(renderer: MailRenderer) -> None:
    out = renderer.render(sample("outreach_follow_up"))
    assert out.subject == "Outreach follow-up: Riverside Clinic (synthetic)"
    assert out.draft is not None and out.draft.to == "coord@clinic.example" and out.draft.to_name == "Ms. Lee"
    assert "You wrote to Riverside Clinic (synthetic) on 1 July 2026" in out.text
    assert "To:      Ms. Lee <coord@clinic.example>" in out.text
    assert "I am following up on my e-mail of 1 July" in out.text
    assert out.draft.mailto in out.text and out.draft.mailto.replace("&", "&amp;") in out.html
    assert "imgcoach outreach set-status 3 replied" in out.text
    query = parse_qs(urlsplit(out.draft.mailto).query)
    assert query["subject"] == ["Re: Observership request: Amira Haddad"]
    # The entry may be gone (deleted): the reminder still renders from its payload.
    bare = renderer.render(sample("outreach_follow_up", outreach=None))
    assert bare.subject == "Outreach follow-up: Ms. Lee" and "set-status" not in bare.text


def test_progress_update_is_the_stored_message_itself(renderer: MailRenderer) -> None:
    out = renderer.render(sample("progress_update"))
    assert out.subject == "Re: Observership request: Amira Haddad"
    assert out.text == "Dear Ms. Lee,\n\nI am following up on my e-mail of 1 July about an observership.\n\n" \
                       "Kind regards,\nAmira\n"
    assert "Hello Amira" not in out.html and "Dear Ms. Lee," in out.html


@pytest.mark.parametrize("kind", ["outreach_follow_up", "progress_update"])
def test_payload_kinds_without_a_draft_fail_loudly(renderer: MailRenderer, kind: str) -> None:
    with pytest.raises(TemplateError, match="no draft"):
        renderer.render(sample(kind, draft=None))


def test_html_of_a_stored_draft_is_escaped(renderer: MailRenderer) -> None:
    from tests.mail_samples import FOLLOW_UP_DRAFT

    evil = replace(FOLLOW_UP_DRAFT, body="<img src=x onerror=alert(1)> & co")
    for kind in ("outreach_follow_up", "progress_update"):
        out = renderer.render(sample(kind, draft=evil))
        assert "<img" not in out.html and "&lt;img src=x" in out.html


def test_weekly_digest_shows_whole_days_and_shortlist_changes(renderer: MailRenderer) -> None:
    from datetime import UTC, date, datetime

    from imgcoach.reminders.mail.context import Digest, DigestItem

    digest = Digest(
        week_start=date(2026, 11, 23), week_end=date(2026, 11, 29),
        items=(DigestItem(datetime(2026, 11, 28, 5, tzinfo=UTC), "Exam: OET", all_day=True),),
        shortlist=("140-01 entered your shortlist (target): Step 2 CK 250",),
    )
    out = renderer.render(sample("weekly_digest", digest=digest))
    assert "- Sat 28 November 2026: Exam: OET\n" in out.text
    assert "Shortlist changes since your last digest:\n- 140-01 entered your shortlist" in out.text
    assert "<li>140-01 entered your shortlist (target): Step 2 CK 250</li>" in out.html
    empty = renderer.render(sample("weekly_digest", digest=Digest(date(2026, 11, 23), date(2026, 11, 29))))
    assert "Nothing is scheduled this week." in empty.text and "Shortlist" not in empty.text


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_fast_mailto_quoting_matches_urllib(text: str) -> None:
    from urllib.parse import quote

    from imgcoach.reminders.mail.render import _quote

    try:
        expected = quote(text, safe="")
    except UnicodeEncodeError:  # lone surrogates cannot be e-mailed either way
        return
    assert _quote(text) == expected


def test_an_override_added_while_the_daemon_runs_is_picked_up(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import imgcoach.reminders.mail.render as render_module

    renderer = MailRenderer(override_dir=tmp_path)
    assert renderer.render(sample("thank_you")).subject == "Thank-you note to Dr. Jane Okafor"
    (tmp_path / "thank_you.subject.j2").write_text("Custom thanks")
    assert renderer.render(sample("thank_you")).subject != "Custom thanks"  # not re-scanned yet
    monkeypatch.setattr(render_module, "OVERRIDE_RECHECK", 0.0)
    assert renderer.render(sample("thank_you")).subject == "Custom thanks"


@pytest.mark.parametrize("kind", REMINDER_KINDS)
def test_a_kept_rendering_equals_a_fresh_one(kind: str) -> None:
    """The daemon's renderer keeps each built-in template's output per input and fills in reminder_id: a
    second reminder of the same applicant and rotation (another id, zone or lateness) reads exactly as if
    rendered alone."""
    kept = MailRenderer()
    variants = [sample(kind, reminder_id=7), sample(kind, reminder_id=8), sample(kind, reminder_id=1234, late=True),
                sample(kind, reminder_id=9, tz="Asia/Kolkata"), sample(kind, reminder_id=7)]
    for mail in variants:
        assert kept.render(mail) == MailRenderer().render(mail)
    text = kept.render(sample(kind, reminder_id=1234)).text
    if kind in ROTATION_KINDS:
        assert "approve 1234" in text and "approve 7" not in text


def test_undefined_reminder_id_is_still_an_error(tmp_path: Path) -> None:
    """The id is filled in after rendering, but a template printing it still needs it in the context."""
    renderer = MailRenderer()
    context = renderer._context(sample("thank_you"))
    del context["reminder_id"]
    context["draft"] = renderer.render_draft(sample("thank_you"))
    with pytest.raises(TemplateError, match="reminder_id"):
        renderer._render("_draft_section.txt.j2", context)


def test_a_builtin_template_is_looked_up_once_not_for_every_message() -> None:
    """The daemon renders five templates a message: jinja2's get_template (a look-up under a lock) ran for each of
    them every message. The renderer keeps its built-in templates, which never reload; each message still gets
    its own reminder id."""
    renderer = MailRenderer()
    looked_up: list[str] = []
    original = renderer._builtin.get_template

    def get_template(name: str, *args: object, **kwargs: object) -> object:
        looked_up.append(name)
        return original(name, *args, **kwargs)  # type: ignore[arg-type]

    renderer._builtin.get_template = get_template  # type: ignore[method-assign]
    first = renderer.render(sample("thank_you", reminder_id=1))
    after_first = len(looked_up)
    later = [renderer.render(sample("thank_you", reminder_id=i)) for i in range(2, 12)]
    assert after_first >= 3  # subject, text, html (and what they include)
    assert len(looked_up) == after_first
    for i, out in enumerate([first, *later], start=1):
        assert f"imgcoach reminders approve {i}`" in out.text
