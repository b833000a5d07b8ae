"""Each test gets a fresh, migrated database: SQLite always, PostgreSQL when ANCHANG_TEST_DATABASE_URL is set."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path

import fastapi.dependencies.models
import pytest
from argon2 import PasswordHasher
from nicegui import ui
from nicegui.testing.user import User
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

import db
import models  # noqa: F401 - every table on the metadata
from services import wiring
from services.core import events, security

wiring.connect()  # the areas' hooks, as main.py connects them: service tests run without main.py
# argon2id at its production cost is 0.1-0.3 s a hash, and every page test's main.py makes the first admin, every log-in
# verifies: the suite hashes at the lowest cost. The production cost is tested in tests/services/core/test_security.py
# (and by the browser tests, whose app runs in a process of its own).
security.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

PG_URL = os.environ.get('ANCHANG_TEST_DATABASE_URL', '')
BACKENDS = ['sqlite', 'postgresql'] if PG_URL else ['sqlite']
_passed = {'sqlite': 0, 'postgresql': 0}


@pytest.fixture(scope='session')
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test copies it."""
    path = tmp_path_factory.mktemp('template') / 'template.db'
    engine = db.make_engine(f'sqlite:///{path}')
    db.migrate(engine)
    engine.dispose()
    return path


@pytest.fixture(scope='session')
def postgres_url() -> Iterator[str]:
    """A database of this run's own, created, migrated and dropped at the end."""
    name = f'anchang_test_{uuid.uuid4().hex[:10]}'
    admin = create_engine(PG_URL, isolation_level='AUTOCOMMIT')
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE {name}'))
    url = db.make_engine(PG_URL).url.set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    db.migrate(engine)
    engine.dispose()
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == 'sqlite':
        shutil.copy(sqlite_template, tmp_path / 'anchang.db')
        return f'sqlite:///{tmp_path / "anchang.db"}'
    url: str = request.getfixturevalue('postgres_url')
    engine = db.make_engine(url)
    tables = ', '.join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as c:
        c.execute(text(f'TRUNCATE {tables} RESTART IDENTITY CASCADE'))
    engine.dispose()
    return url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on a fresh database; also the app's engine, so services and pages see the same data."""
    db.init_engine(database_url)
    with db.session() as s:
        yield s
    db.get_engine().dispose()


@pytest.fixture(autouse=True)
def app_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> None:
    """What main.py reads when a `user` test runs it: a data folder and database of the test's own."""
    data = tmp_path / 'data'
    data.mkdir()
    shutil.copy(sqlite_template, data / 'anchang.db')
    monkeypatch.setenv('ANCHANG_DATA_DIR', str(data))
    monkeypatch.delenv('ANCHANG_DATABASE_URL', raising=False)
    monkeypatch.delenv('ANCHANG_SECRET', raising=False)
    monkeypatch.setenv('ANCHANG_QUIET', '1')
    monkeypatch.chdir(tmp_path)  # no stray .env is read


@pytest.fixture(autouse=True)
def _clear_event_subscribers() -> Iterator[None]:
    """Module-level events outlive the clients of one test."""
    yield
    for event in events.ALL_EVENTS:
        event.callbacks.clear()


@pytest.fixture(autouse=True)
def _each_tab_its_own_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    """NiceGUI's user simulation points `ui.navigate`, `ui.notify` and `ui.download` at whichever `User` was touched
    last, and every message the server sends a tab touches that tab's `User`: with two phones open, the form one of them
    submitted could navigate the other (a boss's live board drew a change while the salesperson's complaint was being
    filed; CI, stop 22). Here they go to the `User` whose page the code runs in, and to the one touched last only
    outside any page."""
    users: weakref.WeakSet[User] = weakref.WeakSet()
    last: list[User] = []
    init, touched = User.__init__, User.__getattribute__

    def tab() -> User:
        try:
            client = ui.context.client
        except RuntimeError:  # not inside a page
            return last[-1]
        return next((u for u in users if object.__getattribute__(u, 'client') is client), last[-1])

    class ToTheTab:
        def __init__(self, name: str) -> None:
            self.name = name

        def __call__(self, *args: object, **kwargs: object) -> object:
            return touched(tab(), self.name)(*args, **kwargs)

        def __getattr__(self, attribute: str) -> object:
            return getattr(touched(tab(), self.name), attribute)

    to_the_tab = {name: ToTheTab(name) for name in ('navigate', 'notify', 'download')}

    def new_init(self: User, client: object) -> None:
        init(self, client)  # type: ignore[arg-type]
        users.add(self)

    def new_touched(self: User, name: str) -> object:
        value = touched(self, name)
        if name not in to_the_tab:
            last[:] = [self]
            for key, dispatcher in to_the_tab.items():
                setattr(ui, key, dispatcher)
        return value

    monkeypatch.setattr(User, '__init__', new_init)
    monkeypatch.setattr(User, '__getattribute__', new_touched)
    for key in to_the_tab:
        monkeypatch.setattr(ui, key, getattr(ui, key))  # put back after the test


@pytest.fixture(autouse=True)
def _forget_earlier_pages() -> Iterator[None]:
    """Each page test runs main.py anew, which makes every route again; FastAPI's caches of what each endpoint is
    (up to 4,096 each) would keep the earlier tests' routes, pages and apps alive, and every garbage collection
    NiceGUI runs between tests would walk them all again (0.2 s a collection at the start of a run, more later)."""
    yield
    for cached in vars(fastapi.dependencies.models).values():
        if callable(getattr(cached, 'cache_clear', None)):
            cached.cache_clear()


LONGEST_FIRST = ('tests/services/rotation/test_day_properties.py',)  # 500 random days on each backend in CI


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first: with `-n 2` (.ci/run) a worker starts on them at once and the other worker takes the
    rest meanwhile, rather than one of them starting them last while the other has nothing left to do."""
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))  # stable: otherwise in the usual order


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now lives for the whole run: the collections between page tests need not walk it
    (as main.py's tune_gc does for the app)."""
    gc.collect()
    gc.freeze()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for backend in _passed:
        if report.when == 'call' and report.passed and f'[{backend}' in report.nodeid:
            _passed[backend] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI the storage tests must also have run on PostgreSQL."""
    # The simulated phones of page tests are never disconnected, so NiceGUI's dialog clean-ups would run at
    # interpreter exit against clients already gone and print tracebacks after the summary line.
    for finalizer in list(weakref.finalize._registry):  # type: ignore[attr-defined]
        finalizer.atexit = False
    if hasattr(session.config, 'workerinput'):
        return  # a pytest-xdist worker counts only its share; the controller sees every report and decides
    if os.environ.get('CI') == 'true' and _passed['sqlite'] and not _passed['postgresql']:
        print('\nCI: no test ran on PostgreSQL (set ANCHANG_TEST_DATABASE_URL) — failing the run.')
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
