"""Alerts that reach a phone in a pocket: the outbox, its background sender and the site's channels.

Other areas call `enqueue` (or `enqueue_visitor_alerts`) inside their own transaction; main.py starts the sender.
"""

from __future__ import annotations

from .ladder import on_unanswered, reminder, unanswered
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
from .outbox import Alert, enqueue, enqueue_visitor_alerts, on_committed
from .runner import start_sender, stop_sender
from .sender import Sender

__all__ = [
    'FIELDS',
    'Alert',
    'Reach',
    'Record',
    'Sender',
    'enqueue',
    'enqueue_visitor_alerts',
    'install_demo_receiver',
    'kind_name',
    'log',
    'on_committed',
    'on_unanswered',
    'push_key',
    'reach',
    'reminder',
    'save_channel',
    'send_test',
    'site_channels',
    'start_sender',
    'stop_sender',
    'subscribe',
    'unanswered',
]
