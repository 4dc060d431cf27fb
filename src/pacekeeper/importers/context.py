"""What an importer may know about the profile it imports into: its clock zone and trackers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pacekeeper.domain.localday import day_start, local_day
from pacekeeper.domain.trackers import TrackerDef


@dataclass(frozen=True)
class ImportContext:
    tz: ZoneInfo
    boundary: time
    trackers: dict[str, TrackerDef]  # key -> definition, as the profile has them now

    def day_of(self, instant: datetime) -> date:
        return local_day(instant, self.tz, self.boundary)

    def day_start(self, day: date, after: timedelta = timedelta(0)) -> datetime:
        """When `day` begins for the person (plus `after`, elapsed time), in the offset they
        lived in then: a daily value is stamped like the records around it, not in UTC."""
        return (day_start(day, self.tz, self.boundary) + after).astimezone(self.tz)

    def aware(self, value: datetime) -> datetime:
        """A naive time from an app that did not record its offset is the person's local time."""
        return value if value.tzinfo is not None else value.replace(tzinfo=self.tz)

    def tracker_by_name(self, name: str) -> TrackerDef | None:
        wanted = " ".join(name.lower().replace("_", " ").split())
        for t in self.trackers.values():
            if wanted in (t.key.replace("_", " "), " ".join(t.label.lower().split())):
                return t
        return None
