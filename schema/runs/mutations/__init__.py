"""Mutations of roster runs, one per module."""

import strawberry

from schema.runs.mutations.cancel_roster_run import cancel_roster_run_mutation
from schema.runs.mutations.publish_roster import publish_roster_mutation
from schema.runs.mutations.start_roster_run import start_roster_run_mutation


@strawberry.type
class RunMutations:
    start_roster_run = strawberry.mutation(
        resolver=start_roster_run_mutation,
        description="Start an optimisation run; it returns at once, the solve goes on apart.",
    )
    cancel_roster_run = strawberry.mutation(
        resolver=cancel_roster_run_mutation,
        description="Cancel a queued or running run; no roster is written.",
    )
    publish_roster = strawberry.mutation(
        resolver=publish_roster_mutation,
        description="Publish a proposed roster, replacing the published one atomically.",
    )
