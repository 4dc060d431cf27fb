"""The tables. Alembic migrations in db/migrations must match these (a test checks)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pacekeeper.db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Profile(Base):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[str | None] = mapped_column(String(16))
    resting_hr: Mapped[int | None] = mapped_column(SmallInteger)
    hr_ceiling: Mapped[int | None] = mapped_column(SmallInteger)
    hr_ceiling_method: Mapped[str | None] = mapped_column(String(16))
    hr_affecting_medication: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    day_boundary_minutes: Mapped[int] = mapped_column(SmallInteger, default=240)
    theme: Mapped[str] = mapped_column(String(8), default="system")
    is_generated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    trackers: Mapped[list[Tracker]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Tracker.position"
    )

    __table_args__ = (
        CheckConstraint("day_boundary_minutes BETWEEN 0 AND 720", name="day_boundary_range"),
    )


class Tracker(Base):
    __tablename__ = "trackers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(8))
    min_value: Mapped[float] = mapped_column(Float)
    max_value: Mapped[float] = mapped_column(Float)
    low_anchor: Mapped[str] = mapped_column(String(40), default="")
    high_anchor: Mapped[str] = mapped_column(String(40), default="")
    higher_is_worse: Mapped[bool] = mapped_column(Boolean, default=True)
    is_symptom: Mapped[bool] = mapped_column(Boolean, default=True)
    unit: Mapped[str] = mapped_column(String(16), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)

    profile: Mapped[Profile] = relationship(back_populates="trackers")

    __table_args__ = (UniqueConstraint("profile_id", "key"),)


class CheckIn(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    client_id: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32), default="web")

    values: Mapped[list[CheckInValue]] = relationship(
        back_populates="checkin", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("profile_id", "day"),
        # A phone's id for one submission; per profile, so a restored copy can sit beside it.
        UniqueConstraint("profile_id", "client_id", name="uq_checkins_profile_client"),
    )


class CheckInValue(Base):
    __tablename__ = "checkin_values"

    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True
    )
    tracker_id: Mapped[int] = mapped_column(
        ForeignKey("trackers.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[float] = mapped_column(Float)

    checkin: Mapped[CheckIn] = relationship(back_populates="values")
    tracker: Mapped[Tracker] = relationship()


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(SmallInteger)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    physical: Mapped[int] = mapped_column(SmallInteger, default=0)
    cognitive: Mapped[int] = mapped_column(SmallInteger, default=0)
    emotional: Mapped[int] = mapped_column(SmallInteger, default=0)
    social: Mapped[int] = mapped_column(SmallInteger, default=0)
    posture: Mapped[str] = mapped_column(String(8), default="sitting")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="web")
    client_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_activities_profile_start", "profile_id", "started_at"),
        UniqueConstraint("profile_id", "client_id", name="uq_activities_profile_client"),
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_range"),
        CheckConstraint(
            "physical BETWEEN 0 AND 3 AND cognitive BETWEEN 0 AND 3 "
            "AND emotional BETWEEN 0 AND 3 AND social BETWEEN 0 AND 3",
            name="load_range",
        ),
    )


class Rest(Base):
    __tablename__ = "rests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(SmallInteger)
    minutes: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="web")
    client_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_rests_profile_start", "profile_id", "started_at"),
        UniqueConstraint("profile_id", "client_id", name="uq_rests_profile_client"),
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_range"),
    )


class SamplePart(Base):
    """One Parquet file of wearable samples: one profile, kind and source, one UTC month.

    The samples themselves live in the file (see pacekeeper.store); this row is what makes the
    file part of the store. Rows are swapped in the writing transaction, so a file that no row
    names (left by a killed import) is never read and is removed by the next sweep.
    """

    __tablename__ = "sample_parts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(80))
    month: Mapped[date] = mapped_column(Date)  # first day of the UTC month
    file: Mapped[str] = mapped_column(String(200))  # relative to the store's folder
    rows: Mapped[int] = mapped_column(Integer)
    first_start: Mapped[datetime] = mapped_column(UTCDateTime)
    last_start: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("profile_id", "kind", "source", "month"),
        UniqueConstraint("file", name="uq_sample_parts_file"),
    )


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """A signed-in browser. Only a hash of the cookie's token is stored."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlannerSetting(Base):
    """Planner facts a person sets that have no profile column: the CPET ceiling, their crisis
    line, the DSQ-PEM screen answer and whether long COVID progression was chosen (JSON)."""

    __tablename__ = "planner_settings"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    values: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgressionMovement(Base):
    """The one small movement a person raises by the rule of two (planner/progression.py)."""

    __tablename__ = "progression_movements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    baseline_minutes: Mapped[float] = mapped_column(Float)
    started_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_progression_movements_profile", "profile_id"),
        CheckConstraint("baseline_minutes > 0", name="baseline_positive"),
    )


class ProgressionStep(Base):
    """A level change of the movement, from `day` on (a rise is watched 48 h; a fall is a
    back-off)."""

    __tablename__ = "progression_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    movement_id: Mapped[int] = mapped_column(
        ForeignKey("progression_movements.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    level_minutes: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        UniqueConstraint("movement_id", "day"),
        CheckConstraint("level_minutes > 0", name="level_positive"),
    )


class ProgressionDay(Base):
    """A day the movement was done: streaks count these, never intensity."""

    __tablename__ = "progression_days"

    movement_id: Mapped[int] = mapped_column(
        ForeignKey("progression_movements.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class ChapterRead(Base):
    """A program chapter a profile has read: the local day of the first reading (the scheduler's
    "one new chapter a day" rule) and when it was last read (re-reading is allowed)."""

    __tablename__ = "chapter_reads"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    chapter_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    first_read_on: Mapped[date] = mapped_column(Date)
    last_read_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProgramGoal(Base):
    """A chapter's "today's step" that the person made their own yes/no daily goal."""

    __tablename__ = "program_goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    chapter_id: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(String(300))
    created_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("profile_id", "chapter_id"),)


class GoalTick(Base):
    """The person's yes (done) or no for one goal on one local day; no row: not answered."""

    __tablename__ = "goal_ticks"

    goal_id: Mapped[int] = mapped_column(
        ForeignKey("program_goals.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    done: Mapped[bool] = mapped_column(Boolean)


class QuestionnaireResponse(Base):
    """One filled-in questionnaire: the answers as given and the scores the manual's rule gave
    (pacekeeper.questionnaires), kept so a later scoring fix never rewrites the past silently."""

    __tablename__ = "questionnaire_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(32))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(SmallInteger)
    answers: Mapped[dict[str, int]] = mapped_column(JSON)
    scores: Mapped[dict[str, object]] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_questionnaire_responses_profile", "profile_id", "instrument", "taken_at"),
    )


class QuestionnaireSchedule(Base):
    """A questionnaire a profile asked to be reminded of, every N days."""

    __tablename__ = "questionnaire_schedules"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    instrument: Mapped[str] = mapped_column(String(32), primary_key=True)
    every_days: Mapped[int] = mapped_column(SmallInteger)

    __table_args__ = (CheckConstraint("every_days BETWEEN 1 AND 730", name="every_days_range"),)


class Treatment(Base):
    """A medicine, supplement or therapy taken from one day to another (stopped_on empty while it
    goes on). A dose change is a new row: the old one stops the day before the new one starts, so
    every day has one dose and the before/after view can compare them."""

    __tablename__ = "treatments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # medicine, supplement, therapy
    dose: Mapped[str | None] = mapped_column(String(120), nullable=True)
    started_on: Mapped[date] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('medicine', 'supplement', 'therapy')", name="kind_known"),
        CheckConstraint("stopped_on IS NULL OR stopped_on >= started_on", name="stop_after_start"),
        Index("ix_treatments_profile", "profile_id", "started_on"),
    )


class ShareLink(Base):
    """A read-only link for a clinician: one period and the report sections the person chose.
    Only a hash of the link's token is kept; a revoked or expired link shows nothing."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(120), nullable=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    sections: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    last_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="period_order"),
        Index("ix_share_links_profile", "profile_id", "created_at"),
    )
