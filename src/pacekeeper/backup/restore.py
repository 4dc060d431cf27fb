"""Restoring an export: check the whole document first, then write it in one transaction."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select

from pacekeeper.backup.export import FORMAT, SCHEMA_VERSION
from pacekeeper.clock import Clock
from pacekeeper.db import Database
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import samples as samples_db
from pacekeeper.db.tables import Profile
from pacekeeper.domain import validate as v
from pacekeeper.domain.entries import (
    ActivityData,
    CheckInData,
    RestData,
    parse_activity,
    parse_checkin,
    parse_rest,
)
from pacekeeper.domain.profile import ProfileData, parse_profile
from pacekeeper.domain.samples import SampleKind
from pacekeeper.domain.trackers import KEY_PATTERN, TrackerDef, TrackerKind
from pacekeeper.errors import BackupFileError, FieldError, ValidationError

_SCHEMA = json.loads(resources.files("pacekeeper.backup").joinpath("schema_v1.json").read_text())
_VALIDATOR = Draft202012Validator(_SCHEMA)


@dataclass(frozen=True)
class RestoreSummary:
    profile_id: int
    name: str
    checkins: int
    activities: int
    rests: int
    samples: int

    def __str__(self) -> str:
        return (
            f"profile {self.name!r} (id {self.profile_id}): {self.checkins} check-ins, "
            f"{self.activities} activities, {self.rests} rests, {self.samples} samples"
        )


@dataclass(frozen=True)
class _Parsed:
    profile: ProfileData
    trackers: tuple[TrackerDef, ...]
    checkins: list[CheckInData]
    activities: list[ActivityData]
    rests: list[RestData]
    samples: list[samples_db.SampleData]


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _load(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BackupFileError(where, f"byte {exc.start}", "is not UTF-8 text") from exc
    except OSError as exc:
        raise BackupFileError(where, "", f"cannot be read: {exc.strerror}") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackupFileError(where, f"line {exc.lineno}, column {exc.colno}", exc.msg) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupFileError(where, "format", "this is not a Pacekeeper export")
    version = doc.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise BackupFileError(
            where,
            "schema_version",
            f"version {version} was written by a newer Pacekeeper; update Pacekeeper to read it",
        )
    errors = sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise BackupFileError(where, _path(first.absolute_path) or "document", first.message)
    return doc


def _domain(where: str, section: str, index: int | None, exc: ValidationError) -> BackupFileError:
    e = exc.errors[0]
    at = section if index is None else f"{section}[{index}]"
    return BackupFileError(where, f"{at}.{e.field}", e.reason)


def _trackers(where: str, raw: list[dict[str, Any]]) -> tuple[TrackerDef, ...]:
    out, seen = [], set()
    for i, t in enumerate(raw):
        if t["key"] in seen or not KEY_PATTERN.match(t["key"]):
            raise BackupFileError(
                where, f"trackers[{i}].key", f"{t['key']!r} is repeated or invalid"
            )
        if t["min_value"] >= t["max_value"]:
            raise BackupFileError(where, f"trackers[{i}].max_value", "must be above min_value")
        seen.add(t["key"])
        out.append(
            TrackerDef(
                key=t["key"],
                label=t["label"],
                kind=TrackerKind(t["kind"]),
                min_value=float(t["min_value"]),
                max_value=float(t["max_value"]),
                low_anchor=t.get("low_anchor", ""),
                high_anchor=t.get("high_anchor", ""),
                higher_is_worse=t.get("higher_is_worse", True),
                is_symptom=t.get("is_symptom", True),
                unit=t.get("unit", ""),
                enabled=t.get("enabled", True),
                position=t.get("position", i),
                builtin=t.get("builtin", False),
            )
        )
    return tuple(out)


def _sample(where: str, i: int, raw: dict[str, Any]) -> samples_db.SampleData:
    errors: list[FieldError] = []
    start = v.aware_datetime(errors, "start", raw["start"], required=True)
    end = v.aware_datetime(errors, "end", raw.get("end"))
    kind = SampleKind(raw["kind"])
    if raw["unit"] != kind.unit:
        errors.append(FieldError("unit", f"must be {kind.unit!r} for {kind.value}"))
    if not math.isfinite(raw["value"]):
        errors.append(FieldError("value", "must be a finite number"))
    if errors:
        raise _domain(where, "samples", i, ValidationError(errors))
    assert start is not None
    return samples_db.SampleData(
        kind, start, float(raw["value"]), raw["source"], end, raw.get("extra")
    )


def _parse(where: str, doc: dict[str, Any], clock: Clock, name: str | None) -> _Parsed:
    raw_profile = {**doc["profile"], "is_generated": doc["generated_data"]}
    if name is not None:
        raw_profile["name"] = name
    try:
        profile = parse_profile(raw_profile, clock.now().date())
    except ValidationError as exc:
        raise _domain(where, "profile", None, exc) from exc
    trackers = _trackers(where, doc["trackers"])

    checkins, activities, rests = [], [], []
    far_future = date.max  # a backup is history: its days were valid where they were recorded
    for i, c in enumerate(doc["checkins"]):
        raw = {
            **dict(c["values"]),
            "day": c["day"],
            "note": c.get("note"),
            "recorded_at": c["recorded_at"],
            "client_id": c.get("client_id"),
        }
        try:
            checkins.append(
                parse_checkin(raw, trackers, far_future, source=c.get("source") or "import")
            )
        except ValidationError as exc:
            raise _domain(where, "checkins", i, exc) from exc
    for i, a in enumerate(doc["activities"]):
        try:
            activities.append(parse_activity(a, source=a.get("source") or "import"))
        except ValidationError as exc:
            raise _domain(where, "activities", i, exc) from exc
    for i, r in enumerate(doc["rests"]):
        try:
            rests.append(parse_rest(r, source=r.get("source") or "import"))
        except ValidationError as exc:
            raise _domain(where, "rests", i, exc) from exc
    samples = [_sample(where, i, x) for i, x in enumerate(doc["samples"])]
    return _Parsed(profile, trackers, checkins, activities, rests, samples)


def restore_profile(
    db: Database, path: Path, *, clock: Clock, name: str | None = None, replace: bool = False
) -> RestoreSummary:
    """Restore an export as a profile. Nothing is written unless the whole file is valid."""
    where = str(path)
    parsed = _parse(where, _load(path), clock, name)
    now = clock.now()
    with db.write() as s:
        same = s.scalars(select(Profile).where(Profile.name == parsed.profile.name)).all()
        if same and not replace:
            raise BackupFileError(
                where,
                "profile.name",
                f"a profile called {parsed.profile.name!r} already exists; restore it with "
                "--name NEW_NAME, or use --replace to overwrite it",
            )
        for old in same:
            profiles_db.delete_profile(s, old.id)
        p = profiles_db.create_profile(s, parsed.profile, now, trackers=parsed.trackers)
        for c in parsed.checkins:
            checkins_db.save_checkin(s, p, c, now)
        for a in parsed.activities:
            entries_db.add_activity(s, p, a)
        for r in parsed.rests:
            entries_db.add_rest(s, p, r)
        n_samples = samples_db.add_samples(s, p, parsed.samples)
        return RestoreSummary(
            p.id, p.name, len(parsed.checkins), len(parsed.activities), len(parsed.rests), n_samples
        )
