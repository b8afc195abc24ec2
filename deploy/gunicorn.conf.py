"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py`.

Runs behind nginx (deploy/nginx/health.conf; docs/proxy.md explains the pair).
The environment picks the socket and the number of workers:

    GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; keep it on
                       the loopback, or a unix: socket, so only nginx reaches it)
    GUNICORN_WORKERS   worker processes (default 2 x usable CPUs + 1)

Command-line flags and GUNICORN_CMD_ARGS override this file, the forwarding
settings below included, so keep those out of them.
"""

import os
from pathlib import Path


def usable_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit counts)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


wsgi_app = "cms.wsgi:application"
# The checkout this file belongs to, so the command works from any directory.
chdir = str(Path(__file__).resolve().parent.parent)
bind = [os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"]
workers = int(os.environ.get("GUNICORN_WORKERS", "").strip() or 2 * usable_cpus() + 1)

# Sync workers: one request at a time each, so a slow client would hold a
# worker; nginx buffers whole requests and responses, and is the only client.
worker_class = "sync"
timeout = 30  # a request still running after this is killed (nginx waits 60 s)
graceful_timeout = 30  # time to finish requests on restart or stop

# Trust no forwarding header. By default gunicorn believes X-Forwarded-Proto,
# X-Forwarded-Ssl and X-Forwarded-Protocol from 127.0.0.1 and from every
# unix-socket peer (forwarded_allow_ips; gunicorn/http/message.py
# HeaderPolicy._peer_is_trusted_proxy), and then sets wsgi.url_scheme to https
# (_apply_header_policy; gunicorn/http/wsgi.py create), which Django takes as a
# secure request. Any local process, or nginx passing a client's header along,
# then skips the HTTPS redirect and the secure-only rules. It also lets those
# peers set SCRIPT_NAME and PATH_INFO through headers (forwarder_headers).
# With all three empty, gunicorn reports the connection as it is (plain http
# from nginx) whatever the bind, and only Django decides: with
# DJANGO_BEHIND_PROXY=true it reads the X-Forwarded-Proto and X-Forwarded-For
# that nginx overwrites on every request.
forwarded_allow_ips = ""
secure_scheme_headers = {}
forwarder_headers = ""

# Reload and stop go through signals (systemd's ExecReload sends HUP); the
# control socket would be one more way in, and two instances run by one user
# would share its default path.
control_socket_disable = True

# Logs go to stdout/stderr, for systemd's journal. The client address is the
# one nginx put in X-Forwarded-For ("-" for a request that did not come
# through nginx); "peer" is the address that connected to gunicorn.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "%(M)sms peer=%(h)s"
)
