"""The exception hierarchy. The native module raises these; nothing else lives here."""

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from .types import ErrorInfo, FieldError


class WagroupsError(Exception):
    """Every error of this library: a stable ``code``, a ``kind``, ``retry`` advice and details.

    ``info`` is the error's whole JSON form, identical in every language.
    """

    code: str
    kind: str
    retry: str
    origin: str
    info: "ErrorInfo"
    attempts: Optional[int] = None
    """How many calls a `Client` or `AsyncClient` made before giving up with this error."""

    def __init__(self, message: str, info: "ErrorInfo") -> None:
        super().__init__(message)
        self.info = info
        self.code = info["code"]
        self.kind = info["kind"]
        self.retry = info["retry"]
        self.origin = info["origin"]

    @property
    def details(self) -> Dict[str, Any]:
        """Everything besides code, kind, retry, origin, error_class and message."""
        skip = {"code", "kind", "retry", "origin", "error_class", "message"}
        return {k: v for k, v in self.info.items() if k not in skip}


class ValidationError(WagroupsError, ValueError):
    """The parameters break rules; ``errors`` lists every problem with its path."""

    @property
    def errors(self) -> "List[FieldError]":
        return self.info.get("errors", [])


class ImageError(WagroupsError, ValueError):
    """Bytes that are not a readable image."""


class DecodeError(WagroupsError, ValueError):
    """A reply that cannot be read (not JSON, or the wrong shape)."""


class WebhookError(WagroupsError, ValueError):
    """A delivery that is not a WhatsApp Business Account webhook."""


class VerificationError(WagroupsError):
    """The signature or the GET handshake did not check out: answer 401/403."""


class ApiError(WagroupsError):
    """The Graph API said no. Classified on its code; the raw reply is in ``info["raw"]``."""

    @property
    def http_status(self) -> int:
        return int(self.info.get("http_status", 0))

    @property
    def graph_code(self) -> Optional[Any]:
        return self.info.get("graph_code")

    @property
    def retry_after_seconds(self) -> Optional[int]:
        return self.info.get("retry_after_seconds")


__all__ = [
    "WagroupsError",
    "ValidationError",
    "ImageError",
    "DecodeError",
    "WebhookError",
    "VerificationError",
    "ApiError",
]
