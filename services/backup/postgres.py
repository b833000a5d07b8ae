"""pg_dump and pg_restore, whose major version must match the server's (a newer server's dump is refused)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine

from .errors import BackupError

TIMEOUT_S = 3600


def check_pg_tools(engine: Engine) -> str:
    """The path of pg_dump if it is installed and of the server's major version; BackupError otherwise."""
    tool = shutil.which('pg_dump')
    if tool is None:
        raise BackupError('pg_dump is not installed (Debian: apt-get install postgresql-client)')
    version = subprocess.run([tool, '--version'], capture_output=True, text=True, check=False)  # noqa: S603 - our tool
    found = re.search(r'(\d+)(?:\.\d+)?', version.stdout)
    with engine.connect() as c:
        server = int(c.execute(text('SHOW server_version_num')).scalar_one()) // 10_000
    if found is None or int(found.group(1)) != server:
        client = found.group(1) if found else '?'
        raise BackupError(f'pg_dump is version {client} but the server is {server}: install postgresql-client-{server}')
    return tool


def dump(engine: Engine, out: Path) -> None:
    """A consistent snapshot of the database (one transaction, so a burst of writes meanwhile is left out whole)."""
    tool = check_pg_tools(engine)
    args, env = _connection(engine)
    _run([tool, '--format=custom', '--no-owner', '--no-privileges', f'--file={out}', *args], env)


def restore_dump(engine: Engine, source: Path) -> None:
    """The dump into the (empty) database the engine points to."""
    check_pg_tools(engine)
    tool = shutil.which('pg_restore') or 'pg_restore'
    args, env = _connection(engine)
    _run([tool, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', *args, str(source)], env)


def _connection(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Command-line connection options; the password goes through the environment, never the command line."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    args = [f'--dbname={url.database}', f'--host={url.host or "localhost"}', f'--port={url.port or 5432}']
    if url.username:
        args.append(f'--username={url.username}')
    env = dict(os.environ)
    if url.password:
        env['PGPASSWORD'] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # the PostgreSQL tools found on PATH, with arguments from the app's own database URL
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT_S, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f'{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}')
