"""The production topology on one machine, for tests, the load test and the
benchmark (`make stack` runs it until Ctrl-C; docs/stack.md):

    nginx (deploy/nginx/health.conf: TLS, its page cache, the refresh listener)
      -> two gunicorn app servers (deploy/gunicorn.conf.py)
           -> PostgreSQL primary, and a streaming replica for list pages
           -> Redis, the page cache the app servers share
    two task workers (manage.py worker) on the same primary

Everything comes from Debian's packages (nginx, redis-server, postgresql,
openssl), listens on free ports of 127.0.0.1 only, and lives in one
temporary folder that `stop` removes. Each part can be stopped and started
on its own, for the fault tests.
"""

import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path

from deploy.stack import nginx, postgres

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
SERVER_NAME = nginx.SERVER_NAME
DATABASE = "cms"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_programs() -> list[str]:
    """Debian packages the stack needs that are not installed."""
    missing = []
    if not os.access(nginx.NGINX, os.X_OK):
        missing.append("nginx")
    if not os.access(REDIS, os.X_OK):
        missing.append("redis-server")
    if postgres.find_bindir() is None:
        missing.append("postgresql")
    if shutil.which("openssl") is None:
        missing.append("openssl")
    return missing


def wait_for(check, what: str, seconds: float = 60, process=None, log=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{tail}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready in {seconds:.0f} s")


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Stack:
    def __init__(
        self,
        *,
        articles: int = 0,
        app_servers: int = 2,
        gunicorn_workers: int = 2,
        task_workers: int = 2,
        nginx_workers: int = 1,
        settings_module: str = "cms.settings",
        log_replica_statements: bool = False,
        nginx_extra: str = "",
        say=print,
    ):
        self.articles = articles  # 0: the demo content and demo accounts
        self.app_count = app_servers
        self.gunicorn_workers = gunicorn_workers
        self.task_count = task_workers
        self.nginx_workers = nginx_workers
        self.settings_module = settings_module
        self.log_replica_statements = log_replica_statements
        self.nginx_extra = nginx_extra
        self.say = say
        # nginx's workers run as nobody and must reach the cache in here.
        self.dir = Path(tempfile.mkdtemp(prefix="health-stack-"))
        self.dir.chmod(0o755)
        self.ports = {
            name: free_port()
            for name in ["primary", "replica", "redis", "http", "https", "refresh"]
        }
        self.app_ports = [free_port() for _ in range(app_servers)]
        bindir = postgres.find_bindir()
        self.primary = postgres.Cluster(
            bindir, self.dir, self.ports["primary"], "primary"
        )
        self.replica = postgres.Cluster(
            bindir, self.dir, self.ports["replica"], "replica"
        )
        self.apps: list[subprocess.Popen | None] = [None] * app_servers
        self.tasks: list[subprocess.Popen] = []
        self.redis = None
        self.nginx = None
        self.env = self._environment()

    # The environment every Django process of the stack runs with.
    def _environment(self) -> dict:
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "CI"}
        return {key: value for key, value in os.environ.items() if key in keep} | {
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DATABASE_URL": self.primary.url(DATABASE),
            "DATABASE_REPLICA_URL": self.replica.url(DATABASE),
            "DJANGO_CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
            "DJANGO_CACHE_LOCATION": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "DJANGO_PUBLIC_PURGE_HOOK": "articles.web.edge_cache.refresh_nginx",
            "DJANGO_NGINX_REFRESH_URLS": self.refresh_url,
            "DJANGO_SITE_URL": f"https://{SERVER_NAME}",
            "DJANGO_ALLOWED_HOSTS": f"{SERVER_NAME},127.0.0.1",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_BEHIND_PROXY": "true",
            "DJANGO_PROXY_COUNT": "1",
            "DJANGO_STATIC_ROOT": str(self.dir / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "BENCH_STATIC_ROOT": str(self.dir / "static"),
        }

    @property
    def refresh_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['refresh']}/_cache/state"

    # Starting and stopping the whole ----------------------------------------
    def start(self) -> "Stack":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        self.say(f"stack: PostgreSQL primary on 127.0.0.1:{self.ports['primary']}")
        self.primary.init()
        self.primary.start()
        self.primary.psql("postgres", f"CREATE DATABASE {DATABASE}")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self._fill()
        self.say(f"stack: streaming replica on 127.0.0.1:{self.ports['replica']}")
        statements = "log_statement = 'all'\n" if self.log_replica_statements else ""
        self.replica.replicate(self.primary, statements)
        self.replica.start()
        self.start_redis()
        for index in range(self.app_count):
            self.start_app(index)
        for index in range(self.task_count):
            self._start_task_worker(index)
        self._start_nginx()
        self.say(
            f"stack: ready at https://{SERVER_NAME}:{self.ports['https']}/ "
            f"(127.0.0.1; folder {self.dir})"
        )

    def _fill(self):
        if self.articles:
            self.say(f"stack: generating {self.articles} articles ...")
            self.python(
                "import django; django.setup()\n"
                "from bench.generate import generate\n"
                f"generate({self.articles}, workflow_count=1, say=lambda m: None)\n"
            )
        else:
            # Demo accounts have published passwords, so load_demo makes them
            # only with DEBUG on: this stack listens on 127.0.0.1 alone.
            self.say("stack: loading the demo content and accounts ...")
            result = self.manage("load_demo", env={"DJANGO_DEBUG": "true"})
            self.say(result.stdout.strip())

    def stop(self) -> None:
        for process in [self.nginx, *self.apps, *self.tasks, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [self.nginx, *self.apps, *self.tasks, self.redis]:
            if process is not None:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for cluster in (self.replica, self.primary):
            if cluster.data.exists():
                cluster.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    # Django, the way an operator runs it -------------------------------------
    def manage(self, *arguments, env=None, timeout=600):
        return self._django([str(ROOT / "manage.py"), *arguments], env, timeout)

    def python(self, code: str, env=None, timeout=600):
        return self._django(["-c", code], env, timeout)

    def _django(self, arguments, env, timeout) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, *arguments],
            cwd=ROOT,
            env=self.env | (env or {}),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{arguments[:2]} failed:\n{result.stderr[-3000:]}")
        return result

    # The parts, each on its own ----------------------------------------------
    def _spawn(self, name: str, command: list[str], env=None) -> subprocess.Popen:
        log = (self.dir / f"{name}.out").open("ab")
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_redis(self) -> None:
        port = self.ports["redis"]
        self.redis = self._spawn(
            "redis",
            [
                REDIS,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
                "--daemonize",
                "no",
            ],
        )
        wait_for(lambda: listening(port), "redis-server", 20, self.redis)

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait(timeout=15)

    def start_app(self, index: int) -> None:
        port = self.app_ports[index]
        env = self.env | {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(self.gunicorn_workers),
        }
        command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"]
        self.apps[index] = self._spawn(f"app{index + 1}", command, env)
        wait_for(
            lambda: self.app_get(index, "/healthz")[0] == 200,
            f"app server {index + 1}",
            60,
            self.apps[index],
            self.dir / f"app{index + 1}.out",
        )

    def kill_app(self, index: int) -> None:
        """The app server and its workers, at once, as a crash would."""
        os.killpg(self.apps[index].pid, signal.SIGKILL)
        self.apps[index].wait(timeout=15)

    def app_get(self, index: int, path: str, headers=None):
        """(status, headers, body) of a GET straight to app server `index`,
        as nginx forwards a visitor's HTTPS request."""
        headers = {"Host": SERVER_NAME, "X-Forwarded-Proto": "https", **(headers or {})}
        connection = HTTPConnection("127.0.0.1", self.app_ports[index], timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            return answer.status, dict(answer.getheaders()), answer.read()
        finally:
            connection.close()

    def _start_task_worker(self, index: int) -> None:
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "worker",
            "--worker-id",
            f"stack-worker-{index + 1}",
        ]
        self.tasks.append(self._spawn(f"worker{index + 1}", command))

    def _start_nginx(self) -> None:
        self.certificate = nginx.write_config(
            self.dir,
            self.ports,
            self.app_ports,
            extra=self.nginx_extra,
            workers=self.nginx_workers,
        )
        self.nginx = self._spawn("nginx", nginx.command(self.dir))
        for name in ("http", "https", "refresh"):
            wait_for(
                lambda port=self.ports[name]: listening(port),
                "nginx",
                20,
                self.nginx,
                self.dir / "error.log",
            )

    # Visitors ----------------------------------------------------------------
    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def get(self, path: str, headers=None):
        """(status, headers, body) of a GET through nginx over HTTPS, for
        health.example (its Host and TLS server name), as a browser sends it."""
        connection = LoopbackHTTPS(self.ports["https"], self.tls_context())
        try:
            connection.request("GET", path, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, dict(answer.getheaders()), answer.read()
        finally:
            connection.close()

    def answers_during(self, path: str, action, settle: float = 1.5):
        """(what `action()` returned, [(started, status)]) of a visitor
        asking for `path` through nginx again and again, one request after
        another, while `action` runs and for `settle` seconds after."""
        answers, stop = [], threading.Event()

        def visit():
            while not stop.is_set():
                started = time.time()
                answers.append((started, self.get(path)[0]))

        visitor = threading.Thread(target=visit)
        visitor.start()
        try:
            result = action()
            time.sleep(settle)
        finally:
            stop.set()
            visitor.join()
        return result, answers


class LoopbackHTTPS(HTTPSConnection):
    """HTTPS to 127.0.0.1 for health.example."""

    def __init__(self, port: int, context: ssl.SSLContext):
        super().__init__(SERVER_NAME, port, context=context, timeout=15)
        self.tls = context

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=SERVER_NAME)
