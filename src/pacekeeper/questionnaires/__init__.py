"""Questionnaires that are free to use, each with its licence and manual's scoring beside it.

Copyrighted instruments (FUNCAP, PROMIS Fatigue, FIQR, Chalder, Bell scale) are not here: a person
can only add them as their own trackers (science.md, "Questionnaires").
"""

from __future__ import annotations

from pacekeeper.errors import NotFoundError
from pacekeeper.questionnaires import acr2016, dsq_pem, fss, iom2015, rand36
from pacekeeper.questionnaires.base import Answers, Instrument, Item, Option, Result

INSTRUMENTS: dict[str, Instrument] = {
    i.key: i
    for i in (
        dsq_pem.INSTRUMENT,
        fss.INSTRUMENT,
        rand36.INSTRUMENT,
        acr2016.INSTRUMENT,
        iom2015.INSTRUMENT,
    )
}
NOT_SHIPPED = ("FUNCAP27/55", "PROMIS Fatigue", "FIQR", "Chalder Fatigue Scale", "Bell scale")


def instrument(key: str) -> Instrument:
    found = INSTRUMENTS.get(key)
    if found is None:
        raise NotFoundError(f"There is no questionnaire {key!r}.")
    return found


def score(key: str, answers: Answers) -> Result:
    return instrument(key).score(answers)


__all__ = ["INSTRUMENTS", "NOT_SHIPPED", "Answers", "Instrument", "Item", "Option", "Result",
           "instrument", "score"]  # fmt: skip
