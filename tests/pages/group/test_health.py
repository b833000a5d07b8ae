"""The proxy's health check is public and says whether this process can serve."""

from __future__ import annotations

import httpx
from nicegui import app
from nicegui.testing import User


async def test_health_is_public_and_ok(user: User) -> None:
    await user.open('/login')  # the app is up
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url='http://test') as client:
        response = await client.get('/healthz')
    assert response.status_code == 200
    assert response.json() == {'ok': True, 'database': True, 'bus': 'in-process', 'process': None, 'jobs': []}
