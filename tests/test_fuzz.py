"""Fuzz: operations generated from the checked-in schema never get a server error.

hypothesis-graphql writes valid queries and mutations (root fields, nested selections,
arguments of every type) and sends them to the app in production settings, where anything
unexpected would come back as HTTP 500 or as the masked "Internal server error" message.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, date, datetime
from pathlib import Path

import graphql
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from db import models as m
from db.models.enums import AssignmentStatus, CheckpointKind, RiskLevel, RosterStatus
from db.session import transaction
from schema.limits import INTERNAL_ERROR
from tests.conftest import TEST_JWT_SECRET, auth_headers
from tests.factories import at, build_register

# A few seconds per backend; MUSTER_FUZZ_EXAMPLES=500 searches harder.
EXAMPLES = int(os.environ.get("MUSTER_FUZZ_EXAMPLES", "25"))
SCHEMA = graphql.build_schema((Path(__file__).parents[1] / "schema.graphql").read_text())
SCALARS = {
    "Date": st.dates(date(2026, 11, 1), date(2026, 12, 31)).map(nodes.String),
    "DateTime": st.datetimes(datetime(2026, 11, 1), datetime(2026, 12, 31))
    .map(lambda moment: moment.replace(tzinfo=UTC).isoformat())
    .map(nodes.String),
    "JSON": st.integers(0, 10).map(nodes.Int),
}


async def seed(sessionmaker) -> None:  # type: ignore[no-untyped-def]
    """A small register with a post, a shift and a published roster, so nested fields resolve."""
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
        post = m.Checkpoint(
            name="Gate",
            code="GATE",
            kind=CheckpointKind.GRID_GATE,
            organisation_id=register.stations[0].id,
            using_unit_id=register.unit.id,
            latitude=30.9,
            longitude=110.9,
            risk_level=RiskLevel.LOW,
            priority=1,
        )
        session.add(post)
        await session.flush()
        shift = m.Shift(checkpoint_id=post.id, starts_at=at(24, 6), ends_at=at(24, 14))
        session.add(shift)
        await session.flush()
        line = m.HeadcountLine(shift_id=shift.id, headcount=2, skill_id=register.skill.id)
        roster = m.Roster(
            organisation_id=register.centre.id,
            period_start=date(2026, 11, 23),
            period_end=date(2026, 11, 29),
            status=RosterStatus.PUBLISHED,
        )
        session.add_all([line, roster])
        await session.flush()
        session.add(
            m.Assignment(
                roster_id=roster.id,
                shift_id=shift.id,
                headcount_line_id=line.id,
                volunteer_id=register.volunteers[0].id,
                status=AssignmentStatus.CONFIRMED,
            )
        )


# Mutations that start solver processes are left out (they are tested in test_runs_api).
MUTATIONS = [
    name
    for name in SCHEMA.mutation_type.fields  # type: ignore[union-attr]
    if "Run" not in name
]


async def test_generated_queries_get_no_server_error(database_url, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    await fuzz(database_url, sessionmaker, queries(SCHEMA, custom_scalars=SCALARS), EXAMPLES)


async def test_generated_mutations_get_no_server_error(database_url, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    operations = mutations(SCHEMA, custom_scalars=SCALARS, fields=MUTATIONS)
    await fuzz(database_url, sessionmaker, operations, max(1, EXAMPLES // 2))


async def fuzz(database_url, sessionmaker, operations, examples: int) -> None:  # type: ignore[no-untyped-def]
    """Send ``examples`` generated operations to the app in production settings."""
    from muster.app import create_app
    from muster.settings import Settings

    await seed(sessionmaker)
    app = create_app(
        Settings(database_url=database_url, environment="production", jwt_secret=TEST_JWT_SECRET)
    )
    loop = asyncio.get_running_loop()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://muster.test", headers=auth_headers("admin")
    ) as http:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(query=operations)
        def no_server_error(query: str) -> None:
            sent = http.post("/graphql", json={"query": query})
            response = asyncio.run_coroutine_threadsafe(sent, loop).result(timeout=60)
            assert response.status_code < 500, (query, response.text)
            errors = response.json().get("errors") or []
            internal = [e for e in errors if e["message"] == INTERNAL_ERROR]
            assert not internal, (query, internal)

        try:
            # Hypothesis drives a plain function: run it off the event loop that serves the app.
            await asyncio.to_thread(no_server_error)
        finally:
            await app.state.engine.dispose()
