"""nginx for the stack and the proxy tests: the shipped site file
(deploy/nginx/health.conf) and its snippets, with only the values every
deployment changes (ports, upstream servers, certificate and cache paths),
plus a main nginx.conf that keeps everything in one folder."""

import grp
import os
import pwd
import re
import subprocess
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent.parent
SERVER_NAME = "health.example"  # the shipped file's name, kept as it is
SNIPPETS = ["health-proxy.conf", "health-page-cache.conf", "health-state.conf"]
NGINX = Path(os.environ.get("NGINX_PATH") or "/usr/sbin/nginx")


def site_changes(ports, upstream_ports, cert, key, cache_dir, extra=""):
    """(pattern, replacement, times): every change made to the shipped site
    file. Each must match exactly `times` times, so a reshaped file fails
    here instead of running half-changed. `ports` holds http, https and
    refresh; `extra` is put first in the HTTPS server (the benchmark's
    static file)."""
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in upstream_ports)
    return [
        # The stack and the tests bind 127.0.0.1 only.
        (r"[ \t]*listen \[::\]:(?:80|443)\b[^;]*;\n", "", 4),
        (r"\blisten 80\b", f"listen 127.0.0.1:{ports['http']}", 2),
        (r"\blisten 443\b", f"listen 127.0.0.1:{ports['https']}", 2),
        (r"\blisten 127\.0\.0\.1:8081;", f"listen 127.0.0.1:{ports['refresh']};", 1),
        (r"\bserver 127\.0\.0\.1:8000;", servers, 1),
        (r"/etc/letsencrypt/live/health\.example/fullchain\.pem", str(cert), 1),
        (r"/etc/letsencrypt/live/health\.example/privkey\.pem", str(key), 1),
        (r"/var/cache/nginx/", f"{cache_dir}/", 2),
        (r"(ssl_session_tickets off;\n)", r"\1" + extra, 1),
    ]


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for health.example."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-nodes", "-days", "2", "-newkey", "ec"]
        + ["-pkeyopt", "ec_paramgen_curve:prime256v1", "-subj", f"/CN={SERVER_NAME}"]
        + ["-addext", f"subjectAltName=DNS:{SERVER_NAME}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


def write_config(directory: Path, ports, upstream_ports, *, extra="", workers=1):
    """The site file, its snippets (symlinked, exactly as shipped) and a
    main nginx.conf in `directory`, which must be readable by nobody (nginx's
    workers run as nobody when the master runs as root). Returns the
    certificate, for clients to trust."""
    cert, key = make_certificate(directory)
    (directory / "cache").mkdir()
    text = (DEPLOY_DIR / "nginx" / "health.conf").read_text()
    for pattern, replacement, times in site_changes(
        ports, upstream_ports, cert, key, directory / "cache", extra
    ):
        text, made = re.subn(pattern, replacement, text)
        assert made == times, f"{pattern!r} matched {made} times in health.conf"
    (directory / "health.conf").write_text(text)
    # `include snippets/...` is relative to the main file's directory, as
    # to /etc/nginx in production.
    (directory / "snippets").mkdir()
    for name in SNIPPETS:
        (directory / "snippets" / name).symlink_to(DEPLOY_DIR / "nginx" / name)
    user = ""
    if os.geteuid() == 0:  # `user` only means something to a root master
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};\n"
    temp_paths = "".join(
        f"    {kind}_temp_path {directory}/{kind}-temp;\n"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    (directory / "nginx.conf").write_text(
        f"{user}worker_processes {workers};\n"
        f"pid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log notice;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    access_log {directory}/access.log combined buffer=64k flush=1s;\n"
        "    sendfile on;\n"
        f"{temp_paths}"
        f"    include {directory}/health.conf;\n"
        "}\n"
    )
    return cert


def command(directory: Path) -> list[str]:
    """nginx in the foreground, with its files in `directory`."""
    return [str(NGINX), "-p", f"{directory}/", "-c", str(directory / "nginx.conf")] + [
        "-e",
        str(directory / "error.log"),
        "-g",
        "daemon off;",
    ]
