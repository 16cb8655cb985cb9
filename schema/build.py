"""Assemble the schema from the domains' query and mutation classes."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.schema.config import StrawberryConfig

from schema.extensions import OperationMetrics
from schema.volunteers.queries import VolunteerQueries


@strawberry.type
class Query(VolunteerQueries):
    node: relay.Node | None = relay.node(description="Any object by its global id.")


schema = strawberry.Schema(
    query=Query,
    config=StrawberryConfig(relay_max_results=100),
    extensions=[OperationMetrics],
)
