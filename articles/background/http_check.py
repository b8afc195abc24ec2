"""One polite look at a web address, for the link checker (link_checks.py).

HEAD first; GET when a server refuses HEAD (403, 405, 501), answers it with
an error (some answer HEAD wrongly: a page is judged only on GET) or HEAD fails,
reading at most MAX_BODY bytes of the page. Redirects are not followed
blindly: a permanent one (301, 308) is the answer, since the reference should
then cite the new address; temporary ones (302, 303, 307) are followed for
up to MAX_HOPS and the last answer is judged. Each request has a timeout and
names the site in its User-Agent, and a host gets at most one request every
`spacing` seconds, counted from the end of the one before. The standard
library only: http.client, no redirect handling of its own to undo.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

OK, MOVED, DEAD, FAILED = "ok", "moved", "dead", "failed"

HEAD_REFUSED = {403, 405, 501}
MOVED_PERMANENTLY = {301, 308}
TEMPORARY = {302, 303, 307}
GONE = {404, 410}
# The page exists but the server turns robots away: not the reference's fault.
REFUSES_ROBOTS = {401, 403, 429}
MAX_HOPS = 5
MAX_BODY = 4096
# The longest a whole request may take, in timeouts (connect, TLS, answer).
WHOLE_REQUEST_TIMEOUTS = 3
# What may stay unescaped in a request target (RFC 3986), "%" included so
# that an address already percent-encoded is sent as it is.
TARGET_SAFE = "/?:@!$&'()*+,;=~%[]"


@dataclass(frozen=True)
class Answer:
    """What one check found: OK, MOVED, DEAD or FAILED, and why."""

    outcome: str
    status: int | None = None
    moved_to: str = ""
    detail: str = ""


class NotChecked(ValueError):
    """An address the checker does not ask for: not a web address, or one on
    a private or loopback network (readers cannot reach it, and the checker
    must not probe the site's own network)."""


class Checker:
    """Checks addresses one after another, keeping each host's turn."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        spacing: float,
        private_addresses: bool = False,
    ):
        self.user_agent = user_agent
        self.timeout = timeout
        self.spacing = spacing
        self.private_addresses = private_addresses
        self.finished_at: dict[str, float] = {}  # host: monotonic time

    def check(self, url: str) -> Answer:
        """Ask for `url` and judge the answer (see the module docstring)."""
        current, hops = url, 0
        while True:
            try:
                status, location = self._ask(current)
            except (OSError, http.client.HTTPException, ValueError) as error:
                return Answer(FAILED, detail=self._describe(error))
            if status in MOVED_PERMANENTLY and hops == 0:
                # Shown as a link to editors: a web address or nothing.
                moved_to = urljoin(url, location) if location else ""
                if not moved_to.startswith(("http://", "https://")):
                    moved_to = ""
                return Answer(
                    MOVED,
                    status,
                    moved_to,
                    f"moved permanently ({status})"
                    + ("" if moved_to else ", not saying to which web address"),
                )
            if status in TEMPORARY | MOVED_PERMANENTLY and location:
                hops += 1
                if hops > MAX_HOPS:
                    return Answer(
                        FAILED, status, detail=f"more than {MAX_HOPS} redirects"
                    )
                current = urljoin(current, location)
                continue
            answer = judge(status)
            if current != url:
                detail = f"{answer.detail}; " if answer.detail else ""
                answer = Answer(
                    answer.outcome, status, detail=f"{detail}redirected to {current}"
                )
            return answer

    def _ask(self, url: str) -> tuple[int, str]:
        """HEAD, or GET where HEAD is refused or fails: (status, Location)."""
        try:
            status, location = self._request("HEAD", url)
        except (OSError, http.client.HTTPException):
            return self._request("GET", url)
        # Some servers answer HEAD wrongly (404, 400, 500) and GET rightly: a
        # page is judged gone or failing only on what GET says.
        if status in HEAD_REFUSED or status >= 400:
            return self._request("GET", url)
        return status, location

    def _request(self, method: str, url: str) -> tuple[int, str]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NotChecked(f"not a web address: {url[:100]}")
        host = parts.hostname.encode("idna").decode("ascii")
        target = quote(parts.path or "/", safe=TARGET_SAFE)
        if parts.query:
            target += "?" + quote(parts.query, safe=TARGET_SAFE)
        self._wait_turn(host)
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=self.timeout
            )
        else:
            connection = http.client.HTTPConnection(
                host, parts.port, timeout=self.timeout
            )
        if not self.private_addresses:
            # http.client opens its socket through this attribute, before any
            # TLS handshake: the address actually connected to is checked, so
            # a name that resolves differently a second time cannot slip by.
            connection._create_connection = public_connection
        # The timeout bounds each wait for the network; a server that drips a
        # byte at a time never trips it, so the whole request is cut off after
        # WHOLE_REQUEST_TIMEOUTS of them (name lookups cannot be cut short).
        cut = threading.Event()
        watchdog = threading.Timer(
            self.timeout * WHOLE_REQUEST_TIMEOUTS, _cut_off, (connection, cut)
        )
        watchdog.start()
        try:
            connection.request(
                method,
                target,
                headers={"User-Agent": self.user_agent, "Accept": "*/*"},
            )
            response = connection.getresponse()
            if method == "GET":
                response.read(MAX_BODY)
            if cut.is_set():  # an answer cut short is no answer
                raise TimeoutError("the whole answer took too long")
            return response.status, response.getheader("Location", "")
        except (OSError, http.client.HTTPException) as error:
            if cut.is_set():
                raise TimeoutError("the whole answer took too long") from error
            raise
        finally:
            watchdog.cancel()
            connection.close()
            self.finished_at[host] = time.monotonic()

    def _wait_turn(self, host: str) -> None:
        last = self.finished_at.get(host)
        if last is not None:
            wait = last + self.spacing - time.monotonic()
            if wait > 0:
                time.sleep(wait)

    def _describe(self, error: Exception) -> str:
        if isinstance(error, TimeoutError):
            return f"no answer within {self.timeout:g} s"
        if isinstance(error, socket.gaierror):
            return "no such host"
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, ssl.SSLError):
            return f"secure connection failed ({error.reason or error})"
        if isinstance(error, NotChecked):
            return str(error)
        if isinstance(error, UnicodeError):
            return "not a valid host name"
        return f"{type(error).__name__}: {error}"[:200]


def _cut_off(connection, cut: threading.Event) -> None:
    """The watchdog's end of a request that took too long in all."""
    cut.set()
    if connection.sock is not None:
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def judge(status: int) -> Answer:
    """What a final (not redirecting) status says about the page."""
    if 200 <= status < 300:
        return Answer(OK, status)
    if status in REFUSES_ROBOTS:
        return Answer(
            OK, status, detail=f"the site turns automated checks away ({status})"
        )
    if status in GONE:
        return Answer(DEAD, status, detail=f"gone ({status})")
    if status >= 500:
        return Answer(FAILED, status, detail=f"server error ({status})")
    if status >= 400:
        return Answer(FAILED, status, detail=f"refused ({status})")
    if 300 <= status < 400 and status != 304:
        return Answer(FAILED, status, detail=f"redirect ({status}) without an address")
    return Answer(OK, status)


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(peer):
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo or NAT64),
    so "2002:a00:1::1" is judged as the private 10.0.0.1 it reaches."""
    if isinstance(peer, ipaddress.IPv6Address):
        if peer.ipv4_mapped:
            return peer.ipv4_mapped
        if peer.sixtofour:
            return peer.sixtofour
        if peer.teredo:
            return peer.teredo[1]
        if peer in NAT64:
            return ipaddress.IPv4Address(int(peer) & 0xFFFFFFFF)
    return peer


def public_connection(address, timeout, source_address=None):
    """socket.create_connection(), refusing a peer that is not on the internet."""
    sock = socket.create_connection(address, timeout, source_address)
    peer = embedded_ipv4(ipaddress.ip_address(sock.getpeername()[0].split("%")[0]))
    if not peer.is_global:
        sock.close()
        raise NotChecked(f"not checked: {address[0]} is on a private network")
    return sock
