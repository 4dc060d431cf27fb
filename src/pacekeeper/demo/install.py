"""Writing the demo profile: replaces any earlier demo profile, never touches real ones."""

from __future__ import annotations

from sqlalchemy import select

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


def install_demo(db: Database, clock: Clock, *, days: int = 182, seed: int = 7) -> int:
    """Generate and store the demo history up to today; returns the demo profile's id."""
    today = local_day(clock.now(), zone(DEMO_TIME_ZONE), DEFAULT_DAY_BOUNDARY)
    history = generate_history(end_day=today, days=days, seed=seed, time_zone=DEMO_TIME_ZONE)
    now = clock.now()
    with db.write() as s:
        for old in s.scalars(select(Profile).where(Profile.is_generated.is_(True))).all():
            profiles_db.delete_profile(s, old.id)
        p = profiles_db.create_profile(s, history.profile, now)
        for c in history.checkins:
            if c.recorded_at is None or c.recorded_at <= now:  # nothing recorded in the future
                checkins_db.save_checkin(s, p, c, now)
        for a in history.activities:
            if a.started_at <= now:
                entries_db.add_activity(s, p, a)
        for r in history.rests:
            if r.started_at <= now:
                entries_db.add_rest(s, p, r)
        samples_db.add_samples(s, p, (x for x in history.samples if x.start <= now))
        return p.id
