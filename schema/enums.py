"""The register's vocabularies as GraphQL enums."""

from __future__ import annotations

import strawberry

from db.models import enums

OrganisationLevel = strawberry.enum(enums.OrganisationLevel)
UnitKind = strawberry.enum(enums.UnitKind)
VolunteerKind = strawberry.enum(enums.VolunteerKind)
ServiceCategory = strawberry.enum(
    enums.ServiceCategory, description="The six service categories rosters use."
)
CheckpointKind = strawberry.enum(enums.CheckpointKind)
RiskLevel = strawberry.enum(enums.RiskLevel)
HealthStatus = strawberry.enum(enums.HealthStatus)
RosterStatus = strawberry.enum(enums.RosterStatus)
AssignmentStatus = strawberry.enum(enums.AssignmentStatus)
RunStatus = strawberry.enum(enums.RunStatus)
