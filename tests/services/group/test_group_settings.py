"""Several processes start only with one configuration for the whole group."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import SettingsError, load_settings

SECRET = 'x7Gq2mV9pL4tR8wZ1cN6bY3hK5dF0sJ2aE'
GROUP = {
    'ANCHANG_PROCESSES': '2',
    'ANCHANG_SECRET': SECRET,
    'ANCHANG_DATABASE_URL': 'postgresql+psycopg://postgres@127.0.0.1:5432/anchang',
    'NICEGUI_REDIS_URL': 'redis://127.0.0.1:6379',
}


@pytest.mark.parametrize(
    ('missing', 'says'),
    [
        ('ANCHANG_SECRET', 'same ANCHANG_SECRET'),
        ('ANCHANG_DATABASE_URL', 'PostgreSQL'),
        ('ANCHANG_PHOTO_DIR', 'photo folder'),
        ('NICEGUI_REDIS_URL', 'NICEGUI_REDIS_URL'),
    ],
)
def test_several_processes_refuse_to_start_without_what_they_share(tmp_path: Path, missing: str, says: str) -> None:
    environ = {**GROUP, 'ANCHANG_DATA_DIR': str(tmp_path), 'ANCHANG_PHOTO_DIR': str(tmp_path / 'photos')}
    del environ[missing]
    with pytest.raises(SettingsError, match=says):
        load_settings(environ)


def test_a_group_shares_its_photo_folder(tmp_path: Path) -> None:
    photos = tmp_path / 'shared' / 'photos'
    settings = load_settings({**GROUP, 'ANCHANG_DATA_DIR': str(tmp_path / 'd'), 'ANCHANG_PHOTO_DIR': str(photos)})
    assert settings.processes == 2
    assert settings.secret == SECRET
    assert settings.photos_dir == photos


def test_one_process_needs_none_of_it(tmp_path: Path) -> None:
    settings = load_settings({'ANCHANG_DATA_DIR': str(tmp_path)})
    assert settings.processes == 1
    assert settings.photos_dir == tmp_path / 'photos'


def test_the_refusal_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import main

    monkeypatch.setenv('ANCHANG_PROCESSES', '3')
    with pytest.raises(SystemExit, match='cannot start: ANCHANG_PROCESSES=3: every process needs the same'):
        main.main(['--no-serve'])
