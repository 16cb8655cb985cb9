"""Mutations of volunteers, one per module."""

import strawberry

from schema.volunteers.mutations.create_volunteer import create_volunteer_mutation
from schema.volunteers.mutations.delete_volunteer import delete_volunteer_mutation
from schema.volunteers.mutations.update_volunteer import update_volunteer_mutation


@strawberry.type
class VolunteerMutations:
    create_volunteer = strawberry.mutation(resolver=create_volunteer_mutation)
    update_volunteer = strawberry.mutation(resolver=update_volunteer_mutation)
    delete_volunteer = strawberry.mutation(resolver=delete_volunteer_mutation)
