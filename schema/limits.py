"""Limits on what one operation may ask (size, shape, cost) and production error hygiene."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from db.services.errors import ValidationFailed
from resolvers.pagination import PaginationError

log = structlog.get_logger("muster.graphql")

INTERNAL_ERROR = "Internal server error"

# Exceptions whose message is written for the caller; anything else is masked in production.
READABLE_ERRORS: tuple[type[Exception], ...] = (
    GraphQLError,
    PaginationError,
    ValidationFailed,
    GlobalIDValueError,
)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})

SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one operation may ask; read from the settings for every request."""

    depth: int
    aliases: int
    tokens: int
    directives: int
    fields: int
    field_repeats: int
    query_length: int
    cost: int
    default_page_size: int
    max_page_size: int
    production: bool

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        """The limits the service's settings name (``max_query_depth`` and so on)."""
        return cls(
            depth=settings.max_query_depth,
            aliases=settings.max_aliases,
            tokens=settings.max_tokens,
            directives=settings.max_directives,
            fields=settings.max_fields,
            field_repeats=settings.max_field_repeats,
            query_length=settings.max_query_length,
            cost=settings.max_query_cost,
            default_page_size=settings.default_page_size,
            max_page_size=settings.max_page_size,
            production=settings.production,
        )


@dataclass(slots=True)
class Measure:
    """Counts for a selection set, each fragment counted where it is spread."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    directives: int = 0
    cost: int = 0
    keys: Counter[str] = field(default_factory=Counter)  # response keys, fragments flattened

    def add(self, other: Measure, *, same_level: bool) -> None:
        """Count ``other`` in: a fragment merged here, or a field's subtree."""
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases
        self.fields += other.fields
        self.directives += other.directives
        self.cost += other.cost
        if same_level:  # fragments merge into this selection set; a field's subtree does not
            self.keys.update(other.keys)


def _is_connection(type_: GraphQLNamedType | None) -> bool:
    """Whether ``type_`` is a cursor connection (it has ``edges`` and ``pageInfo``)."""
    fields = getattr(type_, "fields", None) or {}
    return "pageInfo" in fields and "edges" in fields


def _is_node_type(type_: GraphQLNamedType | None) -> bool:
    """Whether ``type_`` is a register object (it implements ``Node``)."""
    return any(i.name == "Node" for i in getattr(type_, "interfaces", ()))


class _Walker:
    """Measures one operation; fragments are measured once and cycles are cut, not followed."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        defaults = {
            v.variable.name.value: value_from_ast_untyped(v.default_value)
            for v in operation.variable_definitions or ()
            if v.default_value is not None
        }
        self.variables = {**defaults, **variables}
        self.memo: dict[str, Measure] = {}
        self.open: set[str] = set()
        self.repeated: tuple[str, int] = ("", 0)  # the most repeated field in any selection set
        self.introspection = False

    def operation(self, node: OperationDefinitionNode) -> Measure:
        """The whole operation, from its root type."""
        root = self.schema.get_root_type(node.operation)
        measure = self.selections(node.selection_set, root)
        measure.directives += len(node.directives or ()) + sum(
            len(v.directives or ()) for v in node.variable_definitions or ()
        )
        return measure

    def selections(self, node: SelectionSetNode, parent: GraphQLNamedType | None) -> Measure:
        """A selection set on ``parent``, with its fragments flattened into it."""
        total = Measure()
        for selection in node.selections:
            total.directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                total.add(self.field(selection, parent), same_level=False)
                key = (selection.alias or selection.name).value
                total.keys[key] += 1
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                type_ = self.schema.get_type(condition.name.value) if condition else parent
                total.add(self.selections(selection.selection_set, type_), same_level=True)
            elif isinstance(selection, FragmentSpreadNode):
                total.add(self.fragment(selection.name.value), same_level=True)
        if total.keys:
            key, count = total.keys.most_common(1)[0]
            if count > self.repeated[1]:
                self.repeated = (key, count)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        """One field and its subtree; a list multiplies the cost below it."""
        name = node.name.value
        self.introspection |= name in INTROSPECTION_FIELDS
        definition = (getattr(parent, "fields", None) or {}).get(name)
        type_ = get_named_type(definition.type) if definition else None
        child = self.selections(node.selection_set, type_) if node.selection_set else Measure()
        size = self.size(node, definition, parent)
        return Measure(
            # As strawberry counts it: leaves add no level. Introspection is bounded by the
            # schema and turned off in production.
            depth=0 if name.startswith("__") or not node.selection_set else 1 + child.depth,
            aliases=child.aliases + (node.alias is not None),
            fields=child.fields + 1,
            directives=child.directives,
            cost=child.cost if size is None else size + size * child.cost,
        )

    def fragment(self, name: str) -> Measure:
        """A named fragment, measured once however often it is spread."""
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Measure()  # unknown or circular: standard validation names the fault
        self.open.add(name)
        measure = self.selections(
            definition.selection_set, self.schema.get_type(definition.type_condition.name.value)
        )
        self.open.discard(name)
        measure.directives += len(definition.directives or ())
        self.memo[name] = measure
        return measure

    def size(self, node: FieldNode, definition: Any, parent: GraphQLNamedType | None) -> int | None:
        """How many items the field may return, if it is a list; ``None`` if it is one object."""
        if definition is None:
            return None
        type_ = get_named_type(definition.type)
        if _is_connection(type_):
            args = {a.name.value: self.value(a.value) for a in node.arguments or ()}
            sizes = [v for k in ("first", "last") if (v := args.get(k)) is not None]
            size = max(sizes) if sizes else self.limits.default_page_size
            # Sizes over the cap are refused by the resolver with a clearer message.
            return max(0, min(size, self.limits.max_page_size))
        nullable = get_nullable_type(definition.type)
        # Plain lists of register objects are unpaged: assume a default page of them.
        # A connection's own `nodes` are already counted by the connection.
        listed = isinstance(nullable, GraphQLList) and _is_node_type(type_)
        return self.limits.default_page_size if listed and not _is_connection(parent) else None

    def value(self, node: ValueNode) -> int | None:
        """An integer argument, literal or from a variable."""
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            value = self.variables.get(node.name.value)
            return value if type(value) is int else None
        return None


def _limit_error(what: str, value: int, limit: int, message: str) -> GraphQLError:
    """A refusal clients can also tell apart by ``extensions.code``."""
    return GraphQLError(
        message,
        extensions={"code": "LIMIT_EXCEEDED", "limit": what, "value": value, "max": limit},
    )


def check_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    limits: Limits,
) -> tuple[Measure, list[GraphQLError]]:
    """The operation's measure and an error for every limit it exceeds."""
    walker = _Walker(schema, document, operation, variables, limits)
    m = walker.operation(operation)
    name = f"`{operation.name.value}`" if operation.name else "The operation"
    errors = []
    if limits.production and walker.introspection:
        errors.append(
            GraphQLError(
                "Introspection is turned off in production.",
                extensions={"code": "INTROSPECTION_DISABLED"},
            )
        )
    key, repeats = walker.repeated
    checks = [
        ("depth", m.depth, limits.depth, f"{name} is nested {m.depth} levels deep"),
        ("aliases", m.aliases, limits.aliases, f"{name} uses {m.aliases} aliases"),
        ("directives", m.directives, limits.directives, f"{name} uses {m.directives} directives"),
        (
            "fieldRepeats",
            repeats,
            limits.field_repeats,
            f"`{key}` is selected {repeats} times in one selection set",
        ),
        (
            "fields",
            m.fields,
            limits.fields,
            f"{name} selects {m.fields} fields, counting each fragment where it is spread",
        ),
    ]
    errors += [
        _limit_error(what, value, limit, f"{text}; at most {limit} are allowed.")
        for what, value, limit, text in checks
        if value > limit
    ]
    if m.cost > limits.cost:
        errors.append(
            _limit_error(
                "cost",
                m.cost,
                limits.cost,
                f"{name} costs {m.cost:,} (each connection's page size times its parents' "
                f"page sizes); the limit is {limits.cost:,}. Ask for smaller pages.",
            )
        )
    return m, errors


def public_error(error: GraphQLError) -> GraphQLError:
    """``error`` as a production caller sees it: no internals, no schema hints."""
    original = error.original_error
    # Input coercion (no path) words its ValueErrors about the caller's own input.
    readable = (
        original is None
        or isinstance(original, READABLE_ERRORS)
        or (error.path is None and isinstance(original, ValueError | TypeError))
    )
    if not readable:
        log.error(
            "internal error masked",
            path=error.path,
            error=f"{type(original).__name__}: {original}",
        )
        return GraphQLError(
            INTERNAL_ERROR,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
        )
    message = SUGGESTION.sub("", error.message)
    if message == error.message:
        return error
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions=error.extensions,
    )


class RequestLimits(SchemaExtension):
    """Applies the settings' limits to each operation before it runs."""

    limits: Limits
    cost: int | None = None

    def on_operation(self) -> Iterator[None]:
        """Read this request's limits; in production, clean the errors on the way out."""
        context = self.execution_context
        self.limits = Limits.from_settings(context.context.settings)
        context.parse_options["max_tokens"] = self.limits.tokens
        yield
        result = context.result
        if self.limits.production and result is not None and result.errors:
            result.errors = [public_error(e) for e in result.errors]

    def on_parse(self) -> Iterator[None]:
        """Refuse over-long query text before the parser sees it."""
        query = self.execution_context.query or ""
        limit = self.limits.query_length
        if len(query) > limit:
            raise _limit_error(
                "queryLength",
                len(query),
                limit,
                f"The query text is {len(query):,} characters long; at most {limit:,} are allowed.",
            )
        yield

    def on_validate(self) -> Iterator[None]:
        """Measure every operation before the standard validation rules run."""
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            schema = context.schema._schema
            variables = context.variables if isinstance(context.variables, Mapping) else {}
            errors: list[GraphQLError] = []
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    measure, found = check_operation(
                        schema, document, definition, variables, self.limits
                    )
                    errors += found
                    if definition is get_operation_ast(document, context.operation_name):
                        self.cost = measure.cost
            # Refusing here skips the standard rules, some of which are quadratic in size.
            if errors:
                context.pre_execution_errors = errors
        yield

    def get_results(self) -> dict[str, Any]:
        """The executed operation's cost, as ``extensions.cost``."""
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.limits.cost}}
