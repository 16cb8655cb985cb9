"""Daily health reports: everyone reports each morning; illness comes in short episodes."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from db.models.enums import HealthStatus
from db.scenarios.rows import Row
from db.scenarios.timetable import local_to_utc, scenario_days

# Chance that a well volunteer falls ill on a given day; an episode lasts one to three days.
ONSET_RATE = 0.012
EPISODE_DAYS = (1, 2, 3)
# Chance that a well morning turns into an unwell afternoon report, which then counts.
AFTERNOON_ONSET_RATE = 0.004
# Chance that an unwell morning is cleared by a normal retest later the same day.
CLEARED_RETEST_RATE = 0.15
SYMPTOMS = ("fever", "cough", "sore throat", "fatigue", "close contact under observation")
MORNING = time(7)
AFTERNOON = time(15)


def _report(
    *, rng: random.Random, volunteer_id: int, day: date, at: time, status: HealthStatus
) -> Row:
    """One report of ``status``, with a temperature and a symptom to match."""
    reported_at = local_to_utc(day=day, at=at) + timedelta(minutes=rng.randrange(150))
    if status is HealthStatus.WELL:
        return {
            "volunteer_id": volunteer_id,
            "day": day,
            "reported_at": reported_at,
            "status": status,
            "temperature": round(min(37.2, max(35.8, rng.gauss(36.5, 0.25))), 1),
            "note": None,
        }
    symptom = rng.choice(SYMPTOMS)
    temperature = round(rng.uniform(37.4, 39.2), 1) if symptom == "fever" else 36.8
    return {
        "volunteer_id": volunteer_id,
        "day": day,
        "reported_at": reported_at,
        "status": status,
        "temperature": temperature,
        "note": symptom,
    }


def volunteer_reports(*, rng: random.Random, volunteer_id: int, days: list[date]) -> list[Row]:
    """One volunteer's reports over ``days``, in time order."""
    reports: list[Row] = []
    unwell_days_left = 0
    for day in days:
        if unwell_days_left == 0 and rng.random() < ONSET_RATE:
            unwell_days_left = rng.choice(EPISODE_DAYS)
        if unwell_days_left:
            unwell_days_left -= 1
            reports.append(
                _report(
                    rng=rng,
                    volunteer_id=volunteer_id,
                    day=day,
                    at=MORNING,
                    status=HealthStatus.UNWELL,
                )
            )
            if rng.random() < CLEARED_RETEST_RATE:
                unwell_days_left = 0
                reports.append(
                    _report(
                        rng=rng,
                        volunteer_id=volunteer_id,
                        day=day,
                        at=AFTERNOON,
                        status=HealthStatus.WELL,
                    )
                    | {"note": "normal on retest"}
                )
            continue
        reports.append(
            _report(
                rng=rng, volunteer_id=volunteer_id, day=day, at=MORNING, status=HealthStatus.WELL
            )
        )
        if rng.random() < AFTERNOON_ONSET_RATE:
            reports.append(
                _report(
                    rng=rng,
                    volunteer_id=volunteer_id,
                    day=day,
                    at=AFTERNOON,
                    status=HealthStatus.UNWELL,
                )
            )
            unwell_days_left = rng.choice(EPISODE_DAYS) - 1
    return reports


def build_health_reports(
    *, volunteer_ids: list[int], rng: random.Random, start: date, days: int
) -> list[Row]:
    """Health reports for every volunteer and day, ids from 1."""
    scenario = scenario_days(start=start, days=days)
    rows: list[Row] = []
    for volunteer_id in volunteer_ids:
        for report in volunteer_reports(rng=rng, volunteer_id=volunteer_id, days=scenario):
            rows.append({"id": len(rows) + 1, **report})
    return rows
