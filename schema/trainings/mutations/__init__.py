"""Mutations of skills, trainings and certificates, one per module."""

import strawberry

from schema.trainings.mutations.create_certificate import create_certificate_mutation
from schema.trainings.mutations.create_skill import create_skill_mutation
from schema.trainings.mutations.create_training import create_training_mutation
from schema.trainings.mutations.delete_certificate import delete_certificate_mutation
from schema.trainings.mutations.delete_skill import delete_skill_mutation
from schema.trainings.mutations.delete_training import delete_training_mutation
from schema.trainings.mutations.update_certificate import update_certificate_mutation
from schema.trainings.mutations.update_skill import update_skill_mutation
from schema.trainings.mutations.update_training import update_training_mutation


@strawberry.type
class TrainingMutations:
    create_skill = strawberry.mutation(resolver=create_skill_mutation)
    update_skill = strawberry.mutation(resolver=update_skill_mutation)
    delete_skill = strawberry.mutation(resolver=delete_skill_mutation)
    create_training = strawberry.mutation(resolver=create_training_mutation)
    update_training = strawberry.mutation(resolver=update_training_mutation)
    delete_training = strawberry.mutation(resolver=delete_training_mutation)
    create_certificate = strawberry.mutation(resolver=create_certificate_mutation)
    update_certificate = strawberry.mutation(resolver=update_certificate_mutation)
    delete_certificate = strawberry.mutation(resolver=delete_certificate_mutation)
