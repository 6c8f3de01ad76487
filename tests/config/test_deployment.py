"""The production stack is described by files no engine runs here; check them for real:
against the Compose specification and hadolint, and against the settings they configure."""

import ast
import json
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.urls import resolve

from config.health import healthz, readyz
from scripts import healthcheck

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by docker-compose.yml (`${NAME}`) or by Compose itself, not by Pressroom.
GUNICORN = ["gunicorn", "--config", "python:config.gunicorn", "config.wsgi:application"]
COMPOSE_VARIABLES = {"POSTGRES_PASSWORD", "COMPOSE_PROFILES", "PRESSROOM_IMAGE_EXTRAS"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def settings_environment_names() -> set[str]:
    """Every environment variable config/settings.py reads, found in its syntax tree."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else function.id
            receiver = ast.unparse(function.value) if isinstance(function, ast.Attribute) else ""
            reads_environment = name in {"env_bool", "env_list"} or (
                name in {"get", "getenv"} and receiver in {"os.environ", "os"}
            )
            if reads_environment and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(ast.literal_eval(node.slice))
    return names


def test_settings_names_found():
    names = settings_environment_names()
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"} <= names
    assert {"REDIS_URL", "SENTRY_DSN", "PRESSROOM_LOGIN_FAILURE_LIMIT"} <= names
    assert "DJANGO_SETTINGS_MODULE" not in names


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
    assert services["web"]["command"] == GUNICORN
    assert services["worker"]["command"][:4] == ["celery", "--app", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "--app", "config", "beat"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["DATABASE_URL"].endswith("@db:5432/pressroom")
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert services[name]["env_file"] == ".env"
    for name in ("web", "worker", "db", "redis", "libretranslate"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat", "db", "redis", "libretranslate"):
        assert services[name]["restart"] == "unless-stopped", name
    assert services["migrate"]["restart"] == "no"  # runs once before the others


def test_redis_evicts_only_the_cache_when_memory_runs_out():
    command = compose()["services"]["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=True))
    assert options["--maxmemory-policy"] == "volatile-lru"  # keys with a timeout only
    assert options["--maxmemory"].endswith("mb")
    assert options["--appendonly"] == "yes"  # queued work survives a restart


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_sets_only_settings_pressroom_reads(service):
    environment = compose()["services"][service]["environment"]
    assert set(environment) <= settings_environment_names()


def test_data_lives_in_named_volumes():
    document = compose()
    mounted = set()
    for name, service in document["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source in document["volumes"], f"{name} mounts {source}, not a named volume"
            mounted.add(source)
    assert {"postgres-data", "redis-data"} <= mounted
    assert mounted == set(document["volumes"]), "a declared volume nobody mounts"


@pytest.mark.parametrize("name", sorted(settings_environment_names()))
def test_env_example_names_every_setting_the_project_reads(name):
    if name in {"DATABASE_URL", "REDIS_URL"}:
        # Compose builds both from its own services; .env.example says so.
        assert name in compose()["x-app"]["environment"]
        assert re.search(rf"^# .*\b{name}\b", (ROOT / ".env.example").read_text(), re.MULTILINE)
    else:
        assert name in env_example()


def test_env_example_names_nothing_that_nobody_reads():
    compose_text = (ROOT / "docker-compose.yml").read_text()
    for name in env_example():
        if name in COMPOSE_VARIABLES:
            assert name.startswith("COMPOSE_") or f"${{{name}" in compose_text, name
        else:
            assert name in settings_environment_names(), f"{name} is read by nothing"


def test_env_example_is_a_production_configuration():
    example = env_example()
    assert example["DJANGO_DEBUG"] == "0"
    assert example["DJANGO_SECRET_KEY"] == example["POSTGRES_PASSWORD"] == ""  # no defaults
    assert example["DJANGO_SECURE_SSL_REDIRECT"] == "1"
    assert int(example["DJANGO_SECURE_HSTS_SECONDS"]) >= 31536000
    assert example["DJANGO_LOG_FORMAT"] == "json"
    assert example["PRESSROOM_LOGIN_LOCKOUT"] == "1"


def test_libretranslate_runs_only_with_its_profile_at_the_address_pressroom_is_given():
    services = compose()["services"]
    service = services["libretranslate"]
    assert service["profiles"] == ["translation"]
    assert "ports" not in service  # reached by the worker inside the network only
    address = urlsplit(env_example()["PRESSROOM_LIBRETRANSLATE_URL"])
    assert (address.hostname, address.port) == ("libretranslate", 5000)
    # No app service may depend on it: without the profile, Compose would refuse to start.
    for name in APP_SERVICES:
        assert "libretranslate" not in services[name].get("depends_on", {}), name
    compose_text = (ROOT / "docker-compose.yml").read_text()
    for line in (
        "COMPOSE_PROFILES=translation",
        "PRESSROOM_TRANSLATION_ENGINE=libretranslate",
        "PRESSROOM_LIBRETRANSLATE_URL=http://libretranslate:5000",
    ):
        assert line in compose_text, line


def test_web_healthcheck_probes_readiness_through_the_real_url():
    probe = compose()["services"]["web"]["healthcheck"]["test"]
    assert probe[:3] == ["CMD", "python", "scripts/healthcheck.py"]
    assert (ROOT / probe[2]).is_file()
    assert resolve(probe[3]).func is readyz
    assert resolve("/healthz").func is healthz


def test_worker_healthcheck_pings_this_worker_through_the_broker():
    probe = compose()["services"]["worker"]["healthcheck"]["test"]
    assert probe[0] == "CMD-SHELL"
    assert probe[1].startswith("celery --app config inspect ping --destination celery@$$HOSTNAME")


# live_server flushes the database after the test; serialized rollback puts the seeded
# regions and content types back as the later tests expect them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_healthcheck_script_asks_as_the_site_and_fails_on_anything_but_200(
    live_server, settings, monkeypatch, capsys
):
    port = int(urlsplit(live_server.url).port)
    settings.ALLOWED_HOSTS = ["press.example.kz"]
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "press.example.kz, www.press.example.kz")
    assert healthcheck.main("/healthz", port=port) == 0

    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "other.example.kz")
    assert healthcheck.main("/healthz", port=port) == 1
    assert "/healthz: 400" in capsys.readouterr().err


def test_the_healthcheck_script_fails_when_nothing_listens():
    with socket.socket() as bound_only:
        bound_only.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        assert healthcheck.main("/healthz", port=bound_only.getsockname()[1]) == 1


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), split into stages."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    instructions = [line.strip() for line in text.splitlines() if line.strip()]
    stages: list[list[str]] = []
    for instruction in instructions:
        if instruction.startswith("#"):
            continue
        if instruction.startswith("FROM "):
            stages.append([])
        stages[-1].append(instruction)
    return stages


def test_image_is_built_in_stages_and_runs_as_a_non_root_user():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    final = stages[-1]
    users = [instruction.split()[1] for instruction in final if instruction.startswith("USER ")]
    assert users, "the final stage sets no USER, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    created = next(instruction for instruction in final if "useradd" in instruction)
    assert f"--uid {user}" in created
    # The code is not the runtime user's to change.
    assert not any("--chown" in instruction for instruction in final)


def test_image_collects_static_files_and_compiles_catalogues():
    build_steps = " ".join(dockerfile_stages()[-1])
    assert "manage.py collectstatic --no-input" in build_steps
    assert "scripts/compilemessages.py locale" in build_steps
    cmd = next(line for line in dockerfile_stages()[-1] if line.startswith("CMD "))
    assert json.loads(cmd.removeprefix("CMD ")) == GUNICORN


def test_image_extras_build_argument_names_real_extras():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = extras["optional-dependencies"]
    build = " ".join(dockerfile_stages()[0])
    assert 'ARG EXTRAS=""' in build
    assert "-c dev.txt" in build  # the extras get the pinned versions
    dockerfile = (ROOT / "Dockerfile").read_text()
    for documented in ("offline-translation", "sentry"):
        assert documented in extras, documented
        assert documented in dockerfile, documented
    assert compose()["x-app"]["build"]["args"]["EXTRAS"] == "${PRESSROOM_IMAGE_EXTRAS:-}"


def test_secrets_and_local_data_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "db.sqlite3", "backups"} <= ignored


def test_gunicorn_the_image_the_compose_file_and_the_healthcheck_agree_on_the_port():
    from config import gunicorn

    port = int(gunicorn.bind.rsplit(":", 1)[1])
    exposed = next(line for line in dockerfile_stages()[-1] if line.startswith("EXPOSE "))
    assert exposed == f"EXPOSE {port}"
    assert compose()["services"]["web"]["ports"] == [f"{port}:{port}"]
    assert port == healthcheck.PORT
