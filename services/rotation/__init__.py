"""The reception rotation (接待轮序): the pure rules, the day's roster, receiving visitors, the manager's
overrides and the board every phone and the TV show.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import behalf, board, fairness, lunch, overrides, reception, roster, rules, rules_text, unanswered, writer

__all__ = [
    'behalf',
    'board',
    'fairness',
    'lunch',
    'overrides',
    'reception',
    'roster',
    'rules',
    'rules_text',
    'unanswered',
    'writer',
]
