"""The domain, one package per area (no `ui` import); services/wiring.py connects the areas' hooks."""
