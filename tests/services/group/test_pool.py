"""PostgreSQL's pool pings a connection only after it sat idle, and replaces one the server closed meanwhile."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

import db


def test_a_connection_closed_by_the_server_is_replaced(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not database_url.startswith('postgresql'):
        pytest.skip('the PostgreSQL pool')
    engine = db.init_engine(database_url)
    with db.session() as s:
        pid = s.execute(text('SELECT pg_backend_pid()')).scalar_one()
    admin = create_engine(engine.url, isolation_level='AUTOCOMMIT', poolclass=NullPool)
    with admin.connect() as c:
        c.execute(text('SELECT pg_terminate_backend(:pid)'), {'pid': pid})  # a restart, a dropped connection
    monkeypatch.setattr(db, 'PING_IDLE_S', 0.0)
    with db.session() as s:
        assert s.execute(text('SELECT pg_backend_pid()')).scalar_one() != pid
    engine.dispose()
