"""Writing the demo profile: replaces any earlier demo profile, never touches real ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pacekeeper import store
from pacekeeper.clock import Clock
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Profile
from pacekeeper.demo.generate import generate_history
from pacekeeper.domain.localday import DEFAULT_DAY_BOUNDARY, local_day, zone

DEMO_TIME_ZONE = "Europe/London"


def _ends(start: datetime, minutes: float) -> datetime:
    return start.astimezone(UTC) + timedelta(minutes=minutes)


def install_demo(db: Database, clock: Clock, *, days: int = 182, seed: int = 7) -> int:
    """Generate `days` days of demo history ending today and store it; returns the profile's id.

    One write transaction deletes every earlier generated profile (`is_generated`, never a real
    one) and writes the new profile with all its data, so the demo is swapped in whole or not at
    all. Nothing later than the clock's "now" is written: today's evening check-in, the rest of
    today's activities and heart rate come in time, as they would for a real person.
    """
    now = clock.now()
    today = local_day(now, zone(DEMO_TIME_ZONE), DEFAULT_DAY_BOUNDARY)
    history = generate_history(end_day=today, days=days, seed=seed, time_zone=DEMO_TIME_ZONE)
    store.sweep(db)  # part files a killed write or a deleted profile left
    with db.write() as s:
        for old in s.scalars(select(Profile).where(Profile.is_generated.is_(True))).all():
            profiles_db.delete_profile(s, old.id)
        p = profiles_db.create_profile(s, history.profile, now)
        for c in history.checkins:
            if c.recorded_at is None or c.recorded_at <= now:
                checkins_db.save_checkin(s, p, c, now)
        for a in history.activities:
            if _ends(a.started_at, a.minutes) <= now:
                entries_db.add_activity(s, p, a)
        for r in history.rests:
            if _ends(r.started_at, r.minutes) <= now:
                entries_db.add_rest(s, p, r)
        samples_db.add_samples(s, p, (x for x in history.samples if (x.end or x.start) <= now))
        return p.id
