"""A stub server per test, and the site's channels pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.notify import outbox
from tests.services.notify import stubs
from tests.services.notify.helpers import end_lease_holders


@pytest.fixture
def stub() -> Iterator[stubs.Stub]:
    server = stubs.start(timeout_s=1.5)
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_hooks_left() -> Iterator[None]:
    yield
    outbox.clear_committed()
    end_lease_holders()  # a test that failed midway leaves its sender holding the lease: no later sender would send
