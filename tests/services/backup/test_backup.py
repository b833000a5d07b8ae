"""Backups that restore: made during a burst of sign-ins, restored into an empty data folder and database, every
visit confirmed before the backup began is there. SQLite (online backup API) and PostgreSQL (pg_dump)."""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

import db
from models import Visit
from services import backup
from services.signin import register as signin
from tests.conftest import PG_URL
from tests.helpers.factories import make_site

BURST_THREADS = 2


class Burst:
    """Visitors signing in from a few phones at once until stopped; the ids of visits whose commit returned."""

    def __init__(self, site_id: int) -> None:
        self.site_id, self.confirmed, self.lock = site_id, [], threading.Lock()  # type: ignore[var-annotated]
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(BURST_THREADS)]

    def __enter__(self) -> 'Burst':
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def run(self, lane: int) -> None:
        n = 0
        while not self.stop.is_set() and n < 2000:
            n += 1
            form = signin.SignInForm(surname='王', title='先生', phone=f'139{lane:02d}{n:06d}', consent=True)
            with db.session() as s:
                result = signin.sign_in(
                    s, site_id=self.site_id, form=form, source='qr', client=f'c{lane}-{n}', request_key=uuid.uuid4().hex
                )
            with self.lock:
                self.confirmed.append(result.visit_id)

    def so_far(self, at_least: int) -> set[int]:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.confirmed) >= at_least:
                    return set(self.confirmed)
            time.sleep(0.01)
        raise AssertionError('the burst did not get going')


@pytest.fixture
def target_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind to restore into."""
    if database_url.startswith('sqlite'):
        yield f'sqlite:///{tmp_path / "restored" / "anchang.db"}'
        return
    name = f'anchang_restore_{uuid.uuid4().hex[:8]}'
    admin = create_engine(PG_URL, isolation_level='AUTOCOMMIT')
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE {name}'))
    yield db.make_engine(database_url).url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))
    admin.dispose()


def data_folder(tmp_path: Path) -> Path:
    data = tmp_path / 'live'
    (data / 'photos' / '2026' / '12').mkdir(parents=True)
    (data / 'photos' / '2026' / '12' / 'a.jpg').write_bytes(b'\xff\xd8 a photo')
    (data / 'secret.key').write_text('s' * 64)
    return data


def test_a_backup_during_a_burst_restores_every_visit_confirmed_before_it(
    session: Session, tmp_path: Path, target_url: str
) -> None:
    site = make_site(session)
    live, out = data_folder(tmp_path), tmp_path / 'backup'
    with Burst(site.id or 0) as burst:
        before = burst.so_far(at_least=30)  # confirmed: their sign-in returned before the backup began
        made = backup.backup(db.get_engine(), data_dir=live, out=out)
        after = burst.so_far(at_least=len(before) + 10)  # the burst went on during and after it
    assert len(after) > len(before) and 'photos/2026/12/a.jpg' in made.files
    restored_dir = tmp_path / 'restored'
    restored_dir.mkdir(exist_ok=True)
    engine = db.make_engine(target_url)
    backup.restore(engine, source=out, data_dir=restored_dir)
    engine = db.make_engine(target_url)
    db.migrate(engine)  # what `main.py restore` does next: nothing to do for a backup of this version
    with Session(engine) as s:
        restored = set(s.exec(select(Visit.id)))
    engine.dispose()
    assert before <= restored, f'{len(before - restored)} confirmed visits lost'
    assert (restored_dir / 'photos' / '2026' / '12' / 'a.jpg').read_bytes() == b'\xff\xd8 a photo'
    assert (restored_dir / 'secret.key').read_text() == 's' * 64


def test_a_damaged_backup_is_refused_before_anything_is_restored(session: Session, tmp_path: Path) -> None:
    make_site(session)
    out = tmp_path / 'backup'
    backup.backup(db.get_engine(), data_dir=data_folder(tmp_path), out=out)
    (out / 'photos' / '2026' / '12' / 'a.jpg').write_bytes(b'changed')
    with pytest.raises(backup.BackupError, match='damaged'):
        backup.verify(out)
    manifest = json.loads((out / backup.MANIFEST).read_text())
    assert all(len(f['sha256']) == 64 for f in manifest['files'].values())


def test_restore_needs_an_empty_data_folder(session: Session, tmp_path: Path) -> None:
    make_site(session)
    out = tmp_path / 'backup'
    backup.backup(db.get_engine(), data_dir=data_folder(tmp_path), out=out)
    busy = data_folder(tmp_path / 'busy')
    with pytest.raises(backup.BackupError, match='not empty'):
        backup.restore(db.make_engine(f'sqlite:///{busy / "anchang.db"}'), source=out, data_dir=busy)


def test_pg_dump_must_match_the_server(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    if session.get_bind().dialect.name != 'postgresql':
        pytest.skip('PostgreSQL only')
    assert backup.check_pg_tools(db.get_engine())  # the installed one matches (15)
    monkeypatch.setattr('shutil.which', lambda name: None)
    with pytest.raises(backup.BackupError, match='not installed'):
        backup.check_pg_tools(db.get_engine())
