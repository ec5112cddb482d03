"""The optional clients: they only send and wait. Every decision — the request, the reply, whether
and when to retry — is the core's, through the functions the package exports.

The exchange is written once, as a generator that yields what to do (send this request, sleep this
long) and is sent what happened; `Client` runs it with blocking calls, `AsyncClient` with awaits.
"""

import random as _random
import time
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Generator,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
)

from ._errors import ApiError
from ._native import (
    build_request,
    check_media_download,
    http_args,
    next_attempt,
    next_page_params,
    operations,
    parse_response,
)
from ._operations import AsyncOperations, Operations
from .types import MediaInfo

# What the exchange asks for: ("send", httpx keyword arguments) or ("sleep", seconds); it is sent
# (status, headers, body) after a send and None after a sleep.
_Step = Tuple[str, Any]
_Answer = Optional[Tuple[int, Any, bytes]]
_Exchange = Generator[_Step, _Answer, Tuple[Any, bytes, Mapping[str, Any]]]

_ITEMS: Dict[str, str] = {op["name"]: items for op in operations() if (items := op.get("items")) is not None}

DownloadedMedia = Dict[str, Any]
"""`data` (the bytes), `info` (the `get_media` reply), `size_bytes` and `sha256` (checked)."""


def _httpx(name: str) -> Any:
    try:
        import httpx
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"wagroups.{name} sends with httpx by default: pip install \"wagroups[httpx]\", or pass http="
        ) from e
    return httpx


def _policy(max_attempts: int, base_delay: float, max_delay: float) -> Dict[str, int]:
    """Seconds (as Python waits) → the core's milliseconds."""
    return {
        "max_attempts": max_attempts,
        "base_delay_ms": round(base_delay * 1000),
        "max_delay_ms": round(max_delay * 1000),
    }


def _items(operation: str, reply: Any) -> List[Any]:
    path = _ITEMS.get(operation)
    if path is None:
        raise TypeError(f"{operation} is not a listing")
    value = reply
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return list(value) if isinstance(value, list) else []


def _first_page(params: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in params.items() if k not in ("after", "before")}


class _Base:
    def __init__(
        self,
        config: Optional[Mapping[str, Any]],
        random: Callable[[], float],
        max_attempts: int,
        base_delay: float,
        max_delay: float,
    ) -> None:
        self.config: Mapping[str, Any] = dict(config or {})
        self._random = random
        self._policy = _policy(max_attempts, base_delay, max_delay)

    def _exchange(
        self,
        operation: str,
        params: Mapping[str, Any],
        file: Optional[bytes],
        restart_from: Optional[Mapping[str, Any]] = None,
    ) -> _Exchange:
        current = params
        attempt = 1
        while True:
            request = build_request(operation, current, self.config, file)  # type: ignore[arg-type]
            answer = yield ("send", http_args(request))
            assert answer is not None
            status, headers, body = answer
            try:
                return parse_response(operation, status, body, headers), body, current
            except ApiError as error:
                decision: Any = next_attempt(error, attempt, self._policy, self._random())
                if decision["action"] == "retry":
                    yield ("sleep", decision["delay_ms"] / 1000)
                elif decision["action"] == "restart" and restart_from is not None:
                    current = restart_from
                else:
                    error.attempts = attempt
                    raise
                attempt = decision["attempt"]


class Client(_Base, Operations):
    """Sends each operation with `http` (an ``httpx.Client`` by default), retrying as the core
    decides and waiting with `sleep` (seconds)."""

    def __init__(
        self,
        config: Optional[Mapping[str, Any]] = None,
        http: Any = None,
        sleep: Callable[[float], Any] = time.sleep,
        random: Callable[[], float] = _random.random,
        max_attempts: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
    ) -> None:
        super().__init__(config, random, max_attempts, base_delay, max_delay)
        self.http = http if http is not None else _httpx("Client").Client()
        self._sleep = sleep

    def _run(self, exchange: _Exchange) -> Tuple[Any, bytes, Mapping[str, Any]]:
        answer: _Answer = None
        try:
            while True:
                kind, arg = exchange.send(answer)
                if kind == "send":
                    response = self.http.request(**arg)
                    answer = (response.status_code, response.headers, response.content)
                else:
                    self._sleep(arg)
                    answer = None
        except StopIteration as done:
            result: Tuple[Any, bytes, Mapping[str, Any]] = done.value
            return result

    def call(self, operation: str, params: Optional[Mapping[str, Any]] = None, file: Optional[bytes] = None) -> Any:
        """The typed reply of one operation; raises the typed errors once retries are spent."""
        return self._run(self._exchange(operation, params or {}, file))[0]

    def paginate(self, operation: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[Any]:
        """Every item of every page of a listing. Items may repeat after the core restarts a
        listing whose cursor expired: key them by id."""
        start: Mapping[str, Any] = params or {}
        first = _first_page(start)
        page: Optional[Mapping[str, Any]] = start
        while page is not None:
            reply, body, sent = self._run(self._exchange(operation, page, None, first))
            yield from _items(operation, reply)
            page = next_page_params(operation, sent, body)  # type: ignore[arg-type]

    def download_media(self, media_id: str) -> DownloadedMedia:
        """A media file's bytes, checked against the size and SHA-256 `get_media` announced."""
        info: MediaInfo = self.call("get_media", {"media_id": media_id})
        _, body, _ = self._run(self._exchange("download_media", {"url": info["url"]}, None))
        return {"data": body, "info": info, **check_media_download(body, info)}


class AsyncClient(_Base, AsyncOperations):
    """`Client` for asyncio: sends with `http` (an ``httpx.AsyncClient`` by default) and waits with
    `sleep` (``asyncio.sleep``)."""

    def __init__(
        self,
        config: Optional[Mapping[str, Any]] = None,
        http: Any = None,
        sleep: Optional[Callable[[float], Awaitable[Any]]] = None,
        random: Callable[[], float] = _random.random,
        max_attempts: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
    ) -> None:
        import asyncio

        super().__init__(config, random, max_attempts, base_delay, max_delay)
        self.http = http if http is not None else _httpx("AsyncClient").AsyncClient()
        self._sleep = sleep or asyncio.sleep

    async def _run(self, exchange: _Exchange) -> Tuple[Any, bytes, Mapping[str, Any]]:
        answer: _Answer = None
        try:
            while True:
                kind, arg = exchange.send(answer)
                if kind == "send":
                    response = await self.http.request(**arg)
                    answer = (response.status_code, response.headers, response.content)
                else:
                    await self._sleep(arg)
                    answer = None
        except StopIteration as done:
            result: Tuple[Any, bytes, Mapping[str, Any]] = done.value
            return result

    async def call(
        self, operation: str, params: Optional[Mapping[str, Any]] = None, file: Optional[bytes] = None
    ) -> Any:
        """The typed reply of one operation; raises the typed errors once retries are spent."""
        return (await self._run(self._exchange(operation, params or {}, file)))[0]

    async def paginate(self, operation: str, params: Optional[Mapping[str, Any]] = None) -> AsyncIterator[Any]:
        """Every item of every page of a listing (see `Client.paginate`)."""
        start: Mapping[str, Any] = params or {}
        first = _first_page(start)
        page: Optional[Mapping[str, Any]] = start
        while page is not None:
            reply, body, sent = await self._run(self._exchange(operation, page, None, first))
            for item in _items(operation, reply):
                yield item
            page = next_page_params(operation, sent, body)  # type: ignore[arg-type]

    async def download_media(self, media_id: str) -> DownloadedMedia:
        """A media file's bytes, checked against the size and SHA-256 `get_media` announced."""
        info: MediaInfo = await self.call("get_media", {"media_id": media_id})
        _, body, _ = await self._run(self._exchange("download_media", {"url": info["url"]}, None))
        return {"data": body, "info": info, **check_media_download(body, info)}


__all__ = ["Client", "AsyncClient", "DownloadedMedia"]
