"""Errors a user can cause. Each says what went wrong and where; none carries a traceback to users.

The CLI prints the message and exits 2; the web app shows it beside the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass


class PacekeeperError(Exception):
    """Base of every error whose message is meant for the person using Pacekeeper."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldError:
    """One field that was rejected, and why, in words a tired person can act on."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class ValidationError(PacekeeperError):
    """One or more fields were out of range or malformed. Nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        if not errors:
            raise ValueError("ValidationError needs at least one FieldError")
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def single(cls, field: str, reason: str) -> ValidationError:
        return cls([FieldError(field, reason)])

    def by_field(self) -> dict[str, str]:
        """The first reason for each field, for showing next to form inputs."""
        out: dict[str, str] = {}
        for e in self.errors:
            out.setdefault(e.field, e.reason)
        return out


class NotFoundError(PacekeeperError):
    """A profile, entry or file that was asked for does not exist."""


class ConfigError(PacekeeperError):
    """A setting (environment variable or option) is missing or unsafe."""


class BackupFileError(PacekeeperError):
    """An export document could not be read; the message names the file and the place."""

    def __init__(self, path: str, where: str, reason: str) -> None:
        self.path = path
        self.where = where
        self.reason = reason
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")


class ImportFileError(PacekeeperError):
    """A file could not be imported at all (not a format we read, unreadable). Files that are
    only partly damaged import what is valid and list the rest in the report instead."""

    def __init__(self, path: str, reason: str, where: str = "") -> None:
        self.path = path
        self.where = where
        self.reason = reason
        super().__init__(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")
