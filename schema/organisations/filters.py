"""Filter and order inputs of the organisation, unit and grid lists."""

from __future__ import annotations

import enum

import strawberry
from strawberry import relay

from resolvers.organisations import GridCriteria, OrganisationCriteria, UnitCriteria
from schema.base import OrderDirection, decode_id
from schema.enums import OrganisationLevel, UnitKind
from schema.organisations.types import Organisation, Unit


@strawberry.input(description="Organisations matching every given criterion.")
class OrganisationFilter:
    parent_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only the organisations directly below this one."
    )
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="This organisation and everything below it in the tree."
    )
    levels: list[OrganisationLevel] | None = None  # type: ignore[valid-type]
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the name, in any case."
    )

    def criteria(self) -> OrganisationCriteria:
        return OrganisationCriteria(
            parent_id=decode_id(self.parent_id, Organisation, "parent_id"),
            subtree_of=decode_id(self.subtree_of, Organisation, "subtree_of"),
            levels=self.levels,
            name_contains=self.name_contains,
        )


@strawberry.enum
class OrganisationOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class OrganisationOrder:
    field: OrganisationOrderField = OrganisationOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Units matching every given criterion.")
class UnitFilter:
    kinds: list[UnitKind] | None = None  # type: ignore[valid-type]
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Units of this organisation or anywhere below it."
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the name, in any case."
    )

    def criteria(self) -> UnitCriteria:
        return UnitCriteria(
            kinds=self.kinds,
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            name_contains=self.name_contains,
        )


@strawberry.enum
class UnitOrderField(enum.Enum):
    NAME = "NAME"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class UnitOrder:
    field: UnitOrderField = UnitOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(description="Grids matching every given criterion.")
class GridFilter:
    organisation_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Grids of this organisation or anywhere below it."
    )
    claimed_by_unit_id: relay.GlobalID | None = None
    claimed: bool | None = strawberry.field(
        default=None, description="true: claimed by some unit; false: claimed by none."
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of the name, in any case."
    )

    def criteria(self) -> GridCriteria:
        return GridCriteria(
            organisation_id=decode_id(self.organisation_id, Organisation, "organisation_id"),
            claimed_by_unit_id=decode_id(self.claimed_by_unit_id, Unit, "claimed_by_unit_id"),
            claimed=self.claimed,
            name_contains=self.name_contains,
        )


@strawberry.enum
class GridOrderField(enum.Enum):
    NAME = "NAME"
    CODE = "CODE"
    CREATED_AT = "CREATED_AT"


@strawberry.input
class GridOrder:
    field: GridOrderField = GridOrderField.CODE
    direction: OrderDirection = OrderDirection.ASC
