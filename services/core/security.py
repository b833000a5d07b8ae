"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.core.errors import ValidationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
MIN_PASSWORD, MAX_PASSWORD = 8, 128
_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'  # no look-alikes: read off a screen


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with `hasher` from now on (the test suite's cheap one); the app never calls this."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; compares against a dummy hash when there is no account (same timing)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_new_password(password: str, *, forbidden: tuple[str | None, ...] = ()) -> None:
    """Refuse passwords that are too short, too long, all one character, or the login itself."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError('password', '密码至少 {n} 位', n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise ValidationError('password', '密码不能超过 {n} 位', n=MAX_PASSWORD)
    if len(set(password)) < 4 or password in {f for f in forbidden if f}:
        raise ValidationError('password', '密码太简单，请换一个')


def random_password(length: int = 12) -> str:
    """A random password that a person can read off a screen and type."""
    return ''.join(secrets.choice(_ALPHABET) for _ in range(length))
