"""`programs override ID FIELD VALUE` with a FIELD that is no program fact (walk48).

`override 1403500001 visa_xx yes` said "visa_xx: unknown field 'visa_xx'; fields: ... (got 'yes')", quoting the
value as if it were the fault; an empty FIELD said ": unknown field ''"; and `--clear` of an unknown field said
"1403500001 visa_xx: override was not set", exit 0, as if the field existed. Each is refused naming FIELD.
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize("args", [["visa_xx", "yes"], ["", "yes"], ["visa_xx", "yes", "--clear"]],
                         ids=["unknown", "empty", "clear-unknown"])
def test_an_unknown_field_is_refused_naming_field(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                                  cli_clock: object, args: list[str]) -> None:
    assert run_cli(capsys, "programs", "add", "1403500001", "--name", "Example Medical Center Internal Medicine",
                   "--specialty", "IM", "--state", "NY", "--set", "source=program website",
                   "--set", "checked_on=2026-11-20", "--db", db_url).code == 0
    before = database_state(db_url)
    res = run_cli(capsys, "programs", "override", "1403500001", *args, "--db", db_url)
    assert (res.code, res.out) == (2, ""), res.out
    assert res.err.startswith("imgcoach: error: FIELD: not a program fact field (fields: name, specialty, "), res.err
    assert res.err.rstrip().endswith(f"(got {args[0]!r})") and "'yes'" not in res.err, res.err
    assert database_state(db_url) == before
