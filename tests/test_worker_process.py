"""The real worker (`manage.py worker`) in its own process, on this leg's
database engine: emails after commit and exactly once, scheduled publishing
at its time, retries against a mail server that is down then up, and (on
PostgreSQL) two workers sharing the queue without sending anything twice."""

import email
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "psql"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A database of its own, migrated, that this process and the workers share."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('worker') / 'worker.sqlite3'}"
        return
    import psycopg

    server = os.environ["DATABASE_URL"]
    name = f"worker_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def base_env(database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    } | {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Test content cites real sites: the workers' clock must not check them.
        "DJANGO_LINK_CHECKS": "false",
    }
    run(env, "migrate", "-v0")
    scenario(env, "team()")
    return env


def run(env, *command, timeout=120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def scenario(env, call: str) -> dict:
    """Run one step of tests/worker_scenarios.py in its own process."""
    out = run(
        env, "shell", "-v0", "-c", f"from tests.worker_scenarios import *; {call}"
    )
    return json.loads(out.strip().splitlines()[-1])


class Workers:
    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.processes = env, tmp_path, []

    def start(self, count=1, **env):
        for number in range(count):
            log = (self.tmp_path / f"worker-{len(self.processes)}.log").open("w")
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "worker", "--interval", "0.2"]
                    + ["--clock-seconds", "1", "--worker-id", f"w{number}"],
                    cwd=PROJECT_DIR,
                    env=self.env | env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            logs = [p.read_text() for p in self.tmp_path.glob("worker-*.log")]
            if sum("Starting worker" in text for text in logs) >= len(self.processes):
                return
            time.sleep(0.2)
        raise AssertionError("workers did not start:\n" + "\n".join(logs))

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)


@pytest.fixture
def workers(base_env, tmp_path):
    running = Workers(base_env, tmp_path)
    yield running
    running.stop()


def wait_for(check, timeout=60, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(every)
    raise AssertionError(f"waited {timeout} s for {check.__doc__}")


def file_messages(folder: Path) -> list:
    """Every message Django's file backend wrote into `folder`."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def file_mail(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder, {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(folder),
    }


def test_a_submission_emails_each_reviewer_exactly_once_after_commit(
    base_env, workers, tmp_path
):
    folder, mail_env = file_mail(tmp_path)
    workers.start(**mail_env)
    rolled_back = scenario(base_env, "submit_then_roll_back()")
    assert rolled_back["status"] == "draft"
    submitted = scenario(base_env, "submit(1, 'Does a submission email once')")

    def two_messages():
        """both reviewers' messages"""
        return len(file_messages(folder)) >= 2

    wait_for(two_messages)
    time.sleep(3)  # the worker keeps polling: nothing more may come
    messages = file_messages(folder)
    assert sorted(m["To"] for m in messages) == ["rev0@example.org", "rev1@example.org"]
    assert {m["Subject"] for m in messages} == {
        "Please review: Does a submission email once number 0?"
    }
    assert all(
        f"/admin/articles/article/{submitted['articles'][0]}/review/"
        in m.get_payload(decode=True).decode()
        for m in messages
    )
    assert "Was this submission rolled back?" not in "".join(str(m) for m in messages)


def test_a_scheduled_publication_goes_live_at_its_time_and_an_edit_cancels_one(
    base_env, workers
):
    workers.start()
    kept = scenario(
        base_env, "approved_and_scheduled('Is this going live on time?', 6)"
    )
    edited = scenario(
        base_env, "approved_and_scheduled('Is this one edited first?', 6)"
    )
    assert scenario(base_env, f"edit({edited['article']})")["status"] == "draft"
    ids = [kept["article"], edited["article"]]
    early = scenario(base_env, f"state({ids})")
    assert early["articles"][str(kept["article"])]["published_at"] is None

    def published():
        """the scheduled publication"""
        now = scenario(base_env, f"state({ids})")
        return now if now["articles"][str(kept["article"])]["published_at"] else None

    now = wait_for(published, timeout=60, every=1)
    went_live = datetime.fromisoformat(
        now["articles"][str(kept["article"])]["published_at"]
    )
    assert went_live >= datetime.fromisoformat(kept["run_at"])
    assert now["schedules"][str(kept["change"])]["state"] == "done"
    assert now["articles"][str(edited["article"])]["published_at"] is None
    assert now["schedules"][str(edited["change"])]["state"] == "cancelled"
    assert "edited the text" in now["schedules"][str(edited["change"])]["outcome"]


def test_a_mail_server_that_is_down_is_retried_until_it_receives_the_message(
    base_env, workers
):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted"

    port = free_port()
    workers.start(
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        DJANGO_EMAIL_RETRY_SECONDS="3,3,3,3",
    )
    before = len(scenario(base_env, "state()")["notifications"])
    scenario(base_env, "submit(1, 'Is the mail server up yet')")

    def failed_once():
        """a first attempt that failed, visible on the row"""
        rows = scenario(base_env, "state()")["notifications"][before:]
        return rows if rows and all(r["attempts"] >= 1 for r in rows) else None

    rows = wait_for(failed_once)
    assert all(r["status"] in ("pending", "sending") for r in rows)
    assert all(
        "Connection refused" in r["error"] or "Errno" in r["error"] for r in rows
    )
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:

        def delivered():
            """both messages delivered over SMTP"""
            rows = scenario(base_env, "state()")["notifications"][before:]
            return rows if all(r["status"] == "sent" for r in rows) else None

        rows = wait_for(delivered, timeout=60, every=1)
    finally:
        server.stop()
    assert sorted(rcpt for e in inbox.envelopes for rcpt in e.rcpt_tos) == [
        "rev0@example.org",
        "rev1@example.org",
    ]
    message = email.message_from_bytes(inbox.envelopes[0].content)
    assert message["Subject"] == "Please review: Is the mail server up yet number 0?"
    assert all(r["error"] == "" and r["attempts"] >= 2 for r in rows)


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="two workers sharing one queue is PostgreSQL's SKIP LOCKED; this runs on the PostgreSQL leg",
)
def test_two_workers_on_postgresql_never_send_one_message_twice(
    base_env, workers, tmp_path
):
    folder, mail_env = file_mail(tmp_path)
    scenario(base_env, "overdue_review()")  # before the day's digest runs
    workers.start(2, DJANGO_DIGEST_HOUR="0", **mail_env)
    scenario(base_env, "submit(25, 'Is this shared between workers')")
    # 25 submissions to two reviewers; for the overdue article its submission
    # (two), approval and publication emails; one digest.
    expected = 25 * 2 + 2 + 1 + 1 + 1

    def all_sent():
        """every message sent"""
        return len(file_messages(folder)) >= expected

    try:
        wait_for(all_sent, timeout=90, every=1)
    except AssertionError:
        got = sorted((m["To"], m["Subject"]) for m in file_messages(folder))
        rows = scenario(base_env, "state()")["notifications"]
        raise AssertionError(
            f"{len(got)} of {expected} messages: {got}\n{rows}"
        ) from None
    time.sleep(3)
    messages = file_messages(folder)
    pairs = [(m["To"], m["Subject"]) for m in messages]
    assert len(pairs) == len(set(pairs)) == expected
    assert [m["To"] for m in messages if m["Subject"].startswith("Periodic")] == [
        "rev0@example.org"
    ]
    logs = " ".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
    assert "w0" in logs and "w1" in logs
