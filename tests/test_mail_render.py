"""Rendering reminder e-mails: every kind, strict undefined, escaping, drafts, sandboxed overrides."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from imgcoach.mail.context import REMINDER_KINDS, ROTATION_KINDS, Person
from imgcoach.mail.errors import TemplateError
from imgcoach.mail.render import MailRenderer, builtin_templates_root, mailto_link
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
    if kind != "mid_rotation_feedback":
        for item in ("CV", "Personal statement draft", "Summary of cases"):
            assert f"- {item}" in draft.body
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
    with caplog.at_level(logging.WARNING, logger="imgcoach.mail.render"):
        out = MailRenderer(override_dir=tmp_path).render(sample("thank_you"))
    assert out.subject == "Send a thank-you note to Dr. Jane Okafor"
    assert any("thank_you.subject.j2" in r.getMessage() for r in caplog.records)


def test_override_cannot_include_files_outside_the_template_folders(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    secret = tmp_path.parent / "secret.txt"
    secret.write_text("TOP SECRET")
    (tmp_path / "thank_you.txt.j2").write_text('{% include "../secret.txt" %}')
    out = MailRenderer(override_dir=tmp_path).render(sample("thank_you"))
    assert "TOP SECRET" not in out.text
    assert "Your rotation has ended" in out.text
