"""nginx and gunicorn as shipped (deploy/) in front of the site: forged
forwarding headers change nothing.

One gunicorn (deploy/gunicorn.conf.py, DJANGO_BEHIND_PROXY=true) behind one
nginx (deploy/nginx/health.conf), both on free ports of 127.0.0.1, serve the
whole module. The site file runs as shipped except for the values every
deployment changes (ports, upstream, certificate and cache paths:
deploy/stack/nginx.py, which the stack uses too); the snippets, the header
rules in health-proxy.conf among them, are used unchanged.
gunicorn uses the leg's kind of database: a SQLite file, or on the PostgreSQL
leg a database of its own on the same server (pytest-django's test_ database
is left to the other tests, which expect it empty).

Needs Debian's nginx and openssl. .ci/install-nginx installs them when
CI=true (make test runs it first); outside CI the module is skipped without
them, with the reason in pytest's summary, and in CI every test here fails.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from deploy.stack import nginx as nginx_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_DIR / "deploy"
GUNICORN = Path(sys.executable).parent / "gunicorn"
NGINX = Path(os.environ.get("NGINX_PATH") or "/usr/sbin/nginx")
SERVER_NAME = "health.example"  # the shipped file's name, kept as it is
FAILURE_LIMIT = 3
ADMIN_PASSWORD = secrets.token_urlsafe(16)
AXES_TABLES = ["axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"]

# Test-only access log: what gunicorn handed Django (environ keys), one line
# per request, so a test can see the headers nginx really sent.
LOGGED = {
    "probe": "{query_string}e",
    "peer": "h",
    "scheme": "{wsgi.url_scheme}e",
    "host": "{http_host}e",
    "x-forwarded-for": "{http_x_forwarded_for}e",
    "x-real-ip": "{http_x_real_ip}e",
    "x-forwarded-proto": "{http_x_forwarded_proto}e",
    "x-forwarded-host": "{http_x_forwarded_host}e",
    "x-forwarded-port": "{http_x_forwarded_port}e",
    "x-forwarded-ssl": "{http_x_forwarded_ssl}e",
    "x-forwarded-protocol": "{http_x_forwarded_protocol}e",
    "forwarded": "{http_forwarded}e",
    "proxy": "{http_proxy}e",
}
ACCESS_LOG_FORMAT = "\t".join(f"{key}=%({atom})s" for key, atom in LOGGED.items())

# Every forwarding header a client might forge; nginx must pass none of them.
FORGED = [
    ("X-Forwarded-For", "203.0.113.7"),
    ("X-Forwarded-For", "198.51.100.9, 192.0.2.1"),
    ("X-Real-IP", "203.0.113.8"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Port", "8443"),
    ("X-Forwarded-Ssl", "on"),
    ("X-Forwarded-Protocol", "ssl"),
    ("Forwarded", "for=203.0.113.9;proto=https;host=evil.example"),
    ("Proxy", "http://203.0.113.10:3128"),
]


@pytest.fixture(scope="module", autouse=True)
def tools():
    """Skip the module outside CI when nginx or openssl is missing; fail in CI."""
    missing = []
    if not os.access(NGINX, os.X_OK):
        missing.append(f"nginx (looked for {NGINX}; NGINX_PATH sets it)")
    if shutil.which("openssl") is None:
        missing.append("openssl")
    if not missing:
        return
    reason = (
        f"{' and '.join(missing)} not found. .ci/install-nginx installs Debian's "
        "packages when CI=true (make test runs it), or: apt-get install nginx openssl"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true, so the nginx proxy tests must run, but {reason}")
    pytest.skip(f"!!! SKIPPED the nginx proxy tests: {reason}")


# Clients -----------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies(self) -> SimpleCookie:
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return jar


class LoopbackHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 that sends `host` as the TLS server name (SNI) and
    checks the certificate against it, as a browser asking for `host` would."""

    def __init__(self, host: str, port: int, *, context: ssl.SSLContext, timeout):
        super().__init__(host, port, context=context, timeout=timeout)
        self.tls_context = context

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self.tls_context.wrap_socket(sock, server_hostname=self.host)


def send(
    port: int,
    target: str,
    *,
    method: str = "GET",
    host: str = SERVER_NAME,
    headers=(),
    body: bytes | None = None,
    tls: ssl.SSLContext | None = None,
    sni: str = SERVER_NAME,
) -> Response:
    """One request with exactly these headers (repeats allowed), on a new connection."""
    if tls is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    else:
        conn = LoopbackHTTPSConnection(sni, port, context=tls, timeout=10)
    with closing(conn):
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Response(response.status, response.headers, text)


# Processes -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@dataclass
class Site:
    dir: Path
    env: dict
    database_url: str
    sqlite_path: Path | None

    def rows(self, sql: str) -> list[tuple]:
        """Query the database gunicorn uses (not pytest-django's)."""
        if self.sqlite_path:
            with closing(sqlite3.connect(self.sqlite_path, timeout=10)) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        if self.sqlite_path:
            with closing(sqlite3.connect(self.sqlite_path, timeout=10)) as conn:
                with conn:
                    conn.execute(sql)
            return
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            conn.execute(sql)


def clean_environment() -> dict:
    """This process's environment without anything that configures Django,
    gunicorn (FORWARDED_ALLOW_IPS, PORT, WEB_CONCURRENCY are its defaults) or
    the database, so only what the tests set applies."""
    dropped = {"DATABASE_URL", "FORWARDED_ALLOW_IPS", "PORT", "WEB_CONCURRENCY"}
    return {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not key.startswith(("DJANGO_", "GUNICORN_"))
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated database with one superuser, collected static files, and
    the production environment for gunicorn."""
    directory = tmp_path_factory.mktemp("proxy-site")
    leg_url = os.environ.get("DATABASE_URL", "")
    if leg_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"proxy_test_{secrets.token_hex(4)}"
        with psycopg.connect(leg_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = urllib.parse.urlsplit(leg_url)._replace(path=f"/{name}")
        database_url, sqlite_path = database_url.geturl(), None
    else:
        name, sqlite_path = None, directory / "site.sqlite3"
        database_url = f"sqlite:///{sqlite_path}"
    # cms.settings with one change: STATIC_ROOT, which no environment variable
    # sets, so that collectstatic writes here and not into the checkout.
    (directory / "proxy_site_settings.py").write_text(
        "from cms.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(directory / 'static')!r}\n"
    )
    env = clean_environment() | {
        "PYTHONPATH": str(directory),
        "DJANGO_SETTINGS_MODULE": "proxy_site_settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SERVER_NAME,
        "DJANGO_SECURE": "true",
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    create = (
        "from django.contrib.auth import get_user_model\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "get_user_model().objects.create_superuser("
        f"'admin', 'admin@{SERVER_NAME}', {ADMIN_PASSWORD!r})\n"
    )
    commands = [
        ["shell", "-v0", "-c", create],
        ["collectstatic", "--noinput", "-v0"],
    ]
    steps = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands  # at the same time: neither needs the other
    ]
    try:
        for command, step in zip(commands, steps, strict=True):
            _, errors = step.communicate(timeout=120)
            assert step.returncode == 0, f"manage.py {command[0]} failed:\n{errors}"
        yield Site(directory, env, database_url, sqlite_path)
    finally:
        if name:
            with psycopg.connect(leg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Gunicorn:
    process: subprocess.Popen
    port: int
    access_log: Path
    error_log: Path

    def get(self, target: str, **options) -> Response:
        return send(self.port, target, **options)

    def logged(self, probe: str) -> dict:
        """The access-log entry of the request whose query string was `probe`."""
        deadline = time.monotonic() + 5  # the worker logs after it answered
        while time.monotonic() < deadline:
            for line in self.access_log.read_text().splitlines():
                entry = dict(field.split("=", 1) for field in line.split("\t"))
                if entry["probe"] == probe:
                    return entry
            time.sleep(0.05)
        raise AssertionError(f"gunicorn logged no request with query {probe!r}")


def start_gunicorn(site: Site, label: str, **env) -> Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py as shipped; only the access log's
    file and format (test-only, see LOGGED) come from the command line."""
    port = free_port()
    access_log = site.dir / f"gunicorn-{label}-access.log"
    error_log = site.dir / f"gunicorn-{label}-errors.log"
    access_log.touch()
    with error_log.open("w") as errors:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "--config",
                str(DEPLOY_DIR / "gunicorn.conf.py"),
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                ACCESS_LOG_FORMAT,
            ],
            env=site.env
            | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
            | env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    server = Gunicorn(process, port, access_log, error_log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{error_log.read_text()}")
        try:
            if server.get("/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"gunicorn did not answer in 30 s:\n{error_log.read_text()}")


@pytest.fixture(scope="module")
def gunicorn(site):
    server = start_gunicorn(site, "proxied")
    yield server
    stop(server.process)


@pytest.fixture(scope="module")
def unproxied_gunicorn(site):
    """The same, as the issue found it: Django not told about a proxy."""
    server = start_gunicorn(site, "unproxied", DJANGO_BEHIND_PROXY="false")
    yield server
    stop(server.process)


@dataclass
class Nginx:
    http_port: int
    https_port: int
    tls: ssl.SSLContext

    def http(self, target: str, **options) -> Response:
        return send(self.http_port, target, **options)

    def https(self, target: str, **options) -> Response:
        return send(self.https_port, target, tls=self.tls, **options)


@pytest.fixture(scope="module")
def nginx(gunicorn):
    # Not under pytest's tmp_path (0700): as root, nginx's workers run as
    # nobody and must reach their temporary files in here.
    directory = Path(tempfile.mkdtemp(prefix="proxy-nginx-"))
    directory.chmod(0o755)
    error_log = directory / "error.log"
    process = None
    try:
        # The shipped site file and snippets, as the stack runs them.
        ports = {name: free_port() for name in ("http", "https", "refresh")}
        cert = nginx_config.write_config(directory, ports, [gunicorn.port])
        http_port, https_port = ports["http"], ports["https"]
        with (directory / "stderr.log").open("w") as stderr:
            process = subprocess.Popen(
                nginx_config.command(directory),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        waiting, deadline = set(ports.values()), time.monotonic() + 10
        while waiting:
            if process.poll() is not None:
                log = error_log.read_text() if error_log.exists() else ""
                raise RuntimeError(f"nginx exited ({process.returncode}):\n{log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not listen on {waiting} in 10 s")
            for port in list(waiting):
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        waiting.discard(port)
            time.sleep(0.05)
        yield Nginx(http_port, https_port, ssl.create_default_context(cafile=cert))
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(directory, ignore_errors=True)


def no_answer(call) -> bool:
    """Whether the server closed the connection without answering (nginx's 444)."""
    try:
        call()
    except http.client.RemoteDisconnected:
        return True
    return False


def log_in(nginx: Nginx, username: str, password: str, headers=()) -> Response:
    """GET the admin login form, then POST it as a browser would over HTTPS."""
    form = nginx.https("/admin/login/", headers=headers)
    assert form.status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    return nginx.https(
        "/admin/login/",
        method="POST",
        body=body,
        headers=[
            *headers,
            ("Cookie", f"csrftoken={form.cookies()['csrftoken'].value}"),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", f"https://{SERVER_NAME}"),
            ("Referer", f"https://{SERVER_NAME}/admin/login/"),
        ],
    )


# Tests ---------------------------------------------------------------------------


def test_plain_http_is_redirected_to_https_even_with_forged_scheme_headers(nginx):
    forged = [("X-Forwarded-Proto", "https"), *FORGED]
    for target in ["/", "/admin/login/?next=/admin/", "/robots.txt"]:
        answer = nginx.http(target, headers=forged)
        assert answer.status == 301, target
        assert answer.headers["Location"] == f"https://{SERVER_NAME}{target}"
    # The name in the redirect is nginx's, normalised, never a forged one.
    answer = nginx.http("/", host="Health.Example", headers=forged)
    assert answer.headers["Location"] == f"https://{SERVER_NAME}/"


def test_forged_scheme_headers_sent_straight_to_gunicorn_do_not_skip_the_https_redirect(
    gunicorn, unproxied_gunicorn
):
    # The hole the issue found: Django not told about a proxy, and gunicorn's
    # default trusting X-Forwarded-Proto (or -Ssl, -Protocol) from 127.0.0.1.
    forged = [
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Ssl", "on"),
        ("X-Forwarded-Protocol", "ssl"),
    ]
    answer = unproxied_gunicorn.get("/admin/login/?probe=unproxied", headers=forged)
    assert answer.status == 301
    assert answer.headers["Location"] == (
        f"https://{SERVER_NAME}/admin/login/?probe=unproxied"
    )
    assert unproxied_gunicorn.logged("probe=unproxied")["scheme"] == "http"
    # Behind the proxy Django reads X-Forwarded-Proto, and falls back to
    # gunicorn's scheme when it is absent: the other two must not set that.
    answer = gunicorn.get("/admin/login/?probe=direct", headers=forged[1:])
    assert answer.status == 301
    assert gunicorn.logged("probe=direct")["scheme"] == "http"


def test_pages_over_https_through_nginx_are_served_without_a_redirect(nginx):
    home = nginx.https("/")
    assert home.status == 200
    assert "<html" in home.body
    assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # A client claiming plain HTTP over HTTPS gets the page, not a redirect loop.
    assert nginx.https("/", headers=[("X-Forwarded-Proto", "http")]).status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.body).group(1)
    static = nginx.https(stylesheet)
    assert static.status == 200
    assert "immutable" in static.headers["Cache-Control"]


def test_the_admin_login_works_over_https_through_nginx(nginx):
    form = nginx.https("/admin/login/")
    assert form.status == 200
    assert form.cookies()["csrftoken"]["secure"] is True
    answer = log_in(nginx, "admin", ADMIN_PASSWORD)
    assert answer.status == 302
    assert answer.headers["Location"] == "/admin/"
    session = answer.cookies()["sessionid"]
    assert session["secure"] is True
    index = nginx.https("/admin/", headers=[("Cookie", f"sessionid={session.value}")])
    assert index.status == 200
    assert "Log out" in index.body


def test_a_request_for_another_host_gets_no_page(nginx):
    for host in ["evil.example", "127.0.0.1", f"{SERVER_NAME}.evil.example"]:
        assert no_answer(lambda host=host: nginx.http("/", host=host)), host
        assert no_answer(lambda host=host: nginx.https("/", host=host)), host
        assert no_answer(lambda host=host: nginx.http("/healthz", host=host)), host
    # A host in the request line outranks the Host header.
    assert no_answer(lambda: nginx.http("http://evil.example/"))
    # A TLS handshake for an unknown name is refused: no certificate, no page.
    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
        nginx.https("/", host="evil.example", sni="evil.example")


def test_gunicorn_receives_only_the_forwarding_headers_nginx_sets(nginx, gunicorn):
    for probe, call, scheme in [
        ("probe=tls", nginx.https, "https"),
        ("probe=plain", nginx.http, "http"),  # only /healthz passes over HTTP
    ]:
        lying = "http" if scheme == "https" else "https"
        answer = call(
            f"/healthz?{probe}",
            host="Health.Example",
            headers=[("X-Forwarded-Proto", lying), *FORGED],
        )
        assert answer.status == 200
        seen = gunicorn.logged(probe)
        assert seen["peer"] == "127.0.0.1"
        assert seen["scheme"] == "http"  # gunicorn's own view: nginx spoke HTTP
        assert seen["host"] == SERVER_NAME
        assert seen["x-forwarded-for"] == "127.0.0.1"  # the client, nothing added
        assert seen["x-real-ip"] == "127.0.0.1"
        assert seen["x-forwarded-proto"] == scheme
        for header in [
            "x-forwarded-host",
            "x-forwarded-port",
            "x-forwarded-ssl",
            "x-forwarded-protocol",
            "forwarded",
            "proxy",
        ]:
            assert seen[header] == "-", header


def test_the_load_balancer_probe_gets_healthz_over_plain_http_as_plain_http(nginx):
    answer = nginx.http("/healthz", headers=[("X-Forwarded-Proto", "https")])
    assert answer.status == 200
    assert json.loads(answer.body)["status"] == "ok"
    # Django saw plain HTTP: HSTS goes only with secure responses.
    assert "Strict-Transport-Security" not in answer.headers
    secure = nginx.https("/healthz")
    assert secure.status == 200
    assert "Strict-Transport-Security" in secure.headers


def test_forged_x_forwarded_for_does_not_change_the_address_the_login_throttle_counts(
    nginx, site
):
    for table in AXES_TABLES:
        site.execute(f"DELETE FROM {table}")
    forgeries = [
        [("X-Forwarded-For", "203.0.113.1")],
        [("X-Forwarded-For", "203.0.113.2"), ("X-Forwarded-For", "198.51.100.2")],
        [("X-Forwarded-For", "198.51.100.3, 198.51.100.4"), ("X-Real-IP", "::1")],
        [("X_Forwarded_For", "203.0.113.5"), ("Forwarded", "for=203.0.113.5")],
        [("X-Forwarded-For", "127.0.0.2")],
    ]
    try:
        # A new username each time: only a count by address can lock them out.
        statuses = [
            log_in(nginx, f"visitor{n}", "wrong password", headers=forged).status
            for n, forged in enumerate(forgeries)
        ]
        assert statuses == [200] * (FAILURE_LIMIT - 1) + [429] * (
            len(forgeries) - FAILURE_LIMIT + 1
        )
        attempts = site.rows("SELECT ip_address, username FROM axes_accessattempt")
        assert {username for _, username in attempts} >= {
            f"visitor{n}" for n in range(FAILURE_LIMIT)
        }
        recorded = {
            str(address)  # PostgreSQL's inet arrives as an ipaddress object
            for table in AXES_TABLES
            for (address,) in site.rows(f"SELECT ip_address FROM {table}")
        }
        assert recorded == {"127.0.0.1"}
    finally:
        for table in AXES_TABLES:
            site.execute(f"DELETE FROM {table}")


def test_nginx_passes_the_largest_import_to_django_and_refuses_more(nginx):
    # The admin's import: up to 2,000,000 bytes of file and of pasted text.
    boundary = secrets.token_hex(16)
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        f"{'a' * 2_000_000}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
        'filename="article.txt"\r\nContent-Type: text/plain\r\n\r\n'
        f"{'b' * 2_000_000}\r\n--{boundary}--\r\n"
    ).encode()
    answer = nginx.https(
        "/admin/login/",
        method="POST",
        body=body,
        headers=[
            ("Content-Type", f"multipart/form-data; boundary={boundary}"),
            # A CSRF cookie and origin so that Django reads the whole form
            # before it refuses it for the missing token. (Refused unread, the
            # body would be cut off by gunicorn closing the connection.)
            ("Cookie", f"csrftoken={secrets.token_hex(16)}"),
            ("Origin", f"https://{SERVER_NAME}"),
        ],
    )
    assert answer.status == 403
    assert "CSRF verification failed" in answer.body
    too_big = nginx.https(
        "/admin/login/",
        method="POST",
        body=b"x" * (11 * 1024 * 1024 + 1),
        headers=[("Content-Type", "application/octet-stream")],
    )
    assert too_big.status == 413
