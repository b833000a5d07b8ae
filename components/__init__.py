"""Reusable widgets and the UI glue shared by every page."""
