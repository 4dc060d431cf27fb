"""Share links on both databases: only the token's hash is stored, and a link opens only while
it is neither revoked nor expired (by the app's clock)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from pacekeeper import security
from pacekeeper.db import Database
from pacekeeper.db import shares as shares_db
from pacekeeper.db.tables import ShareLink
from pacekeeper.errors import ValidationError

FIRST, LAST = date(2026, 2, 1), date(2026, 3, 14)


def make(db: Database, pid: int, clock, **extra) -> tuple[shares_db.LinkView, str]:
    fields = {"first_day": FIRST, "last_day": LAST, "sections": ["summary", "sleep"], **extra}
    with db.write() as s:
        return shares_db.create(s, pid, now=clock.now(), **fields)


def test_only_the_hash_of_the_token_is_stored(db, clock, pid, rows) -> None:
    link, token = make(db, pid, clock, label="Dr Rao, 12 March")
    assert len(token) >= 43  # 32 random bytes, URL-safe
    with db.read() as s:
        row = s.scalars(select(ShareLink)).one()
        stored = [str(v) for v in (row.token_hash, row.label, row.sections)]
    assert row.token_hash == security.token_hash(token) and len(row.token_hash) == 64
    assert all(token not in value for value in stored)
    assert rows(ShareLink) == 1
    assert link.label == "Dr Rao, 12 March" and link.sections == ("summary", "sleep")
    assert link.expires_at == clock.now() + timedelta(days=shares_db.DEFAULT_EXPIRY_DAYS)
    assert link.views == 0 and link.last_viewed_at is None and link.revoked_at is None


def test_a_link_opens_until_it_expires(db, clock, pid) -> None:
    link, token = make(db, pid, clock, expires_days=1)
    with db.read() as s:
        found = shares_db.find_open(s, token, clock.now())
        assert found is not None and found.id == link.id
        assert shares_db.find_open(s, token, link.expires_at - timedelta(seconds=1)) is not None
        assert shares_db.find_open(s, token, link.expires_at) is None
        assert shares_db.find_open(s, "not-a-token", clock.now()) is None


def test_a_revoked_link_opens_no_more_and_revoking_twice_keeps_the_first_time(
    db, clock, pid
) -> None:
    link, token = make(db, pid, clock)
    with db.write() as s:
        assert shares_db.revoke(s, pid, link.id, clock.now()) is True
    with db.write() as s:
        assert shares_db.revoke(s, pid, link.id, clock.now() + timedelta(hours=1)) is True
    with db.read() as s:
        assert shares_db.find_open(s, token, clock.now()) is None
        (listed,) = shares_db.links(s, pid)
    assert listed.revoked_at == clock.now()


def test_one_profile_cannot_see_or_revoke_anothers_links(db, clock, pid, make_profile) -> None:
    other = make_profile(db, clock, name="Other person")
    link, token = make(db, pid, clock)
    with db.write() as s:
        assert shares_db.revoke(s, other, link.id, clock.now()) is False
        assert shares_db.revoke(s, other, 999_999, clock.now()) is False
    with db.read() as s:
        assert shares_db.links(s, other) == []
        assert shares_db.get(s, other, link.id) is None
        assert [x.id for x in shares_db.links(s, pid)] == [link.id]
        assert shares_db.find_open(s, token, clock.now()) is not None


def test_views_are_counted_with_the_time_of_the_last(db, clock, pid) -> None:
    link, _ = make(db, pid, clock)
    later = clock.now() + timedelta(hours=3)
    with db.write() as s:
        shares_db.record_view(s, link.id, clock.now())
        shares_db.record_view(s, link.id, later)
    with db.read() as s:
        seen = shares_db.get(s, pid, link.id)
    assert seen is not None and seen.views == 2 and seen.last_viewed_at == later


def test_links_are_listed_newest_first(db, clock, pid) -> None:
    make(db, pid, clock, label="first")
    with db.write() as s:
        shares_db.create(
            s, pid, first_day=FIRST, last_day=LAST, sections=["summary"],
            now=clock.now() + timedelta(minutes=5), label="second",
        )  # fmt: skip
    with db.read() as s:
        assert [x.label for x in shares_db.links(s, pid)] == ["second", "first"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"expires_days": 3}, "expires"),
        ({"label": "x" * 121}, "label"),
        ({"sections": []}, "sections"),
        ({"first_day": LAST, "last_day": FIRST}, "first"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(db, clock, pid, rows, extra, field) -> None:
    with pytest.raises(ValidationError) as caught:
        make(db, pid, clock, **extra)
    assert field in caught.value.by_field()
    assert rows(ShareLink) == 0


def test_a_blank_label_is_none_and_spaces_are_tidied(db, clock, pid) -> None:
    blank, _ = make(db, pid, clock, label="   ")
    tidy, _ = make(db, pid, clock, label="  Dr   Rao ")
    assert blank.label is None and tidy.label == "Dr Rao"
