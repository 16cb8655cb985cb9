"""Mutations of protective items and stocks, one per module."""

import strawberry

from schema.protection.mutations.create_protective_item import create_protective_item_mutation
from schema.protection.mutations.create_protective_stock import create_protective_stock_mutation
from schema.protection.mutations.delete_protective_item import delete_protective_item_mutation
from schema.protection.mutations.delete_protective_stock import delete_protective_stock_mutation
from schema.protection.mutations.update_protective_item import update_protective_item_mutation
from schema.protection.mutations.update_protective_stock import update_protective_stock_mutation


@strawberry.type
class ProtectionMutations:
    create_protective_item = strawberry.mutation(resolver=create_protective_item_mutation)
    update_protective_item = strawberry.mutation(resolver=update_protective_item_mutation)
    delete_protective_item = strawberry.mutation(resolver=delete_protective_item_mutation)
    create_protective_stock = strawberry.mutation(resolver=create_protective_stock_mutation)
    update_protective_stock = strawberry.mutation(resolver=update_protective_stock_mutation)
    delete_protective_stock = strawberry.mutation(resolver=delete_protective_stock_mutation)
