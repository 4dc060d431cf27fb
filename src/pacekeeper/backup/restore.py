"""Restoring an export: check the whole document first, then write it in one transaction.

The checks run in order, and the first failing one is reported as a BackupFileError whose
`where` is a JSON path such as ``checkins[12].values.fatigue``:

1. the file is UTF-8 JSON (a syntax error gives its line and column; NaN, Infinity and a field
   repeated within one object are refused, since they are not JSON or are ambiguous);
2. `format` and `schema_version` (a newer version is refused with a message saying so);
3. the JSON Schema (schema_v1.json);
4. the same domain rules as the app (parse_profile, parse_checkin, ...), plus the rules that keep
   the restore lossless: no tracker key, day, client id or sample key appears twice; a
   questionnaire's scores must be what its answers score (backup/questionnaires.py).

Only then is anything written, in one `db.write()` transaction.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError
from sqlalchemy import select

from pacekeeper import store
from pacekeeper.backup import planner_program as plans
from pacekeeper.backup import questionnaires as quest
from pacekeeper.backup import treatments
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
from pacekeeper.domain.trackers import (
    KEY_PATTERN,
    TrackerDef,
    TrackerKind,
    parse_custom_tracker,
    parse_value,
)
from pacekeeper.errors import BackupFileError, FieldError, ValidationError

SCHEMA: dict[str, Any] = json.loads(
    resources.files("pacekeeper.backup").joinpath("schema_v1.json").read_text(encoding="utf-8")
)
_VALIDATOR = Draft202012Validator(SCHEMA)
# Samples are most of a long history and jsonschema takes ~0.2 ms for each, so the document is
# validated without them and each sample first meets a plain-Python check that passes only what
# the schema passes (a test holds the two together); the rest go through the schema for its
# message.
_SAMPLE_SCHEMA: dict[str, Any] = SCHEMA["properties"]["samples"]["items"]
_SAMPLE_VALIDATOR = _VALIDATOR.evolve(schema=_SAMPLE_SCHEMA)
_WITHOUT_SAMPLES = Draft202012Validator(
    {
        **SCHEMA,
        "properties": {**SCHEMA["properties"], "samples": {"type": "array"}},
    }
)
_INSTANT = re.compile(SCHEMA["$defs"]["instant"]["pattern"])
_SAMPLE_FIELDS = frozenset(_SAMPLE_SCHEMA["properties"])
_SAMPLE_REQUIRED = frozenset(_SAMPLE_SCHEMA["required"])
_SAMPLE_UNITS = {k.value: k.unit for k in SampleKind}
_SHOWN = 3  # schema problems named in one message
_NEWER = "update Pacekeeper to restore it without losing anything"


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
    plan: plans.PlanData
    questionnaires: quest.QuestionnaireData
    treatments: tuple[treatments.TreatmentRow, ...] = ()


# -- reading the JSON ----------------------------------------------------------------------------


class _NotJson:
    """Stands in for NaN, Infinity or a number too large for a float while parsing, so the check
    below can say where it was."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _RepeatedKeys(dict[str, Any]):
    """An object in which a field appeared twice; json.loads would silently keep the last."""

    repeated: str = ""


def _path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _find_oddities(node: Any, parts: list[str | int]) -> tuple[str, str] | None:
    """The first NaN/Infinity or repeated field below `node`, as (JSON path, reason)."""
    if isinstance(node, _NotJson):
        return _path(parts), node.reason
    if isinstance(node, _RepeatedKeys):
        return _path([*parts, node.repeated]), "appears twice in the same object"
    children: Iterable[tuple[str | int, Any]] = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        if isinstance(child, dict | list | _NotJson):
            found = _find_oddities(child, [*parts, key])
            if found is not None:
                return found
    return None


def _parse_json(where: str, text: str) -> Any:
    odd = False

    def constant(name: str) -> _NotJson:
        nonlocal odd
        odd = True
        return _NotJson(f"{name} is not a JSON number")

    def too_large(text: str) -> _NotJson:
        nonlocal odd
        odd = True
        return _NotJson(f"{_short(text, 24)} is too large a number")

    def number(text: str) -> float | _NotJson:
        value = float(text)
        return value if math.isfinite(value) else too_large(text)

    def integer(text: str) -> int | _NotJson:
        return int(text) if len(text.lstrip("-")) <= 300 else too_large(text)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal odd
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        odd = True
        marked, seen = _RepeatedKeys(obj), set()
        for k, _ in items:
            if k in seen:
                marked.repeated = k
                break
            seen.add(k)
        return marked

    try:
        doc = json.loads(
            text,
            parse_constant=constant,
            parse_float=number,
            parse_int=integer,
            object_pairs_hook=pairs,
        )
    except json.JSONDecodeError as exc:
        raise BackupFileError(where, f"line {exc.lineno}, column {exc.colno}", exc.msg) from exc
    except RecursionError as exc:
        raise BackupFileError(where, "document", "is nested too deeply") from exc
    if odd:
        found = _find_oddities(doc, [])
        if found is not None:
            raise BackupFileError(where, found[0] or "document", found[1])
    return doc


# -- the schema ----------------------------------------------------------------------------------


def _document_order(doc: Any, error: SchemaError) -> tuple[int, ...]:
    """Where an error's instance sits in the file: problems are reported top to bottom."""
    order, node = [], doc
    for part in error.absolute_path:
        if isinstance(node, dict):
            keys = list(node)
            order.append(keys.index(part) if part in keys else len(keys))
        else:
            order.append(int(part))
        node = node[part]
    return tuple(order)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PATTERNS = {
    SCHEMA["$defs"]["instant"]["pattern"]: (
        "must be a date-time with its UTC offset, like 2026-03-29T10:00:00+02:00"
    ),
    KEY_PATTERN.pattern: "must be a tracker key (a-z first, then a-z, 0-9 or _; at most 40)",
    SCHEMA["properties"]["profile"]["properties"]["day_boundary"]["pattern"]: (
        "must be a time like 04:00"
    ),
}


def _explain(error: SchemaError) -> tuple[str, str]:
    """(JSON path, reason) for one schema error, in words a person can act on."""
    parts: list[str | int] = list(error.absolute_path)
    instance, keyword = error.instance, error.validator
    known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
    extra = [k for k in instance if k not in known] if isinstance(instance, dict) else []
    if keyword == "additionalProperties" and extra:
        return _path([*parts, extra[0]]), (
            f"is not a field schema version {SCHEMA_VERSION} has; if a newer Pacekeeper wrote "
            f"this file, {_NEWER}"
        )
    required = error.validator_value if isinstance(error.validator_value, list) else []
    missing = [k for k in required if isinstance(instance, dict) and k not in instance]
    if keyword == "required" and missing:
        return _path([*parts, missing[0]]), "is required"
    if keyword == "enum" and isinstance(error.validator_value, list):
        allowed = ", ".join("null" if x is None else str(x) for x in error.validator_value)
        return _path(parts), _short(
            f"must be one of {allowed}; not {instance!r} (if a newer Pacekeeper wrote this file, "
            "update Pacekeeper)",
            400,
        )
    if keyword == "const":
        return _path(parts), _short(f"must be {error.validator_value!r}, not {instance!r}")
    if keyword == "pattern" and isinstance(error.validator_value, str):
        expected = _PATTERNS.get(error.validator_value, "is not in the expected form")
        return _path(parts), _short(f"{expected}, not {instance!r}")
    if keyword == "maxLength" and isinstance(instance, str):
        return _path(parts), (
            f"is too long ({len(instance)} characters; at most {error.validator_value})"
        )
    return _path(parts), _short(error.message)


def _plain_sample_ok(x: Any) -> bool:
    """True only for a sample the schema accepts; False means "ask the schema"."""
    if not isinstance(x, dict) or not _SAMPLE_REQUIRED <= x.keys() <= _SAMPLE_FIELDS:
        return False
    value, end, source, extra = x["value"], x.get("end"), x["source"], x.get("extra")
    return (
        isinstance(x["kind"], str)
        and _SAMPLE_UNITS.get(x["kind"]) == x["unit"]
        and isinstance(x["start"], str)
        and _INSTANT.search(x["start"]) is not None
        and (end is None or (isinstance(end, str) and _INSTANT.search(end) is not None))
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and isinstance(source, str)
        and 1 <= len(source) <= 80
        and (extra is None or isinstance(extra, dict))
    )


def _schema_errors(doc: Any) -> Iterator[SchemaError]:
    # The validator walks the document in (about) file order.
    yield from _WITHOUT_SAMPLES.iter_errors(doc)
    samples = doc.get("samples") if isinstance(doc, dict) else None
    for i, x in enumerate(samples if isinstance(samples, list) else []):
        if _plain_sample_ok(x):
            continue
        for error in _SAMPLE_VALIDATOR.iter_errors(x):
            error.path.extendleft([i, "samples"])  # make the path the document's
            yield error


def _check_schema(where: str, doc: Any) -> None:
    errors = list(islice(_schema_errors(doc), 50))  # the first few are enough to report
    if not errors:
        return
    errors.sort(key=lambda e: _document_order(doc, e))
    explained = [_explain(e) for e in errors]
    at, reason = explained[0]
    others = [f"{p or 'document'}: {r}" for p, r in explained[1:_SHOWN]]
    if others:
        reason += f" (also {'; '.join(others)}"
        reason += "; and more)" if len(explained) > _SHOWN else ")"
    raise BackupFileError(where, at or "document", reason)


def _load(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BackupFileError(where, f"byte {exc.start}", "is not UTF-8 text") from exc
    except OSError as exc:
        raise BackupFileError(where, "", f"cannot be read: {exc.strerror}") from exc
    doc = _parse_json(where, text.removeprefix("\ufeff"))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupFileError(
            where, "format", f'this is not a Pacekeeper export (no "format": "{FORMAT}")'
        )
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupFileError(where, "schema_version", f"must be a whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        raise BackupFileError(
            where,
            "schema_version",
            f"version {version} was written by a newer Pacekeeper, which reads up to version "
            f"{SCHEMA_VERSION}; {_NEWER}",
        )
    _check_schema(where, doc)
    return doc


# -- the domain rules ----------------------------------------------------------------------------


def _domain(
    where: str, at: str, exc: ValidationError, rename: Mapping[str, str] | None = None
) -> BackupFileError:
    first = exc.errors[0]
    more = len(exc.errors) - 1
    reason = first.reason + (f" (and {more} more problem{'s' * (more > 1)} here)" if more else "")
    field = (rename or {}).get(first.field, first.field)
    return BackupFileError(where, f"{at}.{field}", reason)


def _repeated(where: str, at: str, first: str, what: str) -> BackupFileError:
    return BackupFileError(where, at, f"{what} already appears at {first}")


def _trackers(where: str, raw: list[dict[str, Any]]) -> tuple[TrackerDef, ...]:
    """The profile's trackers exactly as exported, checked by the custom-tracker rules."""
    out: list[TrackerDef] = []
    seen: dict[str, str] = {}
    for i, t in enumerate(raw):
        at = f"trackers[{i}]"
        key = t["key"]
        if not KEY_PATTERN.match(key):
            raise BackupFileError(where, f"{at}.key", f"{key!r} is not a tracker key")
        if key in seen:
            raise _repeated(where, f"{at}.key", seen[key], f"tracker {key!r}")
        seen[key] = at
        kind = TrackerKind(t["kind"])
        if kind is TrackerKind.YES_NO and (t["min_value"], t["max_value"]) != (0, 1):
            raise BackupFileError(where, f"{at}.max_value", "a yes/no tracker goes from 0 to 1")
        # str(): the form parser reads "0" as a value but 0 as "left out".
        form = {**t, "min_value": str(t["min_value"]), "max_value": str(t["max_value"])}
        try:
            parsed = parse_custom_tracker(form, set())
        except ValidationError as exc:
            raise _domain(where, at, exc) from exc
        out.append(
            replace(
                parsed,
                key=key,
                enabled=t.get("enabled", True),
                position=t.get("position", i),
                builtin=t.get("builtin", False),
            )
        )
    return tuple(out)


_CHECKIN_FIELDS = ("day", "note", "recorded_at", "client_id")


def _checkin(
    where: str, at: str, c: dict[str, Any], trackers: dict[str, TrackerDef]
) -> CheckInData:
    # The answers are checked one by one with the check-in form's own rule (parse_value), apart
    # from day, note and the rest, so that a tracker whose key is also "note" or "day" is safe.
    errors: list[FieldError] = []
    values: dict[str, float] = {}
    for key, raw in c["values"].items():
        tracker = trackers.get(key)
        if tracker is None:
            errors.append(FieldError(f"values.{key}", "is not one of the file's trackers"))
            continue
        field_errors: list[FieldError] = []
        value = parse_value(field_errors, tracker, raw)
        errors += [FieldError(f"values.{e.field}", e.reason) for e in field_errors]
        if value is not None:
            values[key] = value
    data: CheckInData | None = None
    try:
        # A backup is history: its days were valid when they were recorded, so no "future" limit.
        meta = {k: c.get(k) for k in _CHECKIN_FIELDS}
        data = parse_checkin(meta, (), date.max, source=c.get("source") or "import")
    except ValidationError as exc:
        errors = exc.errors + errors
    if errors or data is None:
        raise _domain(where, at, ValidationError(errors))
    return replace(data, values=values)


def _sample(where: str, at: str, raw: dict[str, Any]) -> samples_db.SampleData:
    errors: list[FieldError] = []
    start = v.aware_datetime(errors, "start", raw["start"], required=True)
    end = v.aware_datetime(errors, "end", raw.get("end"))
    kind = SampleKind(raw["kind"])
    if raw["unit"] != kind.unit:
        errors.append(FieldError("unit", f"must be {kind.unit!r} for {kind.value}"))
    if not math.isfinite(raw["value"]):
        errors.append(FieldError("value", "must be a finite number"))
    if errors:
        raise _domain(where, at, ValidationError(errors))
    assert start is not None
    return samples_db.SampleData(
        kind, start, float(raw["value"]), raw["source"], end, raw.get("extra")
    )


def _unique(
    where: str,
    items: list[Any],
    section: str,
    field: str,
    key: Callable[[Any], Any],
    what: Callable[[Any], str],
) -> None:
    """A second row with the same natural key would be merged or skipped on writing: refuse."""
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k is None:
            continue
        if k in seen:
            first = f"{section}[{seen[k]}]"
            raise _repeated(where, f"{section}[{i}].{field}", first, what(item))
        seen[k] = i


def _client_id(row: CheckInData | ActivityData | RestData) -> str | None:
    return row.client_id


def _client_id_text(row: CheckInData | ActivityData | RestData) -> str:
    return f"client_id {row.client_id}"


def _parse(where: str, doc: dict[str, Any], clock: Clock, name: str | None) -> _Parsed:
    raw_profile = {**doc["profile"], "is_generated": doc["generated_data"]}
    if name is not None:
        raw_profile["name"] = name
    try:
        profile = parse_profile(raw_profile, clock.now().date())
    except ValidationError as exc:
        error = _domain(where, "profile", exc, {"is_generated": "generated_data"})
        if name is not None and error.where == "profile.name":
            error = BackupFileError(where, "name", f"the new name {error.reason}")
        raise error from exc
    trackers = _trackers(where, doc["trackers"])
    by_key = {t.key: t for t in trackers}

    checkins = [_checkin(where, f"checkins[{i}]", c, by_key) for i, c in enumerate(doc["checkins"])]
    _unique(where, checkins, "checkins", "day", lambda c: c.day, lambda c: f"day {c.day}")
    _unique(where, checkins, "checkins", "client_id", _client_id, _client_id_text)

    activities, rests = [], []
    for i, a in enumerate(doc["activities"]):
        try:
            activities.append(parse_activity(a, source=a.get("source") or "import"))
        except ValidationError as exc:
            raise _domain(where, f"activities[{i}]", exc) from exc
    _unique(where, activities, "activities", "client_id", _client_id, _client_id_text)
    for i, r in enumerate(doc["rests"]):
        try:
            rests.append(parse_rest(r, source=r.get("source") or "import"))
        except ValidationError as exc:
            raise _domain(where, f"rests[{i}]", exc) from exc
    _unique(where, rests, "rests", "client_id", _client_id, _client_id_text)

    samples = [_sample(where, f"samples[{i}]", x) for i, x in enumerate(doc["samples"])]
    _unique(
        where,
        samples,
        "samples",
        "start",
        lambda x: (x.kind, x.source, x.start.astimezone(UTC)),
        lambda x: f"a {x.kind.value} sample from {x.source!r} starting {x.start.isoformat()}",
    )
    return _Parsed(
        profile,
        trackers,
        checkins,
        activities,
        rests,
        samples,
        plans.parse(where, doc),
        quest.parse(where, doc),
        treatments.parse(where, doc),
    )


# -- writing -------------------------------------------------------------------------------------


def restore_profile(
    db: Database, path: Path, *, clock: Clock, name: str | None = None, replace: bool = False
) -> RestoreSummary:
    """Restore an export written by `export_profile` as a profile.

    The whole file is checked first; then everything is written in one transaction, so on any
    failure the database is exactly as before. A profile with the same name is refused unless
    `replace` (it is deleted and the backup takes its place) or another `name` is given.
    Raises BackupFileError naming the file and the JSON path of the problem.
    """
    where = str(path)
    parsed = _parse(where, _load(path), clock, name)
    now: datetime = clock.now()
    store.sweep(db)  # part files a killed write or a deleted profile left
    with db.write() as s:
        same = s.scalars(select(Profile.id).where(Profile.name == parsed.profile.name)).all()
        if same and not replace:
            raise BackupFileError(
                where,
                "profile.name",
                f"a profile called {parsed.profile.name!r} already exists; restore it with "
                "--name NEW_NAME, or use --replace to overwrite it",
            )
        for old_id in same:
            profiles_db.delete_profile(s, old_id)
        p = profiles_db.create_profile(s, parsed.profile, now, trackers=parsed.trackers)
        for c in parsed.checkins:
            checkins_db.save_checkin(s, p, c, now)
        for a in parsed.activities:
            entries_db.add_activity(s, p, a)
        for r in parsed.rests:
            entries_db.add_rest(s, p, r)
        n_samples = samples_db.add_samples(s, p, parsed.samples)
        plans.write(s, p.id, parsed.plan)
        quest.write(s, p.id, parsed.questionnaires)
        treatments.write(s, p.id, parsed.treatments, now)
        return RestoreSummary(
            p.id, p.name, len(parsed.checkins), len(parsed.activities), len(parsed.rests), n_samples
        )
