"""One settings module reads the environment; the README documents every variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from alur import settings

REQUIRED = {"ALUR_S3_ACCESS_KEY": "a", "ALUR_S3_SECRET_KEY": "b", "ALUR_SECRET_KEY": "c"}
README = Path(__file__).resolve().parents[2] / "README.md"


def test_defaults_are_loopback_and_local_files():
    loaded = settings.load(REQUIRED)
    assert loaded.zeebe_address == "127.0.0.1:26500"
    assert loaded.s3_endpoint.startswith("127.0.0.1:")
    assert loaded.web_host == "127.0.0.1"
    assert loaded.database_url.startswith("sqlite:///")
    assert loaded.worker_stream_enabled is True
    assert loaded.worker_max_running_jobs == 256


def test_missing_secrets_are_named():
    with pytest.raises(settings.SettingsError) as error:
        settings.load({"ALUR_S3_ACCESS_KEY": "a"})
    assert "ALUR_S3_SECRET_KEY" in str(error.value)
    assert "ALUR_SECRET_KEY" in str(error.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [("ALUR_WEB_PORT", "lima ribu"), ("ALUR_S3_SECURE", "mungkin"), ("ALUR_SMTP_PORT", "")],
)
def test_malformed_values_are_refused_or_defaulted(name: str, value: str):
    if value == "":
        assert settings.load({**REQUIRED, name: value}).smtp_port == 8025
        return
    with pytest.raises(settings.SettingsError) as error:
        settings.load({**REQUIRED, name: value})
    assert name in str(error.value)


def test_to_environ_round_trips():
    loaded = settings.load({**REQUIRED, "ALUR_WORKER_STREAM": "false", "ALUR_WEB_PORT": "5050"})
    assert settings.load(settings.to_environ(loaded)) == loaded


def test_readme_lists_every_variable():
    text = README.read_text()
    variables = [*settings.VARIABLES.values(), *settings.STACK_VARIABLES.values()]
    undocumented = [v.name for v in variables if f"`{v.name}`" not in text]
    assert undocumented == []
