"""Mutations of this domain, one per module."""

import strawberry


@strawberry.type
class PostMutations:
    pass
