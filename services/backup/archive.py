"""One backup folder: the database, the photos, the secret key, and a manifest with every file's checksum.

The database is copied first, as one consistent snapshot, and the photos after it: a photo's file is written
before its row is committed, so every photo the snapshot knows of is already on disk when the folder is copied.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, make_url
from sqlalchemy.engine import Engine

from . import postgres
from .errors import BackupError

MANIFEST = 'manifest.json'
SQLITE_FILE, PG_FILE, PHOTOS, SECRET = 'anchang.db', 'anchang.pgdump', 'photos', 'secret.key'
FORMAT = 1


@dataclass
class Manifest:
    created_at: str
    database: str  # sqlite / postgresql
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # relative path -> bytes, sha256
    format: int = FORMAT


def backup(engine: Engine, *, data_dir: Path, out: Path) -> Manifest:
    """A backup of the running app's database and data folder into `out` (new or empty)."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f'{out} is not empty')
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(created_at=datetime.now(UTC).isoformat(), database=engine.dialect.name)
    if engine.dialect.name == 'sqlite':
        _sqlite_backup(_sqlite_path(engine), out / SQLITE_FILE)
    elif engine.dialect.name == 'postgresql':
        postgres.dump(engine, out / PG_FILE)
    else:
        raise BackupError(f'cannot back up a {engine.dialect.name} database')
    if (data_dir / 'photos').is_dir():
        shutil.copytree(data_dir / 'photos', out / PHOTOS)
    if (data_dir / SECRET).is_file():
        shutil.copy2(data_dir / SECRET, out / SECRET)  # sessions, result pages and posters stay valid
        (out / SECRET).chmod(0o600)
    manifest.files = {str(p.relative_to(out)): _describe(p) for p in sorted(out.rglob('*')) if p.is_file()}
    (out / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2), encoding='utf-8')
    return manifest


def verify(source: Path) -> Manifest:
    """The backup's manifest, once every file it lists is there with its size and checksum; BackupError if not."""
    try:
        manifest = Manifest(**json.loads((source / MANIFEST).read_text(encoding='utf-8')))
    except (OSError, ValueError, TypeError) as e:
        raise BackupError(f'{source} has no readable {MANIFEST}: {e}') from None
    for name, expected in manifest.files.items():
        path = source / name
        if not path.is_file() or _describe(path) != expected:
            raise BackupError(f'{name} is missing or damaged in {source}')
    return manifest


def restore(engine: Engine, *, source: Path, data_dir: Path) -> Manifest:
    """The backup into an empty data folder (a fresh secret.key aside) and an empty database; checked first."""
    manifest = verify(source)
    leftovers = [p.name for p in data_dir.iterdir() if p.name not in {SECRET, '.nicegui'}] if data_dir.exists() else []
    if leftovers:
        raise BackupError(f'the data folder {data_dir} is not empty: {", ".join(sorted(leftovers)[:5])}')
    if manifest.database != engine.dialect.name:
        raise BackupError(f'the backup is of a {manifest.database} database, the target is {engine.dialect.name}')
    if inspect(engine).get_table_names():
        raise BackupError('the target database is not empty')
    data_dir.mkdir(parents=True, exist_ok=True)
    if manifest.database == 'sqlite':
        engine.dispose()
        target = _sqlite_path(engine)
        target.parent.mkdir(parents=True, exist_ok=True)
        for extra in (target, Path(f'{target}-wal'), Path(f'{target}-shm')):  # the empty file the engine made
            extra.unlink(missing_ok=True)
        shutil.copy2(source / SQLITE_FILE, target)
    else:
        postgres.restore_dump(engine, source / PG_FILE)
    if (source / PHOTOS).is_dir():
        shutil.copytree(source / PHOTOS, data_dir / 'photos')
    if (source / SECRET).is_file():
        shutil.copy2(source / SECRET, data_dir / SECRET)
        (data_dir / SECRET).chmod(0o600)
    return manifest


def _sqlite_backup(database: Path, out: Path) -> None:
    """SQLite's online backup API: a consistent copy while the app keeps writing (WAL included)."""
    source = sqlite3.connect(f'file:{database}?mode=ro', uri=True, timeout=30)
    target = sqlite3.connect(out)
    try:
        with target:
            # in one step: a stepped copy starts over whenever the app writes meanwhile (a burst: never done);
            # in WAL mode this one long read holds no writer up
            source.backup(target)
    finally:
        target.close()
        source.close()


def _sqlite_path(engine: Engine) -> Path:
    database = make_url(engine.url.render_as_string(hide_password=False)).database
    if not database or database == ':memory:':
        raise BackupError('an in-memory database cannot be backed up')
    return Path(database)


def _describe(path: Path) -> dict[str, object]:
    digest = hashlib.sha256()
    with path.open('rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return {'bytes': path.stat().st_size, 'sha256': digest.hexdigest()}
