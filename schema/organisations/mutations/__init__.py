"""Mutations of organisations, units and grids, one per module."""

import strawberry

from schema.organisations.mutations.create_grid import create_grid_mutation
from schema.organisations.mutations.create_organisation import create_organisation_mutation
from schema.organisations.mutations.create_unit import create_unit_mutation
from schema.organisations.mutations.delete_grid import delete_grid_mutation
from schema.organisations.mutations.delete_organisation import delete_organisation_mutation
from schema.organisations.mutations.delete_unit import delete_unit_mutation
from schema.organisations.mutations.update_grid import update_grid_mutation
from schema.organisations.mutations.update_organisation import update_organisation_mutation
from schema.organisations.mutations.update_unit import update_unit_mutation


@strawberry.type
class OrganisationMutations:
    create_organisation = strawberry.mutation(resolver=create_organisation_mutation)
    update_organisation = strawberry.mutation(resolver=update_organisation_mutation)
    delete_organisation = strawberry.mutation(resolver=delete_organisation_mutation)
    create_unit = strawberry.mutation(resolver=create_unit_mutation)
    update_unit = strawberry.mutation(resolver=update_unit_mutation)
    delete_unit = strawberry.mutation(resolver=delete_unit_mutation)
    create_grid = strawberry.mutation(resolver=create_grid_mutation)
    update_grid = strawberry.mutation(resolver=update_grid_mutation)
    delete_grid = strawberry.mutation(resolver=delete_grid_mutation)
