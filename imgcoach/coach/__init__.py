"""The coach: readiness checks, outreach pipeline, rotation log and application materials.

Everything in this package is pure (plain dataclasses in, plain values out, ``today`` injected) so the
CLI, the TUI and the services share one set of rules and the tests need no database.


The public API below is what faces and other features may import (import-linter checks it). It is
lazy (PEP 562, see imgcoach.core.lazy) so that importing a light name does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgcoach.core.lazy import lazy_api

if TYPE_CHECKING:
    from imgcoach.coach.actions import (
        add_log_entry,
        add_project,
        export_cv,
        export_packet,
        interview_stories,
        list_log,
        list_projects,
        load_coach_data,
        log_week,
        readiness_and_rotations,
        record_feedback,
        render_cv,
        stories_text,
    )
    from imgcoach.coach.actions import (
        readiness as check_readiness,
    )
    from imgcoach.coach.demo_data import extend_demo
    from imgcoach.coach.outreach import (
        BECOMES_ROTATION,
        TRANSITIONS,
        ListedFollowUp,
        OutreachStatus,
        OutreachWays,
        outreach_status_words,
    )
    from imgcoach.coach.outreach_actions import (
        OutreachEmails,
        accept_offer,
        accepted_said,
        add_outreach,
        change_outreach_status,
        draft_outreach,
        edit_contact_and_drafts,
        follow_up_for_list,
        list_outreach,
        mark_progress,
        outreach_emails,
        record_outreach,
        save_profile_and_drafts,
        set_outreach_status,
    )
    from imgcoach.coach.quick_readiness import readiness_quickly
    from imgcoach.coach.readiness import render_text as render_readiness
    from imgcoach.coach.readiness import status_label as readiness_label
    from imgcoach.coach.stories import render_stories

_HOMES = {
    "check_readiness": ("actions", "readiness"),
    "readiness_and_rotations": ("actions", "readiness_and_rotations"),
    "add_log_entry": ("actions", "add_log_entry"),
    "log_week": ("actions", "log_week"),
    "record_feedback": ("actions", "record_feedback"),
    "list_log": ("actions", "list_log"),
    "add_project": ("actions", "add_project"),
    "list_projects": ("actions", "list_projects"),
    "load_coach_data": ("actions", "load_coach_data"),
    "export_cv": ("actions", "export_cv"),
    "render_cv": ("actions", "render_cv"),
    "export_packet": ("actions", "export_packet"),
    "interview_stories": ("actions", "interview_stories"),
    "stories_text": ("actions", "stories_text"),
    "render_readiness": ("readiness", "render_text"),
    "readiness_label": ("readiness", "status_label"),
    "readiness_quickly": ("quick_readiness", "readiness_quickly"),
    "render_stories": ("stories", "render_stories"),
    "BECOMES_ROTATION": ("outreach", "BECOMES_ROTATION"),
    "TRANSITIONS": ("outreach", "TRANSITIONS"),
    "OutreachStatus": ("outreach", "OutreachStatus"),
    "outreach_status_words": ("outreach", "outreach_status_words"),
    "OutreachWays": ("outreach", "OutreachWays"),
    "ListedFollowUp": ("outreach", "ListedFollowUp"),
    "follow_up_for_list": ("outreach_actions", "follow_up_for_list"),
    "add_outreach": ("outreach_actions", "add_outreach"),
    "record_outreach": ("outreach_actions", "record_outreach"),
    "save_profile_and_drafts": ("outreach_actions", "save_profile_and_drafts"),
    "edit_contact_and_drafts": ("outreach_actions", "edit_contact_and_drafts"),
    "list_outreach": ("outreach_actions", "list_outreach"),
    "set_outreach_status": ("outreach_actions", "set_outreach_status"),
    "change_outreach_status": ("outreach_actions", "change_outreach_status"),
    "accept_offer": ("outreach_actions", "accept_offer"),
    "accepted_said": ("outreach_actions", "accepted_said"),
    "draft_outreach": ("outreach_actions", "draft_outreach"),
    "outreach_emails": ("outreach_actions", "outreach_emails"),
    "OutreachEmails": ("outreach_actions", "OutreachEmails"),
    "mark_progress": ("outreach_actions", "mark_progress"),
    "extend_demo": ("demo_data", "extend_demo"),
}

__all__ = [
    "check_readiness",
    "readiness_and_rotations",
    "add_log_entry",
    "log_week",
    "record_feedback",
    "list_log",
    "add_project",
    "list_projects",
    "load_coach_data",
    "export_cv",
    "render_cv",
    "export_packet",
    "interview_stories",
    "stories_text",
    "render_readiness",
    "readiness_label",
    "readiness_quickly",
    "render_stories",
    "BECOMES_ROTATION",
    "TRANSITIONS",
    "OutreachStatus",
    "outreach_status_words",
    "OutreachWays",
    "ListedFollowUp",
    "follow_up_for_list",
    "add_outreach",
    "record_outreach",
    "save_profile_and_drafts",
    "edit_contact_and_drafts",
    "list_outreach",
    "set_outreach_status",
    "change_outreach_status",
    "accept_offer",
    "accepted_said",
    "draft_outreach",
    "outreach_emails",
    "OutreachEmails",
    "mark_progress",
    "extend_demo",
]

__getattr__, __dir__ = lazy_api(__name__, _HOMES)
