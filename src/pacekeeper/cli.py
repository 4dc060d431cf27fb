"""The command line. Every command calls the library; nothing here is needed by the library.

Errors a user can cause print one line naming the field and the reason, and exit with status 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from pacekeeper import __version__
from pacekeeper.config import Settings, load_settings
from pacekeeper.db import Database
from pacekeeper.db import accounts as accounts_db
from pacekeeper.db import checkins as checkins_db
from pacekeeper.db import entries as entries_db
from pacekeeper.db import profiles as profiles_db
from pacekeeper.domain import validate as v
from pacekeeper.domain.entries import parse_activity, parse_checkin, parse_rest
from pacekeeper.domain.localday import instant_on_day
from pacekeeper.domain.profile import parse_profile
from pacekeeper.errors import FieldError, PacekeeperError, ValidationError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_USER_ERROR = 2

# Arrow's allocator is chosen when Arrow loads (nothing above loads it), so it is set here:
# the C library's malloc gives memory back as an import frees it, where Arrow's default
# (mimalloc) kept 22 MiB more resident through a 1 GiB import (bench/README.md, "Apple Health
# import").
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


class Ctx:
    """What every command needs: settings, an up-to-date store and a clock."""

    def __init__(self, home: str | None) -> None:
        environ = dict(os.environ)
        if home:
            environ["PACEKEEPER_HOME"] = home
        self.settings: Settings = load_settings(environ)
        self.clock = self.settings.clock()
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.database_url, home=self.settings.home)
            self._db.upgrade()
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def user_errors(fn: F) -> F:
    """Turn a PacekeeperError into one line on stderr and exit status 2; never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PacekeeperError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(EXIT_USER_ERROR)

    return wrapper  # type: ignore[return-value]


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pacekeeper")
@click.option("--home", envvar="PACEKEEPER_HOME", help="Folder for the database and secret key.")
@click.pass_context
@user_errors
def main(ctx: click.Context, home: str | None) -> None:
    """Pacekeeper: pacing for ME/CFS, long COVID and fibromyalgia.

    Your data stays on this computer (in ./var unless PACEKEEPER_HOME says otherwise).
    """
    ctx.obj = Ctx(home)
    ctx.call_on_close(ctx.obj.close)


# -- serve -------------------------------------------------------------------------------------


def _serve(c: Ctx, host: str, port: int, tls_cert: str | None, tls_key: str | None) -> None:
    from pacekeeper.security import is_loopback

    if not is_loopback(host):
        with c.db.read() as s:
            if not accounts_db.has_accounts(s):
                raise PacekeeperError(
                    f"--host {host}: other devices could reach Pacekeeper without a passphrase. "
                    "Create an account first: pacekeeper account create NAME"
                )
        if not (tls_cert and tls_key):
            click.echo(
                "warning: serving without TLS; anyone on this network can read the traffic. "
                "See docs/phone.md to add --tls-cert and --tls-key.",
                err=True,
            )
    if bool(tls_cert) != bool(tls_key):
        raise ValidationError.single("--tls-key", "give both --tls-cert and --tls-key, or neither")
    from pacekeeper.store import sweep

    # Sample files a killed import left behind are unreferenced: clear them before serving.
    sweep(c.db)
    import uvicorn

    from pacekeeper.reports.warmup import warm_up_in_background
    from pacekeeper.web import create_app

    app = create_app(c.settings, c.db, c.clock)
    warm_up_in_background()  # the first clinician report then costs what later ones do
    scheme = "https" if tls_cert else "http"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    click.echo(f"Pacekeeper is running: open {scheme}://{shown}:{port}  (Ctrl+C stops it)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        log_level="warning",
        access_log=False,  # request paths hold share-link tokens: never write them to a log
        server_header=False,
        proxy_headers=False,
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="TLS certificate.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="TLS private key.")
@pass_ctx
@user_errors
def serve(c: Ctx, host: str, port: int, tls_cert: str | None, tls_key: str | None) -> None:
    """Serve the web app (only on this computer unless an account exists)."""
    _serve(c, host, port, tls_cert, tls_key)


# -- check-in and log ------------------------------------------------------------------------

BUILTIN_OPTIONS = (
    ("fatigue", "Fatigue 0-10."),
    ("pain", "Pain 0-10."),
    ("brain-fog", "Brain fog 0-10."),
    ("sleep-quality", "Sleep quality 0-10 (10 = very good)."),
    ("unrefreshing-sleep", "Unrefreshing sleep 0-10."),
    ("back-soreness", "Back soreness and stiffness 0-10."),
    ("mood", "Mood 0-10 (10 = very good)."),
)


def _tracker_options(fn: F) -> F:
    for name, text in reversed(BUILTIN_OPTIONS):
        fn = click.option(f"--{name}", help=text)(fn)
    return fn


def _parse_sets(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    errors: list[FieldError] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            errors.append(FieldError("--set", f"{pair!r} is not KEY=VALUE"))
        else:
            out[key.strip()] = value.strip()
    if errors:
        raise ValidationError(errors)
    return out


@main.command()
@click.option("--profile", "profile_ref", help="Profile name or id (default: your profile).")
@click.option("--day", help="Day as YYYY-MM-DD (default: today).")
@_tracker_options
@click.option("--crash/--no-crash", default=None, help="A crash / PEM today.")
@click.option("--note", help="A short note.")
@click.option(
    "--set", "sets", multiple=True, metavar="KEY=VALUE", help="Any tracker, also your own."
)
@pass_ctx
@user_errors
def checkin(
    c: Ctx,
    /,
    profile_ref: str | None,
    day: str | None,
    crash: bool | None,
    note: str | None,
    sets: tuple[str, ...],
    **builtins: str | None,
) -> None:
    """Record today's check-in (every tracker is optional)."""
    raw: dict[str, Any] = {k: val for k, val in builtins.items() if val is not None}
    raw.update(_parse_sets(sets))
    if crash is not None:
        raw["crash"] = crash
    if note is not None:
        raw["note"] = note
    with c.db.write() as s:
        p = profiles_db.find_profile(s, profile_ref)
        today = profiles_db.today_for(p, c.clock)
        raw["day"] = day or today.isoformat()
        data = parse_checkin(raw, profiles_db.trackers(p), today, source="cli")
        _, outcome = checkins_db.save_checkin(s, p, data, c.clock.now())
    click.echo(f"Check-in for {data.day} {outcome.value} ({len(data.values)} answers).")


def _start_instant(c: Ctx, p: Any, start: str | None) -> str:
    """--start accepts HH:MM on today's local day, or a full ISO date-time with offset."""
    if start and "T" in start:
        return start
    errors: list[FieldError] = []
    at = v.clock_time(errors, "--start", start) if start else None
    if errors:
        raise ValidationError(errors)
    tz, boundary = profiles_db.profile_zone(p), profiles_db.profile_boundary(p)
    if at is None:
        return c.clock.now().astimezone(tz).isoformat()
    return instant_on_day(profiles_db.today_for(p, c.clock), at, tz, boundary).isoformat()


@main.group()
def log() -> None:
    """Log an activity or a rest."""


@log.command("activity")
@click.argument("what")
@click.option("--minutes", required=True, help="How long, 1-1440.")
@click.option("--start", help="HH:MM today, or an ISO date-time with offset (default: now).")
@click.option("--physical", default="0", show_default=True, help="Physical load 0-3.")
@click.option("--cognitive", default="0", show_default=True, help="Thinking load 0-3.")
@click.option("--emotional", default="0", show_default=True, help="Emotional load 0-3.")
@click.option("--social", default="0", show_default=True, help="Social load 0-3.")
@click.option("--posture", default="sitting", show_default=True, help="lying, sitting or upright.")
@click.option("--note", help="A short note.")
@click.option("--profile", "profile_ref", help="Profile name or id.")
@pass_ctx
@user_errors
def log_activity(
    c: Ctx, /, what: str, profile_ref: str | None, start: str | None, **rest: Any
) -> None:
    """Log an activity, e.g.: pacekeeper log activity Shower --minutes 15 --physical 2"""
    with c.db.write() as s:
        p = profiles_db.find_profile(s, profile_ref)
        raw = {**rest, "what": what, "started_at": _start_instant(c, p, start)}
        a = parse_activity(raw, source="cli")
        entries_db.add_activity(s, p, a)
    click.echo(f"Logged {a.what}: {a.minutes} min from {a.started_at:%Y-%m-%d %H:%M}.")


@log.command("rest")
@click.argument("kind", metavar="KIND")
@click.option("--minutes", required=True, help="How long, 1-1440.")
@click.option("--start", help="HH:MM today, or an ISO date-time with offset (default: now).")
@click.option("--note", help="A short note.")
@click.option("--profile", "profile_ref", help="Profile name or id.")
@pass_ctx
@user_errors
def log_rest(
    c: Ctx, kind: str, minutes: str, start: str | None, note: str | None, profile_ref: str | None
) -> None:
    """Log a rest. KIND is lying_rest, nap or meditation."""
    with c.db.write() as s:
        p = profiles_db.find_profile(s, profile_ref)
        raw = {"kind": kind, "minutes": minutes, "note": note,
               "started_at": _start_instant(c, p, start)}  # fmt: skip
        r = parse_rest(raw, source="cli")
        entries_db.add_rest(s, p, r)
    click.echo(f"Logged {r.kind.label.lower()}: {r.minutes} min from {r.started_at:%H:%M}.")


# -- profiles and accounts ---------------------------------------------------------------------


@main.group()
def profile() -> None:
    """Create and list profiles."""


@profile.command("create")
@click.option("--name", required=True)
@click.option(
    "--conditions", default="", help="Comma list: me_cfs, long_covid, fibromyalgia, other."
)
@click.option("--time-zone", "time_zone", default="UTC", show_default=True, help="e.g. Europe/Oslo")
@click.option("--day-boundary", "day_boundary", default="04:00", show_default=True)
@click.option("--birth-year", "birth_year")
@click.option("--resting-hr", "resting_hr")
@click.option("--hr-ceiling", "hr_ceiling")
@pass_ctx
@user_errors
def profile_create(c: Ctx, /, **fields: Any) -> None:
    """Create a profile."""
    data = parse_profile(fields, c.clock.now().date())
    with c.db.write() as s:
        p = profiles_db.create_profile(s, data, c.clock.now())
    click.echo(f"Created profile {p.id}: {p.name}")


@profile.command("list")
@pass_ctx
@user_errors
def profile_list(c: Ctx) -> None:
    """List profiles."""
    with c.db.read() as s:
        for p in profiles_db.list_profiles(s):
            tag = " (generated demo data)" if p.is_generated else ""
            click.echo(f"{p.id}\t{p.name}{tag}")


@main.group()
def account() -> None:
    """Accounts, needed to open Pacekeeper from another device."""


@account.command("create")
@click.argument("username")
@click.option("--passphrase-stdin", is_flag=True, help="Read the passphrase from standard input.")
@pass_ctx
@user_errors
def account_create(c: Ctx, username: str, passphrase_stdin: bool) -> None:
    """Create an account (you will be asked for a passphrase of 12+ characters)."""
    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\n")
    else:
        passphrase = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True)
    with c.db.write() as s:
        accounts_db.create_account(s, username, passphrase, c.clock.now())
    click.echo(f"Account {username} created. You can now serve with --host 0.0.0.0.")


# -- backup ------------------------------------------------------------------------------------


@main.command()
@click.option("--profile", "profile_ref", help="Profile name or id.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File (default: stdout)."
)
@pass_ctx
@user_errors
def export(c: Ctx, profile_ref: str | None, output: str | None) -> None:
    """Write all of a profile's data as one JSON document (see docs/export-schema.md)."""
    from pacekeeper.backup import export_profile

    with c.db.read() as s:
        pid = profiles_db.find_profile(s, profile_ref).id
    if output is None:
        export_profile(c.db, pid, sys.stdout, clock=c.clock)
        return
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        summary = export_profile(c.db, pid, out, clock=c.clock)
    partial.replace(target)  # a half-written backup never carries the real name
    click.echo(f"Wrote {target}: {summary}", err=True)


@main.command("import-json")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--name", help="Restore under this profile name.")
@click.option("--replace", is_flag=True, help="Replace a profile of the same name.")
@pass_ctx
@user_errors
def import_json(c: Ctx, path: str, name: str | None, replace: bool) -> None:
    """Restore a profile from a file written by `pacekeeper export`."""
    from pacekeeper.backup import restore_profile

    summary = restore_profile(c.db, Path(path), clock=c.clock, name=name, replace=replace)
    click.echo(f"Restored: {summary}")


# -- importing exports ------------------------------------------------------------------------


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", "profile_ref", help="Profile name or id (default: your profile).")
@pass_ctx
@user_errors
def import_files(c: Ctx, /, paths: tuple[Path, ...], profile_ref: str | None) -> None:
    """Import exports (files, folders or zips): Apple Health, Garmin FIT and Connect, Fitbit,
    Google Fit, Visible, Bearable, or a CSV/TSV. The format is found from the content; see
    docs/formats.md.

    Everything is imported in one go or not at all; importing the same file again adds nothing.
    """
    from pacekeeper.importers import import_paths
    from pacekeeper.importers.detect import expand

    with c.db.read() as s:
        pid = profiles_db.find_profile(s, profile_ref).id
    total = sum(f.stat().st_size for f, _ in expand(list(paths)))
    done: dict[Path, int] = {}
    with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:

        def progress(path: Path, n: int) -> None:
            bar.update(n - done.get(path, 0))
            done[path] = n

        reports = import_paths(c.db, pid, list(paths), now=c.clock.now(), progress=progress)
    for report in reports:
        click.echo(report.summary())


# -- the model -----------------------------------------------------------------------------------


def _engine_options(fn: F) -> F:
    fn = click.option(
        "--hr-ceiling", type=click.IntRange(60, 220), help="Heart-rate ceiling (bpm) to use."
    )(fn)
    fn = click.option(
        "--tz", default="UTC", show_default=True, help="Time zone of export files (not profiles)."
    )(fn)
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(fn)


def _resolve(c: Ctx, refs: tuple[str, ...], tz: str, hr_ceiling: int | None) -> Any:
    from pacekeeper.domain.localday import DEFAULT_DAY_BOUNDARY, is_time_zone, zone
    from pacekeeper.frames.resolve import resolve

    if not is_time_zone(tz):
        raise ValidationError.single("tz", f"{tz!r} is not a time zone name (e.g. Europe/Oslo)")
    resolved = resolve(
        list(refs),
        db=lambda: c.db,
        clock=c.clock,
        tz=zone(tz),
        boundary=DEFAULT_DAY_BOUNDARY,
        ceiling=hr_ceiling,
    )
    frame = resolved.frame
    if frame.height == 0 or frame["symptom"].drop_nulls().is_empty():
        click.echo(
            f"note: {resolved.label} has no symptom ratings. The model learns from check-ins: "
            "add a Visible or Bearable export, or a CSV with symptom columns "
            "(docs/formats.md), alongside the wearable data.",
            err=True,
        )
    return resolved


@main.command()
@click.argument("refs", nargs=-1, metavar="[PROFILE | PATH...]")
@_engine_options
@pass_ctx
@user_errors
def model(c: Ctx, /, refs: tuple[str, ...], as_json: bool, tz: str, hr_ceiling: int | None) -> None:
    """What the model has learned: delay, duration, sensitivity, today's envelope, crashes."""
    import json

    from pacekeeper.engine.picture import picture

    r = _resolve(c, refs, tz, hr_ceiling)
    result = picture(r.frame, r.today_load)
    if as_json:
        click.echo(json.dumps({"source": r.label, **result.to_dict()}, indent=2))
        return
    click.echo(f"{r.label}:")
    for line in result.lines():
        click.echo(line)


@main.command()
@click.argument("refs", nargs=-1, metavar="PROFILE | PATH...")
@_engine_options
@click.option(
    "--min-history", default=21, show_default=True, type=click.IntRange(7, 365),
    help="Days of history before the first forecast.",
)  # fmt: skip
@pass_ctx
@user_errors
def backtest(
    c: Ctx,
    /,
    refs: tuple[str, ...],
    as_json: bool,
    tz: str,
    hr_ceiling: int | None,
    min_history: int,
) -> None:
    """Walk-forward test of the model against simple baselines (docs/model.md)."""
    from pacekeeper.engine.evaluate import evaluate, table_lines

    r = _resolve(c, refs, tz, hr_ceiling)
    result = evaluate(r.frame, min_history=min_history)
    if as_json:
        click.echo(result.to_json())
        return
    click.echo(f"{r.label}: {r.frame.height} days")
    for line in table_lines(result):
        click.echo(line)


@main.command()
@click.option("--profile", "profile_ref", help="Profile name or id (default: your profile).")
@click.option(
    "--days", default=None, type=click.Choice(["30", "90", "180", "365"]),
    help="The period: this many days up to yesterday (default 90).",
)  # fmt: skip
@click.option("--from", "first", metavar="YYYY-MM-DD", help="A chosen period's first day.")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Its last day (default yesterday).")
@click.option("--sections", metavar="A,B", help="Only these parts (docs/report.md lists them).")
@click.option("--without", metavar="A,B", help="Every part but these.")
@click.option("-o", "--output", help="File to write (default: report.pdf, or report.html).")
@click.option("--html", "as_html", is_flag=True, help="Write the HTML page instead of a PDF.")
@pass_ctx
@user_errors
def report(c: Ctx, profile_ref: str | None, days: str | None, first: str | None,
           last: str | None, sections: str | None, without: str | None, output: str | None,
           as_html: bool) -> None:  # fmt: skip
    """The clinician report for a period, as a PDF (at most 3 pages) or an HTML page."""
    from pathlib import Path

    from pacekeeper.reports.clinician import make_report
    from pacekeeper.reports.clinician.choose import choose

    with c.db.read() as s:
        p = profiles_db.find_profile(s, profile_ref)
        pid, today = p.id, profiles_db.today_for(p, c.clock)
    period, parts = choose(today, days=int(days) if days else None, first=first, last=last,
                           sections=sections, without=without)  # fmt: skip
    made = make_report(c.db, pid, c.clock, period=period, sections=parts, pdf=not as_html)
    target = Path(output or ("report.html" if as_html else "report.pdf"))
    if as_html:
        target.write_text(made.html, encoding="utf-8")
    else:
        assert made.pdf is not None
        target.write_bytes(made.pdf)
    click.echo(f"Report for {made.name}, {made.first} to {made.last}: {target}")


# -- demo --------------------------------------------------------------------------------------


@main.command()
@click.option("--days", default=182, show_default=True, type=click.IntRange(14, 3 * 365))
@click.option("--seed", default=7, show_default=True, type=int)
@click.option(
    "--serve/--no-serve", "and_serve", default=False, help="Serve the web app afterwards."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@pass_ctx
@user_errors
def demo(c: Ctx, days: int, seed: int, and_serve: bool, port: int) -> None:
    """Create the demo profile: about six months of GENERATED history (not a real person)."""
    from pacekeeper.demo import install_demo

    click.echo(f"Generating {days} days of demo history (generated data, not a real person)…")
    pid = install_demo(c.db, c.clock, days=days, seed=seed)
    with c.db.read() as s:
        p = profiles_db.get_profile(s, pid)
        today = profiles_db.today_for(p, c.clock)
        n = len(checkins_db.checkins_between(s, p, today - timedelta(days=days), today))
    click.echo(f"Demo profile {p.name!r} ready: {n} check-ins up to {today}.")
    if and_serve:
        _serve(c, "127.0.0.1", port, None, None)


# -- omics -------------------------------------------------------------------------------------


@main.group()
def omics() -> None:
    """Exercise-challenge multi-omics analysis for researchers (not part of the patient app)."""


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in values:
        name, sep, rest = pair.partition("=")
        if not sep or not name or not rest:
            raise ValidationError.single(option, f"{pair!r} should look like NAME=VALUE")
        if name in out:
            raise ValidationError.single(option, f"{name!r} is given twice")
        out[name] = rest
    return out


@omics.command("analyse")
@click.option(
    "--layer",
    "layers",
    multiple=True,
    required=True,
    metavar="NAME=FILE",
    help="A feature table (Metabolon, wide or long CSV/TSV/XLSX). Repeat per layer.",
)
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    metavar="NAME=LAYOUT",
    help="auto (default), metabolon, wide, wide-samples-in-rows or long.",
)
@click.option(
    "--samples",
    "sheet_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Sample sheet: one row per sample.",
)
@click.option("--sample-col", default="sample", show_default=True)
@click.option("--subject-col", default="subject", show_default=True)
@click.option("--group-col", default="group", show_default=True)
@click.option("--time-col", default="time", show_default=True)
@click.option(
    "--design",
    type=click.Choice(["case-control", "timecourse"]),
    default="case-control",
    show_default=True,
)
@click.option("--case", help="The case group (default: guessed when unambiguous).")
@click.option("--control", help="The control group.")
@click.option("--baseline", help="The baseline time point (default: the first in order).")
@click.option("--covariate", "covariates", multiple=True, help="Sample-sheet column; repeat.")
@click.option("--symptom", "symptoms", multiple=True, help="Numeric symptom score column; repeat.")
@click.option(
    "--max-missing",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Drop features missing in more than this fraction of samples.",
)
@click.option(
    "--impute/--no-impute",
    default=True,
    show_default=True,
    help="Fill missing values with half the feature minimum.",
)
@click.option("--log/--no-log", "log2", default=True, show_default=True, help="log2 transform.")
@click.option(
    "--zero-missing/--zero-value",
    default=True,
    show_default=True,
    help="Treat zero values as missing (not detected).",
)
@click.option("--centre-by", help="Sample-sheet column (batch or site) to median-centre within.")
@click.option(
    "--moderated/--no-moderated",
    default=True,
    show_default=True,
    help="Also report empirical-Bayes moderated statistics (case-control).",
)
@click.option("--charts/--no-charts", default=True, show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@user_errors
def omics_analyse(
    layers: tuple[str, ...],
    layouts: tuple[str, ...],
    sheet_path: Path,
    sample_col: str,
    subject_col: str,
    group_col: str,
    time_col: str,
    design: str,
    case: str | None,
    control: str | None,
    baseline: str | None,
    covariates: tuple[str, ...],
    symptoms: tuple[str, ...],
    max_missing: float,
    impute: bool,
    log2: bool,
    zero_missing: bool,
    centre_by: str | None,
    moderated: bool,
    charts: bool,
    out_dir: Path,
) -> None:
    """Test every feature, enrich pathways, relate layers and symptoms; write tables, report."""
    from pacekeeper.omics import Options, analyse, read_sample_sheet, write
    from pacekeeper.omics.readers import read_layer

    files = _pairs(layers, "layer")
    kinds = _pairs(layouts, "layout")
    unknown = sorted(set(kinds) - set(files))
    if unknown:
        raise ValidationError.single("layout", f"no --layer named {unknown[0]!r}")
    loaded = []
    for name, file in files.items():
        layer = read_layer(Path(file), name, kinds.get(name, "auto"))
        click.echo(f"read {name}: {len(layer.features)} features x {len(layer.samples)} samples")
        loaded.append(layer)
    sheet = read_sample_sheet(
        sheet_path, sample=sample_col, subject=subject_col, group=group_col, time=time_col
    )
    options = Options(
        design=design,
        case=case,
        control=control,
        baseline=baseline,
        covariates=list(covariates),
        max_missing=max_missing,
        impute=impute,
        log=log2,
        zero_is_missing=zero_missing,
        centre_by=centre_by,
        moderated=moderated,
        symptoms=list(symptoms),
        charts=charts,
    )
    outcome = analyse(loaded, sheet, options, progress=click.echo)
    written = write(outcome, out_dir, options)
    n_sig = outcome.results.filter(outcome.results["q"] < options.alpha).height
    click.echo(f"{n_sig} feature-contrast results with q < {options.alpha}")
    click.echo(f"wrote {len(written)} files to {out_dir} (open report.html)")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@pass_ctx
@user_errors
def db_upgrade(c: Ctx) -> None:
    """Bring the database schema up to date (serve does this too)."""
    c.db.upgrade()
    click.echo("Database is up to date.")
