"""Health checks, readiness and metrics, as an operator's probes see them."""

from __future__ import annotations

import httpx

from muster.app import create_app
from muster.settings import Settings


async def test_health_and_readiness(client) -> None:
    assert (await client.http.get("/healthz")).json() == {"status": "ok"}
    ready = await client.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"


async def test_readiness_fails_when_the_database_is_unreachable() -> None:
    settings = Settings(
        database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none", environment="test"
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://muster.test") as http:
        assert (await http.get("/healthz")).status_code == 200
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    await app.state.engine.dispose()


async def test_metrics_count_operations_by_name_and_errors(client) -> None:
    await client.execute("query CountVolunteers { volunteers { totalCount } }")
    await client.execute("query TooMany { volunteers(first: 1000) { totalCount } }")
    metrics = (await client.http.get("/metrics")).text
    assert 'muster_graphql_requests_total{operation="CountVolunteers",type="query"}' in metrics
    assert 'muster_graphql_errors_total{operation="TooMany",type="query"}' in metrics
    assert "muster_graphql_request_duration_seconds_bucket" in metrics


async def test_queries_over_get_are_refused(client) -> None:
    response = await client.http.get("/graphql", params={"query": "{ volunteers { totalCount } }"})
    assert response.status_code in (400, 405)


async def test_graphiql_is_served_except_in_production(database_url: str) -> None:
    for environment, served in (("development", True), ("production", False)):
        app = create_app(Settings(database_url=database_url, environment=environment))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://muster.test") as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
        assert ("graphiql" in page.text.lower()) is served, environment
        await app.state.engine.dispose()
