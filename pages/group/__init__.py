"""The group's pages: only the proxy's health check so far."""

from .health import router as health_router

__all__ = ['health_router']
