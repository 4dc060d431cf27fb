"""Accounts (needed to serve beyond this computer) and their signed-in sessions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pacekeeper import security
from pacekeeper.db.tables import Account, AuthSession
from pacekeeper.errors import FieldError, ValidationError

SESSION_TTL = timedelta(days=30)
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def has_accounts(s: Session) -> bool:
    return bool(s.scalar(select(func.count()).select_from(Account)))


def check_new_account(username: str, passphrase: str) -> None:
    errors = []
    if not USERNAME.match(username or ""):
        errors.append(FieldError("username", "use 1-64 letters, digits or . _ - @"))
    if len(passphrase or "") < security.MIN_PASSPHRASE:
        errors.append(
            FieldError("passphrase", f"must be at least {security.MIN_PASSPHRASE} characters")
        )
    elif len(passphrase) > security.MAX_PASSPHRASE:
        errors.append(FieldError("passphrase", "is too long"))
    if errors:
        raise ValidationError(errors)


def create_account(s: Session, username: str, passphrase: str, now: datetime) -> Account:
    check_new_account(username, passphrase)
    if s.scalar(select(Account).where(Account.username == username)) is not None:
        raise ValidationError.single("username", f"{username!r} is taken")
    account = Account(
        username=username, password_hash=security.hash_passphrase(passphrase), created_at=now
    )
    s.add(account)
    s.flush()
    return account


def set_passphrase(s: Session, username: str, passphrase: str) -> None:
    check_new_account(username, passphrase)
    account = s.scalar(select(Account).where(Account.username == username))
    if account is None:
        raise ValidationError.single("username", f"there is no account {username!r}")
    account.password_hash = security.hash_passphrase(passphrase)
    # A new passphrase signs out every browser.
    s.execute(delete(AuthSession).where(AuthSession.account_id == account.id))
    s.flush()


def authenticate(s: Session, username: str, passphrase: str) -> Account | None:
    account = s.scalar(select(Account).where(Account.username == username))
    if account is None:
        security.dummy_verify()
        return None
    return account if security.verify_passphrase(account.password_hash, passphrase) else None


def start_session(s: Session, account: Account, now: datetime) -> str:
    token = security.new_token()
    s.add(
        AuthSession(
            token_hash=security.token_hash(token),
            account_id=account.id,
            created_at=now,
            expires_at=now + SESSION_TTL,
        )
    )
    s.execute(delete(AuthSession).where(AuthSession.expires_at < now))
    s.flush()
    return token


def session_account(s: Session, token: str, now: datetime) -> Account | None:
    row = s.get(AuthSession, security.token_hash(token))
    if row is None or row.expires_at <= now:
        return None
    return s.get(Account, row.account_id)


def end_session(s: Session, token: str) -> None:
    s.execute(delete(AuthSession).where(AuthSession.token_hash == security.token_hash(token)))
