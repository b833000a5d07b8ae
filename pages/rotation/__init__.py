"""接待轮序: the salesperson's board, the manager's overrides and the office TV."""

from . import board, fairness, manage, tv

__all__ = ['board', 'fairness', 'manage', 'tv']
