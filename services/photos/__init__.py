"""Photo proof: the pipeline every upload goes through, its stamp, and the stored photo rows.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import pipeline, stamp, store

__all__ = ['pipeline', 'stamp', 'store']
