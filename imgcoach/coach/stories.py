"""Interview stories: cases and feedback from the log, mapped to the questions interviewers commonly ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imgcoach.coach.models import Case, Rotation, WeeklyEntry

QUESTIONS: dict[str, str] = {
    "patient": "Tell me about a patient you cared for",
    "systems": "What differences did you notice between systems?",
    "conversation": "Describe a difficult conversation",
    "feedback": "How do you handle feedback?",
    "team": "Tell me about working in a team",
}

# Which case tags answer which question; a case can serve several.
TAG_QUESTIONS: dict[str, tuple[str, ...]] = {
    "challenging patient": ("patient", "conversation"),
    "ethical dilemma": ("conversation", "patient"),
    "teamwork": ("team",),
    "system differences": ("systems",),
    "guideline in practice": ("patient", "systems"),
}


@dataclass(frozen=True, slots=True)
class Story:
    question: str
    title: str
    summary: str
    source: str  # where it happened
    tags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "title": self.title, "summary": self.summary,
                "source": self.source, "tags": list(self.tags)}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def stories(cases: list[Case], entries: list[WeeklyEntry], rotations: list[Rotation],
            tag: str | None = None) -> dict[str, list[Story]]:
    """Question text -> stories, in the QUESTIONS order; feedback stories come from the weekly log."""
    by_id = {r.id: r for r in rotations}
    grouped: dict[str, list[Story]] = {q: [] for q in QUESTIONS.values()}
    for case in sorted(cases, key=lambda c: (c.rotation_id, c.id)):
        if tag and tag not in case.tags:
            continue
        where = by_id[case.rotation_id].title if case.rotation_id in by_id else ""
        summary = _sentence(case.summary) + (f" Learned: {_sentence(case.learned)}" if case.learned else "")
        keys: list[str] = []
        for t in case.tags:
            keys.extend(k for k in TAG_QUESTIONS.get(t, ()) if k not in keys)
        for key in keys:
            grouped[QUESTIONS[key]].append(Story(QUESTIONS[key], case.title, summary, where, case.tags))
    if tag is None or tag == "feedback":
        for e in sorted(entries, key=lambda e: e.week_of):
            if e.feedback and e.change_after_feedback:
                where = by_id[e.rotation_id].title if e.rotation_id in by_id else ""
                grouped[QUESTIONS["feedback"]].append(Story(
                    QUESTIONS["feedback"], f"Feedback in the week of {e.week_of}",
                    f"Feedback: {_sentence(e.feedback)} What I changed: {_sentence(e.change_after_feedback)}", where, ("feedback",)))
    return grouped


def empty_hint(question: str) -> str:
    """How a question with no story gets one. "Log a case with a matching tag" was said of every question, the
    feedback one too, which no tag answers: its stories are log weeks with the feedback and the change."""
    if question == QUESTIONS["feedback"]:
        return ("no story yet: write down feedback and what you changed after it: imgcoach log feedback ROTATION "
                "--week DATE --feedback TEXT --changed TEXT")
    key = next((k for k, q in QUESTIONS.items() if q == question), "")
    tags = " or ".join(f"'{t}'" for t, keys in TAG_QUESTIONS.items() if key in keys)
    return f"no story yet: note a case tagged {tags} (imgcoach cases add ROTATION TITLE --tags TAG)"


def render_stories(grouped: dict[str, list[Story]], tag: str | None = None,
                   every: dict[str, list[Story]] | None = None) -> str:
    """The stories under each question. With a `tag` filter, `every` (the unfiltered stories) says how many a
    question has that the tag leaves out, rather than "no story yet"."""
    from imgcoach.core.words import counted

    out: list[str] = []
    for question, items in grouped.items():
        out.append(f'"{question}"')
        left_out = len((every or {}).get(question, ()))
        if not items and tag and left_out:
            out.append(f"  (none tagged '{tag}'; {counted(left_out, 'story', 'stories')} without --tag)")
        elif not items:
            out.append(f"  ({empty_hint(question)})")
        for s in items:
            out.append(f"  - {s.title} [{s.source}]")
            if s.summary:  # a case may be noted by its title alone (`cases add` without --summary)
                out.append(f"    {s.summary}")
        out.append("")
    return "\n".join(out)
