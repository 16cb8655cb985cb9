"""The schema as SDL, exactly as checked in at ``schema.graphql``."""

from __future__ import annotations

from schema.build import schema


def schema_sdl() -> str:
    """The printed schema with a trailing newline."""
    return schema.as_str().rstrip() + "\n"
