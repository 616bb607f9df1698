"""The history schema (history/schema.py) as its migrations build it, applied in order on an empty database."""

import sqlite3

import pytest

from pipeline.history.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def db():
    connection = sqlite3.connect(":memory:")
    for migration in MIGRATIONS:          # as History.migrate applies them: foreign keys off while rebuilding
        for statement in migration:
            connection.execute(statement)
    connection.commit()                   # the pragma is a no-op inside a transaction
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def columns(db, table):
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def test_every_migration_applies_and_the_version_counts_them(db):
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 4
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"runs", "inputs", "departments", "projects", "indicators", "findings"} <= tables
    assert columns(db, "findings")[:10] == ["period", "position", "code", "severity", "file", "sheet", "cell",
                                             "department", "project", "message"]
    assert "params" in columns(db, "findings") and "layout" in columns(db, "projects")


def test_a_run_status_outside_the_three_is_refused(db):
    for status in ("ok", "warnings", "failed"):
        db.execute("INSERT INTO runs (period, started, recorded, status, total_fen) VALUES (?, 's', 'r', ?, 0)",
                   (f"p-{status}", status))
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO runs (period, started, recorded, status, total_fen) VALUES ('x', 's', 'r', 'bad', 0)")


def test_money_beyond_64_bits_is_kept_as_its_text_and_an_unknown_project_amount_is_null(db):
    huge = str(10 ** 30)
    db.execute("INSERT INTO runs (period, started, recorded, status, total_fen) VALUES ('2026-11', 's', 'r', 'ok', ?)",
               (huge,))
    db.execute("INSERT INTO projects (period, position, department, spending_unit, name, total_fen, fiscal_fen, "
               "special_account_fen, other_fen, goal, source_file, source_sheet, source_row) "
               "VALUES ('2026-11', 0, '局', '局', '项目', NULL, 12345, 0, 0, '', 'a.xlsx', 'S', 5)")
    assert db.execute("SELECT total_fen FROM runs").fetchone() == (huge,)
    assert db.execute("SELECT total_fen, fiscal_fen, layout FROM projects").fetchone() == (None, 12345, "table")


def test_a_run_deleted_takes_its_rows_with_it(db):
    db.execute("INSERT INTO runs (period, started, recorded, status, total_fen) VALUES ('2026-11', 's', 'r', 'ok', 0)")
    db.execute("INSERT INTO inputs (period, position, file, sha256, status, reason) "
               "VALUES ('2026-11', 0, 'a.xlsx', NULL, 'ok', NULL)")
    db.execute("DELETE FROM runs WHERE period = '2026-11'")
    assert db.execute("SELECT COUNT(*) FROM inputs").fetchone() == (0,)
