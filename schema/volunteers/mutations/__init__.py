"""Mutations of volunteers, one per module."""

import strawberry

from schema.volunteers.mutations.create_volunteer import create_volunteer_mutation
from schema.volunteers.mutations.delete_volunteer import delete_volunteer_mutation
from schema.volunteers.mutations.import_volunteers import (
    import_certificates_mutation,
    import_volunteers_mutation,
)
from schema.volunteers.mutations.update_volunteer import update_volunteer_mutation


@strawberry.type
class VolunteerMutations:
    create_volunteer = strawberry.mutation(resolver=create_volunteer_mutation)
    update_volunteer = strawberry.mutation(resolver=update_volunteer_mutation)
    delete_volunteer = strawberry.mutation(resolver=delete_volunteer_mutation)
    import_volunteers = strawberry.mutation(
        resolver=import_volunteers_mutation,
        description="Import volunteers from a CSV or Excel file: every row or none.",
    )
    import_certificates = strawberry.mutation(
        resolver=import_certificates_mutation,
        description="Import certificates from a CSV or Excel file: every row or none.",
    )
