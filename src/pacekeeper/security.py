"""Passphrases, session tokens and CSRF tokens.

Passphrases are hashed with Argon2id (argon2-cffi's defaults follow RFC 9106's recommendations).
Session cookies carry a random token; the database keeps only its SHA-256. CSRF tokens are an
HMAC of the browser's session (or anonymous) token under the install's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSPHRASE = 12
MAX_PASSPHRASE = 1024

_hasher = PasswordHasher()


def hash_passphrase(passphrase: str) -> str:
    return _hasher.hash(passphrase)


def verify_passphrase(stored_hash: str, passphrase: str) -> bool:
    try:
        return _hasher.verify(stored_hash, passphrase)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def dummy_verify() -> None:
    """Spend the same time as a real check, so unknown usernames can't be told apart by timing."""
    verify_passphrase(_dummy_hash(), "not the passphrase")


@cache
def _dummy_hash() -> str:
    # Made on first use, not at import: an Argon2 hash takes 64 MiB, which every CLI command
    # (an import of a 4 GB export included) would otherwise carry as peak memory.
    return _hasher.hash(secrets.token_urlsafe(16))


def is_loopback(host: str | None) -> bool:
    """Whether a host is this computer only: signing in is not needed from it, and a link to it
    works nowhere else."""
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret_key: str, browser_token: str) -> str:
    return hmac.new(secret_key.encode(), b"csrf:" + browser_token.encode(), "sha256").hexdigest()


def csrf_ok(secret_key: str, browser_token: str, presented: str | None) -> bool:
    if not presented or not browser_token:
        return False
    return hmac.compare_digest(csrf_token(secret_key, browser_token), presented)
