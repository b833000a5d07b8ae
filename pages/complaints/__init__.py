"""投诉: the lists, taking one in, one complaint."""

from . import detail, lists, new

__all__ = ['detail', 'lists', 'new']
