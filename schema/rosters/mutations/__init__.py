"""Mutations of rosters, assignments and runs, one per module."""

import strawberry

from schema.rosters.mutations.assign_volunteer import assign_volunteer_mutation
from schema.rosters.mutations.create_assignment import create_assignment_mutation
from schema.rosters.mutations.create_roster import create_roster_mutation
from schema.rosters.mutations.delete_assignment import delete_assignment_mutation
from schema.rosters.mutations.delete_roster import delete_roster_mutation
from schema.rosters.mutations.delete_roster_run import delete_roster_run_mutation
from schema.rosters.mutations.pin_assignment import pin_assignment_mutation
from schema.rosters.mutations.unassign_volunteer import unassign_volunteer_mutation
from schema.rosters.mutations.update_assignment import update_assignment_mutation
from schema.rosters.mutations.update_roster import update_roster_mutation


@strawberry.type
class RosterMutations:
    create_roster = strawberry.mutation(resolver=create_roster_mutation)
    update_roster = strawberry.mutation(resolver=update_roster_mutation)
    delete_roster = strawberry.mutation(resolver=delete_roster_mutation)
    create_assignment = strawberry.mutation(resolver=create_assignment_mutation)
    update_assignment = strawberry.mutation(resolver=update_assignment_mutation)
    delete_assignment = strawberry.mutation(resolver=delete_assignment_mutation)
    delete_roster_run = strawberry.mutation(resolver=delete_roster_run_mutation)
    assign_volunteer = strawberry.mutation(resolver=assign_volunteer_mutation)
    unassign_volunteer = strawberry.mutation(resolver=unassign_volunteer_mutation)
    pin_assignment = strawberry.mutation(resolver=pin_assignment_mutation)
