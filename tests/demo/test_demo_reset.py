"""`zhaoshang demo --reset` deletes the SQLite demo database (and its journal files) so the demo city is
loaded afresh; on another database it refuses with a Chinese explanation instead of deleting anything."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from django.core.management.base import CommandError

from zhaoshang.demo.management.commands.demo import reset_sqlite


def _connection(vendor: str, name: str):
    closed = []
    return SimpleNamespace(vendor=vendor, settings_dict={"NAME": name}, close=lambda: closed.append(True)), closed


def test_reset_deletes_the_sqlite_file_and_its_companions(tmp_path):
    db = tmp_path / "zhaoshang.sqlite3"
    sqlite3.connect(db).execute("create table t (x)").connection.close()
    (tmp_path / "zhaoshang.sqlite3-wal").write_bytes(b"")
    other = tmp_path / "其他.sqlite3"
    other.write_bytes(b"")
    connection, closed = _connection("sqlite", str(db))
    assert reset_sqlite(connection) == str(db)
    assert closed and not db.exists() and not (tmp_path / "zhaoshang.sqlite3-wal").exists()
    assert other.exists()


def test_reset_refuses_other_databases():
    connection, closed = _connection("postgresql", "zhaoshang")
    with pytest.raises(CommandError, match="只用于 SQLite"):
        reset_sqlite(connection)
    assert not closed
