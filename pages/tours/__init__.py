"""带看 and the site's tour route."""

from . import routes, tour

__all__ = ['routes', 'tour']
