"""Deployment files stay true to the code: the Dockerfile's paths and commands exist, the health check
works, the rotating log file rotates. A real image build runs only where Docker is usable (CI)."""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import re
import shlex
import shutil
import subprocess

import pytest

from bot.cli import build_parser, main
from bot.settings import PROJECT_ROOT, load_settings

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def exec_form(rest: str) -> list[str]:
    return json.loads(rest[rest.index("["):])


def dockerignored(path: str) -> bool:
    ignored = False
    for pattern in (PROJECT_ROOT / ".dockerignore").read_text().splitlines():
        pattern = pattern.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern + "/*") or \
                path.split("/")[0] == pattern:
            ignored = not negate
    return ignored


def test_dockerfile_copies_files_that_exist_and_are_not_ignored():
    copies = [rest for word, rest in instructions() if word == "COPY"]
    assert copies
    for rest in copies:
        *sources, _dest = shlex.split(rest)
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), f"Dockerfile copies missing {source}"
            assert not dockerignored(source), f".dockerignore excludes {source}, which the Dockerfile copies"


def test_dockerfile_runs_real_cli_commands_as_a_non_root_user_on_the_volume():
    found = dict(instructions())
    parser = build_parser()
    for word in ("CMD", "HEALTHCHECK"):
        argv = exec_form(found[word])
        assert argv[0] == "dramabot"
        parser.parse_args(argv[1:])  # exits (SystemExit) if the sub-command does not exist
    args = dict(rest.split("=", 1) for word, rest in instructions() if word == "ARG")
    assert found["FROM"] == "${BASE_IMAGE}" and args["BASE_IMAGE"] == "python:3.11-slim"
    assert found["USER"] not in ("root", "0")
    env = dict(re.findall(r"(\w+)=(\S+)", " ".join(rest for word, rest in instructions() if word == "ENV")))
    volume = exec_form(found["VOLUME"])[0]
    assert env["DATABASE_PATH"].startswith(volume + "/")
    settings = load_settings(env, dotenv=False)
    assert str(settings.database_path) == "/data/dramabot.sqlite3" and settings.heartbeat_seconds > 0
    assert env["CATALOG_PATH"].startswith("/app/")


def test_compose_uses_env_file_volume_and_restart_policy():
    text = (PROJECT_ROOT / "compose.yaml").read_text()
    for needle in ("env_file: .env", "dramabot-data:/data", "restart: unless-stopped",
                   "DATABASE_PATH: /data/dramabot.sqlite3", "CATALOG_PATH: /app/data/catalog.json.gz",
                   "init: true"):
        assert needle in text


def test_every_env_example_key_is_documented_in_deployment_docs():
    keys = re.findall(r"^([A-Z_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    doc = (PROJECT_ROOT / "docs" / "deployment.md").read_text()
    assert [k for k in keys if k not in doc] == []


def test_health_cli_reports_missing_and_good_databases(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HEARTBEAT_SECONDS", "0")
    db = tmp_path / "x.sqlite3"
    assert main(["health", "--database", str(db)]) == 1
    assert "no database" in capsys.readouterr().out
    assert main(["db", "upgrade", "--database", str(db)]) == 0
    assert main(["health", "--database", str(db)]) == 0
    monkeypatch.setenv("HEARTBEAT_SECONDS", "60")
    assert main(["health", "--database", str(db)]) == 1  # no heartbeat written yet
    assert "heartbeat" in capsys.readouterr().out
    assert main(["health", "--database", str(db), "--no-heartbeat"]) == 0
    db.write_bytes(b"not a database at all")
    assert main(["health", "--database", str(db), "--no-heartbeat"]) == 1


def test_the_log_file_rotates(tmp_path):
    from bot.logs import configure

    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        configure("INFO", tmp_path / "logs" / "bot.log")
        rotating = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert len(rotating) == 1 and rotating[0].backupCount == 5 and rotating[0].maxBytes == 10 * 1024 * 1024
        rotating[0].maxBytes = 200  # rotate quickly for the test
        for i in range(20):
            logging.getLogger("dramabot.test").info("line %d of a log file that must rotate", i)
        files = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert "bot.log" in files and "bot.log.1" in files and len(files) <= 6
        assert "line 19" in (tmp_path / "logs" / "bot.log").read_text()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def _docker_usable() -> bool:
    """The image test runs where Docker works and it was asked for: .ci/run asks when it could start Docker."""
    wanted = os.environ.get("DRAMABOT_DOCKER_TESTS") == "1" or bool(os.environ.get("CI"))
    if not wanted or not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def _docker(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, timeout=900)


@pytest.mark.skipif(not _docker_usable(), reason="needs a Docker engine (DRAMABOT_DOCKER_TESTS=1 or CI)")
def test_the_image_builds_runs_the_demo_as_non_root_and_keeps_the_database_on_the_volume():
    """The documented commands, for real: docker build, then docker run … dramabot demo."""
    image, volume = "dramabot:test", "dramabot-test-data"
    build = ["build", "-t", image]
    if base := os.environ.get("DRAMABOT_BASE_IMAGE"):  # a stand-in where Docker Hub is unreachable
        build += ["--build-arg", f"BASE_IMAGE={base}"]
    _docker(*build, str(PROJECT_ROOT))
    try:
        demo = _docker("run", "--rm", image, "dramabot", "demo")
        assert "In Lovely Runner (2024), Kim Hye Yoon plays Im Sol." in demo.stdout
        assert demo.stdout.rstrip().endswith("The demo is over.")
        assert "Traceback" not in demo.stdout + demo.stderr

        assert _docker("run", "--rm", image, "id", "-u").stdout.strip() == "10001"

        no_token = _docker("run", "--rm", image, check=False)  # CMD is `dramabot run`
        assert no_token.returncode == 2 and "DISCORD_TOKEN is not set" in no_token.stderr

        _docker("volume", "rm", "-f", volume)
        upgrade = _docker("run", "--rm", "-v", f"{volume}:/data", image, "dramabot", "db", "upgrade")
        assert "/data/dramabot.sqlite3" in upgrade.stdout
        health = _docker("run", "--rm", "-v", f"{volume}:/data", image, "dramabot", "health", "--no-heartbeat")
        assert health.returncode == 0
        # Configured the documented way (--env-file from .env.example): the shipped catalog is found.
        ask = _docker("run", "--rm", "--env-file", str(PROJECT_ROOT / ".env.example"),
                      "-e", "DATABASE_PATH=/data/dramabot.sqlite3", "-v", f"{volume}:/data", image,
                      "dramabot", "ask", "who plays Im Sol in Lovely Runner?")
        assert "Kim Hye Yoon plays Im Sol" in ask.stdout
        # The container's own health check needs the running bot's heartbeat: a fresh database is unhealthy.
        unhealthy = _docker("run", "--rm", "-v", f"{volume}:/data", image, "dramabot", "health", check=False)
        assert unhealthy.returncode == 1 and "heartbeat" in unhealthy.stdout
    finally:
        _docker("volume", "rm", "-f", volume, check=False)
        _docker("image", "rm", "-f", image, check=False)
