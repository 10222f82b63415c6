"""The schema's own line against cross-applicant links (issue 18.6, migration 0005_owner_triggers).

imgcoach.storage.ownership refuses such links at every ORM flush (tests/test_isolation.py); these tests write
raw SQL, which no flush sees, and expect the database itself to refuse, on SQLite and PostgreSQL. Applicant A
is the demo applicant with an imported calendar file; applicant B is A's exported copy imported again, so each
linked table holds rows of both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, event, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from imgcoach import calendar, composition, plan
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.db import Database, _alembic_config, storage_error_message
from imgcoach.storage.ownership import check_links
from imgcoach.storage.schema_heads import SCHEMA_HEADS
from tests.cli_helpers import run_cli
from tests.migration_helpers import load_migration
from tests.test_isolation import database_state

ICS = Path(__file__).parent / "data" / "ics" / "allday_multiday.ics"

M = load_migration("0005_owner_triggers.py")


@pytest.fixture
def pair(demo_ctx: Context) -> tuple[Context, int, int]:
    """(context, A's id, B's id): B holds a copy of every row A has, calendar events included."""
    a_id = plan.get_profile(demo_ctx).id  # type: ignore[union-attr]
    a = replace(demo_ctx, applicant_id=a_id)
    calendar.apply_import(a, ICS, accept=True)
    data = composition.export_applicant(a)
    tables: dict[str, Any] = data["tables"]  # type: ignore[assignment]
    tables["applicant"][0]["email"] = "copy@example.org"
    for reminder in tables["reminder"]:  # a Message-ID is one message: the copy's are its own
        reminder["message_id"] = f"copy.{reminder['message_id']}" if reminder.get("message_id") else None
    b_id = composition.import_applicant(a, data)
    return a, a_id, b_id


def _owned_ids(conn: Connection, table: str, applicant_id: int) -> list[int]:
    return list(conn.execute(text(f"SELECT id FROM {table} WHERE applicant_id = :a ORDER BY id"),
                             {"a": applicant_id}).scalars())


def _table(name: str) -> Table:
    from imgcoach.storage.models import register_all

    register_all()  # every table registered

    return SQLModel.metadata.tables[name]


def _child_row(conn: Connection, link: Any, applicant_id: int) -> dict[str, Any]:
    """One row of link.child that belongs to the applicant (through its owner parent if it has no applicant_id),
    read through SQLAlchemy Core (typed values, so the same row can be inserted again; no ORM session)."""
    table = _table(link.child)
    if link.owner_parent:
        owner = _table(link.owner_parent)
        where = table.c[link.owner_column].in_(select(owner.c.id).where(owner.c.applicant_id == applicant_id))
    else:
        where = table.c.applicant_id == applicant_id
    row = conn.execute(select(table).where(where).order_by(table.c.id)).first()
    assert row is not None, f"applicant {applicant_id} has no {link.child} row to test with"
    return dict(row._mapping)


def _refused(conn: Connection, sql: str, params: dict[str, Any]) -> IntegrityError:
    """Run one statement in a savepoint; it must be refused by the owner triggers."""
    with pytest.raises(IntegrityError) as caught, conn.begin_nested():
        conn.execute(text(sql), params)
    assert "cross-applicant link" in str(caught.value.orig), caught.value
    return caught.value


@pytest.mark.parametrize("link", M.LINKS, ids=lambda link: f"{link.child}.{link.column}")
def test_raw_sql_linking_two_applicants_is_refused_and_same_applicant_links_work(
        pair: tuple[Context, int, int], link: Any) -> None:
    ctx, a_id, b_id = pair
    with ctx.db.engine.connect() as conn:
        child = _child_row(conn, link, a_id)
        mine, theirs = _owned_ids(conn, link.parent, a_id), _owned_ids(conn, link.parent, b_id)
        assert mine and theirs, f"both applicants need a {link.parent}"
        # Same applicant: pointing the row at another (or the same) parent of A's is allowed.
        conn.execute(text(f"UPDATE {link.child} SET {link.column} = :p WHERE id = :id"),
                     {"p": mine[-1], "id": child["id"]})
        # Another applicant's parent: refused, the row keeps its value.
        error = _refused(conn, f"UPDATE {link.child} SET {link.column} = :p WHERE id = :id",
                         {"p": theirs[0], "id": child["id"]})
        assert conn.execute(text(f"SELECT {link.column} FROM {link.child} WHERE id = :id"),
                            {"id": child["id"]}).scalar_one() == mine[-1]
        assert storage_error_message(error) == (f"refused: that {link.parent.replace('_', ' ')} belongs to another "
                                                f"applicant ({link.child}.{link.column}); nothing was saved")
        # A new row: re-inserting A's row (deleted first, so no unique key is in the way) works with A's parent
        # and is refused with B's.
        table = _table(link.child)
        with conn.begin_nested() as same:
            conn.execute(table.delete().where(table.c.id == child["id"]))
            conn.execute(table.insert().values({**child, link.column: mine[0]}))
            same.rollback()
        with conn.begin_nested() as other:
            conn.execute(table.delete().where(table.c.id == child["id"]))
            with pytest.raises(IntegrityError, match="cross-applicant link"), conn.begin_nested():
                conn.execute(table.insert().values({**child, link.column: theirs[0]}))
            other.rollback()
        conn.commit()


def test_an_owner_row_of_a_rotation_contact_cannot_move_its_contact_link_either(pair: tuple[Context, int, int]) -> None:
    """A rotation's contact link has no applicant_id: moving its rotation to B's is refused too."""
    ctx, a_id, b_id = pair
    link = next(link for link in M.LINKS if link.child == "rotation_contact")
    with ctx.db.engine.connect() as conn:
        child = _child_row(conn, link, a_id)
        their_rotation = _owned_ids(conn, "rotation", b_id)[0]
        _refused(conn, "UPDATE rotation_contact SET rotation_id = :r WHERE id = :id",
                 {"r": their_rotation, "id": child["id"]})


@pytest.mark.parametrize("parent", M.PARENTS)
def test_a_row_other_rows_name_keeps_its_applicant(pair: tuple[Context, int, int], parent: str) -> None:
    ctx, a_id, b_id = pair
    with ctx.db.engine.connect() as conn:
        row_id = _owned_ids(conn, parent, a_id)[0]
        error = _refused(conn, f"UPDATE {parent} SET applicant_id = :b WHERE id = :id", {"b": b_id, "id": row_id})
        assert storage_error_message(error) == (f"refused: a {parent.replace('_', ' ')} cannot move to another "
                                                "applicant, other rows may name it (nothing was saved)")
        conn.execute(text(f"UPDATE {parent} SET applicant_id = :a WHERE id = :id"), {"a": a_id, "id": row_id})
        conn.commit()


def test_every_trigger_is_in_place_at_the_newest_schema(db_url: str, db_engine: str) -> None:
    """A later migration that rebuilds one of these tables on SQLite would drop its triggers: this notices."""
    db = Database(db_url)
    expected = {f"{link.name}_{op}" for link in M.LINKS for op in ("insert", "update")} if db_engine == "sqlite" \
        else {link.name for link in M.LINKS}
    expected |= {f"owner_applicant_kept_{parent}" for parent in M.PARENTS}
    with db.engine.connect() as conn:
        if db_engine == "sqlite":
            names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        else:
            names = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    db.close()
    assert expected <= names, f"missing: {sorted(expected - names)}"


@pytest.fixture
def the_reported_bug(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`letters add` back as it was reported: its own ownership check gone, and the flush check off too."""
    import imgcoach.plan.people as people

    monkeypatch.setattr(people, "owned", lambda session, model, row_id, _applicant, _what: session.get(model, row_id))
    event.remove(Session, "before_flush", check_links)
    try:
        yield
    finally:
        event.listen(Session, "before_flush", check_links)


def test_the_cli_shows_the_databases_refusal_as_a_user_error(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str], the_reported_bug: None, cli_clock: FixedClock) -> None:
    """With only the schema's line left, `letters add --rotation` with another applicant's rotation ends in a
    one-line refusal, exit 2, nothing written (not an internal error)."""
    theirs = plan.get_profile(demo_ctx).id  # type: ignore[union-attr]
    their_rotation = plan.list_rotations(replace(demo_ctx, applicant_id=theirs))[0].id
    a = plan.add_applicant(demo_ctx, name="Other Person", email="other@example.org", timezone="Pacific/Auckland")
    writer = plan.add_contact(replace(demo_ctx, applicant_id=a.id), "Own Writer", email="own.writer@example.org")
    before = database_state(demo_ctx.db)
    res = run_cli(capsys, "--db", demo_ctx.db.url, "--applicant", str(a.id), "letters", "add",
                  "--writer", str(writer.id), "--rotation", str(their_rotation))
    assert (res.code, res.err) == (2, "imgcoach: error: refused: that rotation belongs to another applicant "
                                      "(letter_request.rotation_id); nothing was saved\n"), res
    assert database_state(demo_ctx.db) == before


@pytest.mark.sqlite_only  # an old SQLite file upgraded in place
def test_upgrade_from_the_previous_heads_keeps_every_row_and_adds_the_triggers(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), list(M.down_revision))
    db.close()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                    " VALUES ('Old', 'old@example.com', 'Asia/Kolkata', '', '', 'none', '[]', '[]', '[]', '', '', 0, 0)")
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                    " VALUES ('Two', 'two@example.com', 'Asia/Kolkata', '', '', 'none', '[]', '[]', '[]', '', '', 0, 0)")
        for applicant in (1, 2):
            raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state,"
                        " country, start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned)"
                        f" VALUES ({applicant}, 'observership', 'Internal Medicine', 'Old Hospital', '', '', '', 'US',"
                        " '2027-01-04', '2027-01-29', 'inpatient', 40, 0, '', '')")
            raw.execute("INSERT INTO contact (applicant_id, name, title, email, phone, institution, notes)"
                        f" VALUES ({applicant}, 'Dr. Old', '', 'dr{applicant}@example.com', '', '', '')")
        raw.execute("INSERT INTO letter_request (applicant_id, rotation_id, writer_id, status, eras_letter_id, notes)"
                    " VALUES (1, 1, 1, 'planned', '', '')")
        # A link the old schema let through (the reported bug): the upgrade keeps it as it is.
        raw.execute("INSERT INTO letter_request (applicant_id, rotation_id, writer_id, status, eras_letter_id, notes)"
                    " VALUES (1, 2, 1, 'planned', '', '')")
        # The columns each table has now: a later migration's ADD COLUMN (0009's hours_assumed) is not a lost row.
        columns = {t: ", ".join(row[1] for row in raw.execute(f"PRAGMA table_info({t})"))
                   for t in ("applicant", "rotation", "contact", "letter_request")}
        before = {t: raw.execute(f"SELECT {c} FROM {t} ORDER BY id").fetchall() for t, c in columns.items()}
    upgraded = Database(f"sqlite:///{path}")
    upgraded.close()
    with sqlite3.connect(path) as raw:
        assert {t: raw.execute(f"SELECT {c} FROM {t} ORDER BY id").fetchall() for t, c in columns.items()} == before
        assert {r[0] for r in raw.execute("SELECT version_num FROM alembic_version")} == set(SCHEMA_HEADS)
        with pytest.raises(sqlite3.IntegrityError, match="cross-applicant link: letter_request.rotation_id"):
            raw.execute("INSERT INTO letter_request (applicant_id, rotation_id, writer_id, status, eras_letter_id, notes)"
                        " VALUES (1, 2, 1, 'planned', '', '')")
        raw.execute("INSERT INTO letter_request (applicant_id, rotation_id, writer_id, status, eras_letter_id, notes)"
                    " VALUES (2, 2, 2, 'planned', '', '')")


def test_upgrade_and_downgrade_on_both_engines(new_db_url: Any, db_engine: str) -> None:
    """From the previous heads with data to this revision and back: rows kept, triggers added then dropped.

    Also the upgrade path a PostgreSQL organisation takes (`imgcoach db upgrade`)."""
    from alembic import command

    cross = text("INSERT INTO letter_request (applicant_id, writer_id, status, eras_letter_id, notes)"
                 " VALUES (:a, :w, 'planned', '', '')")
    url = new_db_url("old", migrated=False)
    db = _previous_schema_with_two_applicants(url)
    with db.engine.begin() as conn:
        ids = list(conn.execute(text("SELECT id FROM applicant ORDER BY id")).scalars())
        for applicant in ids:
            conn.execute(text("INSERT INTO contact (applicant_id, name, title, email, phone, institution, notes)"
                              " VALUES (:a, 'Dr. Old', '', '', '', '', '')"), {"a": applicant})
        contacts = list(conn.execute(text("SELECT id FROM contact ORDER BY id")).scalars())
        conn.execute(cross, {"a": ids[0], "w": contacts[0]})
    with db.engine.begin() as conn:
        before = {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")).all()))
                  for t in ("applicant", "contact", "letter_request")}
        command.upgrade(_alembic_config(conn), M.revision)
    with db.engine.connect() as conn:
        assert {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")).all())) for t in before} == before
        _refused(conn, cross.text, {"a": ids[0], "w": contacts[1]})
    with db.engine.begin() as conn:
        # The downgrade function itself (Alembic cannot walk one step down from a merge by a relative target).
        from alembic.operations import Operations
        from alembic.runtime.migration import MigrationContext

        with Operations.context(MigrationContext.configure(conn)):
            M.downgrade()
    with db.engine.begin() as conn:
        conn.execute(cross, {"a": ids[0], "w": contacts[1]})  # the old schema, as it was: no second line
    db.close()


def test_the_links_db_check_reads_from_the_schema_are_the_links_the_triggers_guard() -> None:
    """One rule, two readers: the triggers froze their list at 0005; `db check` derives it from the models."""
    from imgcoach.storage.ownership import owner_links

    def pair_of(child: str, column: str, parent: str) -> frozenset[str]:
        return frozenset({f"{child}.{column}", parent})

    derived = set()
    for table, column, parent in owner_links():
        # a rotation's contact link is owned through one of its two keys and checked against the other
        derived.add(pair_of(table.name, column, parent.name) if table.name != "rotation_contact"
                    else frozenset({"rotation_contact"}))
    frozen = {pair_of(link.child, link.column, link.parent) if link.child != "rotation_contact"
              else frozenset({"rotation_contact"}) for link in M.LINKS}
    assert derived == frozen


def test_rows_linking_two_applicants_from_before_the_triggers_are_named_by_db_upgrade_and_db_check(
        new_db_url: Any, db_engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The upgrade keeps such a row as it was (it is the user's data); `db upgrade` warns and `db check` exits 2
    naming it, and says the database is sound once it is removed."""
    url = new_db_url("old", migrated=False)
    db = _previous_schema_with_two_applicants(url)
    with db.engine.begin() as conn:
        a, b = conn.execute(text("SELECT id FROM applicant ORDER BY id")).scalars()
        for applicant in (a, b):
            conn.execute(text("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city,"
                              " state, country, start_date, end_date, setting, hours_per_week, hands_on,"
                              " responsibilities, learned) VALUES (:a, 'observership', 'Internal Medicine', 'Old',"
                              " '', '', '', 'US', '2027-01-04', '2027-01-29', 'inpatient', 40, false, '', '')"),
                         {"a": applicant})
            conn.execute(text("INSERT INTO contact (applicant_id, name, title, email, phone, institution, notes)"
                              " VALUES (:a, 'Dr. Old', '', '', '', '', '')"), {"a": applicant})
        rot_a, rot_b = conn.execute(text("SELECT id FROM rotation ORDER BY id")).scalars()
        writer_a = conn.execute(text("SELECT min(id) FROM contact")).scalar_one()
        letter = text("INSERT INTO letter_request (applicant_id, rotation_id, writer_id, status, eras_letter_id,"
                      " notes) VALUES (:a, :r, :w, 'planned', '', '')")
        conn.execute(letter, {"a": a, "r": rot_a, "w": writer_a})
        conn.execute(letter, {"a": a, "r": rot_b, "w": writer_a})  # the reported bug: A's letter, B's rotation
        bad_letter = conn.execute(text("SELECT max(id) FROM letter_request")).scalar_one()
    db.close()
    expected = (f"letter_request {bad_letter} (applicant {a}) names rotation {rot_b} of applicant {b} "
                "in rotation_id")
    upgraded = run_cli(capsys, "db", "upgrade", "--db", url)
    assert upgraded.code == 0 and "schema upgraded" in upgraded.out
    assert "1 row links two applicants" in upgraded.err and expected in upgraded.err
    checked = run_cli(capsys, "db", "check", "--db", url)
    assert checked.code == 2 and expected in checked.err and "\n" not in checked.err.strip()
    from tests.test_cli_quickread import same_both_ways

    named = same_both_ways("--db", url, "db", "check", quick=False)  # the quick read finds the row, leaves it
    assert named.code == 2 and expected.encode() in named.err
    again = run_cli(capsys, "db", "upgrade", "--db", url)
    assert again.code == 0 and "nothing to do" in again.out and expected in again.err
    db = Database(url, migrate=False)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM letter_request WHERE id = :id"), {"id": bad_letter})
    db.close()
    fixed = run_cli(capsys, "db", "check", "--db", url)
    assert fixed.code == 0 and "no row links two applicants" in fixed.out and fixed.err == ""
    assert same_both_ways("--db", url, "db", "check", quick=True).code == 0  # libpq on PostgreSQL (issue 17)
    if db_engine == "sqlite":
        assert "quick_check, foreign keys and no row links two applicants" in fixed.out


def _previous_schema_with_two_applicants(url: str) -> Database:
    """A database at the revisions before 0005 (no owner triggers) holding applicants "Old" and "Two"."""
    from alembic import command

    db = Database(url, migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), list(M.down_revision))
    with db.engine.begin() as conn:
        for name in ("Old", "Two"):
            conn.execute(text(
                "INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                f" VALUES ('{name}', '{name}@example.com', 'Asia/Kolkata', '', '', 'none', '[]', '[]', '[]', '', '',"
                " false, false)"))
    return db
