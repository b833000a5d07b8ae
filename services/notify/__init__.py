"""Alerts that reach a phone in a pocket: the outbox, its background sender and the site's channels.

Other areas call `enqueue` (or `enqueue_visitor_alerts`) inside their own transaction; main.py starts the sender.
"""

from __future__ import annotations

from .manage import (
    FIELDS,
    Reach,
    Record,
    install_demo_receiver,
    kind_name,
    log,
    push_key,
    reach,
    save_channel,
    send_test,
    site_channels,
    subscribe,
)
from .outbox import Alert, enqueue, enqueue_for, enqueue_visitor_alerts, group_admins, on_committed, site_managers
from .runner import start_sender, stop_sender
from .sender import Sender

__all__ = [
    'FIELDS',
    'Alert',
    'Reach',
    'Record',
    'Sender',
    'enqueue',
    'enqueue_for',
    'enqueue_visitor_alerts',
    'group_admins',
    'install_demo_receiver',
    'kind_name',
    'log',
    'on_committed',
    'push_key',
    'reach',
    'save_channel',
    'send_test',
    'site_channels',
    'site_managers',
    'start_sender',
    'stop_sender',
    'subscribe',
]
