"""Every mutation of the schema, checked and audited: the role, the scope of the ids in its
input, and an audit entry whatever the outcome. Installed on the built schema, so a mutation
added later is covered too (admins only until it has a rule in ``resolvers.mutation_rules``).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLResolveInfo,
    default_field_resolver,
    get_named_type,
    get_nullable_type,
)
from strawberry import relay

from db.services.audit import DENIED, ERROR, MUTATION, OK, REJECTED
from resolvers.mutation_rules import rule_for
from resolvers.permissions import (
    CURRENT_MUTATION,
    Forbidden,
    deny,
    draft,
    require_role,
    require_visible,
    viewer_of,
)
from resolvers.viewer import Role
from schema.base import RegisterNode


def node_models() -> dict[str, type[Any]]:
    """Each node type's name and the table it is stored in."""
    found: dict[str, type[Any]] = {}
    pending = list(RegisterNode.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if getattr(cls, "model", None) is not None:
            found[cls.__name__] = cls.model
    return found


def global_ids(value: Any, type_: GraphQLInputType) -> Iterator[relay.GlobalID]:
    """Every global id inside an argument of type ``type_``, however deeply nested."""
    kind = get_nullable_type(type_)
    if value is None:
        return
    if isinstance(kind, GraphQLList):
        for item in value if isinstance(value, list) else [value]:
            yield from global_ids(item, kind.of_type)
    elif isinstance(kind, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in kind.fields.items():
            if name in value:
                yield from global_ids(value[name], field.type)
    elif get_named_type(kind).name == GraphQLID.name and isinstance(value, str):
        try:
            yield relay.GlobalID.from_id(value)
        except Exception:  # not a global id: the mutation itself says so
            return


def argument_ids(field: GraphQLField, args: dict[str, Any]) -> list[relay.GlobalID]:
    """The global ids in a field's arguments."""
    return [
        gid
        for name, arg in field.args.items()
        if name in args
        for gid in global_ids(args[name], arg.type)
    ]


def _ids(gids: list[relay.GlobalID]) -> list[tuple[str, int]]:
    return [(g.type_name, int(g.node_id)) for g in gids if g.node_id.isdigit()]


async def authorize(
    info: GraphQLResolveInfo,
    name: str,
    args: dict[str, Any],
    gids: list[relay.GlobalID],
    models: dict[str, type[Any]],
) -> None:
    """Refuse the mutation unless the caller's role allows it and every id is in scope."""
    viewer = viewer_of(info)
    rule = rule_for(name)
    require_role(info, *rule.roles)
    if viewer.whole_centre:
        return
    data = args.get("input")
    if viewer.role is Role.COORDINATOR and isinstance(data, dict):
        for field in rule.coordinator_requires:
            if field in data and data[field] is None:
                raise deny(info, f"A coordinator must give `{field}` (within their subtree).")
    for gid in gids:
        model = models.get(gid.type_name)
        if model is None:
            raise deny(info, f"Ids of type {gid.type_name} cannot be checked for your scope.")
        if gid.node_id.isdigit():
            await require_visible(info, model, int(gid.node_id))


def guarded(name: str, field: GraphQLField, resolve: Any, models: dict[str, type[Any]]) -> Any:
    """``resolve`` for mutation ``name``, checked first and audited after."""

    async def run(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        gids = argument_ids(field, args)
        await authorize(info, name, args, gids, models)
        context = info.context
        entry = draft(info, kind=MUTATION, action=name, outcome=OK, objects=_ids(gids))
        token = CURRENT_MUTATION.set(entry)
        try:
            result = resolve(source, info, **args)
            if inspect.isawaitable(result):
                result = await result
        except Exception as exc:
            entry.written = False  # its transaction, if any, rolled back
            entry.outcome = DENIED if isinstance(exc, Forbidden) else ERROR
            entry.detail = str(exc) if isinstance(exc, Forbidden) else type(exc).__name__
            context.audit.append(entry)
            raise
        finally:
            CURRENT_MUTATION.reset(token)
        if not entry.written:
            errors = getattr(result, "user_errors", None) or []
            if errors:
                entry.outcome = REJECTED
                entry.detail = "; ".join(_error_code(e) for e in errors)
            context.audit.append(entry)
        return result

    return run


def _error_code(error: Any) -> str:
    """A user error as its input field and code: never its message, which may quote values."""
    field = getattr(error, "field", None)
    code = getattr(error, "code", None)
    where = ".".join(field) if isinstance(field, list) else str(field or "")
    return f"{where}: {getattr(code, 'value', code)}"


def guard_mutations(schema: strawberry.Schema) -> None:
    """Wrap every root mutation field of ``schema`` in ``guarded``."""
    mutation_type = schema._schema.mutation_type  # graphql-core's schema under strawberry's
    if mutation_type is None:
        return
    models = node_models()
    for name, field in mutation_type.fields.items():
        field.resolve = guarded(name, field, field.resolve or default_field_resolver, models)
