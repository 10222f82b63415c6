"""The columns of every table as the SQLModel models declare them, for readers that do not import SQLAlchemy.

Why generated: the CLI's quick list commands (storage.quicklist) read rows with sqlite3 or psycopg alone
(issue 17: importing SQLAlchemy and SQLModel costs more than a whole read command may take), yet they must
print exactly what the models would. A hand-written second copy of the models would drift; this file is
written from the models, and tests/test_cli_quickread.py fails when the two disagree. After changing a
model, regenerate it:

    .venv/bin/python -m imgcoach.storage.columns

Each table maps to its columns in the model's field order (the order `--json` prints), each as
(name, kind, nullable). Kinds: "int", "float", "str", "bool", "date", "utc" (a UTCDateTime: naive UTC
stored, aware UTC read), "datetime" (any other date-time), "json".
"""

from __future__ import annotations

from typing import Any

Column = tuple[str, str, bool]

# BEGIN GENERATED (python -m imgcoach.storage.columns)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "applicant": (
        ("id", "int", False),
        ("name", "str", False),
        ("email", "str", False),
        ("timezone", "str", False),
        ("school", "str", False),
        ("school_country", "str", False),
        ("graduation_year", "int", True),
        ("visa", "str", False),
        ("us_citizen", "bool", False),
        ("us_citizen_said", "bool", False),
        ("target_specialties", "json", False),
        ("target_countries", "json", False),
        ("target_states", "json", False),
        ("home_states", "json", False),
        ("cv_path", "str", False),
        ("personal_statement_path", "str", False),
        ("application_budget_programs", "int", True),
        ("application_budget_usd", "float", True),
        ("synthetic", "bool", False),
        ("created_at", "utc", True),
        ("updated_at", "utc", True),
        ("version", "int", False),
    ),
    "calendar_event": (
        ("id", "int", False),
        ("source_id", "int", False),
        ("applicant_id", "int", False),
        ("uid", "str", False),
        ("recurrence_id", "str", False),
        ("component", "str", False),
        ("summary", "str", False),
        ("description", "str", False),
        ("location", "str", False),
        ("categories", "json", False),
        ("all_day", "bool", False),
        ("start_at", "utc", True),
        ("end_at", "utc", True),
        ("start_date", "date", True),
        ("end_date", "date", True),
        ("tzid", "str", False),
        ("floating", "bool", False),
        ("wall_start", "str", False),
        ("wall_end", "str", False),
        ("wall_length", "str", False),
        ("zone_assumed", "str", False),
        ("status", "str", False),
        ("sequence", "int", False),
        ("suggested_kind", "str", False),
        ("mapped_kind", "str", False),
        ("mapped_id", "int", True),
        ("link_only", "bool", False),
    ),
    "calendar_feed": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("path", "str", False),
        ("sha256", "str", False),
        ("written_at", "utc", True),
    ),
    "calendar_import": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("file", "str", False),
        ("imported_at", "utc", False),
        ("created", "int", False),
        ("updated", "int", False),
        ("removed", "int", False),
        ("plan_items", "int", False),
        ("undone_at", "utc", True),
        ("journal", "str", False),
        ("linked", "int", True),
    ),
    "calendar_source": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("path", "str", False),
        ("name", "str", False),
        ("sha256", "str", False),
        ("events", "int", False),
        ("imported_at", "utc", True),
    ),
    "case_note": (
        ("id", "int", False),
        ("rotation_id", "int", False),
        ("title", "str", False),
        ("summary", "str", False),
        ("tags", "json", False),
        ("occurred_on", "date", True),
    ),
    "coach_moment": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("kind", "str", False),
        ("on", "date", False),
        ("detail", "str", False),
        ("created_at", "utc", True),
    ),
    "coach_outreach": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("institution", "str", False),
        ("department", "str", False),
        ("specialty", "str", False),
        ("kind", "str", False),
        ("coordinator", "str", False),
        ("contact_email", "str", False),
        ("status", "str", False),
        ("written_on", "date", True),
        ("last_sent_on", "date", True),
        ("follow_ups_sent", "int", False),
        ("cost_usd", "float", True),
        ("visa_requirement", "str", False),
        ("role_in_writing", "bool", False),
        ("verified_legitimate", "bool", False),
        ("notes", "str", False),
        ("rotation_id", "int", True),
        ("created_at", "utc", True),
        ("updated_at", "utc", True),
    ),
    "coach_project": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("rotation_id", "int", True),
        ("kind", "str", False),
        ("title", "str", False),
        ("supervisor", "str", False),
        ("status", "str", False),
    ),
    "coach_weekly_entry": (
        ("id", "int", False),
        ("rotation_id", "int", False),
        ("week_of", "date", False),
        ("hours", "float", False),
        ("activities", "str", False),
        ("procedures_observed", "json", False),
        ("procedures_performed", "json", False),
        ("presentations", "json", False),
        ("feedback", "str", False),
        ("change_after_feedback", "str", False),
    ),
    "contact": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("name", "str", False),
        ("title", "str", False),
        ("email", "str", False),
        ("phone", "str", False),
        ("institution", "str", False),
        ("notes", "str", False),
        ("version", "int", False),
    ),
    "daemon_state": (
        ("owner", "str", False),
        ("host", "str", False),
        ("pid", "int", False),
        ("poll_seconds", "float", False),
        ("started_at", "utc", False),
        ("heartbeat_at", "utc", False),
        ("last_run_at", "utc", True),
        ("stopped_at", "utc", True),
        ("sent", "int", False),
        ("failed", "int", False),
        ("last_error", "str", False),
        ("last_error_at", "utc", True),
        ("paused_until", "utc", True),
        ("delivers_to", "str", False),
    ),
    "exam_result": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("exam", "str", False),
        ("taken_on", "date", False),
        ("score", "int", True),
        ("result", "str", True),
        ("sub_scores", "str", True),
        ("attempt", "int", False),
        ("calendar_uid", "str", True),
        ("version", "int", False),
    ),
    "letter_request": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("rotation_id", "int", True),
        ("writer_id", "int", False),
        ("status", "str", False),
        ("requested_on", "date", True),
        ("agreed_on", "date", True),
        ("uploaded_on", "date", True),
        ("declined_on", "date", True),
        ("due_on", "date", True),
        ("eras_letter_id", "str", False),
        ("notes", "str", False),
        ("calendar_uid", "str", True),
        ("updated_at", "utc", True),
    ),
    "program": (
        ("id", "str", False),
        ("name", "str", False),
        ("specialty", "str", False),
        ("institution", "str", False),
        ("city", "str", False),
        ("state", "str", False),
        ("program_type", "str", False),
        ("positions", "int", True),
        ("source", "str", False),
        ("checked_on", "date", True),
        ("facts", "json", False),
        ("field_sources", "json", False),
        ("last_import_id", "int", True),
        ("updated_at", "utc", True),
    ),
    "program_change": (
        ("id", "int", False),
        ("import_id", "int", False),
        ("program_id", "str", False),
        ("field", "str", False),
        ("old", "str", False),
        ("new", "str", False),
    ),
    "program_import": (
        ("id", "int", False),
        ("source", "str", False),
        ("imported_at", "utc", True),
        ("added", "int", False),
        ("updated", "int", False),
        ("unchanged", "int", False),
        ("skipped", "int", False),
    ),
    "program_override": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("program_id", "str", False),
        ("field", "str", False),
        ("value", "str", False),
        ("note", "str", False),
        ("created_at", "utc", True),
    ),
    "read_answer": (
        ("command", "str", False),
        ("subject", "int", False),
        ("key", "str", False),
        ("output", "str", False),
        ("stored_at", "utc", True),
    ),
    "read_version": (
        ("name", "str", False),
        ("n", "int", False),
    ),
    "reminder": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("key", "str", False),
        ("kind", "str", False),
        ("template_key", "str", False),
        ("rotation_id", "int", True),
        ("letter_id", "int", True),
        ("recipient", "str", False),
        ("due_at", "utc", False),
        ("expires_at", "utc", True),
        ("status", "str", False),
        ("attempts", "int", False),
        ("last_error", "str", False),
        ("next_attempt_at", "utc", True),
        ("claimed_by", "str", False),
        ("lease_until", "utc", True),
        ("message_id", "str", False),
        ("calendar_uid", "str", False),
        ("sent_at", "utc", True),
        ("late", "bool", False),
        ("delivered_via", "str", False),
        ("unknown_outcomes", "int", False),
        ("note", "str", False),
        ("payload", "json", False),
        ("requires_approval", "bool", False),
        ("approved_at", "utc", True),
        ("created_at", "utc", True),
        ("updated_at", "utc", True),
    ),
    "rotation": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("kind", "str", False),
        ("specialty", "str", False),
        ("institution", "str", False),
        ("department", "str", False),
        ("city", "str", False),
        ("state", "str", False),
        ("country", "str", False),
        ("start_date", "date", False),
        ("end_date", "date", False),
        ("setting", "str", False),
        ("hours_per_week", "int", False),
        ("hours_assumed", "bool", False),
        ("hands_on", "bool", False),
        ("responsibilities", "str", False),
        ("learned", "str", False),
        ("feedback_requested_on", "date", True),
        ("source_event_id", "int", True),
        ("calendar_uid", "str", True),
        ("created_at", "utc", True),
        ("updated_at", "utc", True),
        ("version", "int", False),
    ),
    "rotation_contact": (
        ("id", "int", False),
        ("rotation_id", "int", False),
        ("contact_id", "int", False),
        ("role", "str", False),
    ),
    "shortlist_entry": (
        ("id", "int", False),
        ("run_id", "int", False),
        ("applicant_id", "int", False),
        ("program_id", "str", False),
        ("position", "int", False),
        ("tier", "str", False),
        ("probability", "float", True),
        ("status", "str", False),
        ("fee_usd", "float", False),
        ("gain", "float", False),
        ("reasons", "json", False),
        ("unknown_fields", "json", False),
        ("computed_at", "utc", True),
    ),
    "shortlist_run": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("computed_at", "utc", True),
        ("trigger", "str", False),
        ("budget_programs", "int", True),
        ("budget_usd", "float", True),
        ("chance", "float", False),
        ("total_fee_usd", "float", False),
        ("eligible_count", "int", False),
        ("excluded_count", "int", False),
        ("model_version", "str", False),
        ("changes", "json", False),
        ("inputs", "json", False),
        ("seen_at", "utc", True),
    ),
    "study_block": (
        ("id", "int", False),
        ("applicant_id", "int", False),
        ("exam", "str", False),
        ("start_date", "date", False),
        ("end_date", "date", False),
        ("hours_per_week", "int", False),
        ("weekly_goal", "str", False),
        ("calendar_uid", "str", True),
        ("version", "int", False),
    ),
}
# END GENERATED


def _kind(column_type: object) -> str:
    """The reader's kind of a SQLAlchemy column type (imports SQLAlchemy: tooling and tests only)."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, Text
    from sqlmodel.sql.sqltypes import AutoString

    from imgcoach.storage.types import UTCDateTime

    for types, kind in ((UTCDateTime, "utc"), (DateTime, "datetime"), (Date, "date"), (Boolean, "bool"),
                        (Integer, "int"), ((Float, Numeric), "float"), (JSON, "json"),
                        ((String, Text, AutoString), "str")):
        if isinstance(column_type, types):
            return kind
    raise TypeError(f"no reader kind for column type {column_type!r}: add one to storage.columns._kind")


def model_columns() -> dict[str, tuple[Column, ...]]:
    """Every table's columns as the models declare them (imports the models: tooling and tests only)."""
    from sqlmodel import SQLModel

    from imgcoach.storage.models import register_all

    register_all()

    tables: dict[str, tuple[Column, ...]] = {}
    models: dict[str, Any] = {mapper.class_.__tablename__: mapper.class_ for mapper in SQLModel._sa_registry.mappers}
    for name in sorted(models):
        model, table = models[name], models[name].__table__
        names = [field for field in model.model_fields if field in table.c]
        names += [c.name for c in table.c if c.name not in names]
        tables[table.name] = tuple((field, _kind(table.c[field].type), bool(table.c[field].nullable))
                                   for field in names)
    return tables


def render(tables: dict[str, tuple[Column, ...]]) -> str:
    lines = ["COLUMNS: dict[str, tuple[Column, ...]] = {"]
    for name, columns in tables.items():
        lines.append(f"    {name!r}: (")
        lines += [f"        ({column!r}, {kind!r}, {nullable!r})," for column, kind, nullable in columns]
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines).replace("'", '"') + "\n"


def main() -> None:
    """Rewrite the generated part of this file from the models."""
    import re
    from pathlib import Path

    path = Path(__file__)
    text = re.sub(r"(# BEGIN GENERATED[^\n]*\n).*?(# END GENERATED)",
                  lambda m: m.group(1) + render(model_columns()) + m.group(2),
                  path.read_text(encoding="utf-8"), count=1, flags=re.DOTALL)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
