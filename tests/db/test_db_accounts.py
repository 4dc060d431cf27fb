"""Accounts and signed-in sessions on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pacekeeper import security
from pacekeeper.db import Database
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db.tables import Account, AuthSession
from pacekeeper.errors import ValidationError

PHRASE = "a long enough phrase"
NEW_PHRASE = "a brand new phrase"


def create(db: Database, clock, username: str = "ann", passphrase: str = PHRASE) -> int:
    with db.write() as s:
        return accounts_db.create_account(s, username, passphrase, clock.now()).id


def test_create_an_account_stores_only_a_hash(db, clock, rows) -> None:
    with db.read() as s:
        assert accounts_db.has_accounts(s) is False
    account_id = create(db, clock)
    with db.read() as s:
        assert accounts_db.has_accounts(s) is True
        account = s.get(Account, account_id)
        assert account is not None
        assert account.username == "ann"
        assert account.created_at == clock.now()
        assert PHRASE not in account.password_hash
        assert account.password_hash.startswith("$argon2id$")
    assert rows(Account) == 1


def test_a_taken_username_is_refused(db, clock, rows) -> None:
    create(db, clock)
    with db.write() as s, pytest.raises(ValidationError) as err:
        accounts_db.create_account(s, "ann", "another long phrase", clock.now())
    assert err.value.by_field() == {"username": "'ann' is taken"}
    assert rows(Account) == 1


@pytest.mark.parametrize(
    ("username", "passphrase", "field"),
    [
        ("ann", "short", "passphrase"),
        ("ann", "x" * (security.MAX_PASSPHRASE + 1), "passphrase"),
        ("ann smith", PHRASE, "username"),
        ("", PHRASE, "username"),
    ],
)
def test_a_bad_username_or_passphrase_is_refused(db, clock, rows, username, passphrase, field):
    with db.write() as s, pytest.raises(ValidationError) as err:
        accounts_db.create_account(s, username, passphrase, clock.now())
    assert list(err.value.by_field()) == [field]
    assert rows(Account) == 0


def test_authenticate(db, clock) -> None:
    create(db, clock)
    with db.read() as s:
        account = accounts_db.authenticate(s, "ann", PHRASE)
        assert account is not None and account.username == "ann"
        assert accounts_db.authenticate(s, "ann", "wrong phrase here") is None
        assert accounts_db.authenticate(s, "ann", PHRASE.upper()) is None
        assert accounts_db.authenticate(s, "bob", PHRASE) is None


def test_sessions_start_look_up_expire_and_end(db, clock, rows) -> None:
    create(db, clock)
    now = clock.now()
    with db.write() as s:
        account = accounts_db.authenticate(s, "ann", PHRASE)
        assert account is not None
        token = accounts_db.start_session(s, account, now)
        other = accounts_db.start_session(s, account, now)
    assert token != other
    with db.read() as s:
        # Only the token's hash is stored.
        stored = list(s.scalars(select(AuthSession.token_hash)))
        assert sorted(stored) == sorted([security.token_hash(token), security.token_hash(other)])
        assert token not in stored
        found = accounts_db.session_account(s, token, now + timedelta(days=29))
        assert found is not None and found.username == "ann"
        assert accounts_db.session_account(s, token, now + accounts_db.SESSION_TTL) is None
        assert accounts_db.session_account(s, token, now + timedelta(days=31)) is None
        assert accounts_db.session_account(s, "forged-token", now) is None
    with db.write() as s:
        accounts_db.end_session(s, token)
    with db.read() as s:
        assert accounts_db.session_account(s, token, now) is None
        assert accounts_db.session_account(s, other, now) is not None  # the other browser stays
    assert rows(AuthSession) == 1


def test_starting_a_session_clears_expired_ones(db, clock, rows) -> None:
    create(db, clock)
    now = clock.now()
    with db.write() as s:
        account = accounts_db.authenticate(s, "ann", PHRASE)
        assert account is not None
        old = accounts_db.start_session(s, account, now)
    later = now + accounts_db.SESSION_TTL + timedelta(seconds=1)
    with db.write() as s:
        account = accounts_db.authenticate(s, "ann", PHRASE)
        assert account is not None
        new = accounts_db.start_session(s, account, later)
    assert rows(AuthSession) == 1
    with db.read() as s:
        assert accounts_db.session_account(s, old, now) is None  # removed, not merely expired
        assert accounts_db.session_account(s, new, later) is not None


def test_a_new_passphrase_signs_out_every_browser(db, clock, rows) -> None:
    create(db, clock)
    create(db, clock, "bob")
    now = clock.now()
    with db.write() as s:
        ann = accounts_db.authenticate(s, "ann", PHRASE)
        bob = accounts_db.authenticate(s, "bob", PHRASE)
        assert ann is not None and bob is not None
        ann_tokens = [accounts_db.start_session(s, ann, now) for _ in range(2)]
        bob_token = accounts_db.start_session(s, bob, now)
    with db.write() as s:
        accounts_db.set_passphrase(s, "ann", NEW_PHRASE)
    with db.read() as s:
        assert all(accounts_db.session_account(s, t, now) is None for t in ann_tokens)
        assert accounts_db.session_account(s, bob_token, now) is not None
        assert accounts_db.authenticate(s, "ann", PHRASE) is None
        assert accounts_db.authenticate(s, "ann", NEW_PHRASE) is not None
    assert rows(AuthSession) == 1


def test_set_passphrase_checks_its_input(db, clock) -> None:
    create(db, clock)
    with db.write() as s, pytest.raises(ValidationError) as err:
        accounts_db.set_passphrase(s, "ann", "short")
    assert list(err.value.by_field()) == ["passphrase"]
    with db.write() as s, pytest.raises(ValidationError) as err:
        accounts_db.set_passphrase(s, "nobody", NEW_PHRASE)
    assert err.value.by_field() == {"username": "there is no account 'nobody'"}
    with db.read() as s:
        assert accounts_db.authenticate(s, "ann", PHRASE) is not None
