"""Building blocks every part of the schema shares: nodes, connections, user errors, ordering."""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Generic, Self, TypeVar

import strawberry
from strawberry import relay

from db.models import Base
from db.services.errors import ErrorCode as ServiceErrorCode
from db.services.errors import FieldError, ValidationFailed
from resolvers.context import Info
from resolvers.pagination import Page
from resolvers.permissions import deny

NodeT = TypeVar("NodeT")


def from_row(cls: type[NodeT], row: Any) -> NodeT:
    """Build a GraphQL object from a database row by its field names."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    return cls(**{f.name: getattr(row, f.name) for f in fields if f.init})


class RegisterNode(relay.Node):
    """A node stored in one register table: fetched by id through the request's loader."""

    model: ClassVar[type[Base]]

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return from_row(cls, row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        loader = info.context.loaders.by_id(cls.model)
        ids = [int(i) if str(i).isdigit() else -1 for i in node_ids]
        rows = await loader.load_many(ids)
        pairs = zip(ids, rows, strict=True)
        refused = [i for i, row in pairs if row is None and i in loader.denied]
        if refused:
            objects = [(cls.__name__, i) for i in refused]
            raise deny(info, f"{cls.__name__} {refused[0]} is outside your scope.", objects=objects)
        if required and any(r is None for r in rows):
            missing = [i for i, r in zip(node_ids, rows, strict=True) if r is None]
            raise ValueError(f"No {cls.__name__} with id {', '.join(missing)}")
        return [None if row is None else cls.from_row(row) for row in rows]


async def load_node(info: Info, cls: type[RegisterNode], ident: int | None) -> Any:
    """The node of ``cls`` with database id ``ident`` via the request's loader."""
    if ident is None:
        return None
    loader = info.context.loaders.by_id(cls.model)
    row = await loader.load(ident)
    if row is None and ident in loader.denied:
        name = cls.__name__
        raise deny(info, f"{name} {ident} is outside your scope.", objects=[(name, ident)])
    return None if row is None else cls.from_row(row)


@strawberry.type(description="Information to aid in pagination.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="An edge in a connection.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, with cursors to move through it.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The nodes of this page, without edges.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def from_page(cls, page: Page[Any], convert: Callable[[Any], NodeT]) -> Connection[NodeT]:
        pairs = zip(page.rows, page.cursors, strict=True)
        edges = [Edge(cursor=cursor, node=convert(row)) for row, cursor in pairs]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            _count=page.count,
        )


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


UserErrorCode = strawberry.enum(ServiceErrorCode, name="UserErrorCode")


@strawberry.type(description="A problem with the input; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description="Path to the input field at fault, e.g. ['input', 'endsAt']."
    )
    code: UserErrorCode  # type: ignore[valid-type]
    message: str
    row: int | None = strawberry.field(
        default=None, description="For imports: the row of the file at fault (header = 1)."
    )


VERSION_DESCRIPTION = "Starts at 1 and grows by 1 on every change; send it back when updating."


def expected_version() -> Any:
    """The optional ``version`` input field of update mutations (optimistic locking)."""
    return strawberry.field(
        default=strawberry.UNSET,
        description=(
            "The version you last read: if the object has changed since, nothing is written "
            "and the error's code is STALE. Left out, the update applies regardless."
        ),
    )


def camel(name: str) -> str:
    """``home_latitude`` → ``homeLatitude``; ``unit_id`` → ``unitId``."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


SNAKE_WORD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def user_errors(errors: list[FieldError], *, prefix: str = "input") -> list[UserError]:
    """Service errors as GraphQL user errors, fields named as the client wrote them.

    Import errors keep the file's column names; others speak of input fields in camelCase.
    """
    return [
        UserError(field=[e.field], code=e.code, message=e.message, row=e.row)
        if e.row is not None
        else UserError(
            field=[prefix, camel(e.field)],
            code=e.code,
            message=SNAKE_WORD.sub(lambda word: camel(word.group()), e.message),
        )
        for e in errors
    ]


def decode_id(value: relay.GlobalID | None, cls: type[RegisterNode], field: str) -> int | None:
    """The database id inside a global id, checked to be of type ``cls``."""
    if value is None:
        return None
    if value.type_name != cls.__name__ or not value.node_id.isdigit():
        raise ValidationFailed(
            [
                FieldError(
                    field, ServiceErrorCode.INVALID, f"{camel(field)} must be a {cls.__name__} id"
                )
            ]
        )
    return int(value.node_id)
