"""Everything about a reminder: derivation, the outbox, what a message says, digests, mail and the daemon.

The public API below is what faces and other features may import (import-linter checks it). It is
lazy (PEP 562, see imgcoach.core.lazy) so that importing a light name does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgcoach.core.lazy import lazy_api

if TYPE_CHECKING:
    from imgcoach.reminders.compose import MailPreview, reminder_preview, user_renderer
    from imgcoach.reminders.daemon.daemon import MAINTENANCE_TASKS, MaintenanceTask, ReminderDaemon
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.daemon_view import DaemonStatus, daemon_status_quickly, is_overdue
    from imgcoach.reminders.digest import ShortlistChanges, digest_task
    from imgcoach.reminders.kinds import (
        DELIVERY_LABELS,
        REMINDER_STATUSES,
        kind_label,
        status_words,
        why_not_sent,
    )
    from imgcoach.reminders.mail.context import NO_SUPERVISOR, Person, ReminderMail, RotationInfo
    from imgcoach.reminders.mail.errors import DeliveryError, InvalidAddressError
    from imgcoach.reminders.mail.message import Mailbox, build_message
    from imgcoach.reminders.mail.render import MailRenderer, mailto_link
    from imgcoach.reminders.mail.settings import KEYRING_SERVICE, load_mail_settings
    from imgcoach.reminders.mail.setup import MailChoice, configure_mail, send_test_message
    from imgcoach.reminders.mail.transport import open_transport
    from imgcoach.reminders.outbox import (
        LATE_AFTER,
        OutboxView,
        ReminderActions,
        approval_refusal,
        approve_draft,
        awaiting_approval,
        daemon_status,
        due_now_count,
        offered_actions,
        outbox_view,
        reminder_actions,
        retry_all_failed,
        retry_reminder,
    )
    from imgcoach.reminders.outgoing import load_outgoing
    from imgcoach.reminders.rules import (
        OWN_UID_SUFFIX,
        calendar_uid_for,
        end_of_day,
        feedback_day,
        letter_window,
        local_moment,
        message_id_for,
        unique_key,
    )
    from imgcoach.reminders.rules import ROTATION_KINDS as ROTATION_REMINDER_KINDS
    from imgcoach.reminders.sync import (
        KEPT_BY_UNDO,
        cancel_pending_for_rotation,
        cancel_reminder,
        count_reminders,
        list_reminders,
        rederive_rotation_reminders,
        rederive_task,
        resync_all,
        salt_for,
        sync_rotation_reminders,
    )

_HOMES = {
    "DaemonStatus": ("daemon_view", "DaemonStatus"),
    "daemon_status_quickly": ("daemon_view", "daemon_status_quickly"),
    "is_overdue": ("daemon_view", "is_overdue"),
    "KEPT_BY_UNDO": ("sync", "KEPT_BY_UNDO"),
    "status_words": ("kinds", "status_words"),
    "why_not_sent": ("kinds", "why_not_sent"),
    "KEYRING_SERVICE": ("mail.settings", "KEYRING_SERVICE"),
    "send_test_message": ("mail.setup", "send_test_message"),
    "configure_mail": ("mail.setup", "configure_mail"),
    "MailChoice": ("mail.setup", "MailChoice"),
    "due_now_count": ("outbox", "due_now_count"),
    "DELIVERY_LABELS": ("kinds", "DELIVERY_LABELS"),
    "retry_all_failed": ("outbox", "retry_all_failed"),
    "unique_key": ("rules", "unique_key"),
    "NO_SUPERVISOR": ("mail.context", "NO_SUPERVISOR"),
    "ROTATION_REMINDER_KINDS": ("rules", "ROTATION_KINDS"),
    "mailto_link": ("mail.render", "mailto_link"),
    "MailPreview": ("compose", "MailPreview"),
    "reminder_preview": ("compose", "reminder_preview"),
    "user_renderer": ("compose", "user_renderer"),
    "REMINDER_STATUSES": ("kinds", "REMINDER_STATUSES"),
    "kind_label": ("kinds", "kind_label"),
    "calendar_uid_for": ("rules", "calendar_uid_for"),
    "OWN_UID_SUFFIX": ("rules", "OWN_UID_SUFFIX"),
    "message_id_for": ("rules", "message_id_for"),
    "end_of_day": ("rules", "end_of_day"),
    "local_moment": ("rules", "local_moment"),
    "letter_window": ("rules", "letter_window"),
    "feedback_day": ("rules", "feedback_day"),
    "list_reminders": ("sync", "list_reminders"),
    "count_reminders": ("sync", "count_reminders"),
    "cancel_reminder": ("sync", "cancel_reminder"),
    "sync_rotation_reminders": ("sync", "sync_rotation_reminders"),
    "cancel_pending_for_rotation": ("sync", "cancel_pending_for_rotation"),
    "LATE_AFTER": ("outbox", "LATE_AFTER"),
    "resync_all": ("sync", "resync_all"),
    "salt_for": ("sync", "salt_for"),
    "daemon_status": ("outbox", "daemon_status"),
    "retry_reminder": ("outbox", "retry_reminder"),
    "approve_draft": ("outbox", "approve_draft"),
    "awaiting_approval": ("outbox", "awaiting_approval"),
    "approval_refusal": ("outbox", "approval_refusal"),
    "outbox_view": ("outbox", "outbox_view"),
    "OutboxView": ("outbox", "OutboxView"),
    "ReminderActions": ("outbox", "ReminderActions"),
    "reminder_actions": ("outbox", "reminder_actions"),
    "offered_actions": ("outbox", "offered_actions"),
    "load_outgoing": ("outgoing", "load_outgoing"),
    "digest_task": ("digest", "digest_task"),
    "rederive_task": ("sync", "rederive_task"),
    "rederive_rotation_reminders": ("sync", "rederive_rotation_reminders"),
    "ShortlistChanges": ("digest", "ShortlistChanges"),
    "ReminderDaemon": ("daemon.daemon", "ReminderDaemon"),
    "MaintenanceTask": ("daemon.daemon", "MaintenanceTask"),
    "MAINTENANCE_TASKS": ("daemon.daemon", "MAINTENANCE_TASKS"),
    "OutboxWorker": ("daemon.worker", "OutboxWorker"),
    "load_mail_settings": ("mail.settings", "load_mail_settings"),
    "MailRenderer": ("mail.render", "MailRenderer"),
    "Person": ("mail.context", "Person"),
    "RotationInfo": ("mail.context", "RotationInfo"),
    "ReminderMail": ("mail.context", "ReminderMail"),
    "DeliveryError": ("mail.errors", "DeliveryError"),
    "InvalidAddressError": ("mail.errors", "InvalidAddressError"),
    "Mailbox": ("mail.message", "Mailbox"),
    "build_message": ("mail.message", "build_message"),
    "open_transport": ("mail.transport", "open_transport"),
}

__all__ = [
    "DaemonStatus",
    "daemon_status_quickly",
    "is_overdue",
    "KEPT_BY_UNDO",
    "status_words",
    "why_not_sent",
    "KEYRING_SERVICE",
    "send_test_message",
    "configure_mail",
    "MailChoice",
    "due_now_count",
    "DELIVERY_LABELS",
    "retry_all_failed",
    "unique_key",
    "NO_SUPERVISOR",
    "ROTATION_REMINDER_KINDS",
    "mailto_link",
    "MailPreview",
    "reminder_preview",
    "user_renderer",
    "REMINDER_STATUSES",
    "kind_label",
    "calendar_uid_for",
    "OWN_UID_SUFFIX",
    "message_id_for",
    "end_of_day",
    "local_moment",
    "letter_window",
    "feedback_day",
    "list_reminders",
    "count_reminders",
    "cancel_reminder",
    "sync_rotation_reminders",
    "cancel_pending_for_rotation",
    "LATE_AFTER",
    "resync_all",
    "salt_for",
    "daemon_status",
    "retry_reminder",
    "approve_draft",
    "awaiting_approval",
    "approval_refusal",
    "outbox_view",
    "OutboxView",
    "ReminderActions",
    "reminder_actions",
    "offered_actions",
    "load_outgoing",
    "digest_task",
    "rederive_task",
    "rederive_rotation_reminders",
    "ShortlistChanges",
    "ReminderDaemon",
    "MaintenanceTask",
    "MAINTENANCE_TASKS",
    "OutboxWorker",
    "load_mail_settings",
    "MailRenderer",
    "Person",
    "RotationInfo",
    "ReminderMail",
    "DeliveryError",
    "InvalidAddressError",
    "Mailbox",
    "build_message",
    "open_transport",
]

__getattr__, __dir__ = lazy_api(__name__, _HOMES)
