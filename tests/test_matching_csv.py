"""Program CSV: validation with line and column, skip-invalid, unknown vs empty, overrides, diffs."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.errors import UserError
from imgcoach.matching.csv_reader import ProgramCsvError, read_programs, read_programs_file
from imgcoach.matching.schema import UNKNOWN, Provenance, diff_programs, parse_override, with_overrides
from tests.matching_support import HEADER, csv_text, program, row


def test_valid_file_reads_every_row_with_typed_values() -> None:
    result = read_programs(csv_text(row(), row(program_id="P2", visa_h1b="unknown", step2_min="none")))
    assert [p.program_id for p in result.programs] == ["P1", "P2"]
    p1, p2 = result.programs
    assert p1.step2_min == 220 and p1.visa_j1 is True and p1.usce_months_required == 0.0
    assert p2.visa_h1b is UNKNOWN and p2.step2_min is None  # none = no minimum, a stated fact
    assert "visa_h1b" in p2.unknown_fields() and "step2_min" not in p2.unknown_fields()


def test_unknown_refuses_truth_tests() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)


@pytest.mark.parametrize(
    ("changes", "column", "needle"),
    [
        ({"positions": "ten"}, "column 8 (positions)", "'ten' is not a whole number"),
        ({"state": "XX"}, "column 6 (state)", "unknown state 'XX'"),
        ({"specialty": "astrology"}, "column 3 (specialty)", "unknown specialty; did you mean 'Pathology'"),
        ({"visa_j1": ""}, "column 11 (visa_j1)", "write 'unknown'"),
        ({"application_deadline": "15/10/2027"}, "column 23 (application_deadline)", "not a date"),
        ({"name": "unknown"}, "column 2 (name)", "cannot be 'unknown'"),
    ],
)
def test_bad_cell_is_named_by_line_and_column(changes: dict[str, str], column: str, needle: str) -> None:
    text = csv_text(row(), row(program_id="P2", **changes))
    with pytest.raises(ProgramCsvError) as info:
        read_programs(text, source="programs.csv")
    message = str(info.value)
    assert isinstance(info.value, UserError)
    assert f"line 3, {column}: " in message and needle in message
    assert "nothing imported" in message


def test_missing_column_is_reported_on_the_header_line() -> None:
    header = HEADER.replace(",checked_on", "")
    with pytest.raises(ProgramCsvError) as info:
        read_programs(csv_text(row(), header=header))
    assert "line 1, column checked_on: missing column 'checked_on'" in str(info.value)


def test_a_left_out_optional_column_is_unknown() -> None:
    from imgcoach.matching.schema import UNKNOWN

    [program] = read_programs(csv_text(row(), header=HEADER.replace(",visa_h1b", ""))).programs
    assert program.visa_h1b is UNKNOWN and program.visa_j1 is True


def test_duplicate_id_names_both_lines() -> None:
    with pytest.raises(ProgramCsvError) as info:
        read_programs(csv_text(row(), row(name="Other")))
    assert "line 3, column 1 (program_id): duplicate id 'P1' (first on line 2)" in str(info.value)


def test_comment_lines_count_in_line_numbers() -> None:
    text = "# SYNTHETIC\n# second comment\n" + csv_text(row(), row(program_id="P2", positions="-3"))
    with pytest.raises(ProgramCsvError) as info:
        read_programs(text)
    assert "line 5, column 8 (positions): -3 is outside 0..500" in str(info.value)


def test_skip_invalid_imports_the_rest_and_lists_the_bad_rows() -> None:
    text = csv_text(row(), row(program_id="P2", state="ZZ"), row(program_id="P3"))
    result = read_programs(text, skip_invalid=True)
    assert [p.program_id for p in result.programs] == ["P1", "P3"]
    assert result.invalid_lines == [3]


def test_per_field_provenance_columns() -> None:
    header = HEADER + ",visa_j1_source,visa_j1_checked_on"
    r = row()
    r["visa_j1_source"] = "phone call to coordinator"
    r["visa_j1_checked_on"] = "2026-11-20"
    p = read_programs(csv_text(r, header=header)).programs[0]
    assert p.provenance("visa_j1").source == "phone call to coordinator"
    assert p.provenance("positions").source == "test fixture"


def test_gzip_file_and_unreadable_file(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "p.csv.gz"
    path.write_bytes(gzip.compress(csv_text(row()).encode()))
    assert len(read_programs_file(path).programs) == 1
    with pytest.raises(UserError, match="cannot read"):
        read_programs_file(tmp_path / "missing.csv")


def test_override_is_validated_marked_and_has_its_own_provenance() -> None:
    with pytest.raises(ValueError, match="not yes/no"):
        parse_override("visa_h1b", "maybe")
    with pytest.raises(ValueError, match="unknown field"):
        parse_override("salary", "1")
    base = program()
    value = parse_override("visa_h1b", "yes")
    changed = with_overrides(base, {"visa_h1b": (value, Provenance("called the program", None))})
    assert changed.visa_h1b is True and changed.overridden == frozenset({"visa_h1b"})
    assert changed.provenance("visa_h1b").source == "called the program"


def test_diff_lists_changed_fields_as_text() -> None:
    old, new = program(), program(positions="12", visa_h1b="unknown")
    assert diff_programs(old, new) == {"positions": ("10", "12"), "visa_h1b": ("no", "unknown")}
    assert diff_programs(old, program()) == {}
