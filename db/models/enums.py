"""Vocabulary of the register, shared by the database, the API and the scenario generator."""

from __future__ import annotations

import enum


class OrganisationLevel(enum.StrEnum):
    """Levels of the civilisation-practice tree, from the county centre down to points."""

    CENTRE = "CENTRE"
    SUB_CENTRE = "SUB_CENTRE"
    INSTITUTE = "INSTITUTE"
    STATION = "STATION"
    POINT = "POINT"


class UnitKind(enum.StrEnum):
    AGENCY = "AGENCY"  # a government department
    COMPANY = "COMPANY"
    PROFESSIONAL_TEAM = "PROFESSIONAL_TEAM"  # e.g. a rescue team
    COMMUNITY = "COMMUNITY"


class VolunteerKind(enum.StrEnum):
    AGENCY = "AGENCY"  # belongs to a unit, which equips them
    SOCIAL = "SOCIAL"  # registered individually; the post's using unit equips them
    PROFESSIONAL = "PROFESSIONAL"  # member of a professional team


class ServiceCategory(enum.StrEnum):
    """The six service categories rosters use."""

    PUBLICITY_GUIDANCE = "PUBLICITY_GUIDANCE"
    CARE_GUARDING = "CARE_GUARDING"
    MEASUREMENT_SCREENING = "MEASUREMENT_SCREENING"
    SANITATION_DISINFECTION = "SANITATION_DISINFECTION"
    INFORMATION_SERVICE = "INFORMATION_SERVICE"
    PSYCHOLOGICAL_COMFORT = "PSYCHOLOGICAL_COMFORT"


class CheckpointKind(enum.StrEnum):
    ROAD_CHECKPOINT = "ROAD_CHECKPOINT"
    GRID_GATE = "GRID_GATE"
    TESTING_STATION = "TESTING_STATION"
    MARKET_PATROL = "MARKET_PATROL"
    HOTLINE = "HOTLINE"


class RiskLevel(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class HealthStatus(enum.StrEnum):
    WELL = "WELL"
    UNWELL = "UNWELL"


class RosterStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PROPOSED = "PROPOSED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class AssignmentStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class RunStatus(enum.StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
