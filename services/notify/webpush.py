"""Web Push (RFC 8291 encryption, RFC 8292 VAPID): keys for a site and the request one notification needs."""

from __future__ import annotations

import base64
import hashlib
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPusher

TTL_S = 600  # an alert older than ten minutes is no use: the push service may drop it
SUBJECT = 'mailto:anchang@localhost'


@dataclass(frozen=True)
class PushRequest:
    endpoint: str
    body: bytes
    headers: dict[str, str]


def new_keys() -> dict[str, str]:
    """A VAPID key pair for a site's Web Push channel: the private key (PEM) and the public key the browser needs."""
    vapid = Vapid02()
    vapid.generate_keys()
    return {'vapid_private': vapid.private_pem().decode(), 'vapid_public': public_key(vapid)}


def public_key(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).decode().rstrip('=')


def request(config: dict[str, Any], subscription: dict[str, Any], payload: bytes, *, topic: str = '') -> PushRequest:
    """The encrypted body (aes128gcm) and the VAPID-signed headers for one subscription."""
    encoded = WebPusher(subscription).encode(payload, content_encoding='aes128gcm')
    endpoint = subscription['endpoint']
    parts = urllib.parse.urlsplit(endpoint)
    vapid = Vapid02.from_pem(config['vapid_private'].encode())
    claims = {'aud': f'{parts.scheme}://{parts.netloc}', 'sub': config.get('subject') or SUBJECT}
    claims['exp'] = int(time.time()) + 12 * 3600
    headers = {
        **vapid.sign(claims),
        'TTL': str(TTL_S),
        'Content-Encoding': 'aes128gcm',
        'Content-Type': 'application/octet-stream',
        'Urgency': 'high',
    }
    if topic:  # at most 32 URL-safe characters: a repeat replaces an undelivered copy
        headers['Topic'] = base64.urlsafe_b64encode(hashlib.sha256(topic.encode()).digest()[:24]).decode()
    return PushRequest(endpoint, bytes(encoded['body']), headers)
