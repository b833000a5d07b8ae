"""A group on this machine: a PostgreSQL database of its own, Redis, nginx with the repo's deploy/ config, and N app
processes behind it. Used by the group's browser test and by `bench.signin --processes N`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Self

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .harness import ROOT, AppError, AppServer, Running, free_port, http_status, stop_process

DEFAULT_DATABASE_URL = 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres'
SECRET = 'group-test-' + 'k3Xv9qT2mP7wL4sN8bR1yH6dF0jC5aZe'  # shared by every process, as ANCHANG_SECRET must be
DEPLOY = ROOT / 'deploy' / 'nginx'


class Group(Running):
    """`with Group(2) as g:` — the processes answer on g.apps[i].base_url, the proxy on g.base_url."""

    def __init__(
        self,
        processes: int = 2,
        *,
        database_url: str = DEFAULT_DATABASE_URL,
        first_args: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.processes = processes
        self.admin_url = database_url
        self.first_args = first_args or []
        self.extra_env = env or {}
        self.dir = Path(tempfile.mkdtemp(prefix='anchang-group-'))
        self.database = f'anchang_group_{uuid.uuid4().hex[:10]}'
        url = make_url(database_url.replace('postgresql://', 'postgresql+psycopg://', 1))
        self.database_url = url.set(database=self.database).render_as_string(hide_password=False)
        self.port = free_port()
        self.base_url = f'http://127.0.0.1:{self.port}'
        self.apps: list[AppServer] = []
        self._redis: subprocess.Popen[bytes] | None = None
        self._nginx: subprocess.Popen[bytes] | None = None
        self.redis_url = ''

    @property
    def env(self) -> dict[str, str]:
        """What every process of the group is given (as /etc/anchang/group.env would)."""
        return {
            'ANCHANG_PROCESSES': str(self.processes),
            'ANCHANG_SECRET': SECRET,
            'ANCHANG_DATABASE_URL': self.database_url,
            'ANCHANG_PHOTO_DIR': str(self.dir / 'photos'),
            'NICEGUI_REDIS_URL': self.redis_url,
            'NICEGUI_REDIS_KEY_PREFIX': f'{self.database}:',
            **self.extra_env,
        }

    def start(self) -> Self:
        self._on_server(f'CREATE DATABASE {self.database}')
        self.redis_url = self._start_redis()
        for i in range(self.processes):  # the first alone: it migrates the new database (the others would wait)
            app = AppServer(self.first_args if i == 0 else [], env=self.env, timeout=60)
            self.apps.append(app)
            app.start()
        self._start_nginx()
        return self

    def stop(self) -> None:
        for app in self.apps:
            app.stop()
        stop_process(self._nginx)
        stop_process(self._redis)
        self._on_server(f'DROP DATABASE IF EXISTS {self.database} WITH (FORCE)')
        shutil.rmtree(self.dir, ignore_errors=True)

    def _on_server(self, sql: str) -> None:
        """Run `sql` on the server outside any transaction (CREATE and DROP DATABASE)."""
        admin = create_engine(
            self.admin_url.replace('postgresql://', 'postgresql+psycopg://', 1), isolation_level='AUTOCOMMIT'
        )
        with admin.connect() as c:
            c.execute(text(sql))
        admin.dispose()

    def kill(self, index: int) -> None:
        """SIGKILL one process, as a crash would."""
        os.kill(self.apps[index].pid, signal.SIGKILL)
        self.apps[index].process.wait(timeout=5)  # type: ignore[union-attr]

    def health(self, index: int) -> dict[str, object]:
        with urllib.request.urlopen(f'{self.apps[index].base_url}/healthz', timeout=3) as r:  # noqa: S310
            return dict(json.loads(r.read()))

    def route_to(self, index: int) -> str:
        """A value of nginx's route cookie that sends a browser to process `index`."""
        wanted = self.health(index)['process']
        for n in range(200):
            value = f'r{n}'
            url, cookie = f'{self.base_url}/healthz', {'Cookie': f'anchang_route={value}'}
            with urllib.request.urlopen(urllib.request.Request(url, headers=cookie), timeout=3) as r:  # noqa: S310
                if json.loads(r.read())['process'] == wanted:
                    return value
        raise AppError(f'no route found to process {index}')

    def _start_redis(self) -> str:
        server = shutil.which('redis-server')
        if server is None:  # the machine's own, keys kept apart by the prefix
            return 'redis://127.0.0.1:6379/0'
        port = free_port()
        self._redis = subprocess.Popen(
            [server, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.dir,
        )
        _wait_for_port(port)
        return f'redis://127.0.0.1:{port}/0'

    def _start_nginx(self) -> None:
        """nginx with the repo's own upstream and location files, the processes' ports put in."""
        nginx = shutil.which('nginx') or '/usr/sbin/nginx'
        prefix = self.dir / 'nginx'
        (prefix / 'logs').mkdir(parents=True)
        upstream = (DEPLOY / 'anchang-upstream.conf').read_text()
        servers = ''.join(f'    server 127.0.0.1:{a.port} max_fails=1 fail_timeout=10s;\n' for a in self.apps)
        upstream = re.sub(r'(    server 127\.0\.0\.1:\d+[^\n]*\n)+', servers, upstream)
        (prefix / 'upstream.conf').write_text(upstream)
        (prefix / 'nginx.conf').write_text(f"""
worker_processes 1;
daemon off;
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/upstream.conf;
    server {{
        listen 127.0.0.1:{self.port};
        include {DEPLOY / 'anchang-locations.conf'};
    }}
}}
""")
        self._nginx = subprocess.Popen(
            [nginx, '-p', str(prefix), '-e', str(prefix / 'logs/error.log'), '-c', str(prefix / 'nginx.conf')],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while http_status(f'{self.base_url}/healthz') != 200:
            if self._nginx.poll() is not None or time.monotonic() > deadline:
                raise AppError(f'nginx did not start: {(prefix / "logs/error.log").read_text(errors="replace")}')
            time.sleep(0.05)


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.05)
    raise AppError(f'nothing listens on port {port}')
