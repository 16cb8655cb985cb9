"""Root fields of this domain."""

import strawberry


@strawberry.type
class PostQueries:
    pass
