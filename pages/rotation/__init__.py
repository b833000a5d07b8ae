"""接待轮序: the salesperson's board, the manager's overrides and the office TV."""

from . import board, fairness, lunch, manage, rules, tv

__all__ = ['board', 'fairness', 'lunch', 'manage', 'rules', 'tv']
