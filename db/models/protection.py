"""Protective equipment: the items and the stocks that supply them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Entity


class ProtectiveItem(Entity):
    """A kind of protective kit, e.g. a protective suit set or a mask-and-gloves set."""

    __tablename__ = "protective_items"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ProtectiveStock(Entity):
    """Kits of one item held on one day by a unit, or by the city reserve (no owner)."""

    __tablename__ = "protective_stocks"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        # One row per owner, item and day; the city reserve has no owner unit.
        Index(
            "uq_protective_stocks_unit_item_day",
            "owner_unit_id",
            "item_id",
            "day",
            unique=True,
            sqlite_where=text("owner_unit_id IS NOT NULL"),
            postgresql_where=text("owner_unit_id IS NOT NULL"),
        ),
        Index(
            "uq_protective_stocks_reserve_item_day",
            "item_id",
            "day",
            unique=True,
            sqlite_where=text("owner_unit_id IS NULL"),
            postgresql_where=text("owner_unit_id IS NULL"),
        ),
    )

    owner_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("protective_items.id", ondelete="RESTRICT"))
    day: Mapped[date]
    quantity: Mapped[int] = mapped_column(Integer)

    @property
    def is_city_reserve(self) -> bool:
        return self.owner_unit_id is None
