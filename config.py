"""Settings: read once from the environment (and a `.env` file), with safe defaults for the embedded mode."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

LANGUAGES = ('zh-CN', 'en')
WEAK_SECRETS = {'', 'secret', 'changeme', 'change-me', 'password', 'anchang', 'demo', 'test'}
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret: str
    host: str
    port: int
    language: str
    session_hours: float
    public_url: str = ''  # e.g. https://anchang.example.com: what posters and the TV code point visitors to
    processes: int = 1  # how many app processes serve the group (behind one proxy, on one PostgreSQL)
    photo_dir: Path | None = None  # the photo folder; several processes must share one

    @property
    def photos_dir(self) -> Path:
        return self.photo_dir or self.data_dir / 'photos'


_current: Settings | None = None


def set_current(settings: Settings) -> None:
    """The settings the running app uses (main.py sets them once)."""
    global _current
    _current = settings


def current() -> Settings:
    if _current is None:
        raise RuntimeError('config.set_current() has not been called')
    return _current


def load_settings(environ: dict[str, str] | None = None, env_file: str | Path = '.env') -> Settings:
    """Build the settings from `environ` (default: os.environ) over the values of `env_file`."""
    values = {k: v for k, v in dotenv_values(env_file).items() if v is not None} if Path(env_file).is_file() else {}
    values.update(os.environ if environ is None else environ)
    data_dir = Path(values.get('ANCHANG_DATA_DIR') or './data').expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    processes = _int(values.get('ANCHANG_PROCESSES') or '1', 'ANCHANG_PROCESSES', 1, 64)
    if processes > 1:
        _check_group(values, processes)
    photo_dir = values.get('ANCHANG_PHOTO_DIR')
    return Settings(
        processes=processes,
        photo_dir=Path(photo_dir).expanduser().resolve() if photo_dir else None,
        data_dir=data_dir,
        database_url=values.get('ANCHANG_DATABASE_URL') or f'sqlite:///{data_dir / "anchang.db"}',
        secret=_secret(values.get('ANCHANG_SECRET'), data_dir),
        host=values.get('ANCHANG_HOST') or '0.0.0.0',  # noqa: S104 - phones on the site network must reach it
        port=_int(values.get('ANCHANG_PORT') or '8080', 'ANCHANG_PORT', 1, 65535),
        language=_language(values.get('ANCHANG_LANGUAGE') or 'zh-CN'),
        session_hours=float(_int(values.get('ANCHANG_SESSION_HOURS') or '12', 'ANCHANG_SESSION_HOURS', 1, 24 * 30)),
        public_url=_url(values.get('ANCHANG_PUBLIC_URL') or ''),
    )


def _check_group(values: dict[str, str], processes: int) -> None:
    """Several processes serve one group only if they share what each would otherwise keep to itself."""
    why = f'ANCHANG_PROCESSES={processes}: '
    if not values.get('ANCHANG_SECRET'):
        raise SettingsError(
            why + 'every process needs the same ANCHANG_SECRET (otherwise each makes its own, and a QR code or a '
            'login signed by one process fails on the others). Set one, at least 32 random characters, in the '
            'environment file all the processes read.'
        )
    if not (values.get('ANCHANG_DATABASE_URL') or '').startswith('postgresql'):
        raise SettingsError(why + 'several processes need one PostgreSQL database: set ANCHANG_DATABASE_URL.')
    if not values.get('ANCHANG_PHOTO_DIR'):
        raise SettingsError(
            why + 'set ANCHANG_PHOTO_DIR to one photo folder all the processes share (a photo taken through one '
            'process is shown by the others).'
        )
    if not values.get('NICEGUI_REDIS_URL'):
        raise SettingsError(
            why + 'set NICEGUI_REDIS_URL (e.g. redis://127.0.0.1:6379): logins are kept there, so a phone logged '
            'in through one process is logged in on all.'
        )


def _secret(given: str | None, data_dir: Path) -> str:
    """The given secret if strong enough, else the one kept in the data folder (made on first use)."""
    if given is not None:
        if given.strip().lower() in WEAK_SECRETS or len(given) < MIN_SECRET_LENGTH:
            raise SettingsError(f'ANCHANG_SECRET must be a random string of at least {MIN_SECRET_LENGTH} characters')
        return given
    path = data_dir / 'secret.key'
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _int(raw: str, name: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f'{name} must be a whole number, not {raw!r}') from None
    if not low <= value <= high:
        raise SettingsError(f'{name} must be between {low} and {high}')
    return value


def _language(raw: str) -> str:
    if raw not in LANGUAGES:
        raise SettingsError(f'ANCHANG_LANGUAGE must be one of {", ".join(LANGUAGES)}')
    return raw


def _url(raw: str) -> str:
    if raw and not re.fullmatch(r'https?://[^\s/?#]+(/[^\s?#]*)?', raw):
        raise SettingsError('ANCHANG_PUBLIC_URL must look like https://anchang.example.com')
    return raw.rstrip('/')
