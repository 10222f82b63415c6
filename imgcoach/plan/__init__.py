"""The applicant's plan: profile, exams, rotations, study blocks, contacts, letters and cases.

The public API below is what faces and other features may import (import-linter checks it). It is
lazy (PEP 562, see imgcoach.core.lazy) so that importing a light name does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgcoach.core.lazy import lazy_api

if TYPE_CHECKING:
    from imgcoach.plan.cases import add_case, edit_case, remove_case
    from imgcoach.plan.exams import STORED_NAMES as EXAM_NAMES
    from imgcoach.plan.exams import add_exam, list_exams, remove_exam
    from imgcoach.plan.letters import (
        LetterCard,
        LetterDraft,
        edit_letter,
        letter_board,
        letter_draft,
        move_letter,
        remove_letter,
    )
    from imgcoach.plan.people import (
        ContactUse,
        add_contact,
        add_letter_request,
        contact_use,
        edit_contact,
        list_contacts,
        list_letters,
        remove_contact,
        set_letter_status,
    )
    from imgcoach.plan.plan import calendar_event, change_marker, load_plan
    from imgcoach.plan.profile import NO_PROFILE, get_profile, set_profile
    from imgcoach.plan.quick import read_plan_quickly
    from imgcoach.plan.rotations import (
        add_rotation,
        edit_rotation,
        list_rotations,
        overlap_warnings,
        pending_reminders_of,
        remove_rotation,
        rotation_detail,
        validate_rotation,
    )
    from imgcoach.plan.rules.conflicts import Conflict, find_conflicts
    from imgcoach.plan.rules.dates import default_end, parse_day
    from imgcoach.plan.rules.exam_standing import exam_standing
    from imgcoach.plan.rules.load import OVERLOAD_HOURS, monday_of, weekly_load
    from imgcoach.plan.rules.studyplan import day_names
    from imgcoach.plan.rules.validation import MAX_DATE, MIN_DATE
    from imgcoach.plan.rules.visa import H1B_STEP3_SOURCE, h1b_step3_warning
    from imgcoach.plan.rules.vocab import (
        CASE_TAGS,
        CONTACT_ROLES,
        EXAM_RESULTS,
        LETTER_STATUSES,
        ROTATION_KINDS,
        SETTINGS,
        VISAS,
        parse_case_tags,
    )
    from imgcoach.plan.study import (
        accept_plan,
        add_study_block,
        add_study_blocks,
        edit_study_block,
        list_study_blocks,
        propose_plan,
        remove_study_block,
        study_block_detail,
        validate_study_block,
    )

_HOMES = {
    "MAX_DATE": ("rules.validation", "MAX_DATE"),
    "MIN_DATE": ("rules.validation", "MIN_DATE"),
    "overlap_warnings": ("rotations", "overlap_warnings"),
    "EXAM_NAMES": ("exams", "STORED_NAMES"),
    "H1B_STEP3_SOURCE": ("rules.visa", "H1B_STEP3_SOURCE"),
    "h1b_step3_warning": ("rules.visa", "h1b_step3_warning"),
    "exam_standing": ("rules.exam_standing", "exam_standing"),
    "default_end": ("rules.dates", "default_end"),
    "parse_day": ("rules.dates", "parse_day"),
    "NO_PROFILE": ("profile", "NO_PROFILE"),
    "get_profile": ("profile", "get_profile"),
    "set_profile": ("profile", "set_profile"),
    "read_plan_quickly": ("quick", "read_plan_quickly"),
    "list_exams": ("exams", "list_exams"),
    "add_exam": ("exams", "add_exam"),
    "remove_exam": ("exams", "remove_exam"),
    "list_rotations": ("rotations", "list_rotations"),
    "add_rotation": ("rotations", "add_rotation"),
    "edit_rotation": ("rotations", "edit_rotation"),
    "remove_rotation": ("rotations", "remove_rotation"),
    "rotation_detail": ("rotations", "rotation_detail"),
    "pending_reminders_of": ("rotations", "pending_reminders_of"),
    "validate_rotation": ("rotations", "validate_rotation"),
    "list_study_blocks": ("study", "list_study_blocks"),
    "add_study_block": ("study", "add_study_block"),
    "add_study_blocks": ("study", "add_study_blocks"),
    "edit_study_block": ("study", "edit_study_block"),
    "remove_study_block": ("study", "remove_study_block"),
    "validate_study_block": ("study", "validate_study_block"),
    "list_contacts": ("people", "list_contacts"),
    "add_contact": ("people", "add_contact"),
    "list_letters": ("people", "list_letters"),
    "add_letter_request": ("people", "add_letter_request"),
    "set_letter_status": ("people", "set_letter_status"),
    "add_case": ("cases", "add_case"),
    "change_marker": ("plan", "change_marker"),
    "LetterCard": ("letters", "LetterCard"),
    "LetterDraft": ("letters", "LetterDraft"),
    "letter_board": ("letters", "letter_board"),
    "letter_draft": ("letters", "letter_draft"),
    "move_letter": ("letters", "move_letter"),
    "propose_plan": ("study", "propose_plan"),
    "accept_plan": ("study", "accept_plan"),
    "study_block_detail": ("study", "study_block_detail"),
    "calendar_event": ("plan", "calendar_event"),
    "ContactUse": ("people", "ContactUse"),
    "contact_use": ("people", "contact_use"),
    "edit_contact": ("people", "edit_contact"),
    "remove_contact": ("people", "remove_contact"),
    "edit_letter": ("letters", "edit_letter"),
    "remove_letter": ("letters", "remove_letter"),
    "edit_case": ("cases", "edit_case"),
    "remove_case": ("cases", "remove_case"),
    "load_plan": ("plan", "load_plan"),
    "VISAS": ("rules.vocab", "VISAS"),
    "ROTATION_KINDS": ("rules.vocab", "ROTATION_KINDS"),
    "SETTINGS": ("rules.vocab", "SETTINGS"),
    "CONTACT_ROLES": ("rules.vocab", "CONTACT_ROLES"),
    "LETTER_STATUSES": ("rules.vocab", "LETTER_STATUSES"),
    "CASE_TAGS": ("rules.vocab", "CASE_TAGS"),
    "EXAM_RESULTS": ("rules.vocab", "EXAM_RESULTS"),
    "parse_case_tags": ("rules.vocab", "parse_case_tags"),
    "OVERLOAD_HOURS": ("rules.load", "OVERLOAD_HOURS"),
    "monday_of": ("rules.load", "monday_of"),
    "weekly_load": ("rules.load", "weekly_load"),
    "Conflict": ("rules.conflicts", "Conflict"),
    "find_conflicts": ("rules.conflicts", "find_conflicts"),
    "day_names": ("rules.studyplan", "day_names"),
}

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "overlap_warnings",
    "EXAM_NAMES",
    "H1B_STEP3_SOURCE",
    "h1b_step3_warning",
    "exam_standing",
    "default_end",
    "parse_day",
    "NO_PROFILE",
    "get_profile",
    "set_profile",
    "read_plan_quickly",
    "list_exams",
    "add_exam",
    "remove_exam",
    "list_rotations",
    "add_rotation",
    "edit_rotation",
    "remove_rotation",
    "rotation_detail",
    "pending_reminders_of",
    "validate_rotation",
    "list_study_blocks",
    "add_study_block",
    "add_study_blocks",
    "edit_study_block",
    "remove_study_block",
    "validate_study_block",
    "list_contacts",
    "add_contact",
    "list_letters",
    "add_letter_request",
    "set_letter_status",
    "add_case",
    "change_marker",
    "LetterCard",
    "LetterDraft",
    "letter_board",
    "letter_draft",
    "move_letter",
    "propose_plan",
    "accept_plan",
    "study_block_detail",
    "calendar_event",
    "ContactUse",
    "contact_use",
    "edit_contact",
    "remove_contact",
    "edit_letter",
    "remove_letter",
    "edit_case",
    "remove_case",
    "load_plan",
    "VISAS",
    "ROTATION_KINDS",
    "SETTINGS",
    "CONTACT_ROLES",
    "LETTER_STATUSES",
    "CASE_TAGS",
    "EXAM_RESULTS",
    "parse_case_tags",
    "OVERLOAD_HOURS",
    "monday_of",
    "weekly_load",
    "Conflict",
    "find_conflicts",
    "day_names",
]

__getattr__, __dir__ = lazy_api(__name__, _HOMES)
