"""What the manual roster edits share: typed errors naming the broken rule, and the line's gap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db.services.errors import ErrorCode
from resolvers.context import Info
from resolvers.roster_edits import BrokenRule, EditRefused, EditResult
from schema.base import UserError
from schema.mutations import apply
from schema.rosters.types import LineGap


@strawberry.type(
    description=(
        "A problem with a roster edit; nothing was written. With code RULE_BROKEN, `rule` names "
        "the optimizer's hard rule the edit would break and `message` says why."
    )
)
class RosterEditError(UserError):
    rule: str | None = strawberry.field(
        default=None,
        description="The hard rule, as the optimizer's checker names it, e.g. "
        "only_eligible_volunteers, no_protection_no_post, max_shifts_per_day.",
    )


async def run_edit(
    info: Info, work: Callable[[AsyncSession], Awaitable[EditResult]]
) -> tuple[EditResult | None, list[RosterEditError]]:
    """Run an edit in one transaction: what it wrote, or its errors and nothing written."""
    done: list[EditResult] = []
    refused: list[BrokenRule] = []

    async def edit(session: AsyncSession) -> object:
        try:
            result = await work(session)
        except EditRefused as exc:
            refused.extend(exc.broken)
            raise
        done.append(result)
        return result.assignment or result.roster  # the row written, checked for scope

    _, errors = await apply(info, edit)
    rules = iter(b.rule for b in refused)
    out = [
        RosterEditError(
            field=e.field,
            code=e.code,
            message=e.message,
            row=e.row,
            rule=next(rules, None) if e.code == ErrorCode.RULE_BROKEN else None,
        )
        for e in errors
    ]
    return (None if out or not done else done[0]), out


def line_gap(result: EditResult | None) -> LineGap | None:
    """The edited line's gap as a GraphQL object."""
    if result is None or result.gap is None:
        return None
    return LineGap(missing=result.gap.missing, reason=result.gap.reason)
