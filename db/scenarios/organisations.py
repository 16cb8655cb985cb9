"""The organisation tree, the units that form detachments, and the grids they claim."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from db.models.enums import OrganisationLevel, UnitKind
from db.scenarios.geo import Coordinates, within
from db.scenarios.rows import Row
from db.scenarios.shapes import Shape

AREA_NAMES = ("Central", "North Bank", "South Bank", "East", "West", "Mountain", "Lakeside")

DEPARTMENTS = (
    "Education Bureau", "Health Commission", "Public Security Bureau", "Transport Bureau",
    "Civil Affairs Bureau", "Finance Bureau", "Housing Bureau", "Water Resources Bureau",
    "Agriculture Bureau", "Commerce Bureau", "Culture and Tourism Bureau", "Emergency Bureau",
    "Market Regulation Bureau", "Ecology Bureau", "Natural Resources Bureau", "Audit Bureau",
    "Statistics Bureau", "Justice Bureau", "Veterans Affairs Bureau", "Human Resources Bureau",
    "Development and Reform Commission", "Science and Technology Bureau", "Forestry Bureau",
    "Urban Management Bureau", "Medical Insurance Bureau", "Taxation Bureau", "Power Supply Bureau",
    "Post Office", "Red Cross Society", "Women's Federation", "Youth League Committee",
    "Federation of Trade Unions", "Federation of Disabled Persons", "Archives Bureau",
    "Radio and Television Station", "Publicity Department", "Organisation Department",
    "United Front Department", "Political and Legal Affairs Committee", "Discipline Commission",
)  # fmt: skip

INDUSTRIES = (
    "Navel Orange", "Tea", "Hydropower", "Logistics", "Ceramics", "Construction", "Textiles",
    "Electric Cable", "Pharmaceutical", "Bus", "Water Supply", "Gas", "Supermarket", "Tourism",
    "Mining", "Printing", "Food Processing", "Paper", "Environmental", "Property Management",
)  # fmt: skip

RESCUE_TEAMS = ("Blue Sky Rescue Team", "Mountain Rescue Team", "Water Rescue Team")


@dataclass
class Register:
    """Rows of the tree, units and grids, with the facts later builders place things by."""

    organisations: list[Row] = field(default_factory=list)
    units: list[Row] = field(default_factory=list)
    grids: list[Row] = field(default_factory=list)
    location: dict[int, Coordinates] = field(default_factory=dict)
    institutes: list[int] = field(default_factory=list)
    stations: list[int] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    # Unit ids whose staff are agency volunteers: agencies and companies.
    employers: list[int] = field(default_factory=list)
    agencies: list[int] = field(default_factory=list)
    rescue_teams: list[int] = field(default_factory=list)
    station_of: dict[int, int] = field(default_factory=dict)
    grids_at_station: dict[int, list[int]] = field(default_factory=dict)

    @property
    def centre_id(self) -> int:
        """The root of the tree."""
        return self.organisations[0]["id"]

    def organisation_of_unit(self, *, unit_id: int) -> int:
        """The organisation a unit belongs to."""
        return self.units[unit_id - 1]["organisation_id"]


def department_name(*, index: int) -> str:
    """A distinct department name for every index."""
    name = DEPARTMENTS[index % len(DEPARTMENTS)]
    round_ = index // len(DEPARTMENTS)
    return name if round_ == 0 else f"{name} Office {round_ + 1}"


def spread(*, rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` over buckets, at least one each, the rest drawn by weight."""
    counts = [1] * len(weights)
    for bucket in rng.choices(range(len(weights)), weights=weights, k=total - len(weights)):
        counts[bucket] += 1
    return counts


def build_register(*, shape: Shape, rng: random.Random) -> Register:
    """The organisation tree, units and claimed grids of ``shape``."""
    register = Register()
    _build_tree(register=register, shape=shape, rng=rng)
    _build_units(register=register, shape=shape, rng=rng)
    _build_grids(register=register, shape=shape, rng=rng)
    return register


def _add_organisation(
    *,
    register: Register,
    level: OrganisationLevel,
    code: str,
    name: str,
    parent: Row | None,
    at: Coordinates,
) -> Row:
    """Append an organisation under ``parent``, its path extending the parent's."""
    number = len(register.organisations) + 1
    path = f"{parent['path'] if parent else '/'}{number}/"
    row = {
        "id": number,
        "name": name,
        "code": code,
        "level": level,
        "parent_id": parent["id"] if parent else None,
        "path": path,
    }
    register.organisations.append(row)
    register.location[number] = at
    return row


def _build_tree(*, register: Register, shape: Shape, rng: random.Random) -> None:
    """Centre, sub-centres, institutes (towns), stations (villages) and points."""
    seat = (shape.centre_latitude, shape.centre_longitude)
    centre = _add_organisation(
        register=register,
        level=OrganisationLevel.CENTRE,
        code="CTR",
        name=f"{shape.place} Civilisation Practice Centre",
        parent=None,
        at=seat,
    )
    areas: list[Row] = []
    for index in range(shape.sub_centres):
        area = index < shape.area_sub_centres
        name = (
            AREA_NAMES[index % len(AREA_NAMES)]
            if area
            else department_name(index=index - shape.area_sub_centres)
        )
        row = _add_organisation(
            register=register,
            level=OrganisationLevel.SUB_CENTRE,
            code=f"SC{index + 1:03d}",
            name=f"{name} Sub-centre",
            parent=centre,
            at=within(rng=rng, around=seat, radius_km=3.0),
        )
        if area:
            areas.append(row)

    institutes: list[Row] = []
    for index in range(shape.institutes):
        # The first institute is the county seat; the others are towns around it.
        at = seat if index == 0 else within(rng=rng, around=seat, radius_km=shape.radius_km)
        institutes.append(
            _add_organisation(
                register=register,
                level=OrganisationLevel.INSTITUTE,
                code=f"IN{index + 1:02d}",
                name=f"{shape.institute_names[index]} Institute",
                parent=areas[index % len(areas)],
                at=at,
            )
        )
    register.institutes = [row["id"] for row in institutes]

    town_spread_km = max(1.5, shape.radius_km / 6)
    weights = [3.0 if index == 0 else 1.0 for index in range(shape.institutes)]
    stations: list[Row] = []
    for institute, count in zip(
        institutes, spread(rng=rng, total=shape.stations, weights=weights), strict=True
    ):
        town = institute["name"].removesuffix(" Institute")
        for number in range(1, count + 1):
            kind = "Community" if institute is institutes[0] else "Village"
            stations.append(
                _add_organisation(
                    register=register,
                    level=OrganisationLevel.STATION,
                    code=f"ST{len(stations) + 1:04d}",
                    name=f"{town} {kind} {number} Station",
                    parent=institute,
                    at=within(
                        rng=rng,
                        around=register.location[institute["id"]],
                        radius_km=town_spread_km,
                    ),
                )
            )
    register.stations = [row["id"] for row in stations]

    counts = spread(rng=rng, total=shape.points, weights=[1.0] * len(stations))
    for station, count in zip(stations, counts, strict=True):
        for number in range(1, count + 1):
            point = _add_organisation(
                register=register,
                level=OrganisationLevel.POINT,
                code=f"PT{len(register.points) + 1:05d}",
                name=f"{station['name'].removesuffix(' Station')} Point {number}",
                parent=station,
                at=within(rng=rng, around=register.location[station["id"]], radius_km=1.0),
            )
            register.points.append(point["id"])
            register.station_of[point["id"]] = station["id"]


def _add_unit(*, register: Register, name: str, kind: UnitKind, organisation_id: int) -> int:
    """Append a unit and return its id."""
    number = len(register.units) + 1
    register.units.append(
        {"id": number, "name": name, "kind": kind, "organisation_id": organisation_id}
    )
    return number


def _build_units(*, register: Register, shape: Shape, rng: random.Random) -> None:
    """Agencies at departmental sub-centres or towns, companies in towns, rescue teams."""
    departmental = [
        row["id"] for row in register.organisations if row["level"] is OrganisationLevel.SUB_CENTRE
    ][shape.area_sub_centres :]
    towns = list(shape.institute_names[: shape.institutes])
    for index in range(shape.agencies):
        if index < len(departmental):
            name = f"{shape.place} {department_name(index=index)}"
            organisation_id = departmental[index]
        else:
            # More agencies than departmental sub-centres: township-level offices.
            extra = index - len(departmental)
            town = extra % len(towns)
            name = f"{towns[town]} Town {department_name(index=extra // len(towns))}"
            organisation_id = register.institutes[town]
        unit = _add_unit(
            register=register, name=name, kind=UnitKind.AGENCY, organisation_id=organisation_id
        )
        register.agencies.append(unit)
    for index in range(shape.companies):
        town = rng.randrange(len(towns))
        industry = INDUSTRIES[index % len(INDUSTRIES)]
        series = index // len(INDUSTRIES)
        suffix = f" No. {series + 1}" if series else ""
        name = f"{towns[town]} {industry} Company{suffix}"
        register.employers.append(
            _add_unit(
                register=register,
                name=name,
                kind=UnitKind.COMPANY,
                organisation_id=register.institutes[town],
            )
        )
    register.employers[:0] = register.agencies
    for index in range(shape.rescue_teams):
        register.rescue_teams.append(
            _add_unit(
                register=register,
                name=f"{shape.place} {RESCUE_TEAMS[index % len(RESCUE_TEAMS)]}",
                kind=UnitKind.PROFESSIONAL_TEAM,
                organisation_id=register.centre_id,
            )
        )


def _build_grids(*, register: Register, shape: Shape, rng: random.Random) -> None:
    """Grid communities in the urban stations, each claimed by an agency or company."""
    urban = set(register.institutes[: shape.grid_institutes])
    parent_of = {row["id"]: row["parent_id"] for row in register.organisations}
    grid_stations = [station for station in register.stations if parent_of[station] in urban]
    # Every grid is claimed; units take turns in a shuffled order, so claims spread evenly.
    claimers = list(register.employers)
    rng.shuffle(claimers)
    names = {row["id"]: row["name"].removesuffix(" Station") for row in register.organisations}
    for index in range(shape.grids):
        station = grid_stations[index % len(grid_stations)]
        number = len(register.grids) + 1
        latitude, longitude = within(rng=rng, around=register.location[station], radius_km=0.8)
        register.grids.append(
            {
                "id": number,
                "name": f"{names[station]} Grid {index // len(grid_stations) + 1}",
                "code": f"GR{number:04d}",
                "organisation_id": station,
                "claimed_by_unit_id": claimers[index % len(claimers)],
                "latitude": latitude,
                "longitude": longitude,
            }
        )
        register.grids_at_station.setdefault(station, []).append(number)
