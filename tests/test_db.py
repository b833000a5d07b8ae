"""Storage: migrations equal the models, SQLite runs with its safety settings, timestamps stay UTC."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import db
from models import AuditLog, Site
from tests.helpers.factories import make_site


def test_migrations_create_exactly_the_models(session: Session) -> None:
    with db.get_engine().connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrating_twice_is_harmless(session: Session) -> None:
    db.migrate()
    db.migrate()


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path) -> None:
    engine = db.make_engine(f'sqlite:///{tmp_path / "x.db"}')
    with engine.connect() as c:
        assert c.execute(text('PRAGMA journal_mode')).scalar() == 'wal'
        assert c.execute(text('PRAGMA foreign_keys')).scalar() == 1
        assert c.execute(text('PRAGMA busy_timeout')).scalar() == 10000


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(AuditLog(action='x', entity='y', site_id=999))
    with pytest.raises(Exception, match=r'(?i)foreign key'):
        session.commit()


def test_timestamps_come_back_aware_in_utc(session: Session) -> None:
    at = datetime(2026, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    session.add(AuditLog(action='x', entity='y', at=at))
    session.commit()
    with db.session() as fresh:
        row = fresh.exec(text('SELECT id FROM audit_log')).one()  # type: ignore[call-overload]
        loaded = fresh.get(AuditLog, row[0])
    assert loaded is not None and loaded.at == at and loaded.at.tzinfo == UTC


def test_naive_timestamps_are_refused(session: Session) -> None:
    session.add(AuditLog(action='x', entity='y', at=datetime(2026, 5, 1, 10, 0)))
    with pytest.raises(Exception, match='naive'):
        session.commit()


def test_write_lock_session_is_immediate_on_sqlite(session: Session, database_url: str) -> None:
    if not database_url.startswith('sqlite'):
        pytest.skip('PostgreSQL uses row locks instead')
    make_site(session)
    with db.session(write_lock=True) as writer:
        writer.exec(text('SELECT 1'))  # type: ignore[call-overload]
        other = db.make_engine(database_url)
        with other.connect().execution_options(timeout=0) as c:
            c.exec_driver_sql('PRAGMA busy_timeout=0')
            with pytest.raises(Exception, match='locked'):
                c.exec_driver_sql(
                    'INSERT INTO site (name, code, address, opens_at, closes_at, timezone, settings, '
                    "active, created_at) VALUES ('a', 'B', '', '09:00:00', '18:00:00', 'x', '{}', 1, "
                    "'2026-01-01 00:00:00')"
                )
        other.dispose()


def test_a_reading_session_sends_no_begin_and_refuses_to_write(
    session: Session, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(session)
    monkeypatch.setattr(db, 'PING_IDLE_S', 0.0)  # every checkout pings first: that leaves no transaction open
    with db.reading() as s:
        found = s.get(Site, site.id)
        assert found is not None
        if database_url.startswith('postgresql'):  # autocommit: no BEGIN before the query, no ROLLBACK after it
            assert s.connection().connection.dbapi_connection.autocommit  # type: ignore[union-attr]
        found.name = '改名'
        with pytest.raises(RuntimeError, match=r'db\.session'):
            s.commit()
    with db.session() as s:
        assert s.get(Site, site.id).name == site.name  # type: ignore[union-attr]
        if database_url.startswith('postgresql'):  # the pooled connection is back to transactions for writers
            assert not s.connection().connection.dbapi_connection.autocommit  # type: ignore[union-attr]
