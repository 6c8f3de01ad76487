"""The production stack is described by files no engine runs here; check them for real."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


ENVIRONMENT_READ = re.compile(r'(?:env_bool|env_list|environ\.get)\(\s*"([A-Z_]+)"')


def settings_environment_names() -> set[str]:
    """Every environment variable config/settings.py reads."""
    return set(ENVIRONMENT_READ.findall((ROOT / "config" / "settings.py").read_text()))


def test_compose_file_follows_the_compose_specification():
    tool = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [tool, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_passes_hadolint():
    tool = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [tool, str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stack_has_web_worker_beat_database_and_redis():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "--app", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "--app", "config", "beat"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["DATABASE_URL"].endswith("@db:5432/pressroom")
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    for name in ("web", "db", "redis"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat", "db", "redis"):
        assert services[name]["restart"] == "unless-stopped", name


def test_data_lives_in_named_volumes():
    document = compose()
    for service in ("db", "redis"):
        volume = document["services"][service]["volumes"][0].split(":")[0]
        assert volume in document["volumes"], service


@pytest.mark.parametrize("name", sorted(settings_environment_names()))
def test_env_example_names_every_setting_the_project_reads(name):
    example = (ROOT / ".env.example").read_text()
    compose_sets = {"DATABASE_URL", "REDIS_URL"}
    assert name in compose_sets or re.search(rf"^{name}=", example, re.MULTILINE), name


def test_settings_names_found():
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "REDIS_URL"} <= (
        settings_environment_names()
    )
