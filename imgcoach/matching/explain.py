"""Explain one program for one applicant: every fact with its source and date, the verdict, the factors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from imgcoach.core.datewords import ISO, DateWords
from imgcoach.matching.model import Factor, program_factors
from imgcoach.matching.present import chance_text, pct
from imgcoach.matching.ranking import Ranking
from imgcoach.matching.schema import FACT_FIELDS, UNKNOWN, format_value
from imgcoach.matching.vocab import specialty_name

if TYPE_CHECKING:
    from imgcoach.matching.shortlist import Entry, Shortlist

TOP_FACTORS = 4
NOT_LISTED = ("not on your list: its range where inputs are unknown is computed only for the programs chosen "
              "together (the specialty bound), so this is the model's point")


def explain(ranking: Ranking, program_id: str, listed: tuple[Shortlist, Entry] | None = None, *,
            words: DateWords = ISO) -> dict[str, Any]:
    """A JSON-ready explanation; raises KeyError if the program is not in the data. ``listed`` (the list and
    its row, `Shortlist.listed`) adds the chance's range and what in it is assumed, as the list's own row says:
    the explanation gave a bare point the list qualified. ``words``: how its reasons write a day (ISO for the
    CLI and --json; the app passes its own)."""
    table = ranking.table
    i = table.index[program_id]
    program = table.programs[i]
    facts = []
    for name in FACT_FIELDS:
        value = getattr(program, name)
        prov = program.provenance(name)
        state = "overridden" if name in program.overridden else "unknown" if value is UNKNOWN else "stated"
        facts.append({"field": name, "value": format_value(value), "state": state, "source": prov.source,
                      "checked_on": prov.checked_on.isoformat() if prov.checked_on else None})
    assessment = ranking.by_id(program_id)
    out: dict[str, Any] = {
        "id": program.program_id,
        "name": program.name,
        "specialty": specialty_name(program.specialty),
        "facts": facts,
        "disclaimer": table.params.disclaimer,
    }
    if assessment is None:
        out["status"] = "out_of_scope"
        out["reasons"] = ["outside your preferences (specialty, place, program type or size)"]
        return out
    out["status"] = assessment.verdict.status
    out["reasons"] = [r.worded(words) for r in assessment.verdict.reasons]
    if assessment.tier is not None:
        factors = program_factors(table, i, ranking.standing)
        o = (ranking.openness or {}).get(table.specialty[i])
        if o is not None and o.point:
            from imgcoach.matching.anchors import anchors

            anchor = anchors().anchor(table.specialty[i])
            system = anchor.system if anchor else "NRMP"
            kind = f"{system} figures" if o.known else "ASSUMPTION, no public figure found"
            bound = (f"; of which {o.bound_shift:+.2f} is the bound that holds your best programs here to at most "
                     f"{pct(o.bound)} (ASSUMPTION)" if o.bound_binds and o.bound is not None else "")
            factors.append(Factor("specialty", f"what {specialty_name(table.specialty[i])} gives your group "
                                  f"({kind}): {o.basis}{bound}", o.point))
            factors.sort(key=lambda f: -abs(f.logodds))
        out["probability"] = round(assessment.probability, 4)
        shared = table.params.shared()
        out["match_share"] = round(shared.ceiling * shared.q * assessment.probability, 4)
        out["tier"] = assessment.tier
        out["top_factors"] = [{"factor": f.key, "text": f.text, "logodds": round(f.logodds, 3)}
                              for f in factors[:TOP_FACTORS] if f.logodds]
        if listed is not None:
            from imgcoach.matching.present import interview_chance_text
            from imgcoach.matching.shortlist import entry_dict

            shortlist, entry = listed
            row = entry_dict(entry)
            out["probability_range"] = row["probability_range"]
            out["interview_chance_text"] = interview_chance_text(shortlist, entry)
            out["what_is_assumed"] = row["what_is_assumed"]
        else:
            out["interview_chance_text"] = f"{pct(assessment.probability)} ({NOT_LISTED})"
    return out


def explain_text(ranking: Ranking, program_id: str, listed: tuple[Shortlist, Entry] | None = None) -> str:
    data = explain(ranking, program_id, listed)
    lines = [f"{data['id']}  {data['name']} ({data['specialty']})", f"status: {data['status']}"]
    if "probability" in data:
        lines.append(f"interview chance ({data['tier']}): {data['interview_chance_text']}; "
                     f"chance this program becomes your match: {chance_text(data['match_share'])}")
        lines.append("top factors:")
        lines += [f"  {f['logodds']:+.2f}  {f['text']}" for f in data.get("top_factors", [])]
        if data.get("what_is_assumed"):
            lines.append("assumed:")
            lines += [f"  - {a}" for a in data["what_is_assumed"]]
    if data["reasons"]:
        lines.append("requirements:")
        lines += [f"  - {r}" for r in data["reasons"]]
    program = ranking.table.programs[ranking.table.index[program_id]]
    lines.append(f"program facts (source: {program.source}, checked {program.checked_on.isoformat()}):")
    for f in data["facts"]:
        mark = {"unknown": " [unknown]", "overridden": " [your override]"}.get(f["state"], "")
        own = f["source"] != program.source or f["checked_on"] != program.checked_on.isoformat()
        where = f"  ({f['source']}, {f['checked_on'] or 'no date'})" if own else ""
        lines.append(f"  {f['field']}: {f['value']}{mark}{where}")
    lines.append(data["disclaimer"])
    return "\n".join(lines)
