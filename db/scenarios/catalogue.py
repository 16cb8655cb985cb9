"""Fixed vocabularies every scenario shares: protective items, skills and trainings."""

from __future__ import annotations

from dataclasses import dataclass

from db.models.enums import CheckpointKind, RiskLevel, ServiceCategory
from db.scenarios.rows import TableRows


@dataclass(frozen=True)
class SkillSpec:
    code: str
    name: str
    category: ServiceCategory


@dataclass(frozen=True)
class TrainingSpec:
    code: str
    name: str
    provider: str
    # None: the certificate does not expire.
    validity_days: int | None


PROTECTIVE_ITEMS = (
    ("MASK_SET", "Surgical mask and gloves set"),
    ("PROTECTIVE_SUIT", "Protective suit set with goggles and N95 mask"),
    ("ISOLATION_GOWN", "Isolation gown, face shield and gloves"),
)

SKILLS = (
    SkillSpec("LOUDSPEAKER", "Loudspeaker broadcasting", ServiceCategory.PUBLICITY_GUIDANCE),
    SkillSpec("LEAFLETS", "Door-to-door leafleting", ServiceCategory.PUBLICITY_GUIDANCE),
    SkillSpec("GATE_KEEPING", "Gate keeping", ServiceCategory.CARE_GUARDING),
    SkillSpec("TRAFFIC_CONTROL", "Traffic control", ServiceCategory.CARE_GUARDING),
    SkillSpec("TEMPERATURE", "Temperature screening", ServiceCategory.MEASUREMENT_SCREENING),
    SkillSpec(
        "VEHICLE_CHECK", "Vehicle and passenger checks", ServiceCategory.MEASUREMENT_SCREENING
    ),
    SkillSpec("SPRAYING", "Spray disinfection", ServiceCategory.SANITATION_DISINFECTION),
    SkillSpec("WASTE", "Medical waste handling", ServiceCategory.SANITATION_DISINFECTION),
    SkillSpec("DATA_ENTRY", "Registration and data entry", ServiceCategory.INFORMATION_SERVICE),
    SkillSpec("HOTLINE", "Hotline operation", ServiceCategory.INFORMATION_SERVICE),
    SkillSpec("COUNSELLING", "Counselling", ServiceCategory.PSYCHOLOGICAL_COMFORT),
    SkillSpec("LISTENING", "Crisis listening", ServiceCategory.PSYCHOLOGICAL_COMFORT),
)

TRAININGS = (
    TrainingSpec("CHECKPOINT_SCREENING", "Checkpoint screening", "County CDC", 90),
    TrainingSpec("DISINFECTION", "Disinfection practice", "County CDC", 180),
    TrainingSpec("PPE_USE", "Putting on and taking off protective kit", "Health Commission", 30),
    TrainingSpec("COUNSELLING", "Psychological counselling", "Health Commission", None),
    TrainingSpec("HOTLINE_SERVICE", "Hotline service", "Volunteer Centre", None),
    TrainingSpec("FIRST_AID", "First aid", "Red Cross", 365),
)

# Ids the catalogue rows get: 1, 2, ... in declaration order.
ITEM_IDS = {code: number for number, (code, _) in enumerate(PROTECTIVE_ITEMS, start=1)}
SKILL_IDS = {spec.code: number for number, spec in enumerate(SKILLS, start=1)}
TRAINING_IDS = {spec.code: number for number, spec in enumerate(TRAININGS, start=1)}

# Skills a post of each kind asks for on its skilled headcount line.
SKILLS_BY_KIND: dict[CheckpointKind, tuple[str, ...]] = {
    CheckpointKind.ROAD_CHECKPOINT: ("VEHICLE_CHECK", "TEMPERATURE", "TRAFFIC_CONTROL"),
    CheckpointKind.GRID_GATE: ("GATE_KEEPING", "TEMPERATURE", "DATA_ENTRY", "LOUDSPEAKER"),
    CheckpointKind.TESTING_STATION: ("TEMPERATURE", "SPRAYING", "WASTE", "DATA_ENTRY"),
    CheckpointKind.MARKET_PATROL: ("LOUDSPEAKER", "LEAFLETS", "SPRAYING"),
    CheckpointKind.HOTLINE: ("HOTLINE", "COUNSELLING", "LISTENING"),
}

# Trainings a post of each kind may require.
TRAININGS_BY_KIND: dict[CheckpointKind, tuple[str, ...]] = {
    CheckpointKind.ROAD_CHECKPOINT: ("CHECKPOINT_SCREENING", "PPE_USE"),
    CheckpointKind.GRID_GATE: ("CHECKPOINT_SCREENING",),
    CheckpointKind.TESTING_STATION: ("PPE_USE", "DISINFECTION"),
    CheckpointKind.MARKET_PATROL: ("DISINFECTION",),
    CheckpointKind.HOTLINE: ("COUNSELLING", "HOTLINE_SERVICE"),
}


def kit_for(*, kind: CheckpointKind, risk: RiskLevel) -> str | None:
    """The protective item a post's shifts need; a hotline needs none."""
    if kind is CheckpointKind.HOTLINE:
        return None
    if risk is RiskLevel.HIGH:
        return "PROTECTIVE_SUIT"
    if kind is CheckpointKind.TESTING_STATION:
        return "ISOLATION_GOWN"
    return "MASK_SET"


def catalogue_rows() -> TableRows:
    """Rows of the fixed vocabularies, ids from 1 in declaration order."""
    return {
        "protective_items": [
            {"id": ITEM_IDS[code], "code": code, "name": name} for code, name in PROTECTIVE_ITEMS
        ],
        "skills": [
            {"id": SKILL_IDS[s.code], "code": s.code, "name": s.name, "category": s.category}
            for s in SKILLS
        ],
        "trainings": [
            {
                "id": TRAINING_IDS[t.code],
                "code": t.code,
                "name": t.name,
                "provider": t.provider,
                "validity_days": t.validity_days,
            }
            for t in TRAININGS
        ],
    }
