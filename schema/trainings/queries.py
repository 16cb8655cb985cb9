"""Root fields listing skills, trainings and certificates."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.trainings import (
    CERTIFICATE_ORDER,
    SKILL_ORDER,
    TRAINING_ORDER,
    CertificateCriteria,
    SkillCriteria,
    TrainingCriteria,
    certificates_query,
    skills_query,
    trainings_query,
)
from schema.base import Connection
from schema.lists import connection
from schema.trainings.filters import (
    CertificateFilter,
    CertificateOrder,
    SkillFilter,
    SkillOrder,
    TrainingFilter,
    TrainingOrder,
)
from schema.trainings.types import Certificate, Skill, Training


@strawberry.type
class TrainingQueries:
    @strawberry.field(description="Skills, filtered, ordered and paged (at most 100 a page).")
    async def skills(
        self,
        info: Info,
        filter: SkillFilter | None = None,
        order_by: SkillOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Skill]:
        criteria = filter.criteria() if filter else SkillCriteria()
        order = order_by or SkillOrder()
        return await connection(
            info,
            Skill,
            skills_query(criteria),
            order=SKILL_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Trainings, filtered, ordered and paged (at most 100 a page).")
    async def trainings(
        self,
        info: Info,
        filter: TrainingFilter | None = None,
        order_by: TrainingOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Training]:
        criteria = filter.criteria() if filter else TrainingCriteria()
        order = order_by or TrainingOrder()
        return await connection(
            info,
            Training,
            trainings_query(criteria),
            order=TRAINING_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Certificates, filtered, ordered and paged (at most 100 a page).")
    async def certificates(
        self,
        info: Info,
        filter: CertificateFilter | None = None,
        order_by: CertificateOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Certificate]:
        criteria = filter.criteria() if filter else CertificateCriteria()
        order = order_by or CertificateOrder()
        return await connection(
            info,
            Certificate,
            certificates_query(criteria),
            order=CERTIFICATE_ORDER[order.field.value],
            direction=order.direction,
            first=first,
            after=after,
            last=last,
            before=before,
        )
