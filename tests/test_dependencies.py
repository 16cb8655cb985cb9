"""The installed web stack meets the advisory floors kept in pyproject.toml.

The advisory databases cannot be reached from CI, so the floors are pinned in the project and
checked here: strawberry-graphql 0.327.2 and starlette 1.3.1 carry the fixes for known advisories.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ADVISORY_FLOORS = {"strawberry-graphql": "0.327.2", "starlette": "1.3.1"}


def parse(text: str) -> tuple[int, ...]:
    """A release number as a comparable tuple; pre-release and local parts are dropped."""
    try:
        from packaging.version import Version
    except ImportError:  # packaging is usually present, but not a declared dependency
        return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])
    return Version(text).release


def declared_floors(repo_root: Path) -> dict[str, str]:
    """The ``>=`` floor of every dependency pyproject.toml declares with one."""
    project = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    floors = {}
    for requirement in project["dependencies"]:
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)", requirement)
        if match:
            floors[match.group(1).lower()] = match.group(2)
    return floors


@pytest.mark.parametrize("package", ADVISORY_FLOORS)
def test_declared_floor_carries_the_advisory_fixes(package: str, repo_root: Path) -> None:
    floors = declared_floors(repo_root)
    assert package in floors, f"pyproject.toml declares no floor for {package}"
    assert parse(floors[package]) >= parse(ADVISORY_FLOORS[package])


@pytest.mark.parametrize("package", ADVISORY_FLOORS)
def test_installed_version_meets_the_declared_floor(package: str, repo_root: Path) -> None:
    floor = declared_floors(repo_root)[package]
    installed = version(package)
    assert parse(installed) >= parse(floor), f"{package} {installed} is older than {floor}"
