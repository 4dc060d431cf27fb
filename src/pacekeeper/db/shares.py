"""Share links: a read-only view of one report (a fixed period, the sections chosen) that a
clinician can open without an account, until it expires or is revoked.

The raw token is returned once, at creation; only its SHA-256 is stored (as session tokens are,
pacekeeper.security), so a copy of the database cannot open anyone's report. Every check of
time uses the app's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pacekeeper import security
from pacekeeper.db.tables import ShareLink
from pacekeeper.errors import ValidationError

# A fortnight by default: it covers the usual wait from sending a link to the appointment, and
# a link that is forgotten still stops by itself soon after.
EXPIRY_DAYS = (1, 7, 14, 30, 90)
DEFAULT_EXPIRY_DAYS = 14
MAX_LABEL = 120


@dataclass(frozen=True)
class LinkView:
    id: int
    profile_id: int
    label: str | None
    first_day: date
    last_day: date
    sections: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    views: int
    last_viewed_at: datetime | None

    def is_open(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


def _view(row: ShareLink) -> LinkView:
    return LinkView(
        row.id,
        row.profile_id,
        row.label,
        row.first_day,
        row.last_day,
        tuple(row.sections),
        row.created_at,
        row.expires_at,
        row.revoked_at,
        row.views,
        row.last_viewed_at,
    )


def check_label(raw: str | None) -> str | None:
    label = " ".join((raw or "").split())
    if len(label) > MAX_LABEL:
        raise ValidationError.single("label", f"at most {MAX_LABEL} characters")
    return label or None


def check_expiry(days: int) -> int:
    if days not in EXPIRY_DAYS:
        allowed = ", ".join(str(d) for d in EXPIRY_DAYS)
        raise ValidationError.single("expires", f"must be one of {allowed} days")
    return days


def create(
    s: Session,
    profile_id: int,
    *,
    first_day: date,
    last_day: date,
    sections: Sequence[str],
    now: datetime,
    expires_days: int = DEFAULT_EXPIRY_DAYS,
    label: str | None = None,
) -> tuple[LinkView, str]:
    """A new link and its raw token: the only time the token exists outside the link itself."""
    if not sections:
        raise ValidationError.single("sections", "choose at least one part of the report")
    if first_day > last_day:
        raise ValidationError.single("first", "must be on or before the last day")
    token = security.new_token()
    row = ShareLink(
        profile_id=profile_id,
        token_hash=security.token_hash(token),
        label=check_label(label),
        first_day=first_day,
        last_day=last_day,
        sections=list(sections),
        created_at=now,
        expires_at=now + timedelta(days=check_expiry(expires_days)),
        views=0,
    )
    s.add(row)
    s.flush()
    return _view(row), token


def links(s: Session, profile_id: int) -> list[LinkView]:
    """This profile's links, newest first (revoked and expired ones too: the person's record)."""
    q = (
        select(ShareLink)
        .where(ShareLink.profile_id == profile_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
    )
    return [_view(r) for r in s.scalars(q)]


def get(s: Session, profile_id: int, link_id: int) -> LinkView | None:
    """One of this profile's links; None for another profile's or an unknown id."""
    row = s.get(ShareLink, link_id)
    return _view(row) if row is not None and row.profile_id == profile_id else None


def revoke(s: Session, profile_id: int, link_id: int, now: datetime) -> bool:
    """Stop one of this profile's links now. False when it is not this profile's (or unknown);
    revoking twice keeps the first time."""
    row = s.get(ShareLink, link_id)
    if row is None or row.profile_id != profile_id:
        return False
    if row.revoked_at is None:
        row.revoked_at = now
        s.flush()
    return True


def find_open(s: Session, token: str, now: datetime) -> LinkView | None:
    """The link for a raw token, only while it is neither revoked nor expired."""
    row = s.scalar(select(ShareLink).where(ShareLink.token_hash == security.token_hash(token)))
    if row is None:
        return None
    link = _view(row)
    return link if link.is_open(now) else None


def record_view(s: Session, link_id: int, now: datetime) -> None:
    # One UPDATE, so two clinicians opening the link at once both count.
    s.execute(
        update(ShareLink)
        .where(ShareLink.id == link_id)
        .values(views=ShareLink.views + 1, last_viewed_at=now)
    )
