"""Calendar files: read iCalendar exports into plain events, write the plan back out.

Pure adapters: no database, no UI. Services turn ParsedEvents into rows and rows into ExportItems.


The public API below is what faces and other features may import (import-linter checks it). It is
lazy (PEP 562, see imgcoach.core.lazy) so that importing a light name does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgcoach.core.lazy import lazy_api

if TYPE_CHECKING:
    from imgcoach.calendar.events import RemovedEvents, list_events, remove_events, remove_events_with_undo
    from imgcoach.calendar.exporting import (
        add_feed,
        empty_feeds,
        export_answer,
        export_bytes,
        export_to,
        list_feeds,
        refresh_feed,
    )
    from imgcoach.calendar.importing import (
        ImportReport,
        apply_import,
        import_history,
        import_timezone,
        preview_import,
        read_calendar_file,
        unchanged_import,
        undo_last_import,
    )
    from imgcoach.calendar.journal import (
        history_words,
        mark_restored,
        not_put_back,
        plan_counts,
        undone_counts,
    )
    from imgcoach.calendar.last_import import undoable_import
    from imgcoach.calendar.mapping import KIND_LABELS, KINDS
    from imgcoach.calendar.quick_list import read_events_quickly

_HOMES = {
    "ImportReport": ("importing", "ImportReport"),
    "read_calendar_file": ("importing", "read_calendar_file"),
    "preview_import": ("importing", "preview_import"),
    "apply_import": ("importing", "apply_import"),
    "import_timezone": ("importing", "import_timezone"),
    "import_history": ("importing", "import_history"),
    "undo_last_import": ("importing", "undo_last_import"),
    "undoable_import": ("last_import", "undoable_import"),
    "mark_restored": ("journal", "mark_restored"),
    "undone_counts": ("journal", "undone_counts"),
    "not_put_back": ("journal", "not_put_back"),
    "history_words": ("journal", "history_words"),
    "plan_counts": ("journal", "plan_counts"),
    "unchanged_import": ("importing", "unchanged_import"),
    "remove_events": ("events", "remove_events"),
    "remove_events_with_undo": ("events", "remove_events_with_undo"),
    "list_events": ("events", "list_events"),
    "read_events_quickly": ("quick_list", "read_events_quickly"),
    "RemovedEvents": ("events", "RemovedEvents"),
    "export_bytes": ("exporting", "export_bytes"),
    "export_answer": ("exporting", "export_answer"),
    "export_to": ("exporting", "export_to"),
    "add_feed": ("exporting", "add_feed"),
    "empty_feeds": ("exporting", "empty_feeds"),
    "list_feeds": ("exporting", "list_feeds"),
    "refresh_feed": ("exporting", "refresh_feed"),
    "KINDS": ("mapping", "KINDS"),
    "KIND_LABELS": ("mapping", "KIND_LABELS"),
}

__all__ = [
    "ImportReport",
    "read_calendar_file",
    "preview_import",
    "apply_import",
    "import_timezone",
    "import_history",
    "undo_last_import",
    "undoable_import",
    "mark_restored",
    "undone_counts",
    "not_put_back",
    "history_words",
    "plan_counts",
    "unchanged_import",
    "remove_events",
    "remove_events_with_undo",
    "list_events",
    "read_events_quickly",
    "RemovedEvents",
    "export_bytes",
    "export_answer",
    "export_to",
    "add_feed",
    "empty_feeds",
    "list_feeds",
    "refresh_feed",
    "KINDS",
    "KIND_LABELS",
]

__getattr__, __dir__ = lazy_api(__name__, _HOMES)
