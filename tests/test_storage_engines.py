"""Storage on both engines: migrations under a lock, `db upgrade`, serialised writers, exclusive claims,
passwords never shown. Each test runs on SQLite and on the tests' PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.settings import Settings
from imgcoach.plan.profile import set_profile
from imgcoach.reminders import outbox
from imgcoach.storage.db import Database, SchemaOutOfDate, _alembic_config, safe_url, schema_state
from imgcoach.storage.models import Applicant, Reminder
from tests.cli_helpers import run_cli, run_subprocess
from tests.conftest import FIXED_NOW
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation

OPEN = "import sys; from imgcoach.storage.db import Database; Database(sys.argv[1]).close(); print('ok')"


@pytest.mark.slow
def test_nine_processes_starting_on_an_empty_database_migrate_it_once(new_db_url: Callable[..., str]) -> None:
    url = new_db_url("race", migrated=False)
    procs = [subprocess.Popen([sys.executable, "-c", OPEN, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(9)]
    results = [(p.wait(120), *p.communicate()) for p in procs]
    assert [r[0] for r in results] == [0] * 9, [r[2][-500:] for r in results if r[0]]
    db = Database(url)
    current, heads = schema_state(db.engine)
    db.close()
    assert current == heads


def test_an_older_schema_says_so_and_db_upgrade_brings_it_up(new_db_url: Callable[..., str], db_engine: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from alembic import command

    url = new_db_url("old", migrated=False)
    old = Database(url, migrate=False)
    with old.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001_core")
    old.close()
    if db_engine == "sqlite":
        Database(url).close()  # one person's file upgrades itself (tests/test_storage_migrations.py)
    else:
        with pytest.raises(SchemaOutOfDate, match=r"older than this imgcoach.*run `imgcoach db upgrade`"):
            Database(url)
        status = run_cli(capsys, "db", "status", "--db", url)
        assert status.code == 0 and "older: run `imgcoach db upgrade`" in status.out
        res = run_cli(capsys, "db", "upgrade", "--db", url)
        assert res.code == 0 and "schema upgraded from 0001_core to" in res.out, res.err
    again = run_cli(capsys, "db", "upgrade", "--db", url)
    assert again.code == 0 and "nothing to do" in again.out
    Database(url).close()


def test_concurrent_first_profile_writes_create_one_applicant(db_url: str) -> None:
    """Three writers that each read "no applicant yet" and insert one: the write lock makes it one."""
    Database(db_url).close()
    barrier, errors = threading.Barrier(3), []

    def writer(n: int) -> None:
        db = Database(db_url)
        try:
            barrier.wait()
            set_profile(Context(db=db, clock=FixedClock(FIXED_NOW), settings=Settings()), name=f"Writer {n}",
                        email=f"w{n}@example.com", timezone="America/New_York")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    db = Database(db_url)
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Applicant)).scalar() == 1
    db.close()


def test_concurrent_claims_never_share_a_reminder(ctx: Context) -> None:
    now = datetime.now(UTC)
    ids = set(add_due_reminders(ctx, add_supervised_rotation(ctx), 300, due=now - timedelta(minutes=1)))
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def claimer(n: int) -> None:
        db = Database(ctx.db.url)
        own = Context(db=db, clock=ctx.clock, settings=ctx.settings)
        mine: list[int] = []
        barrier.wait()
        while batch := outbox.claim_due(own, f"host|{n}|t", now, limit=7):
            mine += batch
        claimed.append(mine)  # list.append is atomic under the GIL
        db.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    flat = [i for mine in claimed for i in mine]
    assert len(flat) == len(set(flat)), "a reminder was claimed twice"
    assert set(flat) == ids
    with ctx.db.read() as session:
        owners = dict(session.execute(select(Reminder.id, Reminder.claimed_by).where(Reminder.id.in_(ids))).all())
    assert all(len({owners[i] for i in mine}) <= 1 for mine in claimed), "each claimer's rows carry its own name"


def test_claim_returns_only_rows_it_changed(ctx: Context) -> None:
    now = datetime.now(UTC)
    ids = add_due_reminders(ctx, add_supervised_rotation(ctx), 3, due=now - timedelta(minutes=1))
    with ctx.db.transaction() as session:  # one of them is approved-only: not sendable, must not come back
        session.execute(update(Reminder).where(Reminder.id == ids[1]).values(requires_approval=True))
    assert outbox.claim_due(ctx, "host|1|a", now) == [ids[0], ids[2]]
    assert outbox.claim_due(ctx, "host|2|b", now) == []


def test_next_due_at_is_the_later_of_due_and_retry_time(ctx: Context) -> None:
    now = FIXED_NOW
    [first, second] = add_due_reminders(ctx, add_supervised_rotation(ctx), 2, due=now + timedelta(hours=1))
    with ctx.db.transaction() as session:
        session.execute(update(Reminder).where(Reminder.id == first).values(next_attempt_at=now + timedelta(hours=3)))
        session.execute(update(Reminder).where(Reminder.id == second).values(due_at=now + timedelta(hours=2),
                                                                            next_attempt_at=now))
    assert outbox.next_due_at(ctx, now) == now + timedelta(hours=2)


def test_a_password_in_a_database_url_is_never_shown(tmp_path: Path) -> None:
    url = "postgresql+psycopg://coach:s3cret-pw@127.0.0.1:1/imgcoach"
    assert safe_url(url) == "postgresql+psycopg://coach:***@127.0.0.1:1/imgcoach"
    with pytest.raises(UserError) as info:
        Database(url)
    assert "s3cret" not in str(info.value) and "coach:***@127.0.0.1" in str(info.value)
    res = run_subprocess("rotations", "list", "--db", url)
    assert res.code == 2 and "s3cret" not in res.out + res.err and "Traceback" not in res.err


@pytest.mark.postgresql_only
def test_db_status_check_and_upgrade_say_they_cannot_reach_the_database(
        new_db_url: Callable[..., str], capsys: pytest.CaptureFixture[str]) -> None:
    """A mistyped database name (or a server that is not there) is the user's to fix: `db status`, `db check` and
    `db upgrade` called it an internal OperationalError (exit 1) with SQLAlchemy's link, while every other command
    says "cannot open as an imgcoach database" and why (exit 2). Now the same line; the password stays masked."""
    url = new_db_url("reachable")
    path, query = url.split("?", 1)
    missing = path.rsplit("/", 1)[0] + "/no_such_database?" + query
    said = run_cli(capsys, "rotations", "list", "--db", missing)
    assert said.code == 2 and 'database "no_such_database" does not exist' in said.err
    for command in (("db", "status"), ("db", "check"), ("db", "upgrade")):
        res = run_cli(capsys, *command, "--db", missing)
        assert (res.code, res.out, res.err) == (2, "", said.err), command
    refused = run_cli(capsys, "db", "status", "--db", "postgresql+psycopg://coach:s3cret-pw@127.0.0.1:1/imgcoach")
    assert refused.code == 2 and "s3cret" not in refused.err and "internal error" not in refused.err
    assert refused.err.startswith("imgcoach: error: postgresql+psycopg://coach:***@127.0.0.1:1/imgcoach: cannot open")


def test_demo_honours_a_database_url(db_engine: str, new_db_url: Callable[..., str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = new_db_url("demo", migrated=False)
    if db_engine == "postgresql":  # trust authentication ignores the password: it only has to stay hidden
        url = url.replace("imgcoach@", "imgcoach:s3cret-pw@")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = run_cli(capsys, "demo", "--db", url)
    assert res.code == 0, res.err
    assert "s3cret" not in res.out + res.err and "demo database written to" in res.out
    after = sorted(p.name for p in tmp_path.iterdir())
    assert after == before + (["demo.sqlite"] if db_engine == "sqlite" else []), "no folder named after the URL"
    db = Database(url)
    with db.read() as session:
        assert session.execute(select(Applicant.synthetic)).scalars().all() == [True]
    db.close()
    again = run_cli(capsys, "demo", "--db", url)
    assert again.code == 2 and "already holds an applicant" in again.err and "s3cret" not in again.err


@pytest.mark.parametrize("variable", ["IMGCOACH_DATABASE_URL", "IMGCOACH_DB"])
def test_demo_honours_the_database_in_the_environment(
        db_engine: str, new_db_url: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], variable: str) -> None:
    """Issue 18.7: `IMGCOACH_DATABASE_URL=postgresql://… imgcoach demo` wrote a SQLite file in the data folder."""
    url = new_db_url("demo", migrated=False)
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("IMGCOACH_DB", raising=False)
    monkeypatch.delenv("IMGCOACH_DATABASE_URL", raising=False)
    monkeypatch.setenv(variable, url)
    res = run_cli(capsys, "demo")
    assert res.code == 0, res.err
    assert not list(data.rglob("*.sqlite")), "the demo went to the data folder instead"
    db = Database(url)
    with db.read() as session:
        assert session.execute(select(Applicant.synthetic)).scalars().all() == [True]
    db.close()
    again = run_cli(capsys, "demo")
    assert again.code == 2
