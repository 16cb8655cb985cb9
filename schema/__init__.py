"""The GraphQL schema: every domain's queries and mutations, merged."""

from schema.build import schema

__all__ = ["schema"]
