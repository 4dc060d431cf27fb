"""JSON endpoints for the phone: the offline check-in queue posts here when it is back online.

Resending is safe: a check-in carries the phone's client_id and the time it was recorded, so a
repeat is recognised and an older answer never overwrites a newer one.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from pacekeeper.db.checkins import SaveOutcome
from pacekeeper.errors import ValidationError
from pacekeeper.web import context
from pacekeeper.web.routes.checkin import form_fields, save_from_fields

router = APIRouter(prefix="/api", dependencies=[Depends(context.require_user)])


@router.post("/checkins")
async def post_checkin(request: Request, form: context.CsrfForm) -> Response:
    try:
        outcome, day = await context.in_thread(save_from_fields, request, form_fields(form))
    except ValidationError as exc:
        return JSONResponse({"status": "invalid", "errors": exc.by_field()}, status_code=422)
    status = 201 if outcome is SaveOutcome.CREATED else 200
    return JSONResponse({"status": outcome.value, "day": day.isoformat()}, status_code=status)


@router.get("/csrf")
def fresh_csrf(request: Request) -> Response:
    """A current CSRF token, for check-ins that waited on the phone while the page went stale."""
    return JSONResponse({"csrf_token": context.csrf_token(request)})
