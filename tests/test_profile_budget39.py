"""`profile set` refuses an application budget the shortlist cannot use, by the shortlist's own rule.

Found on 5 December: `profile set --budget-programs -3` (or `--budget-usd -5`) said "profile saved", and every
`shortlist` after it refused "profile application budget (programs): must be ... (got -3)": the profile kept
what the next command called wrong (plan.rules.validation.check_budget_*, which matching.check_budget uses).
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize(("args", "said"), [
    (("--budget-programs", "-3"), "--budget-programs: must be a whole number of programs from 1 to 20,000 (got -3)"),
    (("--budget-programs", "0"), "--budget-programs: must be a whole number of programs from 1 to 20,000 (got 0)"),
    (("--budget-usd", "-5"), "--budget-usd: must be a number of US dollars from 1 to 1,000,000 (got -5.0)"),
])
def test_profile_refuses_a_budget_the_shortlist_refuses(ctx: Context, db_url: str,
                                                        capsys: pytest.CaptureFixture[str], args: tuple[str, str],
                                                        said: str) -> None:
    before = database_state(db_url)
    refused = run_cli(capsys, "profile", "set", "--db", db_url, *args)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err == f"imgcoach: error: {said}\n"
    assert database_state(db_url) == before


def test_a_usable_budget_is_kept(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    saved = run_cli(capsys, "profile", "set", "--db", db_url, "--budget-programs", "80", "--budget-usd", "3000",
                    "--json")
    assert saved.code == 0, saved.err
    assert (saved.json()["application_budget_programs"], saved.json()["application_budget_usd"]) == (80, 3000.0)
