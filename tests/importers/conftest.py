"""Fixture files for importer tests are written by the tests themselves (Visible ships none)."""

from __future__ import annotations

from pathlib import Path

import pytest

# Visible's header cells may carry trailing spaces.
VISIBLE = (
    "observation_date ,tracker_name ,tracker_category ,observation_value \n"
    + """2026-03-10,Fatigue,Symptom,2
2026-03-10,Brain Fog,Symptom,1
2026-03-10,Muscle aches,Symptom,3
2026-03-10,Physically active,Exertion,2
2026-03-10,Mentally demanding,Exertion,1
2026-03-10,Crash,Crash,0
2026-03-10,Resting HR,Measurement,66
2026-03-10,HRV,Measurement,41.5
2026-03-10,Stability Score,Measurement,3
2026-03-10,Note,Note,"Walked to the shop, then rested"
2026-03-11,Fatigue,Symptom,3
2026-03-11,Brain Fog,Symptom,3
2026-03-11,Muscle aches,Symptom,2
2026-03-11,Crash,Crash,1
2026-03-12,Period,Period,1
2026-03-01,Able to take a short walk outside without worsening symptoms,FUNCAP27,4
"""
)


@pytest.fixture
def write(tmp_path: Path):
    def make(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make
