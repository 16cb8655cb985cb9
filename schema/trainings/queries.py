"""Root fields listing skills, trainings and certificates."""

from __future__ import annotations

import strawberry

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
from schema.lists import list_field
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
    skills = list_field(
        Skill,
        filter_type=SkillFilter,
        order_type=SkillOrder,
        criteria=SkillCriteria,
        query=skills_query,
        orders=SKILL_ORDER,
        description="Skills, filtered, ordered and paged (at most 100 a page).",
    )

    trainings = list_field(
        Training,
        filter_type=TrainingFilter,
        order_type=TrainingOrder,
        criteria=TrainingCriteria,
        query=trainings_query,
        orders=TRAINING_ORDER,
        description="Trainings, filtered, ordered and paged (at most 100 a page).",
    )

    certificates = list_field(
        Certificate,
        filter_type=CertificateFilter,
        order_type=CertificateOrder,
        criteria=CertificateCriteria,
        query=certificates_query,
        orders=CERTIFICATE_ORDER,
        description="Certificates, filtered, ordered and paged (at most 100 a page).",
    )
