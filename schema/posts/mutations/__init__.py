"""Mutations of checkpoints and shifts, one per module."""

import strawberry

from schema.posts.mutations.create_checkpoint import create_checkpoint_mutation
from schema.posts.mutations.create_shift import create_shift_mutation
from schema.posts.mutations.delete_checkpoint import delete_checkpoint_mutation
from schema.posts.mutations.delete_shift import delete_shift_mutation
from schema.posts.mutations.update_checkpoint import update_checkpoint_mutation
from schema.posts.mutations.update_shift import update_shift_mutation


@strawberry.type
class PostMutations:
    create_checkpoint = strawberry.mutation(resolver=create_checkpoint_mutation)
    update_checkpoint = strawberry.mutation(resolver=update_checkpoint_mutation)
    delete_checkpoint = strawberry.mutation(resolver=delete_checkpoint_mutation)
    create_shift = strawberry.mutation(resolver=create_shift_mutation)
    update_shift = strawberry.mutation(resolver=update_shift_mutation)
    delete_shift = strawberry.mutation(resolver=delete_shift_mutation)
