"""The one HTTP client of the project (httpx): conditional GET, politeness, timeouts, retries.

- Conditional GET: the caller passes the URL's last ETag / Last-Modified; a 304 comes back as `Fetched.status 304`.
- Politeness: `HttpClient.get` runs one request at a time per politeness group (a host; all arXiv hosts are one
  group) and keeps `Politeness.gap` seconds between the end of one request to a slow host and the start of the next
  (arXiv's terms of use: one request every 3 s). Different groups run in parallel (the caller's threads).
- Redirects are followed here, hop by hop, so that every hop waits its turn like any request.
- Timeouts, 429 and 5xx are retried with backoff, honouring Retry-After; at most `tries` tries. A refused
  connection or an unknown host is not retried: offline, a fetch should end at once with a clear line.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

import httpx

ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "rss.arxiv.org"})
PROJECT_URL = "https://github.com/papertriage/papertriage"  # named in the User-Agent so a feed's admin can find us
MAX_BYTES = 64 * 1024 * 1024  # as storage.readers: no daily feed is this big
MAX_REDIRECTS = 5
_CUT = re.compile(r"received (\d+) bytes, expected (\d+)")


def user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("papertriage")
    except PackageNotFoundError:  # run from a source checkout
        v = "0+unknown"
    return f"papertriage/{v} (+{PROJECT_URL})"


@dataclass(frozen=True)
class Politeness:
    slow_hosts: frozenset[str] = ARXIV_HOSTS  # requests to these keep `gap` seconds apart, as one group
    gap: float = 3.0

    def group(self, host: str) -> str:
        """The politeness group of a host: one connection at a time per group."""
        host = host.lower()
        return "slow hosts" if host in self.slow_hosts else host


@dataclass
class Fetched:
    url: str  # as asked
    status: int  # 200 or 304
    body: bytes = b""
    final_url: str = ""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    tries: int = 1


class FetchError(Exception):
    """A URL that could not be fetched; `str(e)` is the one-line reason shown to the user."""

    def __init__(self, url: str, message: str, *, offline: bool = False) -> None:
        self.url, self.message, self.offline = url, message, offline
        super().__init__(message)


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        self.reason, self.wait = reason, wait


@dataclass
class _Turn:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float | None = None


class HttpClient:
    """Thread-safe: `get` may be called from one thread per politeness group (see run.py)."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        politeness: Politeness = Politeness(),
        tries: int = 3,
        backoff: float = 1.0,  # first retry waits this long, then twice as long...
        max_wait: float = 60.0,  # a Retry-After longer than this ends the tries (reported) rather than block
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout, self.politeness, self.tries = timeout, politeness, max(1, tries)
        self.backoff, self.max_wait = backoff, max_wait
        self._sleep, self._clock = sleep, clock
        self._turns: dict[str, _Turn] = {}
        self._turns_lock = threading.Lock()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent()},
            follow_redirects=False,
            transport=transport,
            trust_env=False,  # no proxy or netrc from the environment: the request goes where the config says
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        """GET `url` (conditionally when validators are given). Raises FetchError with the reason."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            request = self._client.build_request("GET", url, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as e:
            raise FetchError(url, f"bad URL ({e})") from None
        reason = ""
        for attempt in range(1, self.tries + 1):
            try:
                got = self._send(request)
                got.url, got.tries = url, attempt
                return got
            except _Retry as r:
                reason = r.reason
                if attempt == self.tries:
                    break
                wait = r.wait if r.wait is not None else self.backoff * 2 ** (attempt - 1)
                if wait > self.max_wait:
                    raise FetchError(url, f"{reason} (the server asks to wait {wait:.0f} s)") from None
                self._sleep(wait)
        raise FetchError(url, f"{reason} after {self.tries} tries" if self.tries > 1 else reason)

    def _turn(self, host: str) -> _Turn:
        with self._turns_lock:
            return self._turns.setdefault(self.politeness.group(host), _Turn())

    def _send(self, request: httpx.Request) -> Fetched:
        for _hop in range(MAX_REDIRECTS + 1):
            host = request.url.host
            turn = self._turn(host)
            with turn.lock:  # one request at a time per group, and the gap after the last one
                slow = host.lower() in self.politeness.slow_hosts
                if slow and turn.last_end is not None:
                    wait = turn.last_end + self.politeness.gap - self._clock()
                    if wait > 0:
                        self._sleep(wait)
                try:
                    response, body = self._exchange(request)
                finally:
                    turn.last_end = self._clock()
            if response.is_redirect and response.next_request is not None:
                request = response.next_request
                continue
            return self._outcome(request, response, body)
        raise FetchError(str(request.url), f"more than {MAX_REDIRECTS} redirects")

    def _exchange(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        url, host = str(request.url), request.url.host
        try:
            response = self._client.send(request, stream=True)
            try:
                body = self._read_body(url, response)
            finally:
                response.close()
        except httpx.TimeoutException as e:
            what = "connecting" if isinstance(e, httpx.ConnectTimeout) else "waiting for an answer"
            raise _Retry(f"timed out {what} ({self.timeout:g} s)") from None
        except httpx.ConnectError as e:
            raise FetchError(url, _connect_reason(host, e), offline=True) from None
        except httpx.RemoteProtocolError as e:
            cut = _CUT.search(str(e))
            if cut:
                raise _Retry(f"body cut off ({cut[1]} of {cut[2]} bytes)") from None
            raise _Retry(f"connection closed early ({e})") from None
        except httpx.TransportError as e:
            raise _Retry(f"network error ({type(e).__name__}: {e})") from None
        return response, body

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        if response.status_code != 200:
            return b""
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(url, f"body too large (over {MAX_BYTES // (1024 * 1024)} MB), not a daily feed")
            chunks.append(chunk)
        return b"".join(chunks)

    def _outcome(self, request: httpx.Request, response: httpx.Response, body: bytes) -> Fetched:
        code = response.status_code
        if code == 429 or 500 <= code <= 599:
            raise _Retry(f"HTTP {code}", _retry_after(response.headers.get("Retry-After")))
        if code not in (200, 304):
            phrase = f" {response.reason_phrase}" if response.reason_phrase else ""
            raise FetchError(str(request.url), f"HTTP {code}{phrase}")
        h = response.headers
        return Fetched(
            url=str(request.url), status=code, body=body, final_url=str(request.url),
            content_type=h.get("Content-Type", ""), etag=h.get("ETag", ""), last_modified=h.get("Last-Modified", ""),
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _connect_reason(host: str, e: Exception) -> str:
    text = str(e)
    low = text.lower()
    if any(s in low for s in ("name or service not known", "nodename nor servname", "temporary failure in name",
                              "no address associated", "name resolution", "errno -2", "errno -3", "errno -5")):
        return f"cannot resolve {host} (offline?)"
    if "refused" in low:
        return f"cannot connect to {host}: connection refused"
    if "unreachable" in low:
        return f"cannot connect to {host}: network unreachable (offline?)"
    return f"cannot connect to {host} ({text or type(e).__name__})"
