"""Schema extensions: Prometheus metrics and a log line for every operation."""

from __future__ import annotations

import time
from collections.abc import Iterator

import structlog
from prometheus_client import CollectorRegistry, Counter, Histogram
from strawberry.extensions import SchemaExtension

log = structlog.get_logger("muster.graphql")

REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "muster_graphql_requests_total",
    "GraphQL operations executed.",
    ["operation", "type"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "muster_graphql_errors_total",
    "GraphQL operations that returned errors.",
    ["operation", "type"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "muster_graphql_request_duration_seconds",
    "Time to execute a GraphQL operation.",
    ["operation", "type"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class OperationMetrics(SchemaExtension):
    """Counts, times and logs every operation under its name (``anonymous`` if unnamed)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        name = context.operation_name or "anonymous"
        try:
            kind = context.operation_type.value
        except (RuntimeError, AttributeError):  # the document did not parse
            kind = "unknown"
        elapsed = time.perf_counter() - started
        errors = context.result.errors if context.result else context.pre_execution_errors
        REQUESTS.labels(name, kind).inc()
        LATENCY.labels(name, kind).observe(elapsed)
        if errors:
            ERRORS.labels(name, kind).inc()
        log.info(
            "graphql",
            operation=name,
            type=kind,
            ms=round(elapsed * 1000, 1),
            errors=len(errors or []),
        )
