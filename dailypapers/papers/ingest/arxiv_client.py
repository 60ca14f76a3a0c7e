"""The one way to talk to arXiv: every request (API, OAI-PMH, RSS) goes through :func:`get_client`.

arXiv asks for at most one request every 3 seconds, on one connection, from an identifiable client. The limiter
is shared by every thread and every process of the box: an ``fcntl`` lock on a file in the data folder guards the
time of the last request, written in the same file. Errors and 5xx answers are retried with exponential back-off;
a ``503`` (or ``429``) with ``Retry-After`` waits what the server asks.
"""

from __future__ import annotations

import email.utils
import fcntl
import logging
import os
import threading
import time
from pathlib import Path

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from dailypapers import __version__

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 600.0  # seconds: never sleep longer than this on a server's say-so


class ArxivUnavailable(Exception):
    """arXiv did not answer usefully after every retry."""


class RateLimiter:
    """At most one request per ``interval`` seconds across threads and processes sharing ``path``."""

    def __init__(self, interval: float, path: Path) -> None:
        self.interval = interval
        self.path = Path(path)
        self._thread_lock = threading.Lock()

    def wait(self) -> float:
        """Block until this caller may send a request, and claim that moment for it (returned, epoch seconds)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._thread_lock, open(self.path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            try:
                handle.seek(0)
                last = float(handle.read().decode() or 0)
            except ValueError:
                last = 0.0
            delay = last + self.interval - time.time()
            if delay > 0:
                time.sleep(min(delay, self.interval))
            now = time.time()
            handle.seek(0)
            handle.truncate()
            handle.write(repr(now).encode())
            handle.flush()
            return now


class ArxivClient:
    def __init__(
        self,
        *,
        interval: float | None = None,
        max_retries: int | None = None,
        timeout: float | None = None,
        limiter_path: Path | None = None,
        backoff: float | None = None,
    ) -> None:
        self.interval = settings.ARXIV_REQUEST_INTERVAL if interval is None else interval
        self.max_retries = settings.ARXIV_MAX_RETRIES if max_retries is None else max_retries
        self.timeout = settings.ARXIV_TIMEOUT if timeout is None else timeout
        self.backoff = max(self.interval, 0.05) if backoff is None else backoff
        self.limiter = RateLimiter(self.interval, limiter_path or Path(settings.DATA_DIR) / "arxiv-rate-limit")
        self.session = requests.Session()
        self.session.headers["User-Agent"] = (
            f"dailypapers/{__version__} (+{settings.SITE_URL}; mailto:{settings.CONTACT_EMAIL})"
        )
        # One connection, shared: a second thread waits for it rather than opening another.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, pool_block=True, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get(self, url: str, params: dict | None = None, *, ok_statuses: tuple[int, ...] = ()) -> requests.Response:
        """GET with rate limiting and retries; 2xx (and ``ok_statuses``) are returned, others raise."""
        problem = ""
        for attempt in range(self.max_retries + 1):
            self.limiter.wait()
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
                if _offline(exc):  # no name resolution or no route: retrying for a minute and a half will not help
                    raise ArxivUnavailable(f"cannot reach {url} (is this machine offline?): {_cause(exc)}") from None
                self._back_off(attempt, problem)
                continue
            if response.ok or response.status_code in ok_statuses:
                return response
            problem = f"HTTP {response.status_code} from {response.url}"
            if response.status_code in (429, 503) and response.headers.get("Retry-After"):
                pause = _retry_after(response.headers["Retry-After"])
                log.warning("%s: retrying in %.1f s as asked (Retry-After)", problem, pause)
                if attempt < self.max_retries:
                    time.sleep(pause)
                continue
            if response.status_code >= 500 or response.status_code == 429:
                self._back_off(attempt, problem)
                continue
            raise ArxivUnavailable(problem)
        raise ArxivUnavailable(f"gave up after {self.max_retries + 1} tries: {problem}")

    def _back_off(self, attempt: int, problem: str) -> None:
        if attempt >= self.max_retries:
            return
        pause = min(self.backoff * 2**attempt, MAX_RETRY_AFTER)
        log.warning("%s: retrying in %.1f s", problem, pause)
        time.sleep(pause)

    def close(self) -> None:
        self.session.close()


_OFFLINE_SIGNS = (
    "NameResolutionError",
    "Failed to resolve",
    "Name or service not known",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No route to host",
)


def _offline(exc: Exception) -> bool:
    return isinstance(exc, requests.ConnectionError) and any(sign in str(exc) for sign in _OFFLINE_SIGNS)


def _cause(exc: Exception) -> str:
    return next((sign for sign in _OFFLINE_SIGNS if sign in str(exc)), type(exc).__name__)


def _retry_after(value: str) -> float:
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = 5.0
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


_client: ArxivClient | None = None
_client_lock = threading.Lock()
_client_pid = 0


def get_client() -> ArxivClient:
    """The process's shared client (a forked child makes its own: a connection cannot cross a fork)."""
    global _client, _client_pid
    with _client_lock:
        if _client is None or _client_pid != os.getpid():
            _client, _client_pid = ArxivClient(), os.getpid()
        return _client


def reset_client() -> None:
    """Forget the shared client (settings changed, e.g. in tests)."""
    global _client
    with _client_lock:
        if _client is not None:
            _client.close()
        _client = None
