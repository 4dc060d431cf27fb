"""Importing exports from the browser: the upload is saved, imported by a background job, and
the page shows progress, then the report."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from pacekeeper.db import profiles as profiles_db
from pacekeeper.importers import ImportReport, import_paths
from pacekeeper.jobs import Job, JobRunner
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])
SAFE_NAME = re.compile(r"[^A-Za-z0-9._() -]+")


def jobs_of(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


@router.get("/import")
def import_page(request: Request) -> Response:
    with context.db_of(request).read() as s:
        ref = context.profile_ref(
            request, profiles_db.get_profile(s, context.current_profile_id(request))
        )
    return templates.TemplateResponse(
        request, "import.html", {**context.base_context(request, ref), "error": None}
    )


@router.post("/import")
async def start_import(request: Request, form: context.CsrfForm) -> Response:
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        return RedirectResponse("/import?none=1", status_code=303)
    settings = context.settings_of(request)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=_uploads_dir(settings.home)))
    for upload in uploads:
        name = SAFE_NAME.sub("_", Path(upload.filename or "upload").name)[:120] or "upload"
        with (folder / name).open("wb") as out:
            await context.in_thread(shutil.copyfileobj, upload.file, out)
        await upload.close()
    total = sum(p.stat().st_size for p in folder.iterdir())
    db, clock = context.db_of(request), context.clock_of(request)
    pid = context.current_profile_id(request)

    def work(job: Job) -> list[ImportReport]:
        done: dict[Path, int] = {}

        def progress(path: Path, n: int) -> None:
            done[path] = n
            job.advance(sum(done.values()))

        try:
            return import_paths(db, pid, [folder], now=clock.now(), progress=progress)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # the upload is not kept once imported

    names = ", ".join(Path(u.filename or "").name for u in uploads)
    job = jobs_of(request).submit(f"Importing {names}", request.state.browser_token, total, work)
    return RedirectResponse(f"/import/{job.id}", status_code=303)


def _uploads_dir(home: Path) -> Path:
    path = home / "uploads"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


@router.get("/import/{job_id}")
def import_status(request: Request, job_id: str) -> Response:
    job = jobs_of(request).get(job_id, request.state.browser_token)
    if job is None:
        return templates.TemplateResponse(
            request,
            "message.html",
            {
                "title": "Import not found",
                "text": "This import is not known (finished long ago, or "
                "the server restarted). Anything it finished is saved.",
                **context.base_context(request, None),
            },
            status_code=404,
        )
    page = "import_job.html" if not request.headers.get("HX-Request") else "import_job_status.html"
    with context.db_of(request).read() as s:
        ref = context.profile_ref(
            request, profiles_db.get_profile(s, context.current_profile_id(request))
        )
    return templates.TemplateResponse(
        request, page, {**context.base_context(request, ref), "job": job}
    )
