"""The queries `imgcoach db check` runs to find rows that link two applicants, as SQLite text (generated).

Why generated: the quick read of `db check` (storage.quickcheck, issue 17) runs them with sqlite3 alone, but the
rule is storage.ownership's, read from the models' foreign keys; this file is written from it and
tests/test_cli_quickread.py fails when the two disagree. After changing a model, regenerate it:

    .venv/bin/python -m imgcoach.storage.cross_link_sql

Each query returns a row only when some row's foreign key names another applicant's row.
"""

from __future__ import annotations

# BEGIN GENERATED (python -m imgcoach.storage.cross_link_sql)
CROSS_LINK_PROBES: tuple[str, ...] = (
    'SELECT calendar_event.applicant_id, target_calendar_source.id, target_calendar_source.applicant_id AS applicant_id_1, calendar_event.id AS id_1 \nFROM calendar_event JOIN calendar_source AS target_calendar_source ON target_calendar_source.id = calendar_event.source_id \nWHERE calendar_event.applicant_id != target_calendar_source.applicant_id ORDER BY calendar_event.id\n LIMIT 1 OFFSET 0',
    'SELECT shortlist_entry.applicant_id, target_shortlist_run.id, target_shortlist_run.applicant_id AS applicant_id_1, shortlist_entry.id AS id_1 \nFROM shortlist_entry JOIN shortlist_run AS target_shortlist_run ON target_shortlist_run.id = shortlist_entry.run_id \nWHERE shortlist_entry.applicant_id != target_shortlist_run.applicant_id ORDER BY shortlist_entry.id\n LIMIT 1 OFFSET 0',
    'SELECT rotation.applicant_id, target_calendar_event.id, target_calendar_event.applicant_id AS applicant_id_1, rotation.id AS id_1 \nFROM rotation JOIN calendar_event AS target_calendar_event ON target_calendar_event.id = rotation.source_event_id \nWHERE rotation.applicant_id != target_calendar_event.applicant_id ORDER BY rotation.id\n LIMIT 1 OFFSET 0',
    'SELECT coach_outreach.applicant_id, target_rotation.id, target_rotation.applicant_id AS applicant_id_1, coach_outreach.id AS id_1 \nFROM coach_outreach JOIN rotation AS target_rotation ON target_rotation.id = coach_outreach.rotation_id \nWHERE coach_outreach.applicant_id != target_rotation.applicant_id ORDER BY coach_outreach.id\n LIMIT 1 OFFSET 0',
    'SELECT coach_project.applicant_id, target_rotation.id, target_rotation.applicant_id AS applicant_id_1, coach_project.id AS id_1 \nFROM coach_project JOIN rotation AS target_rotation ON target_rotation.id = coach_project.rotation_id \nWHERE coach_project.applicant_id != target_rotation.applicant_id ORDER BY coach_project.id\n LIMIT 1 OFFSET 0',
    'SELECT letter_request.applicant_id, target_rotation.id, target_rotation.applicant_id AS applicant_id_1, letter_request.id AS id_1 \nFROM letter_request JOIN rotation AS target_rotation ON target_rotation.id = letter_request.rotation_id \nWHERE letter_request.applicant_id != target_rotation.applicant_id ORDER BY letter_request.id\n LIMIT 1 OFFSET 0',
    'SELECT letter_request.applicant_id, target_contact.id, target_contact.applicant_id AS applicant_id_1, letter_request.id AS id_1 \nFROM letter_request JOIN contact AS target_contact ON target_contact.id = letter_request.writer_id \nWHERE letter_request.applicant_id != target_contact.applicant_id ORDER BY letter_request.id\n LIMIT 1 OFFSET 0',
    'SELECT owner_rotation.applicant_id, target_contact.id, target_contact.applicant_id AS applicant_id_1, rotation_contact.id AS id_1 \nFROM rotation_contact JOIN rotation AS owner_rotation ON owner_rotation.id = rotation_contact.rotation_id JOIN contact AS target_contact ON target_contact.id = rotation_contact.contact_id \nWHERE owner_rotation.applicant_id != target_contact.applicant_id ORDER BY rotation_contact.id\n LIMIT 1 OFFSET 0',
    'SELECT reminder.applicant_id, target_rotation.id, target_rotation.applicant_id AS applicant_id_1, reminder.id AS id_1 \nFROM reminder JOIN rotation AS target_rotation ON target_rotation.id = reminder.rotation_id \nWHERE reminder.applicant_id != target_rotation.applicant_id ORDER BY reminder.id\n LIMIT 1 OFFSET 0',
    'SELECT reminder.applicant_id, target_letter_request.id, target_letter_request.applicant_id AS applicant_id_1, reminder.id AS id_1 \nFROM reminder JOIN letter_request AS target_letter_request ON target_letter_request.id = reminder.letter_id \nWHERE reminder.applicant_id != target_letter_request.applicant_id ORDER BY reminder.id\n LIMIT 1 OFFSET 0',
)
# END GENERATED


def current_probes() -> tuple[str, ...]:
    """The probes as storage.ownership builds them now (imports the models: tooling and tests only)."""
    from imgcoach.storage.models import register_all
    from imgcoach.storage.ownership import cross_link_probes

    register_all()

    return cross_link_probes()


def main() -> None:
    """Rewrite the generated part of this file from storage.ownership."""
    import re
    from pathlib import Path

    path = Path(__file__)
    listed = "".join(f"    {sql!r},\n" for sql in current_probes())
    text = re.sub(r"(# BEGIN GENERATED[^\n]*\n).*?(# END GENERATED)",
                  lambda m: m.group(1) + "CROSS_LINK_PROBES: tuple[str, ...] = (\n" + listed + ")\n" + m.group(2),
                  path.read_text(encoding="utf-8"), count=1, flags=re.DOTALL)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
