"""Row versions: every update bumps them, and an update sent with a stale one writes nothing."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType

from db import models as m
from db.services.errors import ValidationFailed
from db.services.trainings import update_skill
from db.session import transaction
from schema import schema
from tests.factories import at, build_register, gid

UPDATE_VOLUNTEER = """mutation($input: UpdateVolunteerInput!) { updateVolunteer(input: $input) {
    volunteer { name version } userErrors { field code message } } }"""


async def test_a_stale_update_is_refused_and_writes_nothing(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    volunteer = gid("Volunteer", register.volunteers[0].id)
    read = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Volunteer { version } } }", {"id": volunteer}
    )
    assert read["data"]["node"] == {"version": 1}

    first = await client.execute(
        UPDATE_VOLUNTEER, {"input": {"id": volunteer, "version": 1, "name": "Wang Fang"}}
    )
    assert first["data"]["updateVolunteer"] == {
        "volunteer": {"name": "Wang Fang", "version": 2},
        "userErrors": [],
    }
    # A second editor still holding version 1 is told to reload, and changes nothing.
    second = await client.execute(
        UPDATE_VOLUNTEER, {"input": {"id": volunteer, "version": 1, "name": "Zhang Wei"}}
    )
    assert second["data"]["updateVolunteer"] == {
        "volunteer": None,
        "userErrors": [
            {
                "field": ["input", "version"],
                "code": "STALE",
                "message": f"Volunteer {register.volunteers[0].id} was changed by someone "
                "else; reload it",
            }
        ],
    }
    after = await client.execute(
        "query($id: ID!) { node(id: $id) { ... on Volunteer { name version } } }",
        {"id": volunteer},
    )
    assert after["data"]["node"] == {"name": "Wang Fang", "version": 2}
    # Without a version the update applies regardless (last write wins).
    blind = await client.execute(UPDATE_VOLUNTEER, {"input": {"id": volunteer, "name": "Li Lei"}})
    assert blind["data"]["updateVolunteer"]["volunteer"] == {"name": "Li Lei", "version": 3}


async def test_stale_versions_are_refused_by_other_update_mutations_too(
    sessionmaker, client
) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
        checkpoint = m.Checkpoint(
            name="Gate",
            code="GATE",
            kind="GRID_GATE",
            organisation_id=register.stations[0].id,
            using_unit_id=register.unit.id,
            latitude=30.9,
            longitude=110.9,
            risk_level="LOW",
            priority=1,
        )
        session.add(checkpoint)
        await session.flush()
        shift = m.Shift(checkpoint_id=checkpoint.id, starts_at=at(24, 6), ends_at=at(24, 14))
        session.add(shift)
    cases = [
        (
            "updateOrganisation",
            "organisation",
            gid("Organisation", register.centre.id),
            'name: "Hub"',
        ),
        ("updateSkill", "skill", gid("Skill", register.skill.id), 'name: "Thermometry"'),
        ("updateTraining", "training", gid("Training", register.training.id), "validityDays: 30"),
        ("updateUnit", "unit", gid("Unit", register.unit.id), 'name: "Health Office"'),
        ("updateCheckpoint", "checkpoint", gid("Checkpoint", checkpoint.id), "priority: 2"),
        ("updateShift", "shift", gid("Shift", shift.id), 'shiftType: "NIGHT"'),
    ]
    for mutation, field, ident, change in cases:
        read = await client.execute(
            "query($id: ID!) { node(id: $id) { ... on Node { __typename } "
            + " ".join(f"... on {t} {{ version }}" for t in TYPES)
            + " } }",
            {"id": ident},
        )
        version = read["data"]["node"]["version"]
        document = (
            f'mutation($v: Int) {{ {mutation}(input: {{id: "{ident}", version: $v, {change}}})'
            f" {{ {field} {{ version }} userErrors {{ field code }} }} }}"
        )
        ok = await client.execute(document, {"v": version})
        assert ok["data"][mutation] == {field: {"version": version + 1}, "userErrors": []}
        stale = await client.execute(document, {"v": version})
        assert stale["data"][mutation] == {
            field: None,
            "userErrors": [{"field": ["input", "version"], "code": "STALE"}],
        }, mutation


TYPES = ("Organisation", "Skill", "Training", "Unit", "Checkpoint", "Shift")


def test_every_update_mutation_takes_a_version_and_returns_one() -> None:
    mutations = schema._schema.mutation_type.fields
    updates = {name: f for name, f in mutations.items() if name.startswith("update")}
    assert len(updates) >= 15
    for name, field in updates.items():
        input_type = field.args["input"].type.of_type
        assert isinstance(input_type, GraphQLInputObjectType)
        assert str(input_type.fields["version"].type) == "Int", name
        payload = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        assert isinstance(payload, GraphQLObjectType)
        [target] = [f for n, f in payload.fields.items() if n != "userErrors"]
        assert str(target.type.fields["version"].type) == "Int!", name


async def test_a_write_racing_past_the_check_is_refused_by_the_update_itself(
    sessionmaker,
) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=0)
    skill_id = register.skill.id
    async with sessionmaker() as slow:
        # The slow writer has read version 1 (and checked it) before the fast one commits.
        await slow.get(m.Skill, skill_id)
        async with transaction(sessionmaker) as fast:
            await update_skill(fast, skill_id=skill_id, changes={"name": "Fast"})
        with pytest.raises(ValidationFailed) as refused:
            await update_skill(slow, skill_id=skill_id, changes={"name": "Slow", "version": 1})
        assert [e.code for e in refused.value.errors] == ["STALE"]
    async with sessionmaker() as session:
        skill = await session.get(m.Skill, skill_id)
        assert (skill.name, skill.version) == ("Fast", 2)
