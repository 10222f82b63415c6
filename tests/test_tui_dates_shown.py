"""One date format per kind inside the sentences features write, too: readiness evidence, plan conflicts,
overlap warnings, the edit-conflict dialog, outreach notes, the shortlist's eligibility reasons. The app
passes its own date words (imgcoach.tui.dates.WORDS); the CLI text and --json keep ISO. test_tui_dates.py checks the app's own code
formats no date itself; this walks every screen's rows and detail panes and finds no ISO date shown."""

from __future__ import annotations

import json
import re
from datetime import date

from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.core.errors import EditConflict
from imgcoach.plan import add_rotation
from imgcoach.tui import dates
from imgcoach.tui.registry import SCREENS
from imgcoach.tui.widgets.dialogs import ConflictScreen
from tests.tui_helpers import app_for, press, settle

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def shown_text(screen: object) -> str:
    """Everything the screen's text widgets hold, whole (a detail pane's hidden lines included), and its tables."""
    parts = [str(static.render()) for static in screen.query(Static)]  # type: ignore[attr-defined]
    for table in screen.query(DataTable):  # type: ignore[attr-defined]
        parts += [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
    return "\n".join(parts)


async def test_no_screen_shows_an_iso_date(demo_ctx: Context) -> None:
    # A full-time overlap, so the timeline's conflict line has dates to write.
    add_rotation(demo_ctx, kind="externship", specialty="Internal Medicine", institution="Overlap Hospital",
                 start_date=date(2026, 12, 1), end_date=date(2026, 12, 28), hours_per_week=50)
    found: dict[str, set[str]] = {}
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        for item in SCREENS:
            await press(pilot, item.binding)
            screen = pilot.app.screen
            tables = [t for t in screen.query(DataTable) if t.row_count]
            rows = tables[0].row_count if tables else 1
            for row in range(min(rows, 80)):  # each row's detail pane
                if tables:
                    tables[0].move_cursor(row=row)
                    await settle(pilot)
                for line in shown_text(screen).splitlines():
                    if ISO_DAY.search(line) and "YYYY-MM-DD" not in line:
                        found.setdefault(item.key, set()).add(line.strip()[:140])
            await press(pilot, "escape")
    assert not found, "ISO dates on screen:\n" + "\n".join(f"{k}: {line}" for k, v in found.items() for line in v)


async def test_readiness_and_conflicts_write_dates_the_apps_way(demo_ctx: Context) -> None:
    add_rotation(demo_ctx, kind="externship", specialty="Internal Medicine", institution="Overlap Hospital",
                 start_date=date(2026, 12, 1), end_date=date(2026, 12, 28), hours_per_week=50)
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        conflicts = str(pilot.app.screen.query_one("#conflicts", Static).render())
        assert "Overlap Hospital (01 Dec – 28 Dec 2026)" in conflicts, conflicts
        await press(pilot, "y")
        screen = pilot.app.screen
        table = screen.query_one(DataTable)
        evidence = []
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await settle(pilot)
            evidence.append(str(screen.query_one("#readiness-detail", Static).render()))
    text = "\n".join(evidence)
    assert "as of 25 Nov 2026" in text, "the usce check's 'as of' day"
    assert "Brookside University Hospital (fictional), 28 Jun – 25 Jul 2026" in text, "a rotation's days as a range"


def test_the_cli_keeps_iso_in_readiness_text_and_json(demo_ctx: Context) -> None:
    """What `imgcoach readiness` and `readiness --json` print: the report with its default (ISO) words."""
    from imgcoach.coach import check_readiness, render_readiness

    report = check_readiness(demo_ctx)
    text = render_readiness(report)
    assert "(as of 2026-11-25)" in text and "25 Nov 2026" not in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["today"] == "2026-11-25" and data["submission"] == "2027-09-03"
    usce = next(c for c in data["checks"] if c["key"] == "usce_months")
    assert "(as of 2026-11-25)" in usce["evidence"][0]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["action"]["due"]) for c in data["checks"] if c["action"])
    app_words = check_readiness(demo_ctx, words=dates.WORDS)
    assert [c.action.due if c.action else None for c in app_words.checks] == \
        [c.action.due if c.action else None for c in report.checks], "the same action days; only the words differ"


async def test_the_edit_conflict_dialog_writes_dates_the_apps_way(demo_ctx: Context) -> None:
    conflict = EditConflict("rotation", "Lakeside Hospital", {"end_date": (date(2027, 1, 29), date(2027, 2, 5))},
                            {}, span=(date(2027, 1, 4), date(2027, 1, 29)))
    assert str(conflict) == ("rotation Lakeside Hospital (04 Jan 2027 to 29 Jan 2027) was changed elsewhere since "
                             "you opened it (end date: 29 Jan 2027 → 05 Feb 2027)"), "the CLI's words are unchanged"
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(ConflictScreen(conflict))
        await settle(pilot)
        message = str(pilot.app.screen.query_one("#conflict-message", Static).render())
    assert message.startswith(f"rotation Lakeside Hospital ({dates.day_range(date(2027, 1, 4), date(2027, 1, 29))}) "
                              "was changed elsewhere since you opened it (end date: 29 Jan 2027 → 05 Feb 2027)")


def test_shortlist_reasons_write_days_with_the_faces_words(demo_ctx: Context) -> None:
    """The same eligibility rule, two faces, one ranking: ISO by default (the CLI, stored runs, --json), the
    app's day when the app writes the reasons in its words."""
    from imgcoach.core.datewords import ISO
    from imgcoach.matching import compute, explain_program

    shortlist, _, _, _ = compute(demo_ctx)
    ranking = shortlist.ranking
    reasons = [r for a in (*ranking.kept, *ranking.excluded) for r in a.verdict.reasons]
    cli, app = [r.text for r in reasons], [r.worded(dates.WORDS) for r in reasons]
    assert cli == [r.worded(ISO) for r in reasons]
    planned = next(e.program_id for e in shortlist.entries if e.status == "conditional")
    assert any("ending 10 Dec 2026 would make it" in text
               for text in explain_program(ranking, planned, words=dates.WORDS)["reasons"])
    assert any("ending 2026-12-10 would make it" in text for text in explain_program(ranking, planned)["reasons"])
    assert len(cli) == len(app)
    assert any("ending 2026-12-10 would make it" in text for text in cli)
    assert any("ending 10 Dec 2026 would make it" in text for text in app)
    assert not any(ISO_DAY.search(text) for text in app)
