"""Background jobs, so no request does heavy work (imports now; model fits and PDFs later)."""

from pacekeeper.jobs.runner import Job, JobRunner, JobState

__all__ = ["Job", "JobRunner", "JobState"]
