"""Everything the engine can say about one person now, in one result: what it has learned,
today's envelope, the boom-bust notice and the crash episodes. Used by the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pacekeeper.engine.boombust import BoomBust, boom_bust
from pacekeeper.engine.crashes import Episode, find_episodes
from pacekeeper.engine.envelope import Envelope, energy_envelope
from pacekeeper.engine.summary import PemSummary, summarize

RECENT_EPISODES = 10


@dataclass(frozen=True)
class Picture:
    days: int
    checked_in_days: int
    summary: PemSummary | None
    envelope: Envelope | None
    boom_bust: BoomBust
    episodes: list[Episode]

    def to_dict(self) -> dict[str, object]:
        return {
            "days": self.days,
            "checked_in_days": self.checked_in_days,
            "model": self.summary.to_dict() if self.summary else None,
            "envelope": self.envelope.to_dict() if self.envelope else None,
            "boom_bust": self.boom_bust.to_dict(),
            "episodes": [e.to_dict() for e in self.episodes],
        }

    def lines(self) -> list[str]:
        out = [f"{self.checked_in_days} days with a check-in out of {self.days}."]
        if self.summary is None:
            out.append("Not enough check-ins yet for the model (it needs about a week).")
        else:
            out += self.summary.words()
        if self.envelope is not None:
            out.append(self.envelope.words())
        notice = self.boom_bust.notice()
        if notice:
            out.append(notice)
        if self.episodes:
            recent = self.episodes[-RECENT_EPISODES:]
            out.append(f"Crashes found: {len(self.episodes)} (latest {len(recent)} below).")
            out += [
                f"  {e.onset} to {e.end} ({e.days} days), worst on {e.peak}"
                + (" - ticked" if e.ticked else "")
                for e in recent
            ]
        return out


def picture(days: pl.DataFrame, used_today: float = 0.0) -> Picture:
    """The picture from a daily frame ending yesterday (the envelope is for the next day)."""
    checked = int(days["symptom"].is_not_null().sum()) if days.height else 0
    return Picture(
        days=days.height,
        checked_in_days=checked,
        summary=summarize(days),
        envelope=energy_envelope(days, used_today),
        boom_bust=boom_bust(days),
        episodes=find_episodes(days),
    )
