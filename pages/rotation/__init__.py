"""接待轮序: the salesperson's board, the manager's overrides and the office TV."""

from . import board, manage, tv

__all__ = ['board', 'manage', 'tv']
