"""Plain-text renderings of plan data for widgets (no queries here)."""

from __future__ import annotations

from typing import Any


def timeline_text(snapshot: Any) -> str:
    if snapshot.applicant is None:
        return "No profile yet. Run `imgcoach profile set` or open the demo with `make run`."
    lines = [f"{snapshot.applicant.name} — today {snapshot.today.isoformat()}", ""]
    items = [(r.start_date, r.end_date, f"{r.kind.replace('_', ' ')}: {r.specialty}, {r.institution}")
             for r in snapshot.rotations]
    items += [(b.start_date, b.end_date, f"study: {b.exam} ({b.hours_per_week} h/wk)") for b in snapshot.study_blocks]
    for start, end, label in sorted(items):
        marker = "▶" if start <= snapshot.today <= end else " "
        lines.append(f"{marker} {start:%d %b %Y} – {end:%d %b %Y}  {label}")
    if snapshot.conflicts:
        lines += ["", "Conflicts:"] + [f"  ! {c.message}" for c in snapshot.conflicts]
    return "\n".join(lines)
