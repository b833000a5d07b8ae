"""`python main.py backup --out DIR` and `python main.py restore DIR`, as an operator runs them."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[3]


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {'PYTEST_CURRENT_TEST', 'ANCHANG_DATABASE_URL'}}
    env |= {'ANCHANG_DATA_DIR': str(data), 'ANCHANG_QUIET': '1'}
    return subprocess.run(
        [sys.executable, str(ROOT / 'main.py'), *args], cwd=data.parent, env=env, capture_output=True, text=True
    )


def test_backup_then_restore_into_an_empty_data_folder(tmp_path: Path) -> None:
    live, out, fresh = tmp_path / 'live', tmp_path / 'backup', tmp_path / 'fresh'
    assert run(live, '--no-serve').returncode == 0  # the first run: a site and its admin
    made = run(live, 'backup', '--out', str(out))
    assert made.returncode == 0 and (out / 'manifest.json').is_file(), made.stderr
    restored = run(fresh, 'restore', str(out))
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(fresh / 'anchang.db') as a, sqlite3.connect(live / 'anchang.db') as b:
        assert a.execute('SELECT count(*) FROM staff').fetchone() == b.execute('SELECT count(*) FROM staff').fetchone()
    assert (fresh / 'secret.key').read_text() == (live / 'secret.key').read_text()
    again = run(fresh, 'restore', str(out))
    assert again.returncode == 1 and 'not empty' in again.stderr
    assert run(fresh, 'backup').returncode == 2  # no --out
