"""Skills, trainings and certificates over GraphQL: lists, filters, paging and edits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from db import models as m
from db.models.enums import ServiceCategory
from db.session import transaction
from tests.factories import build_register, gid


async def query(client, document: str, variables: dict[str, Any] | None = None) -> Any:  # type: ignore[no-untyped-def]
    result = await client.execute(document, variables)
    assert "errors" not in result, result
    return result["data"]


def errors_by_field(payload: dict[str, Any]) -> dict[tuple[str, ...], str]:
    return {tuple(e["field"]): e["code"] for e in payload["userErrors"]}


async def count(sessionmaker, model) -> int:  # type: ignore[no-untyped-def]
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model))


DELETE = """
mutation($input: Delete%sInput!) {
  delete%s(input: $input) { deletedId userErrors { field code message } }
}
"""

# Skills

SKILLS = """query($filter: SkillFilter, $orderBy: SkillOrder, $first: Int, $after: String) {
  skills(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { code name category }
  }
}"""

CREATE_SKILL = """mutation($input: CreateSkillInput!) {
  createSkill(input: $input) { skill { id code name category } userErrors { field code message } }
}"""

UPDATE_SKILL = """mutation($input: UpdateSkillInput!) {
  updateSkill(input: $input) { skill { id code name category } userErrors { field code message } }
}"""


async def add_skills(sessionmaker) -> list[m.Skill]:  # type: ignore[no-untyped-def]
    categories = list(ServiceCategory)
    skills = [
        m.Skill(code=f"S{i:02d}", name=f"Skill {9 - i}", category=categories[i % 3])
        for i in range(9)
    ]
    async with transaction(sessionmaker) as session:
        session.add_all(skills)
    return skills


async def test_skills_are_filtered_ordered_and_paged(sessionmaker, client) -> None:
    await add_skills(sessionmaker)

    async def codes(variables: dict[str, Any]) -> list[str]:
        data = await query(client, SKILLS, variables)
        return [node["code"] for node in data["skills"]["nodes"]]

    assert await codes({"filter": {"categories": ["PUBLICITY_GUIDANCE"]}}) == ["S00", "S03", "S06"]
    assert await codes(
        {
            "filter": {
                "categories": ["PUBLICITY_GUIDANCE", "CARE_GUARDING"],
                "codeIn": ["S01", "S02"],
            }
        }
    ) == ["S01"]
    assert await codes({"filter": {"codeIn": []}}) == []
    by_name = await codes({"orderBy": {"field": "NAME", "direction": "ASC"}, "first": 3})
    assert by_name == ["S08", "S07", "S06"]

    seen, after = [], None
    while True:
        variables = {"orderBy": {"field": "CODE", "direction": "DESC"}, "first": 4, "after": after}
        connection = (await query(client, SKILLS, variables))["skills"]
        assert connection["totalCount"] == 9
        seen += [node["code"] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [f"S{i:02d}" for i in reversed(range(9))]


async def test_skills_are_created_updated_and_deleted(sessionmaker, client) -> None:
    created = await query(
        client,
        CREATE_SKILL,
        {"input": {"code": " DISINFECT ", "name": "Disinfection", "category": "CARE_GUARDING"}},
    )
    skill = created["createSkill"]["skill"]
    assert skill["code"] == "DISINFECT"
    updated = await query(
        client,
        UPDATE_SKILL,
        {"input": {"id": skill["id"], "category": "SANITATION_DISINFECTION"}},
    )
    assert updated["updateSkill"]["skill"] == skill | {"category": "SANITATION_DISINFECTION"}
    blank = await query(client, UPDATE_SKILL, {"input": {"id": skill["id"], "name": "  "}})
    assert errors_by_field(blank["updateSkill"]) == {("input", "name"): "REQUIRED"}
    deleted = await query(client, DELETE % ("Skill", "Skill"), {"input": {"id": skill["id"]}})
    assert deleted["deleteSkill"] == {"deletedId": skill["id"], "userErrors": []}
    assert await count(sessionmaker, m.Skill) == 0


async def test_duplicate_skill_code_is_refused(sessionmaker, client) -> None:
    await add_skills(sessionmaker)
    data = await query(
        client,
        CREATE_SKILL,
        {"input": {"code": "S01", "name": "Again", "category": "INFORMATION_SERVICE"}},
    )
    payload = data["createSkill"]
    assert payload["skill"] is None
    assert payload["userErrors"][0]["field"] == ["input", "code"]
    assert payload["userErrors"][0]["code"] == "DUPLICATE"
    assert await count(sessionmaker, m.Skill) == 9


async def test_a_skill_volunteers_hold_cannot_be_deleted(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    data = await query(
        client, DELETE % ("Skill", "Skill"), {"input": {"id": gid("Skill", register.skill.id)}}
    )
    assert errors_by_field(data["deleteSkill"]) == {("input", "id"): "IN_USE"}
    assert await count(sessionmaker, m.Skill) == 1


# Trainings

TRAININGS = """query($filter: TrainingFilter, $orderBy: TrainingOrder) {
  trainings(filter: $filter, orderBy: $orderBy) {
    totalCount nodes { code name provider validityDays }
  }
}"""

CREATE_TRAINING = """mutation($input: CreateTrainingInput!) {
  createTraining(input: $input) {
    training { id code name provider validityDays } userErrors { field code message }
  }
}"""

UPDATE_TRAINING = """mutation($input: UpdateTrainingInput!) {
  updateTraining(input: $input) {
    training { id code name provider validityDays } userErrors { field code message }
  }
}"""


async def test_trainings_are_created_listed_updated_and_deleted(sessionmaker, client) -> None:
    ids = {}
    for code, name, days in (
        ("PPE", "Protective equipment", 180),
        ("SCREEN", "Checkpoint screening", 90),
        ("COMFORT", "Psychological first aid", None),
    ):
        data = await query(
            client,
            CREATE_TRAINING,
            {"input": {"code": code, "name": name, "provider": "County CDC", "validityDays": days}},
        )
        assert data["createTraining"]["userErrors"] == []
        ids[code] = data["createTraining"]["training"]["id"]

    listed = await query(client, TRAININGS, {"filter": {"nameContains": "SCREEN"}})
    assert listed["trainings"]["nodes"] == [
        {
            "code": "SCREEN",
            "name": "Checkpoint screening",
            "provider": "County CDC",
            "validityDays": 90,
        }
    ]
    by_name = await query(client, TRAININGS, {"orderBy": {"field": "NAME", "direction": "DESC"}})
    assert [n["code"] for n in by_name["trainings"]["nodes"]] == ["COMFORT", "PPE", "SCREEN"]

    updated = await query(
        client, UPDATE_TRAINING, {"input": {"id": ids["PPE"], "validityDays": None}}
    )
    assert updated["updateTraining"]["training"]["validityDays"] is None
    assert updated["updateTraining"]["training"]["provider"] == "County CDC"

    deleted = await query(
        client, DELETE % ("Training", "Training"), {"input": {"id": ids["COMFORT"]}}
    )
    assert deleted["deleteTraining"]["userErrors"] == []
    assert await count(sessionmaker, m.Training) == 2


async def test_bad_trainings_are_refused_and_nothing_written(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    data = await query(
        client,
        CREATE_TRAINING,
        {"input": {"code": register.training.code, "name": "x" * 201, "validityDays": 0}},
    )
    assert data["createTraining"]["training"] is None
    assert errors_by_field(data["createTraining"]) == {
        ("input", "code"): "DUPLICATE",
        ("input", "name"): "INVALID",
        ("input", "validityDays"): "OUT_OF_RANGE",
    }
    assert await count(sessionmaker, m.Training) == 1
    in_use = await query(
        client,
        DELETE % ("Training", "Training"),
        {"input": {"id": gid("Training", register.training.id)}},
    )
    assert errors_by_field(in_use["deleteTraining"]) == {("input", "id"): "IN_USE"}
    assert "certificates" in in_use["deleteTraining"]["userErrors"][0]["message"]
    assert await count(sessionmaker, m.Training) == 1


# Certificates

CERTIFICATES = """query($filter: CertificateFilter, $orderBy: CertificateOrder,
    $first: Int, $after: String) {
  certificates(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id passedOn expiresOn volunteer { name } training { code } }
  }
}"""

CREATE_CERTIFICATE = """mutation($input: CreateCertificateInput!) {
  createCertificate(input: $input) {
    certificate { id passedOn expiresOn volunteer { name } training { code } }
    userErrors { field code message }
  }
}"""

UPDATE_CERTIFICATE = """mutation($input: UpdateCertificateInput!) {
  updateCertificate(input: $input) {
    certificate { id passedOn expiresOn training { code } }
    userErrors { field code message }
  }
}"""


async def test_certificates_are_filtered(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=2)
        other = m.Training(code="PPE", name="Protective equipment")
        session.add(other)
        await session.flush()
        session.add(
            m.Certificate(
                volunteer_id=register.volunteers[1].id,
                training_id=other.id,
                passed_on=date(2026, 11, 20),
            )
        )

    async def listed(filter_: dict[str, Any]) -> list[dict[str, Any]]:
        data = await query(client, CERTIFICATES, {"filter": filter_, "first": 100})
        return data["certificates"]["nodes"]

    # build_register: 8 volunteers, even ones valid to 31 Dec, odd ones expired 10 Nov.
    assert len(await listed({})) == 9
    mine = await listed({"volunteerId": gid("Volunteer", register.volunteers[1].id)})
    assert sorted(c["training"]["code"] for c in mine) == ["PPE", "SCREEN"]
    assert len(await listed({"trainingId": gid("Training", other.id)})) == 1
    valid = await listed({"validOn": "2026-11-24"})
    assert len(valid) == 5  # four even volunteers and the never-expiring PPE pass
    assert (
        len(await listed({"validOn": "2026-11-24", "trainingId": gid("Training", other.id)})) == 1
    )
    assert await listed({"validOn": "2026-11-19", "trainingId": gid("Training", other.id)}) == []
    expiring = await listed({"expiringBetween": {"from": "2026-11-01", "to": "2026-11-30"}})
    assert len(expiring) == 4
    assert {c["expiresOn"] for c in expiring} == {"2026-11-10"}
    assert len(await listed({"expiringBetween": {"from": "2026-12-01"}})) == 4
    assert len(await listed({"expiringBetween": {"to": "2026-12-31"}})) == 8


async def test_certificates_page_by_expiry_with_never_expiring_last(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
        volunteer = register.volunteers[0]
        session.add_all(
            [
                m.Certificate(
                    volunteer_id=volunteer.id,
                    training_id=register.training.id,
                    passed_on=date(2026, 1, day),
                    expires_on=None if day % 2 else date(2026, 6, day),
                )
                for day in range(1, 8)
            ]
        )
    seen, after = [], None
    while True:
        variables = {"orderBy": {"field": "EXPIRES_ON"}, "first": 3, "after": after}
        connection = (await query(client, CERTIFICATES, variables))["certificates"]
        assert connection["totalCount"] == 11
        seen += [node["expiresOn"] for node in connection["nodes"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    dated = sorted([f"2026-06-0{d}" for d in (2, 4, 6)] + ["2026-11-10"] * 2 + ["2026-12-31"] * 2)
    assert seen == dated + [None] * 4


async def test_certificates_are_created_updated_and_deleted(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    volunteer = gid("Volunteer", register.volunteers[0].id)
    training = gid("Training", register.training.id)
    created = await query(
        client,
        CREATE_CERTIFICATE,
        {"input": {"volunteerId": volunteer, "trainingId": training, "passedOn": "2026-11-01"}},
    )
    certificate = created["createCertificate"]["certificate"]
    # The training is valid 90 days.
    assert certificate["expiresOn"] == "2027-01-30"
    assert certificate["volunteer"] == {"name": register.volunteers[0].name}

    moved = await query(
        client, UPDATE_CERTIFICATE, {"input": {"id": certificate["id"], "passedOn": "2026-11-11"}}
    )
    assert moved["updateCertificate"]["certificate"]["expiresOn"] == "2027-02-09"
    fixed = await query(
        client,
        UPDATE_CERTIFICATE,
        {"input": {"id": certificate["id"], "expiresOn": "2026-12-01"}},
    )
    assert fixed["updateCertificate"]["certificate"] == {
        "id": certificate["id"],
        "passedOn": "2026-11-11",
        "expiresOn": "2026-12-01",
        "training": {"code": "SCREEN"},
    }

    deleted = await query(
        client, DELETE % ("Certificate", "Certificate"), {"input": {"id": certificate["id"]}}
    )
    assert deleted["deleteCertificate"] == {"deletedId": certificate["id"], "userErrors": []}
    assert await count(sessionmaker, m.Certificate) == len(register.volunteers)


async def test_bad_certificates_are_refused_and_nothing_written(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    before = await count(sessionmaker, m.Certificate)
    training = gid("Training", register.training.id)
    unknown = await query(
        client,
        CREATE_CERTIFICATE,
        {
            "input": {
                "volunteerId": gid("Volunteer", 99999),
                "trainingId": training,
                "passedOn": "2026-11-01",
                "expiresOn": "2026-10-01",
            }
        },
    )
    assert unknown["createCertificate"]["certificate"] is None
    assert errors_by_field(unknown["createCertificate"]) == {
        ("input", "volunteerId"): "NOT_FOUND",
        ("input", "expiresOn"): "OUT_OF_RANGE",
    }
    existing = register.volunteers[0]
    duplicate = await query(
        client,
        CREATE_CERTIFICATE,
        {
            "input": {
                "volunteerId": gid("Volunteer", existing.id),
                "trainingId": training,
                "passedOn": "2026-10-01",
            }
        },
    )
    assert errors_by_field(duplicate["createCertificate"]) == {
        ("input", "volunteerId"): "DUPLICATE"
    }
    assert await count(sessionmaker, m.Certificate) == before


async def test_node_returns_skills_trainings_and_certificates(sessionmaker, client) -> None:
    async with transaction(sessionmaker) as session:
        register = await build_register(session, volunteers_per_station=1)
    async with sessionmaker() as session:
        certificate_id = await session.scalar(select(func.min(m.Certificate.id)))
    fields = """__typename
        ... on Skill { code category }
        ... on Training { code validityDays }
        ... on Certificate { passedOn training { code } }"""
    document = f"""query($a: ID!, $b: ID!, $c: ID!) {{
        a: node(id: $a) {{ {fields} }} b: node(id: $b) {{ {fields} }} c: node(id: $c) {{ {fields} }}
    }}"""
    variables = {
        "a": gid("Skill", register.skill.id),
        "b": gid("Training", register.training.id),
        "c": gid("Certificate", certificate_id),
    }
    assert await query(client, document, variables) == {
        "a": {"__typename": "Skill", "code": "TEMP", "category": "MEASUREMENT_SCREENING"},
        "b": {"__typename": "Training", "code": "SCREEN", "validityDays": 90},
        "c": {
            "__typename": "Certificate",
            "passedOn": "2026-10-01",
            "training": {"code": "SCREEN"},
        },
    }
