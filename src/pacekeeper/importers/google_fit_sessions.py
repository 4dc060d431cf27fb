"""Google Fit sessions: `Takeout/Fit/All sessions/*.json`, one JSON object per session.

Layout implemented (docs/formats.md; unverified against a real export): `fitnessActivity`
(e.g. "walking", "running", "sleep"), `startTime` and `endTime` (ISO 8601 with offset or Z),
optional `name`, `duration` ("2400.000s"), and `aggregate`: a list of
`{"metricName": "com.google.step_count.delta", "intValue": 3500}` (or `floatValue`).
A session becomes an activity; a "sleep" session becomes a `sleep_asleep` interval; sessions
that are not activities ("still", "in_vehicle", "unknown") are skipped and reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pacekeeper.db.samples import SampleData
from pacekeeper.domain.entries import ActivityData, Posture
from pacekeeper.domain.samples import SampleKind
from pacekeeper.errors import ImportFileError
from pacekeeper.importers.base import ImportReport, Progress, Record, Skipped
from pacekeeper.importers.context import ImportContext

SOURCE = "Google Fit"
MAX_BYTES = 8 << 20  # a session file is a few kB; more is not a session
HEAVY = {"running", "biking", "swimming", "hiking", "rowing", "elliptical", "skiing"}
LIGHT = {"yoga", "meditation", "stretching", "breathing", "pilates", "tai_chi"}
NOT_ACTIVITY = {"still", "in_vehicle", "unknown", "tilting", "on_foot_unknown"}
SLEEP = {"sleep", "sleep.light", "sleep.deep", "sleep.rem", "sleeping"}
NOTE_METRICS = {
    "com.google.step_count.delta": "steps",
    "com.google.heart_minutes.summary": "heart minutes",
    "com.google.active_minutes": "move minutes",
    "com.google.distance.delta": "m",
}


class GoogleFitSession:
    name = "google-fit-session"

    def sniff(self, head: bytes, path: Path) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return text.startswith(b"{") and b'"fitnessActivity"' in head

    def read(
        self, path: Path, report: ImportReport, progress: Progress, ctx: ImportContext
    ) -> Iterator[Record]:
        session = _load(path)
        progress(path.stat().st_size)
        try:
            record = _record(session, ctx)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            report.skipped.append(Skipped("byte 0", f"session: {_why(exc)}"))
            return
        if isinstance(record, str):
            report.skipped.append(Skipped("byte 0", record))
            return
        at = record.started_at if isinstance(record, ActivityData) else record.start
        report.saw_day(ctx.day_of(at))
        report.sources.add(SOURCE)
        yield record


def _load(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes() if path.stat().st_size <= MAX_BYTES else None
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    if raw is None:
        raise ImportFileError(str(path), "is too large to be a Google Fit session")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            str(path), "has bytes that are not UTF-8", f"byte {exc.start}"
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"byte {len(text[: exc.pos].encode())}"
        raise ImportFileError(str(path), f"is not valid JSON ({exc.msg})", where) from exc
    if not isinstance(data, dict):
        raise ImportFileError(str(path), "is not a Google Fit session (not a JSON object)")
    return data


def _why(exc: Exception) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"


def _time(text: Any) -> datetime:
    at = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return at


def _aggregates(session: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for a in session.get("aggregate") or []:
        if isinstance(a, dict) and isinstance(a.get("metricName"), str):
            value = a.get("intValue", a.get("floatValue"))
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[a["metricName"]] = float(value)
    return out


def _record(session: dict[str, Any], ctx: ImportContext) -> ActivityData | SampleData | str:
    kind = str(session["fitnessActivity"]).lower()
    start, end = _time(session["startTime"]), _time(session["endTime"])
    seconds = (end - start).total_seconds()
    if not 0 < seconds <= 48 * 3600:
        return f"session {kind}: it ends before it starts, or lasts over 48 hours"
    if kind in NOT_ACTIVITY:
        return f"session {kind!r} is not an activity (not read)"
    if kind in SLEEP:
        return SampleData(SampleKind.SLEEP_ASLEEP, start, round(seconds / 60, 1), SOURCE, end,
                          extra={"from": "session"})  # fmt: skip
    sums = _aggregates(session)
    note = ", ".join(f"{round(sums[m])} {unit}" for m, unit in NOTE_METRICS.items() if sums.get(m))
    what = str(session.get("name") or kind.replace("_", " ").replace(".", " ").capitalize())
    physical = 3 if kind.split(".")[0] in HEAVY else 1 if kind in LIGHT else 2
    minutes = max(1, min(1440, round(seconds / 60)))
    return ActivityData(what[:80], start.astimezone(ctx.tz), minutes, physical=physical,
                        posture=Posture.UPRIGHT, note=note, source=SOURCE)  # fmt: skip
