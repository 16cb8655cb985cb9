"""Mutations of availability windows and health reports, one per module."""

import strawberry

from schema.health.mutations.create_availability import create_availability_mutation
from schema.health.mutations.delete_availability import delete_availability_mutation
from schema.health.mutations.delete_health_report import delete_health_report_mutation
from schema.health.mutations.report_health import report_health_mutation
from schema.health.mutations.update_availability import update_availability_mutation
from schema.health.mutations.update_health_report import update_health_report_mutation


@strawberry.type
class HealthMutations:
    create_availability = strawberry.mutation(resolver=create_availability_mutation)
    update_availability = strawberry.mutation(resolver=update_availability_mutation)
    delete_availability = strawberry.mutation(resolver=delete_availability_mutation)
    report_health = strawberry.mutation(resolver=report_health_mutation)
    update_health_report = strawberry.mutation(resolver=update_health_report_mutation)
    delete_health_report = strawberry.mutation(resolver=delete_health_report_mutation)
