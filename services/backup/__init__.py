"""Backups that restore: the database (SQLite's online backup API, or pg_dump), the photos, a manifest."""

from .archive import MANIFEST, BackupError, Manifest, backup, restore, verify
from .postgres import check_pg_tools

__all__ = ['MANIFEST', 'BackupError', 'Manifest', 'backup', 'check_pg_tools', 'restore', 'verify']
