"""Volunteers with their homes, skills and the certificates of the trainings they passed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import NamedTuple

from db.models.enums import VolunteerKind
from db.scenarios.catalogue import SKILL_IDS, SKILLS, TRAINING_IDS, TRAININGS, TrainingSpec
from db.scenarios.geo import Coordinates, scatter
from db.scenarios.identities import id_numbers, person_name, phone_numbers
from db.scenarios.organisations import Register
from db.scenarios.rows import Row
from db.scenarios.shapes import Shape

PASS_RATE = 0.70
# A skill makes its related training likely: people train for what they do.
TRAINING_FOR_SKILL = {
    "TEMPERATURE": "CHECKPOINT_SCREENING",
    "VEHICLE_CHECK": "CHECKPOINT_SCREENING",
    "SPRAYING": "DISINFECTION",
    "WASTE": "DISINFECTION",
    "HOTLINE": "HOTLINE_SERVICE",
    "COUNSELLING": "COUNSELLING",
    "LISTENING": "COUNSELLING",
    "TRAFFIC_CONTROL": "FIRST_AID",
}
RESCUE_SKILLS = ("TRAFFIC_CONTROL", "VEHICLE_CHECK", "SPRAYING")


class Placement(NamedTuple):
    """Where a volunteer belongs and lives."""

    unit_id: int | None
    organisation_id: int
    home_centre: Coordinates
    home_spread_km: float
    home_grid_id: int | None


@dataclass
class Workforce:
    """Rows of volunteers and what they hold."""

    volunteers: list[Row] = field(default_factory=list)
    volunteer_skills: list[Row] = field(default_factory=list)
    certificates: list[Row] = field(default_factory=list)


def volunteer_kinds(*, shape: Shape, rng: random.Random) -> list[VolunteerKind]:
    """Exactly the shape's shares of agency and professional volunteers, shuffled."""
    agency = round(shape.volunteers * shape.agency_share)
    professional = round(shape.volunteers * shape.professional_share) if shape.rescue_teams else 0
    kinds = (
        [VolunteerKind.AGENCY] * agency
        + [VolunteerKind.PROFESSIONAL] * professional
        + [VolunteerKind.SOCIAL] * (shape.volunteers - agency - professional)
    )
    rng.shuffle(kinds)
    return kinds


def build_workforce(
    *, shape: Shape, register: Register, rng: random.Random, start: date
) -> Workforce:
    """The shape's volunteers, their skills and certificates as of ``start``."""
    workforce = Workforce()
    kinds = volunteer_kinds(shape=shape, rng=rng)
    phones = phone_numbers(rng=rng, count=shape.volunteers)
    ids = id_numbers(rng=rng, count=shape.volunteers, area_codes=shape.id_area_codes, as_of=start)
    # Units differ in size: a few large departments, many small ones.
    unit_sizes = list(accumulate(rng.lognormvariate(0.0, 0.8) for _ in register.employers))
    for index, kind in enumerate(kinds):
        number = index + 1
        place = _placement(kind=kind, register=register, rng=rng, unit_sizes=unit_sizes)
        latitude, longitude = scatter(
            rng=rng, around=place.home_centre, spread_km=place.home_spread_km
        )
        workforce.volunteers.append(
            {
                "id": number,
                "name": person_name(rng=rng),
                "kind": kind,
                "organisation_id": place.organisation_id,
                "unit_id": place.unit_id,
                "home_grid_id": place.home_grid_id,
                "home_latitude": latitude,
                "home_longitude": longitude,
                "phone": phones[index],
                "id_number": ids[index],
            }
        )
        skills = _skills(kind=kind, rng=rng)
        workforce.volunteer_skills.extend(
            {"volunteer_id": number, "skill_id": SKILL_IDS[code]} for code in skills
        )
        for spec in _attempted_trainings(kind=kind, skills=skills, rng=rng):
            if rng.random() < PASS_RATE:
                _add_certificates(
                    workforce=workforce,
                    volunteer_id=number,
                    spec=spec,
                    rng=rng,
                    start=start,
                    days=shape.days,
                )
    return workforce


def _placement(
    *, kind: VolunteerKind, register: Register, rng: random.Random, unit_sizes: list[float]
) -> Placement:
    """Unit, organisation and home of one volunteer; ``unit_sizes`` are cumulative weights."""
    if kind is VolunteerKind.AGENCY:
        unit_id = rng.choices(register.employers, cum_weights=unit_sizes)[0]
        organisation_id = register.organisation_of_unit(unit_id=unit_id)
        return Placement(unit_id, organisation_id, register.location[organisation_id], 2.5, None)
    if kind is VolunteerKind.PROFESSIONAL:
        unit_id = rng.choice(register.rescue_teams)
        organisation_id = register.organisation_of_unit(unit_id=unit_id)
        return Placement(unit_id, organisation_id, register.location[organisation_id], 4.0, None)
    # Social volunteers register where they live: a point, within walking distance.
    point = rng.choice(register.points)
    grids = register.grids_at_station.get(register.station_of[point])
    home_grid = rng.choice(grids) if grids else None
    return Placement(None, point, register.location[point], 0.5, home_grid)


def _skills(*, kind: VolunteerKind, rng: random.Random) -> list[str]:
    """Skill codes of one volunteer, in catalogue order."""
    count = rng.choices((1, 2, 3), weights=(0.45, 0.40, 0.15))[0]
    chosen = {spec.code for spec in rng.sample(SKILLS, count)}
    if kind is VolunteerKind.PROFESSIONAL:
        chosen |= set(rng.sample(RESCUE_SKILLS, 2))
    return [spec.code for spec in SKILLS if spec.code in chosen]


def _attempted_trainings(
    *, kind: VolunteerKind, skills: list[str], rng: random.Random
) -> list[TrainingSpec]:
    """Trainings one volunteer sat, in catalogue order."""
    wanted = {TRAINING_FOR_SKILL[code] for code in skills if code in TRAINING_FOR_SKILL}
    extra = rng.choices((0, 1, 2), weights=(0.35, 0.45, 0.20))[0]
    wanted |= {spec.code for spec in rng.sample(TRAININGS, extra)}
    if kind is VolunteerKind.PROFESSIONAL:
        wanted |= {"FIRST_AID", "PPE_USE"}
    return [spec for spec in TRAININGS if spec.code in wanted]


def _add_certificates(
    *,
    workforce: Workforce,
    volunteer_id: int,
    spec: TrainingSpec,
    rng: random.Random,
    start: date,
    days: int,
) -> None:
    """One pass of ``spec``, sometimes expired and renewed, sometimes passed mid-week."""
    if rng.random() < 0.03:
        # Trained during the scenario: valid only from the pass date on.
        passed_on = start + timedelta(days=rng.randrange(days))
    elif spec.validity_days is None:
        passed_on = start - timedelta(days=rng.randint(1, 400))
    else:
        # Expiries spread from three weeks before the start to a full validity after it.
        passed_on = start - timedelta(days=rng.randint(1, spec.validity_days + 20))
    expires_on = passed_on + timedelta(days=spec.validity_days) if spec.validity_days else None
    passes = [(passed_on, expires_on)]
    if expires_on is not None and expires_on < start and rng.random() < 0.5:
        renewed = start - timedelta(days=rng.randint(0, 10))
        passes.append((renewed, renewed + timedelta(days=spec.validity_days or 0)))
    for passed, expires in passes:
        workforce.certificates.append(
            {
                "id": len(workforce.certificates) + 1,
                "volunteer_id": volunteer_id,
                "training_id": TRAINING_IDS[spec.code],
                "passed_on": passed,
                "expires_on": expires,
            }
        )
