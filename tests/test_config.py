"""Settings come from the environment or a .env file; the secret is never a constant."""

from pathlib import Path

import pytest

from config import SettingsError, load_settings


def test_defaults_make_an_embedded_sqlite_app(tmp_path: Path) -> None:
    settings = load_settings({'ANCHANG_DATA_DIR': str(tmp_path / 'd')})
    assert settings.database_url == f'sqlite:///{tmp_path / "d" / "anchang.db"}'
    assert (settings.port, settings.language) == (8080, 'zh-CN')


def test_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_settings({'ANCHANG_DATA_DIR': str(tmp_path)}).secret
    second = load_settings({'ANCHANG_DATA_DIR': str(tmp_path)}).secret
    assert first == second and len(first) >= 32
    assert (tmp_path / 'secret.key').stat().st_mode & 0o077 == 0
    assert load_settings({'ANCHANG_DATA_DIR': str(tmp_path / 'other')}).secret != first


@pytest.mark.parametrize('weak', ['secret', 'changeme', 'short-but-not-32'])
def test_weak_secrets_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({'ANCHANG_DATA_DIR': str(tmp_path), 'ANCHANG_SECRET': weak})


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / '.env'
    env_file.write_text(f'ANCHANG_DATA_DIR={tmp_path}\nANCHANG_PORT=9000\nANCHANG_LANGUAGE=en\n')
    settings = load_settings({'ANCHANG_PORT': '9100'}, env_file=env_file)
    assert (settings.port, settings.language, settings.data_dir) == (9100, 'en', tmp_path.resolve())


@pytest.mark.parametrize(
    ('name', 'value'), [('ANCHANG_PORT', 'eighty'), ('ANCHANG_PORT', '70000'), ('ANCHANG_LANGUAGE', 'fr')]
)
def test_malformed_values_are_refused_with_a_clear_message(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({'ANCHANG_DATA_DIR': str(tmp_path), name: value})
