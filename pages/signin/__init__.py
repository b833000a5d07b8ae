"""The visitor's sign-in page, the entrance poster and TV links, and 客户进门."""

from . import desk, entrance, fast_lane, fields, walkin, walkin_html

__all__ = ['desk', 'entrance', 'fast_lane', 'fields', 'walkin', 'walkin_html']
