"""Assemble the schema from the domains' query and mutation classes."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from schema.audit.extension import AuditWriter
from schema.audit.guard import guard_mutations
from schema.audit.queries import AuditQueries
from schema.extensions import OperationMetrics
from schema.health.mutations import HealthMutations
from schema.health.queries import HealthQueries
from schema.limits import RequestLimits
from schema.organisations.mutations import OrganisationMutations
from schema.organisations.queries import OrganisationQueries
from schema.posts.mutations import PostMutations
from schema.posts.queries import PostQueries
from schema.protection.mutations import ProtectionMutations
from schema.protection.queries import ProtectionQueries
from schema.rosters.mutations import RosterMutations
from schema.rosters.queries import RosterQueries
from schema.runs.mutations import RunMutations
from schema.runs.subscriptions import RunSubscriptions
from schema.trainings.mutations import TrainingMutations
from schema.trainings.queries import TrainingQueries
from schema.volunteers.mutations import VolunteerMutations
from schema.volunteers.queries import VolunteerQueries


@strawberry.type
class Query(
    OrganisationQueries,
    VolunteerQueries,
    HealthQueries,
    TrainingQueries,
    PostQueries,
    ProtectionQueries,
    RosterQueries,
    AuditQueries,
):
    node: relay.Node | None = relay.node(description="Any object by its global id.")


@strawberry.type
class Mutation(
    OrganisationMutations,
    VolunteerMutations,
    HealthMutations,
    TrainingMutations,
    PostMutations,
    ProtectionMutations,
    RosterMutations,
    RunMutations,
):
    pass


@strawberry.type
class Subscription(RunSubscriptions):
    pass


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(relay_max_results=100),
    extensions=[OperationMetrics, RequestLimits, AuditWriter],
)
guard_mutations(schema)  # every mutation: role and scope checked, outcome audited
