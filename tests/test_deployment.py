"""The compose file brings up a healthy database before the API, and the API points at it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_has_a_health_check() -> None:
    services = compose()["services"]
    assert services, "no services defined"
    for name, service in services.items():
        assert "healthcheck" in service, f"service {name} has no health check"
        assert service["healthcheck"]["test"], f"service {name} has an empty health check"


def test_api_points_at_the_database_service() -> None:
    services = compose()["services"]
    api = services["api"]
    url = urlparse(api["environment"]["MUSTER_DATABASE_URL"].replace("+asyncpg", ""))
    assert url.hostname in services, f"{url.hostname} is not a compose service"
    assert url.scheme == "postgresql"
    assert api["depends_on"][url.hostname]["condition"] == "service_healthy"
    database = services[url.hostname]["environment"]
    assert (url.username, url.password, url.path.lstrip("/")) == (
        database["POSTGRES_USER"],
        database["POSTGRES_PASSWORD"],
        database["POSTGRES_DB"],
    )


def test_api_health_check_probes_readiness() -> None:
    check = " ".join(compose()["services"]["api"]["healthcheck"]["test"])
    assert "/readyz" in check


def test_nightly_job_publishes_the_coming_week_after_migrations() -> None:
    services = compose()["services"]
    nightly = services["nightly"]
    assert "muster optimize --from tomorrow --days 7" in nightly["command"]
    assert "--publish" in nightly["command"]
    assert nightly["depends_on"]["api"]["condition"] == "service_healthy"
    assert (
        nightly["environment"]["MUSTER_DATABASE_URL"]
        == (services["api"]["environment"]["MUSTER_DATABASE_URL"])
    )
