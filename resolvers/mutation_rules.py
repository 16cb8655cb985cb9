"""Which roles may call each mutation; a mutation without a rule is for admins only.

Beyond the role, every mutation is checked by ``schema.audit.guard`` for scope: each id in its
input must name a row the caller may see, and the row it writes must be in scope before the
transaction commits. Register a rule for a new mutation with ``register_mutation_rule``.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.viewer import Role

A, S, C, V = Role.ADMIN, Role.SCHEDULER, Role.COORDINATOR, Role.VOLUNTEER
CENTRE = (A, S)  # shared catalogues, imports: the whole centre
REGISTER = (A, S, C)  # the register, within the coordinator's subtree
PERSONAL = (A, S, C, V)  # availability and health: volunteers for themselves


@dataclass(frozen=True, slots=True)
class MutationRule:
    """Who may call a mutation; a coordinator must also give the named input fields (camelCase)
    a non-null value, so nothing is created or moved outside their subtree."""

    roles: tuple[Role, ...]
    coordinator_requires: tuple[str, ...] = ()


ADMIN_ONLY = MutationRule(roles=(A,))

RULES: dict[str, MutationRule] = {}


def register_mutation_rule(
    name: str, roles: tuple[Role, ...], *, coordinator_requires: tuple[str, ...] = ()
) -> None:
    """Allow ``roles`` to call the mutation ``name`` (as the schema spells it)."""
    RULES[name] = MutationRule(roles=roles, coordinator_requires=coordinator_requires)


def rule_for(name: str) -> MutationRule:
    """The rule of mutation ``name``; admins only when it has none (deny by default)."""
    return RULES.get(name, ADMIN_ONLY)


for verb in ("create", "update", "delete"):
    register_mutation_rule(f"{verb}Organisation", REGISTER, coordinator_requires=("parentId",))
    register_mutation_rule(f"{verb}Unit", REGISTER, coordinator_requires=("organisationId",))
    register_mutation_rule(
        f"{verb}ProtectiveStock", REGISTER, coordinator_requires=("ownerUnitId",)
    )
    for thing in ("Grid", "Volunteer", "Certificate", "Checkpoint", "Shift", "Roster"):
        register_mutation_rule(f"{verb}{thing}", REGISTER)
    register_mutation_rule(f"{verb}Assignment", REGISTER)
    register_mutation_rule(f"{verb}Availability", PERSONAL)
    for thing in ("Skill", "Training", "ProtectiveItem"):
        register_mutation_rule(f"{verb}{thing}", CENTRE)
for name in ("importVolunteers", "importCertificates"):
    register_mutation_rule(name, CENTRE)
for name in ("reportHealth", "updateHealthReport", "deleteHealthReport"):
    register_mutation_rule(name, PERSONAL)
# Roster runs and publishing: within the coordinator's subtree (the input's ids are checked).
for name in (
    "deleteRosterRun",
    "startRosterRun",
    "cancelRosterRun",
    "publishRoster",
    "assignVolunteer",
    "unassignVolunteer",
    "pinAssignment",
):
    register_mutation_rule(name, REGISTER)
