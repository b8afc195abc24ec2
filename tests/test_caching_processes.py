"""The page cache is correct across processes: a withdrawal takes effect at once
in every server, each with its own in-process cache, without any purge."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
ARTICLE = "/questions/how-much-sleep-do-teenagers-need/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server on port {port} exited: {server.stderr.read()}")
        try:
            fetch(port, "/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


@pytest.fixture
def site_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    } | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    return env


def manage_shell(env, code: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_a_withdrawal_reaches_every_server_process_at_once(site_env):
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                str(GUNICORN),
                "cms.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=PROJECT_DIR,
            env=site_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server)
        for port in ports:  # twice each: the second answer comes from its cache
            for _ in range(2):
                status, html = fetch(port, ARTICLE)
                assert status == 200
                assert "How much sleep do teenagers need?" in html

        manage_shell(
            site_env,
            "from django.contrib.auth import get_user_model\n"
            "from articles.review import workflow\n"
            "from articles.models import Article\n"
            "editor = get_user_model().objects.get(username='editor')\n"
            "article = Article.objects.get(slug='how-much-sleep-do-teenagers-need')\n"
            "workflow.unpublish(article, user=editor, comment='Safety review')\n",
        )

        for port in ports:
            status, html = fetch(port, ARTICLE)
            assert status == 410
            assert "This article has been withdrawn" in html
            status, home = fetch(port, "/")
            assert "How much sleep do teenagers need?" not in home
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
