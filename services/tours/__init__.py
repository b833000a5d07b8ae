"""Tours (带看): the site's route and a tour stop by stop.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import tour

__all__ = ['tour']
