"""Listing volunteers over GraphQL: filters, keyset paging, page-size cap, statement counts."""

from __future__ import annotations

from datetime import date

import pytest

from db.session import transaction
from tests.factories import build_register, gid

PAGE = """
query Page($filter: VolunteerFilter, $first: Int, $after: String) {
  volunteers(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name organisation { name } } }
  }
}
"""


async def test_pages_through_a_subtree_with_a_valid_certificate(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=7)
    sub = register.sub_centres[0]
    filter_ = {
        "organisationId": gid("Organisation", sub.id),
        "certified": {"trainingId": gid("Training", register.training.id), "on": "2026-11-24"},
    }
    expected = sorted(
        v.name
        for i, v in enumerate(register.volunteers)
        if i % 2 == 0 and v.organisation_id in {s.id for s in register.stations[:2]}
    )
    seen, after, total = [], None, None
    while True:
        result = await client.execute(PAGE, {"filter": filter_, "first": 3, "after": after})
        assert "errors" not in result, result
        connection = result["data"]["volunteers"]
        total = connection["totalCount"]
        seen += [e["node"]["name"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected
    assert total == len(expected) == 7


async def test_last_and_before_page_backwards(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=3)
    names = sorted(v.name for v in register.volunteers)
    query = """query($last: Int, $before: String) { volunteers(last: $last, before: $before) {
        pageInfo { hasPreviousPage startCursor } nodes { name } } }"""
    first = (await client.execute(query, {"last": 5}))["data"]["volunteers"]
    assert [n["name"] for n in first["nodes"]] == names[-5:]
    assert first["pageInfo"]["hasPreviousPage"] is True
    before = first["pageInfo"]["startCursor"]
    second = (await client.execute(query, {"last": 5, "before": before}))["data"]["volunteers"]
    assert [n["name"] for n in second["nodes"]] == names[-10:-5]


async def test_page_size_above_the_cap_is_refused(client) -> None:
    result = await client.execute("{ volunteers(first: 101) { totalCount } }")
    assert result["data"] is None
    assert "`first` must be between 0 and 100" in result["errors"][0]["message"]


async def test_a_forged_cursor_is_refused(client) -> None:
    result = await client.execute('{ volunteers(first: 5, after: "bm9wZQ==") { totalCount } }')
    assert "Invalid cursor" in result["errors"][0]["message"]


async def test_order_by_name_descending(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
    result = await client.execute(
        "{ volunteers(first: 3, orderBy: {field: NAME, direction: DESC}) { nodes { name } } }"
    )
    names = sorted((v.name for v in register.volunteers), reverse=True)[:3]
    assert [n["name"] for n in result["data"]["volunteers"]["nodes"]] == names


async def test_filters_by_health_on_a_day(sessionmaker, client) -> None:
    from db import models as m
    from tests.factories import at

    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
        a, b = register.volunteers[:2]
        session.add_all(
            [
                m.HealthReport(
                    volunteer_id=a.id,
                    day=date(2026, 11, 24),
                    reported_at=at(24, 1),
                    status="UNWELL",
                    temperature=38.4,
                ),
                # b was unwell in the morning but reported well later: the latest counts.
                m.HealthReport(
                    volunteer_id=b.id,
                    day=date(2026, 11, 24),
                    reported_at=at(24, 1),
                    status="UNWELL",
                    temperature=38.0,
                ),
                m.HealthReport(
                    volunteer_id=b.id,
                    day=date(2026, 11, 24),
                    reported_at=at(24, 5),
                    status="WELL",
                    temperature=36.6,
                ),
            ]
        )
    query = """query($s: HealthOnDay!) { volunteers(filter: {health: {on: "2026-11-24",
        status: $s}}) { nodes { name } } }"""
    unwell = await client.execute(query, {"s": "UNWELL"})
    assert [n["name"] for n in unwell["data"]["volunteers"]["nodes"]] == [a.name]
    fit = await client.execute(query, {"s": "FIT"})
    assert a.name not in [n["name"] for n in fit["data"]["volunteers"]["nodes"]]
    assert len(fit["data"]["volunteers"]["nodes"]) == len(register.volunteers) - 1


async def test_filters_by_distance_from_a_point(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=5)
    first = register.volunteers[0]
    query = """query($near: NearInput!) { volunteers(filter: {near: $near}, first: 100) {
        nodes { name } } }"""
    near = {"latitude": first.home_latitude, "longitude": first.home_longitude, "km": 0.5}
    result = await client.execute(query, {"near": near})
    names = [n["name"] for n in result["data"]["volunteers"]["nodes"]]
    # Homes are ~0.14 km apart along a diagonal, so 0.5 km reaches the next three.
    assert names == [v.name for v in register.volunteers[:4]]


NESTED = """
query($first: Int) {
  volunteers(first: $first) {
    totalCount
    nodes {
      id name phone
      organisation { name parent { name } }
      unit { name }
      skills { code }
      certificates { passedOn training { code } }
    }
  }
}
"""


@pytest.mark.parametrize("size", [10, 100])
async def test_statement_count_does_not_grow_with_page_size(sessionmaker, client, size) -> None:
    async with transaction(sessionmaker) as session:
        await build_register(session, volunteers_per_station=30)
    result = await client.execute(NESTED, {"first": size})
    assert "errors" not in result, result
    assert len(result["data"]["volunteers"]["nodes"]) == size
    # page + count + organisation + parent + unit + skills + certificates + training
    assert len(client.statements) == 8, client.statements
