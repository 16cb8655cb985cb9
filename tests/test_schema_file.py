"""schema.graphql is checked in and in step with the code."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, find_breaking_changes, find_dangerous_changes

from schema.sdl import schema_sdl

SDL = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_checked_in_schema_matches_the_code() -> None:
    current = schema_sdl()
    checked_in = SDL.read_text()
    if checked_in != current:
        old, new = build_schema(checked_in), build_schema(current)
        changes = find_breaking_changes(old, new) + find_dangerous_changes(old, new)
        listed = "\n".join(f"  {c.description}" for c in changes) or "  (additions only)"
        raise AssertionError(
            "schema.graphql is stale; run `muster export-schema`. Changes:\n" + listed
        )
