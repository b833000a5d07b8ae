"""The channels' documented protocols: WeCom group robot, WeCom app message, DingTalk robot and Web Push.

Each `send` makes the request(s) one message needs and says what came of it; the sender decides about retries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import httpx

from models import ChannelKind

from . import webpush

ROBOTS = frozenset({ChannelKind.WECOM_ROBOT, ChannelKind.DINGTALK_ROBOT})
TEXT_LIMIT = 2048  # bytes of a robot's text (WeCom's documented limit; DingTalk's is larger)
RATE_LIMITED = {45009, 130101}  # WeCom: api freq out of limit; DingTalk: send too fast
TOKEN_EXPIRED = {40014, 42001}  # WeCom: invalid / expired access token
KEY_HEADER = 'X-Anchang-Deliveries'  # no channel's protocol: our test receivers count repeats by it


@dataclass(frozen=True)
class Message:
    """What one request carries: a robot's merged text with everyone it @-mentions, or one person's alert."""

    text: str
    mobiles: tuple[str, ...] = ()
    url: str = '/'
    key: str = ''  # the idempotency key (Web Push: the topic, so a repeat replaces an undelivered one)
    target: dict[str, Any] = field(default_factory=dict)  # Web Push: the subscription


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ''
    retry: bool = True  # False: trying again cannot help (wrong settings, a subscription gone)
    wait_s: float = 0.0  # the channel asked us to slow down: not before this many seconds
    gone: bool = False  # Web Push: the subscription no longer exists


@dataclass
class Tokens:
    """WeCom access tokens and user ids, cached per app (a token lives two hours; we refresh it when refused)."""

    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    users: dict[tuple[str, str], str] = field(default_factory=dict)


async def send(
    client: httpx.AsyncClient, kind: str, config: dict[str, Any], message: Message, tokens: Tokens
) -> Outcome:
    """Send `message` on a channel of `kind` set up with `config`."""
    try:
        if kind == ChannelKind.WECOM_ROBOT:
            return await _wecom_robot(client, config, message)
        if kind == ChannelKind.DINGTALK_ROBOT:
            return await _dingtalk_robot(client, config, message)
        if kind == ChannelKind.WECOM_APP:
            return await _wecom_app(client, config, message, tokens)
        if kind == ChannelKind.WEB_PUSH:
            return await _web_push(client, config, message)
    except httpx.TimeoutException:
        return Outcome(False, 'timeout')
    except httpx.HTTPError as e:
        return Outcome(False, f'network: {type(e).__name__}')
    return Outcome(False, f'unknown channel {kind}', retry=False)


async def _wecom_robot(client: httpx.AsyncClient, config: dict[str, Any], message: Message) -> Outcome:
    text: dict[str, Any] = {'content': message.text}
    if message.mobiles:
        text['mentioned_mobile_list'] = list(message.mobiles)
    response = await client.post(config['webhook'], json={'msgtype': 'text', 'text': text}, headers=_key(message))
    return _errcode(response)


async def _dingtalk_robot(client: httpx.AsyncClient, config: dict[str, Any], message: Message) -> Outcome:
    url = config['webhook']
    if config.get('secret'):
        url += ('&' if '?' in url else '?') + dingtalk_signature(config['secret'], int(time.time() * 1000))
    mentions = ''.join(f' @{m}' for m in message.mobiles)  # DingTalk @-highlights only a mobile named in the text
    body = {
        'msgtype': 'text',
        'text': {'content': message.text + mentions},
        'at': {'atMobiles': list(message.mobiles), 'isAtAll': False},
    }
    return _errcode(await client.post(url, json=body, headers=_key(message)))


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """`timestamp=…&sign=…`: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    digest = hmac.new(secret.encode(), f'{timestamp_ms}\n{secret}'.encode(), hashlib.sha256).digest()
    return f'timestamp={timestamp_ms}&sign={urllib.parse.quote_plus(base64.b64encode(digest).decode())}'


async def _wecom_app(client: httpx.AsyncClient, config: dict[str, Any], message: Message, tokens: Tokens) -> Outcome:
    base = config.get('api_base') or 'https://qyapi.weixin.qq.com'
    for fresh in (False, True):
        token = await _token(client, base, config, tokens, fresh=fresh)
        if isinstance(token, Outcome):
            return token
        user = await _userid(client, base, config, token, message.mobiles[0] if message.mobiles else '', tokens)
        if isinstance(user, Outcome):
            if _expired(user) and not fresh:
                continue
            return user
        body = {
            'touser': user,
            'msgtype': 'text',
            'agentid': int(config['agent_id']),
            'text': {'content': message.text},
        }  # no enable_duplicate_check: WeCom would drop a second visitor of the same name within its interval
        send_url = f'{base}/cgi-bin/message/send'
        response = await client.post(send_url, params={'access_token': token}, json=body, headers=_key(message))
        outcome = _errcode(response)
        if not (_expired(outcome) and not fresh):
            return outcome
    return Outcome(False, 'access token refused')


def _expired(outcome: Outcome) -> bool:
    return outcome.error.split(' ')[0] in {f'errcode={c}' for c in TOKEN_EXPIRED}


async def _token(
    client: httpx.AsyncClient, base: str, config: dict[str, Any], tokens: Tokens, *, fresh: bool
) -> str | Outcome:
    cache_key = f'{base}|{config["corp_id"]}|{config["agent_id"]}'
    cached = tokens.tokens.get(cache_key)
    if cached and not fresh and cached[1] > time.monotonic():
        return cached[0]
    params = {'corpid': config['corp_id'], 'corpsecret': config['secret']}
    response = await client.get(f'{base}/cgi-bin/gettoken', params=params)
    outcome = _errcode(response)
    if not outcome.ok:
        return outcome
    data = response.json()
    tokens.tokens[cache_key] = (data['access_token'], time.monotonic() + int(data.get('expires_in', 7200)) - 300)
    return str(data['access_token'])


async def _userid(
    client: httpx.AsyncClient, base: str, config: dict[str, Any], token: str, mobile: str, tokens: Tokens
) -> str | Outcome:
    if not mobile:
        return Outcome(False, 'no mobile', retry=False)
    cache_key = (config['corp_id'], mobile)
    if cache_key in tokens.users:
        return tokens.users[cache_key]
    response = await client.post(
        f'{base}/cgi-bin/user/getuserid', params={'access_token': token}, json={'mobile': mobile}
    )
    outcome = _errcode(response)
    if not outcome.ok:
        return outcome
    tokens.users[cache_key] = str(response.json()['userid'])
    return tokens.users[cache_key]


async def _web_push(client: httpx.AsyncClient, config: dict[str, Any], message: Message) -> Outcome:
    payload = json.dumps({'title': '案场', 'body': message.text, 'url': message.url}, ensure_ascii=False)
    request = webpush.request(config, message.target, payload.encode(), topic=message.key)
    response = await client.post(request.endpoint, content=request.body, headers=request.headers | _key(message))
    if response.status_code in (404, 410):
        return Outcome(False, f'HTTP {response.status_code}', retry=False, gone=True)
    if response.status_code == 429:
        return Outcome(False, 'HTTP 429', wait_s=float(response.headers.get('retry-after', '10') or 10))
    if response.status_code >= 300:
        return Outcome(False, f'HTTP {response.status_code}', retry=response.status_code >= 500)
    return Outcome(True)


def _key(message: Message) -> dict[str, str]:
    return {KEY_HEADER: message.key} if message.key else {}


def _errcode(response: httpx.Response) -> Outcome:
    """WeCom and DingTalk answer HTTP 200 with an errcode; anything else is a failure of the service."""
    if response.status_code != 200:
        return Outcome(
            False, f'HTTP {response.status_code}', retry=response.status_code >= 500 or response.status_code == 429
        )
    try:
        data = response.json()
        code = int(data.get('errcode', 0))
    except (ValueError, AttributeError, TypeError):
        return Outcome(False, 'bad answer')
    if code == 0:
        return Outcome(True)
    error = f'errcode={code} {str(data.get("errmsg", ""))[:80]}'
    if code in RATE_LIMITED:
        return Outcome(False, error, wait_s=60.0)
    if code in TOKEN_EXPIRED or code == -1:  # -1: system busy
        return Outcome(False, error)
    return Outcome(False, error, retry=False)  # a wrong key, an unknown user: the manager must fix the settings
