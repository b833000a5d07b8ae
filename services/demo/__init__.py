"""The demo site, made through the real services of every area.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import complaints, duty, morning, site
from .site import DEMO_ADMIN, DEMO_MANAGER, DEMO_PASSWORD, DEMO_SALES, DEMO_SITE_CODE, load_demo

__all__ = [
    'DEMO_ADMIN',
    'DEMO_MANAGER',
    'DEMO_PASSWORD',
    'DEMO_SALES',
    'DEMO_SITE_CODE',
    'complaints',
    'duty',
    'load_demo',
    'morning',
    'site',
]
