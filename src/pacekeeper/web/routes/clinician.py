"""The clinician report from the browser: choose a period, a background job draws the report,
then open it as a page or download the PDF. Kept in memory with the job (a restart forgets it;
making another takes seconds)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pacekeeper.db import profiles as profiles_db
from pacekeeper.errors import FieldError, ValidationError
from pacekeeper.jobs import Job, JobRunner, JobState
from pacekeeper.reports.clinician import (
    DEFAULT_DAYS,
    PERIODS,
    Report,
    make_report,
    render_pdf,
)
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])
STEPS = 2  # gather and draw, then the PDF
# The report page is a document, not the app: its own inline styles, nothing else at all.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def _jobs(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _days(raw: object) -> int:
    try:
        days = int(str(raw))
    except ValueError:
        days = -1
    if days not in PERIODS:
        allowed = ", ".join(str(p) for p in PERIODS)
        raise ValidationError([FieldError("days", f"must be one of {allowed} days")])
    return days


def _base(request: Request) -> dict[str, object]:
    with context.db_of(request).read() as s:
        ref = context.profile_ref(
            request, profiles_db.get_profile(s, context.current_profile_id(request))
        )
    return context.base_context(request, ref)


@router.get("/report")
def report_page(request: Request) -> Response:
    return templates.TemplateResponse(
        request, "report.html", {**_base(request), "periods": PERIODS, "chosen": DEFAULT_DAYS}
    )


@router.post("/report")
async def start_report(request: Request, form: context.CsrfForm) -> Response:
    days = _days(form.get("days", DEFAULT_DAYS))
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)

    def work(job: Job) -> Report:
        html_only = make_report(db, pid, clock, days, pdf=False)
        job.advance(1)
        return replace(html_only, pdf=render_pdf(html_only.html))

    title = f"Report for the last {days} days"
    job = _jobs(request).submit(title, request.state.browser_token, STEPS, work)
    return RedirectResponse(f"/report/{job.id}", status_code=303)


def _finished(request: Request, job_id: str) -> Report | None:
    job = _jobs(request).get(job_id, request.state.browser_token)
    if job is None or job.state is not JobState.DONE or not isinstance(job.result, Report):
        return None
    return job.result


def _gone(request: Request) -> Response:
    return templates.TemplateResponse(
        request,
        "message.html",
        {
            **context.base_context(request, None),
            "title": "Report not found",
            "text": "This report is not known (made long ago, or the server restarted). "
            "Making a new one takes a few seconds.",
        },
        status_code=404,
    )


@router.get("/report/{job_id}")
def report_status(request: Request, job_id: str) -> Response:
    job = _jobs(request).get(job_id, request.state.browser_token)
    if job is None:
        return _gone(request)
    page = "report_job.html" if not request.headers.get("HX-Request") else "report_job_status.html"
    return templates.TemplateResponse(request, page, {**_base(request), "job": job})


@router.get("/report/{job_id}/view")
def report_view(request: Request, job_id: str) -> Response:
    report = _finished(request, job_id)
    if report is None:
        return _gone(request)
    return HTMLResponse(report.html, headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/report/{job_id}/pdf")
def report_pdf(request: Request, job_id: str) -> Response:
    report = _finished(request, job_id)
    if report is None or report.pdf is None:
        return _gone(request)
    return Response(
        report.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'},
    )
