"""Learn: today's chapter of the daily program, the list for the person's conditions, one
chapter, and the steps they made their goals with a yes/no tick for each day."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pacekeeper.db import profiles as profiles_db
from pacekeeper.db import program as program_db
from pacekeeper.errors import NotFoundError, ValidationError
from pacekeeper.program import (
    Chapter,
    all_chapters,
    chapter_by_id,
    chapters_for,
    render_markdown,
    todays_chapter,
)
from pacekeeper.web import context
from pacekeeper.web.templating import templates

router = APIRouter(dependencies=[Depends(context.require_user)])


def _person(request: Request) -> tuple[context.ProfileRef, list[Chapter], dict[str, Any]]:
    """The profile, its chapters in reading order, and what it has read and its goals today."""
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        ref = context.profile_ref(request, p)
        conditions = profiles_db.profile_data(p).conditions
        reads = program_db.first_reads(s, p.id)
        goals = program_db.goals_for_day(s, p.id, ref.today)
    mine = chapters_for(all_chapters(), conditions)
    return ref, mine, {"reads": reads, "goals": goals, "conditions": conditions}


def _chapter_for(mine: list[Chapter], chapter_id: str) -> Chapter:
    """A chapter of this person's program; others are not offered (safety rules differ)."""
    chapter = chapter_by_id(chapter_id)
    if chapter is None or chapter not in mine:
        raise NotFoundError(f"There is no chapter {chapter_id!r} in your program.")
    return chapter


def _page(request: Request, template: str, ref: context.ProfileRef, **extra: Any) -> Response:
    return templates.TemplateResponse(
        request, template, {**context.base_context(request, ref), **extra}
    )


def _chapter_context(chapter: Chapter, data: dict[str, Any]) -> dict[str, Any]:
    goal_chapters = {g.chapter_id for g in data["goals"]}
    return {
        "chapter": chapter,
        "body": render_markdown(chapter.body),
        "is_read": chapter.id in data["reads"],
        "is_goal": chapter.id in goal_chapters,
        "goals": data["goals"],
    }


@router.get("/learn")
def learn_page(request: Request) -> Response:
    ref, _, data = _person(request)
    pick = todays_chapter(all_chapters(), data["conditions"], data["reads"], ref.today)
    extra = _chapter_context(pick.chapter, data) if pick.chapter else {"goals": data["goals"]}
    return _page(request, "learn.html", ref, pick=pick, back="/learn", **extra)


@router.get("/learn/all")
def learn_all(request: Request) -> Response:
    ref, mine, data = _person(request)
    rows = [(c, c.id in data["reads"]) for c in mine]
    return _page(request, "learn_all.html", ref, rows=rows, read=sum(r for _, r in rows))


@router.get("/learn/goals")
def learn_goals(request: Request) -> Response:
    ref, _, data = _person(request)
    return _page(request, "learn_goals.html", ref, goals=data["goals"], back="/learn/goals")


@router.get("/learn/{chapter_id}")
def learn_chapter(request: Request, chapter_id: str) -> Response:
    ref, mine, data = _person(request)
    chapter = _chapter_for(mine, chapter_id)
    back = f"/learn/{chapter.id}"
    return _page(request, "learn_chapter.html", ref, back=back, **_chapter_context(chapter, data))


def _back(form_value: object, default: str) -> str:
    """Only ever redirect within the Learn pages."""
    if isinstance(form_value, str) and form_value.startswith("/learn") and "//" not in form_value:
        return form_value
    return default


async def _write(request: Request, work: Any) -> None:
    def run() -> None:
        with context.db_of(request).write() as s:
            p = profiles_db.get_profile(s, context.current_profile_id(request))
            work(s, p, context.profile_ref(request, p).today)

    await context.in_thread(run)


def _mine(request: Request) -> list[Chapter]:
    with context.db_of(request).read() as s:
        p = profiles_db.get_profile(s, context.current_profile_id(request))
        return chapters_for(all_chapters(), profiles_db.profile_data(p).conditions)


@router.post("/learn/{chapter_id}/read")
async def mark_read(request: Request, chapter_id: str, form: context.CsrfForm) -> Response:
    chapter = _chapter_for(await context.in_thread(_mine, request), chapter_id)
    now = context.clock_of(request).now()
    await _write(request, lambda s, p, today: program_db.mark_read(s, p.id, chapter.id, today, now))
    return RedirectResponse(_back(form.get("back"), "/learn"), status_code=303)


@router.post("/learn/{chapter_id}/goal")
async def make_goal(request: Request, chapter_id: str, form: context.CsrfForm) -> Response:
    chapter = _chapter_for(await context.in_thread(_mine, request), chapter_id)
    text = chapter.step_tracker or chapter.step
    await _write(request, lambda s, p, today: program_db.add_goal(s, p.id, chapter.id, text, today))
    return RedirectResponse(_back(form.get("back"), "/learn/goals"), status_code=303)


@router.post("/learn/goals/{goal_id}/tick")
async def tick_goal(request: Request, goal_id: int, form: context.CsrfForm) -> Response:
    answer = form.get("done")
    if answer not in ("yes", "no"):
        raise ValidationError.single("done", "choose yes or no")
    done = answer == "yes"
    await _write(request, lambda s, p, today: program_db.set_tick(s, p.id, goal_id, today, done))
    return RedirectResponse(_back(form.get("back"), "/learn/goals"), status_code=303)


@router.post("/learn/goals/{goal_id}/remove")
async def remove_goal(request: Request, goal_id: int, form: context.CsrfForm) -> Response:
    await _write(request, lambda s, p, _today: program_db.remove_goal(s, p.id, goal_id))
    return RedirectResponse("/learn/goals", status_code=303)
