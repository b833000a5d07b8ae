"""The one error of backups and restores."""


class BackupError(RuntimeError):
    """A backup could not be made, or a restore could not be done (the message says why)."""
