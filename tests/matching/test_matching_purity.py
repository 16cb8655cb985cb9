"""matching stays pure (no service code), and the checker shares nothing with the model code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "matching"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_no_service_imports() -> None:
    """No module of matching imports the database, schema, resolvers, service or web stack."""
    banned = ("db", "schema", "resolvers", "muster", "sqlalchemy", "strawberry", "starlette")
    for f in PACKAGE.glob("*.py"):
        for name in _imports(f):
            assert name.split(".")[0] not in banned, f"{f.name} imports {name}"


def test_checker_is_independent_of_the_model() -> None:
    """The checker reads only the data model: no CP-SAT, no rules, no candidates."""
    allowed = {"__future__", "collections", "dataclasses", "matching.problem", "matching.roster"}
    assert _imports(PACKAGE / "checker.py") <= allowed


def test_importing_matching_loads_no_service_code() -> None:
    """At run time too: importing the package pulls in nothing from the service."""
    code = (
        "import sys, matching; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('db','schema','resolvers','muster','sqlalchemy','strawberry')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
