"""What every area shares and that imports no area: errors, authorisation, the audit log, the event bus,
validation, rate limits, password security, translation and the app icon.

This package is the area's public face: other areas and the pages import the modules named in `__all__`."""

from . import audit, authz, errors, events, i18n, icons, ratelimit, security, validation

__all__ = ['audit', 'authz', 'errors', 'events', 'i18n', 'icons', 'ratelimit', 'security', 'validation']
