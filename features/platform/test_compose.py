"""The production ``docker-compose.yml``, checked without Docker.

No Docker engine runs where Alur is developed, so the compose file is never started here.
These tests read it the way Compose does (PyYAML resolves anchors and ``<<`` merge keys; a
small function below substitutes ``${VAR}``, ``${VAR:?message}`` and ``${VAR:-default}`` from
the operator's environment, modelled by ``deploy/alur.env.example`` with dummy values) and
check the result against :mod:`alur.settings`, the one reader of the environment:

- every variable the code reads is set for migrate, workers and web, and parses;
- every host:port in that environment names a service on a shared network that listens there;
- the Zeebe brokers form one 3-node cluster and the gateway knows all of them, and run with
  the settings the local broker is tested with (``stack.zeebe.BROKER_FIXES``) and load Alur's
  exporter as it does (``stack.exporter``), into the database the app services use;
- only the S3 and web ports are published, on 127.0.0.1; the rest sits on internal networks;
- images are pinned, secrets come only from the operator's environment;
- every SeaweedFS container mounts a security.toml holding the four JWT keys.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from alur import settings
from stack import exporter, zeebe

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / "deploy" / "alur.env.example"
#: The brokers' image: Camunda's with Alur's exporter added, built from this folder.
BROKER_BUILD = "./exporter"
BROKER_DOCKERFILE = ROOT / "exporter" / "Dockerfile"
PYPROJECT = ROOT / "pyproject.toml"

APP_SERVICES = ("migrate", "workers", "web")
ZEEBE_IMAGE = "camunda/zeebe:"
SEAWEED_IMAGE = "chrislusf/seaweedfs:"
POSTGRES_IMAGE = "postgres:"
#: Where SeaweedFS looks for security.toml in its image (working directory /data, user seaweed).
SECURITY_TOML_PATHS = {
    "/data/security.toml",
    "/home/seaweed/.seaweedfs/security.toml",
    "/usr/local/etc/seaweedfs/security.toml",
    "/etc/seaweedfs/security.toml",
}
JWT_SECTIONS = ("signing", "signing.read", "filer_signing", "filer_signing.read")
#: (service, container port) pairs that may be published on the host.
PUBLISHABLE = {("seaweed-s3", 8333), ("web", 5000)}
SECRET_NAME = re.compile(r"KEY|SECRET|PASSWORD|TOKEN", re.IGNORECASE)
REQUIRED_INTERPOLATION = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}")
#: A value that is one interpolation and nothing else: the operator chooses it (external host).
WHOLLY_INTERPOLATED = re.compile(r"\$\{[^}]*\}")
#: ``"name" = "value"`` / ``"name": "value"`` pairs in rendered config files (TOML, JSON).
QUOTED_ASSIGNMENT = re.compile(r'"?(?P<name>[A-Za-z_][\w.]*)"?\s*[:=]\s*"(?P<value>[^"]*)"')
DEFAULT_PORTS = {"http": 80, "https": 443, "postgresql": 5432, "postgresql+psycopg": 5432}

_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(LookupError):
    """A ``${VAR:?message}`` interpolation found VAR unset: Compose would refuse to start."""


def interpolate(text: str, environ: Mapping[str, str]) -> str:
    """Substitute Compose interpolations in ``text`` from ``environ``, as Compose does."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["name"] or match["bare"]
        value = environ.get(name)
        op, arg = match["op"], match["arg"] or ""
        # With a colon the operator treats an empty value like an unset one.
        absent = not value if op is None or op.startswith(":") else value is None
        if op is None:
            return value or ""
        if op.endswith("-"):
            return arg if absent else str(value)
        if op.endswith("?"):
            if absent:
                raise MissingVariable(f"{name}: {arg}")
            return str(value)
        return "" if absent else arg  # ":+" / "+"

    return _INTERPOLATION.sub(replace, text)


def resolve(node: Any, environ: Mapping[str, str]) -> Any:
    """Interpolate every string value of a loaded compose document (keys stay as they are)."""
    if isinstance(node, str):
        return interpolate(node, environ)
    if isinstance(node, Mapping):
        return {key: resolve(value, environ) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, environ) for item in node]
    return node


def strings_in(node: Any) -> Iterator[str]:
    """Every string value of a loaded compose document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def read_env_example() -> dict[str, str]:
    """The operator's environment: ``deploy/alur.env.example``, empty values made dummies."""
    environ: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep, f"{ENV_EXAMPLE.name}: not NAME=value: {line!r}"
        environ[name.strip()] = value.strip() or f"dummy-{name.strip().lower()}"
    return environ


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The compose file as written, interpolations still in place."""
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def operator_env() -> dict[str, str]:
    return read_env_example()


@pytest.fixture(scope="module")
def compose(raw: dict[str, Any], operator_env: dict[str, str]) -> dict[str, Any]:
    """The compose file as Compose sees it with the operator's environment."""
    resolved = resolve(raw, operator_env)
    assert isinstance(resolved, dict)
    return resolved


def services_of(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    services = document.get("services")
    assert isinstance(services, dict) and services, "no services"
    return services


def env_of(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment as strings, from either the mapping or the list syntax."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        pairs = (str(item).partition("=") for item in environment)
        return {name: value for name, _, value in pairs}
    return {str(name): "" if value is None else str(value) for name, value in environment.items()}


def argv_of(service: Mapping[str, Any], key: str) -> list[str]:
    value = service.get(key) or []
    return shlex.split(value) if isinstance(value, str) else [str(arg) for arg in value]


def networks_of(service: Mapping[str, Any]) -> set[str]:
    return set(service.get("networks") or ["default"])


def flag(argv: list[str], name: str) -> str | None:
    """The value of ``-name=value`` in a SeaweedFS command line (last one wins, as in Go)."""
    values = [arg.split("=", 1)[1] for arg in argv if arg.startswith(f"-{name}=")]
    return values[-1] if values else None


def zeebe_version_of(service: Mapping[str, Any]) -> str | None:
    """The Zeebe version a service runs: its ``camunda/zeebe`` image's tag, or the version its
    image is built from (``exporter/Dockerfile``: Camunda's image plus Alur's exporter)."""
    image = str(service.get("image", ""))
    if image.startswith(ZEEBE_IMAGE):
        return image.removeprefix(ZEEBE_IMAGE)
    build = service.get("build")
    if isinstance(build, Mapping) and build.get("context") == BROKER_BUILD:
        return str((build.get("args") or {})["ZEEBE_VERSION"])
    return None


def is_broker(service: Mapping[str, Any]) -> bool:
    return zeebe_version_of(service) is not None and not is_gateway(service)


def is_gateway(service: Mapping[str, Any]) -> bool:
    argv = argv_of(service, "entrypoint") + argv_of(service, "command")
    standalone = env_of(service).get("ZEEBE_STANDALONE_GATEWAY") == "true"
    return str(service.get("image", "")).startswith(ZEEBE_IMAGE) and (
        standalone or any(arg.endswith("/bin/gateway") for arg in argv)
    )


def seaweed_role(service: Mapping[str, Any]) -> str | None:
    """``master``, ``volume``, ``filer``, ``s3``... for a SeaweedFS container, else None."""
    if not str(service.get("image", "")).startswith(SEAWEED_IMAGE):
        return None
    argv = argv_of(service, "command")
    return argv[0] if argv else "mini"


def listening_ports(service: Mapping[str, Any]) -> set[int]:
    """The ports a service's process listens on, from its image defaults and its settings."""
    image = str(service.get("image", ""))
    env = env_of(service)
    if is_gateway(service):
        return {
            int(env.get("ZEEBE_GATEWAY_NETWORK_PORT", "26500")),
            int(env.get("SERVER_PORT", "8080")),
            int(env.get("MANAGEMENT_SERVER_PORT", "9600")),
            int(env.get("ZEEBE_GATEWAY_CLUSTER_PORT", "26502")),
        }
    if is_broker(service):
        return {
            int(env.get("ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT", "26501")),
            int(env.get("ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT", "26502")),
            int(env.get("MANAGEMENT_SERVER_PORT", "9600")),
        }
    role = seaweed_role(service)
    if role is not None:
        defaults = {"master": 9333, "volume": 8080, "filer": 8888, "s3": 8333}
        assert role in defaults, f"unexpected SeaweedFS role {role!r}"
        port = int(flag(argv_of(service, "command"), "port") or defaults[role])
        return {port, port + 10000}  # HTTP and its gRPC twin
    if image.startswith(POSTGRES_IMAGE):
        return {int(env.get("PGPORT", "5432"))}
    raise AssertionError(f"no idea which ports image {image!r} listens on")


def endpoints(raw_env: Mapping[str, str], env: Mapping[str, str]) -> Iterator[tuple[str, str, int]]:
    """(variable, host, port) for every host:port or URL value the compose file chooses."""
    for name, value in env.items():
        if WHOLLY_INTERPOLATED.fullmatch(raw_env.get(name, "")):
            continue  # the operator's own host (SMTP relay, public URL): outside the project
        if "://" in value:
            parts = urlsplit(value)
            assert parts.hostname, f"{name}={value!r} has no host"
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
            assert port, f"{name}={value!r}: no port and unknown scheme"
            yield name, parts.hostname, port
        elif re.fullmatch(r"[A-Za-z0-9.-]+:\d+", value):
            host, _, port_text = value.rpartition(":")
            yield name, host, int(port_text)


def published(service: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(host address, container port) of every port a service publishes on the host."""
    result = []
    for entry in service.get("ports") or []:
        if isinstance(entry, Mapping):
            result.append((str(entry.get("host_ip", "")), int(entry["target"])))
            continue
        parts = str(entry).split("/")[0].rsplit(":", 2)
        host_ip = parts[0] if len(parts) == 3 else ""
        result.append((host_ip, int(parts[-1])))
    return result


def mounted_files(document: Mapping[str, Any], service: Mapping[str, Any]) -> dict[str, str]:
    """Container path -> content of every config, secret and bind-mounted file of a service."""
    files: dict[str, str] = {}
    for kind, default_dir in (("configs", "/"), ("secrets", "/run/secrets/")):
        for entry in service.get(kind) or []:
            source = entry if isinstance(entry, str) else entry["source"]
            target = entry.get("target") if isinstance(entry, Mapping) else None
            definition = document[kind][source]
            if "content" in definition:
                content = definition["content"]
            else:
                content = (ROOT / definition["file"]).read_text(encoding="utf-8")
            files[target or default_dir + source] = content
    for entry in service.get("volumes") or []:
        if isinstance(entry, Mapping):
            source, target = str(entry.get("source", "")), str(entry["target"])
        else:
            source, _, rest = str(entry).partition(":")
            target = rest.split(":")[0]
        if source.startswith((".", "/")) and (ROOT / source).is_file():
            files[target] = (ROOT / source).read_text(encoding="utf-8")
    return files


# (a) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_setting_is_set_for_the_app_services(compose: dict[str, Any], name: str) -> None:
    env = env_of(services_of(compose)[name])
    expected = {var.name for var in settings.VARIABLES.values()}
    assert not expected - env.keys(), f"{name} leaves these to local defaults"
    unknown = {var for var in env if var.startswith(("ALUR_", "ZEEBE_"))} - expected
    assert not unknown, f"{name} sets variables alur.settings does not know (typos?)"


def test_app_services_share_one_environment(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    first, *others = (env_of(services[name]) for name in APP_SERVICES)
    for name, env in zip(APP_SERVICES[1:], others, strict=True):
        assert env == first, f"{name} differs from {APP_SERVICES[0]}"


# (b) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_settings_load_the_compose_environment(compose: dict[str, Any], name: str) -> None:
    env = env_of(services_of(compose)[name])
    empty = {var for var, value in env.items() if value == ""}
    assert not empty, "empty values silently fall back to the local defaults"
    loaded = settings.load(env)
    assert loaded.web_host == "0.0.0.0"
    assert loaded.database_url.startswith("postgresql+psycopg://")
    assert loaded.data_dir == Path("/var/lib/alur")
    for var, value in settings.to_environ(loaded).items():
        # Inside a container, loopback is the container itself.
        assert "127.0.0.1" not in value and "localhost" not in value, f"{var}={value!r}"


def test_interpolation_follows_compose() -> None:
    environ = {"SET": "x", "EMPTY": ""}
    assert interpolate("a${SET}b$SET$$", environ) == "axbx$"
    assert interpolate("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}", environ) == "d||d"
    assert interpolate("${SET:+y}|${EMPTY:+y}|${EMPTY+y}", environ) == "y||y"
    with pytest.raises(MissingVariable, match="EMPTY: say so"):
        interpolate("${EMPTY:?say so}", environ)
    assert interpolate("${EMPTY?fine}", environ) == ""


# (c) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_addresses_name_services_that_listen_there(
    raw: dict[str, Any], compose: dict[str, Any], name: str
) -> None:
    services = services_of(compose)
    client = services[name]
    raw_env = env_of(services_of(raw)[name])
    checked = set()
    for var, host, port in endpoints(raw_env, env_of(client)):
        assert host in services, f"{var}: no service {host!r} in the compose file"
        target = services[host]
        assert port in listening_ports(target), f"{var}: {host} does not listen on {port}"
        assert networks_of(client) & networks_of(target), f"{var}: {name} cannot reach {host}"
        checked.add(var)
    assert checked >= {
        "ZEEBE_ADDRESS",
        "ALUR_ZEEBE_REST_URL",
        "ALUR_ZEEBE_MANAGEMENT_URL",
        "ALUR_S3_ENDPOINT",
        "ALUR_DATABASE_URL",
    }


def test_zeebe_clients_use_the_gateway_and_s3_the_s3_gateway(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    loaded = settings.load(env_of(services["workers"]))
    for address in (loaded.zeebe_address, loaded.zeebe_rest_url, loaded.zeebe_management_url):
        host = urlsplit(address if "://" in address else f"//{address}").hostname
        assert host is not None and is_gateway(services[host]), address
    assert seaweed_role(services[loaded.s3_endpoint.rpartition(":")[0]]) == "s3"


def test_database_url_matches_the_postgres_service(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    url = urlsplit(settings.load(env_of(services["workers"])).database_url)
    assert url.hostname is not None
    database = env_of(services[url.hostname])
    assert url.username == database["POSTGRES_USER"]
    assert url.password == database["POSTGRES_PASSWORD"]
    assert url.path == "/" + database["POSTGRES_DB"]


def test_web_listens_where_settings_and_ports_say(compose: dict[str, Any]) -> None:
    web = services_of(compose)["web"]
    loaded = settings.load(env_of(web))
    argv = argv_of(web, "command")
    assert argv[0] == "gunicorn"
    assert argv[argv.index("--bind") + 1] == f"{loaded.web_host}:{loaded.web_port}"
    assert [port for _, port in published(web)] == [loaded.web_port]


# (d) ---------------------------------------------------------------------------------------


def brokers_of(compose: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {name: env_of(s) for name, s in services_of(compose).items() if is_broker(s)}


def test_zeebe_brokers_form_one_three_node_cluster(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    brokers = brokers_of(compose)
    assert len(brokers) == 3
    node_ids = sorted(int(env["ZEEBE_BROKER_CLUSTER_NODEID"]) for env in brokers.values())
    assert node_ids == [0, 1, 2]
    for name, env in brokers.items():
        assert env["ZEEBE_BROKER_CLUSTER_CLUSTERSIZE"] == str(len(brokers)), name
        assert env["ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT"] == "3", name
        assert env["ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR"] == "3", name
        assert env["ZEEBE_BROKER_GATEWAY_ENABLE"] == "false", name
        assert env["ZEEBE_BROKER_NETWORK_HOST"] == "0.0.0.0", name
        assert env["ZEEBE_BROKER_NETWORK_ADVERTISEDHOST"] == name
        health = " ".join(argv_of(services[name].get("healthcheck") or {}, "test"))
        assert "/actuator/health/readiness" in health and "9600" in health, name
    contact_points = {env["ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS"] for env in brokers.values()}
    assert len(contact_points) == 1, "brokers disagree on the contact points"
    assert set(contact_points.pop().split(",")) == {f"{name}:26502" for name in brokers}
    assert len({env.get("ZEEBE_BROKER_CLUSTER_CLUSTERNAME") for env in brokers.values()}) == 1
    data_volumes = [
        volume.partition(":")[0]
        for name in brokers
        for volume in services[name].get("volumes") or []
        if str(volume).endswith(":/usr/local/zeebe/data")
    ]
    assert len(set(data_volumes)) == 3, "each broker needs a data volume of its own"


def test_every_broker_runs_with_the_local_brokers_fixes(compose: dict[str, Any]) -> None:
    """What the tests prove on the local broker holds in the cluster (``BROKER_FIXES``)."""
    for name, env in brokers_of(compose).items():
        for key, value in zeebe.BROKER_FIXES.items():
            assert env.get(key) == value, f"{name}: {key} must be {value!r}"


def test_the_cluster_runs_the_zeebe_version_the_local_stack_runs(
    compose: dict[str, Any],
) -> None:
    """One version everywhere: the compose images are the launcher's default (8.5.8, whose
    licence allows production) and that version's SHA-256 is pinned."""
    version = settings.STACK_VARIABLES["zeebe_version"].default
    services = services_of(compose).values()
    versions = [zeebe_version_of(service) for service in services]
    assert len([v for v in versions if v is not None]) == 4  # three brokers and the gateway
    assert set(versions) - {None} == {version}
    dockerfile = BROKER_DOCKERFILE.read_text(encoding="utf-8")
    assert f"ARG ZEEBE_VERSION={version}\n" in dockerfile
    assert "FROM camunda/zeebe:${ZEEBE_VERSION}\n" in dockerfile
    assert version in zeebe.KNOWN_SHA256


def test_every_broker_loads_alurs_exporter_into_the_apps_database(compose: dict[str, Any]) -> None:
    """The same exporter, class and settings as the local broker's, writing to the database
    ALUR_DATABASE_URL names, from the jar the broker image carries."""
    services = services_of(compose)
    database_url = settings.load(env_of(services["workers"])).database_url
    jar = "/usr/local/zeebe/exporters/alur-exporter.jar"
    expected = exporter.broker_environ(jar, exporter.jdbc_target(database_url))
    assert expected["ZEEBE_BROKER_EXPORTERS_ALUR_CLASSNAME"] == exporter.CLASS_NAME
    dockerfile = BROKER_DOCKERFILE.read_text(encoding="utf-8")
    assert f"COPY --from=build /build/target/{exporter.JAR} {jar}\n" in dockerfile
    host = urlsplit(database_url).hostname
    assert host is not None
    for name, env in brokers_of(compose).items():
        loaded = {k: v for k, v in env.items() if k.startswith("ZEEBE_BROKER_EXPORTERS_")}
        assert loaded == expected, name
        assert 5432 in listening_ports(services[host])
        assert networks_of(services[name]) & networks_of(services[host]), f"{name} -> {host}"


def test_the_standalone_gateway_joins_every_broker(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    brokers = brokers_of(compose)
    gateways = [name for name, service in services.items() if is_gateway(service)]
    assert gateways == ["zeebe-gateway"]
    gateway = services["zeebe-gateway"]
    env = env_of(gateway)
    contact_points = env["ZEEBE_GATEWAY_CLUSTER_INITIALCONTACTPOINTS"].split(",")
    assert set(contact_points) == {f"{name}:26502" for name in brokers}
    broker_cluster = {b.get("ZEEBE_BROKER_CLUSTER_CLUSTERNAME") for b in brokers.values()}
    assert {env.get("ZEEBE_GATEWAY_CLUSTER_CLUSTERNAME")} == broker_cluster
    advertised = (
        env.get("ZEEBE_GATEWAY_CLUSTER_ADVERTISEDHOST") or env["ZEEBE_GATEWAY_CLUSTER_HOST"]
    )
    assert advertised == "zeebe-gateway"
    for name in brokers:
        assert networks_of(gateway) & networks_of(services[name]), f"gateway cannot reach {name}"
    health = " ".join(argv_of(gateway.get("healthcheck") or {}, "test"))
    assert "/actuator/health/readiness" in health and "9600" in health


# (e) ---------------------------------------------------------------------------------------


def test_only_s3_and_web_are_published_and_only_on_loopback(compose: dict[str, Any]) -> None:
    exposed = set()
    for name, service in services_of(compose).items():
        assert service.get("network_mode") != "host", f"{name} shares the host's network"
        for host_ip, port in published(service):
            assert host_ip == "127.0.0.1", f"{name}:{port} is published beyond loopback"
            exposed.add((name, port))
    assert exposed <= PUBLISHABLE, "only the S3 and web ports may be published"
    assert ("seaweed-s3", 8333) in exposed


def test_unauthenticated_backends_sit_on_internal_networks(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    networks = compose.get("networks") or {}
    backends = [
        name
        for name, service in services.items()
        if is_broker(service)
        or seaweed_role(service) in {"master", "volume", "filer"}
        or str(service.get("image", "")).startswith(POSTGRES_IMAGE)
    ]
    assert len(backends) >= 8
    for name in backends:
        for network in networks_of(services[name]):
            assert (networks.get(network) or {}).get("internal") is True, f"{name} on {network}"


# (f) ---------------------------------------------------------------------------------------


def test_every_image_is_pinned(compose: dict[str, Any]) -> None:
    version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    for name, service in services_of(compose).items():
        image = str(service.get("image", ""))
        assert image, f"{name} has no image name"
        tag = image.split("@")[0].rpartition("/")[2].partition(":")[2]
        assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image} not pinned"
        if "build" in service:
            assert tag == version, f"{name}: tag the image built here {version}"


def test_secrets_come_only_from_the_operators_environment(raw: dict[str, Any]) -> None:
    checked = 0
    for name, service in services_of(raw).items():
        for var, value in env_of(service).items():
            if SECRET_NAME.search(var):
                assert REQUIRED_INTERPOLATION.fullmatch(value), f"{name}: {var} is literal"
                checked += 1
            userinfo = re.search(r"://[^:/@]+:(?P<password>[^@]*)@", value)
            if userinfo:
                password = userinfo["password"]
                assert REQUIRED_INTERPOLATION.fullmatch(password), f"{name}: {var} password"
    for config_name, config in (raw.get("configs") or {}).items():
        for match in QUOTED_ASSIGNMENT.finditer(str(config.get("content", ""))):
            if SECRET_NAME.search(match["name"]):
                assert REQUIRED_INTERPOLATION.fullmatch(match["value"]), config_name
                checked += 1
    assert checked >= 6


def test_compose_refuses_to_start_without_each_required_variable(
    raw: dict[str, Any], operator_env: dict[str, str]
) -> None:
    text = "\n".join(strings_in(raw))  # comments are not interpolated, so not scanned
    required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", text))
    assert required == set(operator_env), "deploy/alur.env.example must list exactly these"
    assert {"ALUR_S3_SECRET_KEY", "ALUR_SECRET_KEY", "ALUR_DB_PASSWORD"} <= required
    for name in sorted(required):
        without = {var: value for var, value in operator_env.items() if var != name}
        with pytest.raises(MissingVariable, match=name):
            resolve(raw, without)


# (g) ---------------------------------------------------------------------------------------


def test_every_seaweedfs_container_mounts_security_toml(compose: dict[str, Any]) -> None:
    roles: list[str] = []
    for name, service in services_of(compose).items():
        role = seaweed_role(service)
        if role is None:
            continue
        roles.append(role)
        files = mounted_files(compose, service)
        mounted = SECURITY_TOML_PATHS & files.keys()
        assert mounted, f"{name} mounts no security.toml: its ports would serve anonymously"
        security = tomllib.loads(files[mounted.pop()])
        keys = []
        for section in JWT_SECTIONS:
            table = security["jwt"]
            for part in section.split("."):
                table = table.get(part, {})
            assert table.get("key"), f"{name}: no key under [jwt.{section}]"
            keys.append(table["key"])
        assert len(set(keys)) == len(keys), f"{name}: reuse of one JWT key"
    assert sorted(set(roles)) == ["filer", "master", "s3", "volume"]
    assert roles.count("volume") >= 2


def test_s3_gateway_knows_the_apps_credentials(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    s3 = next(service for service in services.values() if seaweed_role(service) == "s3")
    argv = argv_of(s3, "command")
    config = flag(argv, "config")
    assert config is not None, "without -config the S3 gateway accepts anonymous requests"
    identities = json.loads(mounted_files(compose, s3)[config])["identities"]
    credentials = {(c["accessKey"], c["secretKey"]) for i in identities for c in i["credentials"]}
    loaded = settings.load(env_of(services["workers"]))
    assert (loaded.s3_access_key, loaded.s3_secret_key) in credentials
    assert flag(argv, "filer") in {f"{name}:8888" for name in services}


def test_seaweedfs_reports_nothing_home(compose: dict[str, Any]) -> None:
    masters = [s for s in services_of(compose).values() if seaweed_role(s) == "master"]
    assert masters
    for master in masters:
        assert flag(argv_of(master, "command"), "telemetry") == "false"


def test_migrate_runs_before_workers_and_web(compose: dict[str, Any]) -> None:
    services = services_of(compose)
    assert argv_of(services["migrate"], "command") == ["python", "-m", "storage.migrate"]
    assert argv_of(services["workers"], "command") == ["python", "-m", "workers"]
    assert services["workers"]["deploy"]["replicas"] >= 2
    for name in ("workers", "web"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
