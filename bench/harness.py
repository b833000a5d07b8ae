"""Start the app as a subprocess on a fresh data folder, measure it, and drive it with Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any, Self

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_ARGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
]
# NiceGUI believes it runs under pytest when the first two are set, and then `ui.run` does not serve;
# an inherited database or secret would point the fresh app at someone else's data.
CHILD_ENV_REMOVE = ('PYTEST_CURRENT_TEST', 'NICEGUI_USER_SIMULATION', 'ANCHANG_DATABASE_URL', 'ANCHANG_SECRET')


class AppError(RuntimeError):
    """The app did not start (it died or never answered)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


def child_env(data_dir: Path, port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment main.py gets: ours, minus CHILD_ENV_REMOVE, plus the app's settings."""
    env = {k: v for k, v in os.environ.items() if k not in CHILD_ENV_REMOVE}
    env.update(
        ANCHANG_DATA_DIR=str(data_dir),
        ANCHANG_PORT=str(port),
        ANCHANG_QUIET='1',
        ANCHANG_HOST='127.0.0.1',
        PYTHONUNBUFFERED='1',
    )
    env.update(extra or {})
    return env


class Running:
    """`with thing as t:` starts it and stops it at the end, or at once if starting fails half-way."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """Terminate a child process we started (kill it if it lingers)."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class AppServer(Running):
    """`with AppServer(['demo']) as app:` runs main.py on a free port and a fresh data folder until exit."""

    def __init__(
        self,
        args: list[str] | None = None,
        *,
        port: int | None = None,
        timeout: float = 30.0,
        env: dict[str, str] | None = None,
    ) -> None:
        self.args = ['demo'] if args is None else args
        self.port = port or free_port()
        self.timeout = timeout
        self.extra_env = env
        self.base_url = f'http://127.0.0.1:{self.port}'
        self.data_dir = Path(tempfile.mkdtemp(prefix='anchang-bench-'))
        self.process: subprocess.Popen[bytes] | None = None
        self.startup_s = 0.0
        self._output: list[str] = []

    @property
    def pid(self) -> int:
        """The server process's id."""
        assert self.process is not None, 'the app is not running'
        return self.process.pid

    @property
    def output(self) -> str:
        """Everything the app printed so far (stdout and stderr together)."""
        return ''.join(self._output)

    def start(self) -> Self:
        """Start main.py and wait until /login answers 200; `startup_s` is the time that took."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            # cwd: NiceGUI keeps its storage in ./.nicegui, and config.py reads ./.env
            [sys.executable, str(ROOT / 'main.py'), *self.args],
            cwd=self.data_dir,
            env=child_env(self.data_dir, self.port, self.extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        threading.Thread(target=self._collect, daemon=True).start()
        self._wait_ready()
        self.startup_s = time.perf_counter() - started
        return self

    def stop(self) -> None:
        """Terminate the app (kill it if it lingers) and remove its data folder."""
        stop_process(self.process)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def _collect(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in iter(self.process.stdout.readline, b''):
            self._output.append(line.decode('utf-8', errors='replace'))

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                time.sleep(0.2)  # let the reader thread catch the last lines
                raise AppError(f'main.py exited with code {self.process.returncode}:\n{self.output}')
            if http_status(f'{self.base_url}/login') == 200:
                return
            time.sleep(0.05)
        raise AppError(f'main.py did not answer GET /login with 200 within {self.timeout:.0f} s:\n{self.output}')


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """The status code of GET `url`, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own http:// URL
            return int(response.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (urllib.error.URLError, OSError):
        return None


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB, from /proc/<pid>/status (VmRSS)."""
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    raise ValueError(f'no VmRSS for process {pid}')


def print_result(figures: dict[str, Any]) -> None:
    """Print each figure on a line of its own, then all of them as one final JSON line."""
    width = max((len(k) for k in figures), default=0)
    for key, value in figures.items():
        shown = f'{value:.2f}' if isinstance(value, float) else value
        print(f'{key:<{width}}  {shown}')
    print(json.dumps(figures, ensure_ascii=False, sort_keys=False), flush=True)


def launch_chromium(playwright: Any, **options: Any) -> Any:
    """Launch Chromium headless: Debian's /usr/bin/chromium if present, else Playwright's own."""
    if CHROMIUM.exists():
        options.setdefault('executable_path', str(CHROMIUM))
    return playwright.chromium.launch(args=CHROMIUM_ARGS, **options)
