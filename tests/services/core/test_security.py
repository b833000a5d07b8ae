"""The app hashes passwords with argon2id at the library's recommended cost (the suite itself hashes cheaply)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from argon2 import PasswordHasher, extract_parameters

ROOT = Path(__file__).resolve().parents[3]


def test_the_app_hashes_with_argon2id_at_the_recommended_cost() -> None:
    script = 'from services.core import security; h = security.hash_password("pw-1234x"); print(h)'
    made = subprocess.run([sys.executable, '-c', script], cwd=ROOT, capture_output=True, text=True, check=True)
    password_hash = made.stdout.strip()
    recommended = PasswordHasher()
    assert password_hash.startswith('$argon2id$')
    parameters = extract_parameters(password_hash)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
    assert recommended.verify(password_hash, 'pw-1234x')
