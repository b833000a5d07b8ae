"""Local stand-ins for WeCom, DingTalk and a Web Push service, speaking their documented protocols.

One threaded HTTP server on 127.0.0.1 answers all four; each can fail on purpose: `faults` is a list of
`(path_prefix, fault)` taken first-come (fault: 'http500', 'timeout', 'errcode:45009', 'errcode:42001'), and
`fail_rate` fails that share of requests at random (HTTP 500). Every accepted request is kept in `received`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

KEY_HEADER = 'X-Anchang-Deliveries'
ROBOT_RATE = 20


@dataclass
class Received:
    channel: str  # wecom_robot / dingtalk_robot / wecom_app / web_push
    at: float  # time.time() when accepted
    body: dict[str, Any]
    deliveries: list[str]
    robot: str = ''  # the robot's key or access token; the app's touser


@dataclass
class PushKeys:
    private: ec.EllipticCurvePrivateKey
    auth: bytes


@dataclass
class Stub:
    server: ThreadingHTTPServer
    timeout_s: float = 3.0
    fail_rate: float = 0.0
    robot_rate: int = ROBOT_RATE  # a minute, per robot, by this machine's clock; then 45009 / 130101
    faults: list[tuple[str, str]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    dingtalk_secret: str = 'SEC-test-secret'
    corp_secret: str = 'corp-secret'
    tokens: set[str] = field(default_factory=set)
    subscriptions: dict[str, PushKeys] = field(default_factory=dict)
    robot_sends: dict[str, deque[float]] = field(default_factory=dict)
    robot_requests: list[tuple[str, float]] = field(default_factory=list)  # every request to a robot, any answer
    faulted: set[str] = field(default_factory=set)  # deliveries that met an injected fault
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        return f'http://127.0.0.1:{self.server.server_address[1]}'

    def wecom_robot_url(self, key: str = 'robot-key') -> str:
        return f'{self.base}/cgi-bin/webhook/send?key={key}'

    def dingtalk_url(self, token: str = 'ding-token') -> str:  # noqa: S107 - a robot's id, no secret
        return f'{self.base}/robot/send?access_token={token}'

    def new_subscription(self) -> dict[str, Any]:
        """A browser's subscription: an endpoint here and the keys (the private half stays with the stub)."""
        private = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        sub_id = base64.urlsafe_b64encode(os.urandom(9)).decode()
        self.subscriptions[sub_id] = PushKeys(private, auth)
        raw = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            'endpoint': f'{self.base}/push/{sub_id}',
            'keys': {'p256dh': _b64(raw), 'auth': _b64(auth)},
        }

    def expire_tokens(self) -> None:
        """Every WeCom access token handed out so far is now expired (42001)."""
        with self.lock:
            self.tokens.clear()

    def of(self, channel: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.channel == channel]

    def take_fault(self, path: str, deliveries: list[str]) -> str | None:
        """The scripted fault for this path, else (for a request carrying alerts) a random one at `fail_rate`:
        mostly HTTP 500, one in five a time-out."""
        with self.lock:
            for i, (prefix, fault) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[i]
                    self.faulted.update(deliveries)
                    return fault
            if deliveries and self.fail_rate and random.random() < self.fail_rate:
                self.faulted.update(deliveries)
                return 'timeout' if random.random() < 0.2 else 'http500'
        return None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(**options: Any) -> Stub:
    server = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    server.daemon_threads = True
    stub = Stub(server, **options)
    server.stub = stub  # type: ignore[attr-defined]
    threading.Thread(
        target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True
    ).start()  # close() waits one poll
    return stub


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *_: Any) -> None:
        pass

    @property
    def stub(self) -> Stub:
        return self.server.stub  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == '/cgi-bin/gettoken':
            if self._fault(url.path, []):
                return
            if query.get('corpsecret') != self.stub.corp_secret:
                return self._json({'errcode': 40001, 'errmsg': 'invalid credential'})
            token = base64.urlsafe_b64encode(os.urandom(12)).decode()
            with self.stub.lock:
                self.stub.tokens.add(token)
            return self._json({'errcode': 0, 'errmsg': 'ok', 'access_token': token, 'expires_in': 7200})
        self._json({'errcode': 404}, status=404)

    def do_POST(self) -> None:
        try:
            self._post()
        except (ValueError, KeyError, TypeError, ConnectionError):  # a half-sent request (its sender was killed)
            self._json({'errcode': 40035, 'errmsg': 'invalid request'}, status=400)

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        deliveries = [d for d in self.headers.get(KEY_HEADER, '').split(',') if d]
        if url.path in ('/cgi-bin/webhook/send', '/robot/send'):
            with self.stub.lock:
                self.stub.robot_requests.append((query.get('key') or query.get('access_token', ''), time.time()))
        if self._fault(url.path, deliveries):
            return
        if url.path == '/cgi-bin/webhook/send':
            return self._wecom_robot(query, body, deliveries)
        if url.path == '/robot/send':
            return self._dingtalk(query, body, deliveries)
        if url.path == '/cgi-bin/user/getuserid':
            if query.get('access_token') not in self.stub.tokens:
                return self._json({'errcode': 42001, 'errmsg': 'access_token expired'})
            mobile = json.loads(body)['mobile']
            return self._json({'errcode': 0, 'errmsg': 'ok', 'userid': f'u{mobile[-4:]}'})
        if url.path == '/cgi-bin/message/send':
            return self._wecom_app(query, body, deliveries)
        if url.path.startswith('/push/'):
            return self._push(url.path.removeprefix('/push/'), body, deliveries)
        self._json({'errcode': 404}, status=404)

    def _wecom_robot(self, query: dict[str, str], body: bytes, deliveries: list[str]) -> None:
        data = json.loads(body)
        if data.get('msgtype') != 'text' or not data.get('text', {}).get('content'):
            return self._json({'errcode': 40008, 'errmsg': 'invalid message type'})
        if len(data['text']['content'].encode()) > 2048:
            return self._json({'errcode': 40058, 'errmsg': 'content exceed max length'})
        key = query.get('key', '')
        if not self._rate_ok(f'wecom:{key}'):
            return self._json({'errcode': 45009, 'errmsg': 'api freq out of limit'})
        self._accept('wecom_robot', data, deliveries, key)

    def _dingtalk(self, query: dict[str, str], body: bytes, deliveries: list[str]) -> None:
        secret = self.stub.dingtalk_secret
        timestamp = query.get('timestamp', '0')
        digest = hmac.new(secret.encode(), f'{timestamp}\n{secret}'.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(query.get('sign', ''), base64.b64encode(digest).decode()):
            self.stub.refused.append((self.path, 'sign'))
            return self._json({'errcode': 310000, 'errmsg': 'sign not match'})
        if abs(time.time() * 1000 - int(timestamp)) > 3600_000:
            return self._json({'errcode': 310000, 'errmsg': 'timestamp expired'})
        token = query.get('access_token', '')
        if not self._rate_ok(f'ding:{token}'):
            return self._json({'errcode': 130101, 'errmsg': 'send too fast'})
        self._accept('dingtalk_robot', json.loads(body), deliveries, token)

    def _wecom_app(self, query: dict[str, str], body: bytes, deliveries: list[str]) -> None:
        if query.get('access_token') not in self.stub.tokens:
            return self._json({'errcode': 42001, 'errmsg': 'access_token expired'})
        data = json.loads(body)
        if not data.get('touser') or not data.get('agentid'):
            return self._json({'errcode': 40003, 'errmsg': 'invalid userid'})
        self._accept('wecom_app', data, deliveries, data['touser'])

    def _push(self, sub_id: str, body: bytes, deliveries: list[str]) -> None:
        keys = self.stub.subscriptions.get(sub_id)
        if keys is None:
            return self._json({}, status=410)
        why = _vapid_problem(self.headers.get('Authorization', ''), self.stub.base)
        if why or self.headers.get('Content-Encoding') != 'aes128gcm' or not self.headers.get('TTL'):
            self.stub.refused.append((self.path, why or 'headers'))
            return self._json({'reason': why or 'headers'}, status=403)
        try:
            plain = http_ece.decrypt(body, private_key=keys.private, auth_secret=keys.auth, version='aes128gcm')
        except Exception as e:  # any failure to decrypt is the sender's fault
            self.stub.refused.append((self.path, f'decrypt {e}'))
            return self._json({'reason': 'decrypt'}, status=400)
        self._accept('web_push', json.loads(plain), deliveries, sub_id, status=201)

    def _rate_ok(self, robot: str) -> bool:
        now = time.time()
        with self.stub.lock:
            sends = self.stub.robot_sends.setdefault(robot, deque())
            while sends and sends[0] <= now - 60:
                sends.popleft()
            if len(sends) >= self.stub.robot_rate:
                return False
            sends.append(now)
            return True

    def _accept(self, channel: str, body: dict[str, Any], deliveries: list[str], robot: str, status: int = 200) -> None:
        with self.stub.lock:
            self.stub.received.append(Received(channel, time.time(), body, deliveries, robot))
        if status == 201:
            return self._json({}, status=201)
        self._json({'errcode': 0, 'errmsg': 'ok'})

    def _fault(self, path: str, deliveries: list[str]) -> bool:
        fault = self.stub.take_fault(path, deliveries)
        if fault is None:
            return False
        if fault == 'timeout':
            time.sleep(self.stub.timeout_s)
            self._json({'errcode': 0, 'errmsg': 'too late'})
        elif fault == 'http500':
            self._json({'error': 'internal'}, status=500)
        elif fault.startswith('errcode:'):
            code = int(fault.split(':')[1])
            self._json({'errcode': code, 'errmsg': 'injected'})
        return True

    def _json(self, data: dict[str, Any], status: int = 200) -> None:
        payload = json.dumps(data).encode()
        try:
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _vapid_problem(authorization: str, base: str) -> str:
    """'' when the header is `vapid t=<ES256 JWT>,k=<public key>` signed by that key, for this origin, unexpired."""
    if not authorization.lower().startswith('vapid '):
        return 'no vapid'
    if not Vapid02.verify(authorization):
        return 'bad signature'
    parts = dict(p.split('=', 1) for p in authorization.split(' ', 1)[1].split(','))
    claims = json.loads(base64.urlsafe_b64decode(parts['t'].split('.')[1] + '=='))
    if claims.get('aud') != base:
        return 'wrong aud'
    if not (time.time() < claims.get('exp', 0) <= time.time() + 24 * 3600):
        return 'bad exp'
    if not str(claims.get('sub', '')).startswith(('mailto:', 'https:')):
        return 'bad sub'
    return ''


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip('=')
