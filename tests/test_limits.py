"""The attack catalogue: every class of abusive request is refused with a clear message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import schema.lists
from muster.app import create_app
from muster.settings import Settings
from schema.limits import Limits
from tests.conftest import TEST_JWT_SECRET, auth_headers

UNREACHABLE = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
INTROSPECTION = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


@asynccontextmanager
async def serve(database_url: str, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An admin's HTTP client on an app built with these settings (``environment`` defaults to
    test)."""
    defaults = {"database_url": database_url, "environment": "test", "jwt_secret": TEST_JWT_SECRET}
    app = create_app(Settings(**{**defaults, **settings}))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://muster.test", headers=auth_headers("admin")
        ) as http:
            http.app = app  # type: ignore[attr-defined]
            yield http
    finally:
        await app.state.engine.dispose()


@pytest.fixture
async def production(database_url: str, sessionmaker) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with serve(database_url, environment="production") as http:
        yield http


async def post(http: httpx.AsyncClient, query: str, variables: dict | None = None) -> dict:  # type: ignore[type-arg]
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


def messages(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [e["message"] for e in result.get("errors", [])]


def refused(result: dict, fragment: str) -> None:  # type: ignore[type-arg]
    """The operation did not run and an error says why."""
    assert result.get("data") is None, result
    assert any(fragment in m for m in messages(result)), messages(result)


async def test_alias_overloading_is_refused_also_through_fragments(client) -> None:
    sixteen = " ".join(f"a{i}: __typename" for i in range(16))
    refused(await client.execute(f"{{ {sixteen} }}"), "uses 16 aliases; at most 15 are allowed")
    # A fragment's aliases count each time it is spread.
    eight = " ".join(f"a{i}: __typename" for i in range(8))
    spread_twice = f"{{ ...F ... on Query {{ ...F }} }} fragment F on Query {{ {eight} }}"
    refused(await client.execute(spread_twice), "uses 16 aliases")
    fifteen = " ".join(f"a{i}: __typename" for i in range(15))
    assert (await client.execute(f"{{ {fifteen} }}"))["data"]["a14"] == "Query"


async def test_batching_is_refused(client) -> None:
    response = await client.http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400
    assert messages(response.json()) == ["Batching is off: send one operation per request."]


async def test_circular_fragments_are_a_validation_error(client) -> None:
    result = await client.execute(
        "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }"
    )
    refused(result, "Cannot spread fragment 'A' within itself via 'B'")


def nested(levels: int) -> str:
    """A query ``levels`` fields deep: organisations, nodes, then parents."""
    return "{ organisations { nodes { " + "parent { " * (levels - 2) + "id" + " }" * levels + " }"


async def test_deep_nesting_is_refused(client) -> None:
    refused(await client.execute(nested(11)), "is nested 11 levels deep; at most 10 are allowed")
    assert (await client.execute(nested(10)))["data"] == {"organisations": {"nodes": []}}


async def test_depth_is_counted_through_fragments(client) -> None:
    query = (
        "{ organisations { nodes { ...P } } } "
        "fragment P on Organisation { parent { ...Q } } "
        "fragment Q on Organisation { " + "parent { " * 8 + "id" + " }" * 8 + " }"
    )
    refused(await client.execute(query), "nested 11 levels deep")


async def test_field_duplication_is_refused(client) -> None:
    result = await client.execute("{ " + "__typename " * 500 + "}")
    refused(result, "`__typename` is selected 500 times in one selection set; at most 10")
    # The same trick through inline fragments and spreads is counted the same way.
    inline = "{ " + "... on Query { __typename } " * 50 + "}"
    refused(await client.execute(inline), "`__typename` is selected 50 times")


async def test_fragment_fan_out_is_refused_at_once(client) -> None:
    # Each fragment spreads the next twice: 2**60 fields if expanded, measured without expanding.
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(60))
    query = f"{{ ...F0 }} {chain} fragment F60 on Query {{ __typename }}"
    result = await asyncio.wait_for(client.execute(query), timeout=5)
    refused(result, f"selects {2**60} fields, counting each fragment where it is spread")


async def test_directive_overloading_is_refused(client) -> None:
    result = await client.execute("{ __typename" + " @include(if: true)" * 100 + " }")
    refused(result, "uses 100 directives; at most 50 are allowed")


async def test_token_flood_is_refused(client) -> None:
    result = await client.execute("{" + " a" * 2100 + " }")
    refused(result, "Document contains more than 2000 tokens")


async def test_over_long_query_text_is_refused(client) -> None:
    query = "{ __typename }" + " " * 15_000
    refused(await client.execute(query), "The query text is 15,014 characters long; at most 15,000")


async def test_body_over_one_mebibyte_is_refused_before_parsing(client) -> None:
    body = b'{"query": "{ __typename }", "variables": {"pad": "' + b"x" * (1 << 20) + b'"}}'
    headers = {"content-type": "application/json"}
    response = await client.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 413
    assert messages(response.json()) == ["The request body is larger than 1,048,576 bytes."]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    response = await client.http.post("/graphql", content=chunks(), headers=headers)
    assert response.status_code == 413


async def test_cost_over_the_limit_is_refused(client) -> None:
    page = "rosters(first: 100) { nodes { assignments(first: 100) { nodes { id } } } }"
    accepted = await client.execute(f"{{ {page} }}")
    assert accepted["data"] == {"rosters": {"nodes": []}}
    assert accepted["extensions"]["cost"] == {"requested": 10_100, "limit": 50_000}
    five = " ".join(f"r{i}: {page}" for i in range(5))
    refused(await client.execute(f"{{ {five} }}"), "costs 50,500")
    refused(await client.execute(f"{{ {five} }}"), "the limit is 50,000")


async def test_cost_reads_page_sizes_from_variables_and_defaults(client) -> None:
    query = (
        "query($n: Int = 100, $m: Int) "
        "{ rosters(first: $n) { nodes { assignments(last: $m) { totalCount } } } }"
    )
    result = await client.execute(query, {"m": 50})
    assert result["extensions"]["cost"]["requested"] == 100 + 100 * 50
    result = await client.execute(query)  # no `last`: the default page size, 20
    assert result["extensions"]["cost"]["requested"] == 100 + 100 * 20


async def test_limits_come_from_the_settings(database_url: str, sessionmaker) -> None:  # type: ignore[no-untyped-def]
    async with serve(database_url, max_query_depth=3, max_query_cost=10) as http:
        refused(await post(http, nested(4)), "nested 4 levels deep; at most 3")
        refused(await post(http, "{ volunteers { totalCount } }"), "costs 20")


def test_limit_settings_are_documented_in_the_readme(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text()
    names = [n for n in Settings.model_fields if n.startswith("max_") or n.endswith("_timeout")]
    missing = [n for n in names if f"MUSTER_{n.upper()}" not in readme]
    assert not missing, f"undocumented settings: {missing}"
    assert Limits.from_settings(Settings()).depth == 10


async def test_introspection_is_on_outside_production(client) -> None:
    result = await client.execute(INTROSPECTION)
    assert "errors" not in result
    assert result["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_is_off_in_production(production) -> None:
    refused(await post(production, INTROSPECTION), "Introspection is turned off in production")
    refused(await post(production, '{ __type(name: "Volunteer") { name } }'), "Introspection")
    assert (await post(production, "{ __typename }"))["data"] == {"__typename": "Query"}


SUGGESTED = {
    "field": ("{ volunteers { nodes { nam } } }", {}),
    "argument": ("{ volunteers(frist: 3) { totalCount } }", {}),
    "type": ("query($f: VolunteerFilte) { volunteers(filter: $f) { totalCount } }", {}),
    "enum value": ("{ volunteers(orderBy: {direction: ASCC}) { totalCount } }", {}),
    "input field": (
        "query($o: VolunteerOrder) { volunteers(orderBy: $o) { totalCount } }",
        {"o": {"directon": "ASC"}},
    ),
}


@pytest.mark.parametrize("kind", SUGGESTED)
async def test_suggestions_are_hidden_in_production(kind: str, client, production) -> None:  # type: ignore[no-untyped-def]
    query, variables = SUGGESTED[kind]
    development = messages(await client.execute(query, variables))
    assert any("Did you mean" in m for m in development), development
    result = await post(production, query, variables)
    assert result["data"] is None
    assert messages(result) and not any("Did you mean" in m for m in messages(result))


async def test_csrf_via_get_and_multipart_is_refused(client) -> None:
    get = await client.http.get("/graphql", params={"query": "{ __typename }"})
    assert get.status_code == 400
    assert messages(get.json()) == ["queries are not allowed when using GET"]
    operations = '{"query": "{ __typename }"}'
    multipart = await client.http.post(
        "/graphql", files={"operations": (None, operations), "map": (None, "{}")}
    )
    form = await client.http.post("/graphql", data={"query": "{ __typename }"})
    plain = await client.http.post(
        "/graphql", content=operations, headers={"content-type": "text/plain"}
    )
    for response in (multipart, form, plain):
        assert response.status_code == 415
        assert "application/json" in messages(response.json())[0]


async def test_internal_errors_are_masked_in_production(
    production, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    monkeypatch.setattr(schema.lists, "connection", broken)
    response = await production.post("/graphql", json={"query": "{ volunteers { totalCount } }"})
    assert response.json()["errors"][0]["message"] == "Internal server error"
    assert response.json()["errors"][0]["path"] == ["volunteers"]
    assert "hunter2" not in response.text and "RuntimeError" not in response.text


async def test_an_unreachable_database_does_not_leak(capsys: pytest.CaptureFixture[str]) -> None:
    async with serve(UNREACHABLE, environment="production") as http:
        response = await http.post("/graphql", json={"query": "{ volunteers { totalCount } }"})
    assert response.status_code == 200
    assert messages(response.json()) == ["Internal server error"]
    for leak in ("asyncpg", "Connect call failed", "127.0.0.1", "nobody", "Errno"):
        assert leak not in response.text
    assert "internal error masked" in capsys.readouterr().err  # the original is logged


async def test_user_errors_and_limit_errors_stay_readable_in_production(production) -> None:
    create = (
        "mutation($input: CreateSkillInput!) "
        "{ createSkill(input: $input) { skill { id } userErrors { field code message } } }"
    )
    blank = {"input": {"code": "S1", "name": " ", "category": "CARE_GUARDING"}}
    payload = (await post(production, create, blank))["data"]["createSkill"]
    assert payload["userErrors"][0]["field"] == ["input", "name"]
    paged = await post(production, "{ volunteers(first: 1000) { totalCount } }")
    assert messages(paged) == ["`first` must be between 0 and 100; 1000 was requested."]
    bad_id = await post(production, '{ node(id: "abc") { id } }')
    assert "GlobalID" in messages(bad_id)[0]


ODD_BODIES = {
    "a string": (b'"{ __typename }"', "must be a JSON object"),
    "null": (b"null", "must be a JSON object"),
    "a number": (b"5", "must be a JSON object"),
    "not UTF-8": (b'{"query": "\xff\xfe"}', "not UTF-8"),
    "not JSON": (b"query { __typename }", "not valid JSON"),
    "nested too deeply": (b"[" * 100_000, "nested too deeply"),
    "a number too long": (b'{"query": "{ __typename }", "n": ' + b"1" * 5000 + b"}", "too long"),
    "a query that is not text": (b'{"query": 1}', "`query` must be a string"),
    "variables that are a list": (
        b'{"query": "{ __typename }", "variables": []}',
        "`variables` must be an object",
    ),
}


@pytest.mark.parametrize("kind", ODD_BODIES)
async def test_odd_json_bodies_are_a_bad_request(kind: str, client) -> None:  # type: ignore[no-untyped-def]
    body, message = ODD_BODIES[kind]
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert message in messages(response.json())[0]


async def test_a_slow_operation_is_stopped(
    database_url: str, sessionmaker, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def slow(*_args: Any, **_kwargs: Any) -> None:
        await asyncio.sleep(30)

    monkeypatch.setattr(schema.lists, "connection", slow)
    async with serve(database_url, execution_timeout=0.2) as http:
        result = await asyncio.wait_for(post(http, "{ volunteers { totalCount } }"), timeout=5)
    assert messages(result) == ["The operation took longer than 0.2 s and was stopped."]


async def test_postgresql_statements_time_out(backend: str, database_url: str) -> None:
    if backend != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    async with serve(database_url) as http, http.app.state.engine.connect() as conn:  # type: ignore[attr-defined]
        assert await conn.scalar(text("SHOW statement_timeout")) == "10s"
    async with (
        serve(database_url, statement_timeout=0.1) as http,
        http.app.state.engine.connect() as conn,  # type: ignore[attr-defined]
    ):
        with pytest.raises(DBAPIError, match="statement timeout"):
            await conn.execute(text("SELECT pg_sleep(2)"))
