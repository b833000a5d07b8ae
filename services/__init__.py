"""The domain: plain functions that take a session first; no `ui` import."""
