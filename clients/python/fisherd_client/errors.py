"""The client's typed errors.

Every error is a ``FisherdError`` whose ``code`` is one of the daemon's stable codes (``src/errors.ts``,
sent in ``Error`` frames as proto ``ErrorCode``) or one of the few that only a client can see
(``CONNECTION_CLOSED``, ``TIMEOUT``, ``RESUME_GAP``), the same set as the TypeScript client's
``FisherdClientErrorCode``. A few codes have their own subclass so that ``except`` clauses can be
specific; the subclass is the same whether the client caught the problem before sending (``local`` is
True) or the daemon answered it.
"""
from __future__ import annotations

from typing import Optional

#: The daemon's codes, in proto ``ErrorCode`` order (a test keeps this in sync with src/errors.ts and the proto).
DAEMON_ERROR_CODES = (
    'SHAPE_MISMATCH',
    'NON_FINITE',
    'INVALID_CONFIG',
    'UNKNOWN_BLOCK',
    'MISSING_INPUT',
    'NOT_POSITIVE_DEFINITE',
    'MALFORMED_FRAME',
    'UNEXPECTED_MESSAGE',
    'UNSUPPORTED_VERSION',
    'UNAUTHORIZED',
    'FRAME_TOO_LARGE',
    'UNKNOWN_SESSION',
    'STEP_OUT_OF_ORDER',
    'BAD_WORKER',
    'WORKER_TIMEOUT',
    'BACKPRESSURE',
    'SHUTTING_DOWN',
    'TRACE_CORRUPT',
    'TRACE_VERSION',
    'INTERNAL',
    'RECORDING_FAILED',
    'CHECKPOINT_FAILED',
    'SHARED_MEMORY_UNAVAILABLE',
)

#: Codes that only a client raises.
CLIENT_ERROR_CODES = (
    # The connection closed (or could not be opened) and was not, or could not be, restored.
    'CONNECTION_CLOSED',
    # The daemon did not answer within ``request_timeout``.
    'TIMEOUT',
    # After a reconnect the session resumed at an earlier step than the client had reached (the daemon
    # restarted from an older checkpoint): the steps from ``resumed_step + 1`` must be sent again.
    'RESUME_GAP',
)


class FisherdError(Exception):
    """An error from fisherd or from this client.

    Attributes:
        code: one of ``DAEMON_ERROR_CODES`` or ``CLIENT_ERROR_CODES``.
        message: what went wrong and what to do about it.
        field: the input field at fault (e.g. ``"per_example_grads"``, ``"optimizer.damping"``), if any.
        step: the step the error concerns, if any.
        resumed_step: for ``RESUME_GAP``, the step the session resumed at.
        local: True when this client detected the problem before sending anything.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: Optional[str] = None,
        step: Optional[int] = None,
        resumed_step: Optional[int] = None,
        local: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.step = step
        self.resumed_step = resumed_step
        self.local = local

    def __str__(self) -> str:
        return f'{self.code}: {self.message}'

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.code!r}, {self.message!r}, field={self.field!r}, step={self.step!r})'


class ShapeError(FisherdError, ValueError):
    """An array whose shape does not match the session (``SHAPE_MISMATCH``)."""


class NonFiniteError(FisherdError, ValueError):
    """A NaN or ±Inf in a payload, or a value that overflows float32 (``NON_FINITE``)."""


class ConnectionClosed(FisherdError, ConnectionError):
    """The connection closed and was not restored (``CONNECTION_CLOSED``)."""


class RequestTimeout(FisherdError, TimeoutError):
    """The daemon did not answer in time (``TIMEOUT``)."""


class ResumeGap(FisherdError):
    """The session resumed at an earlier step than the client had reached (``RESUME_GAP``)."""


class Unauthorized(FisherdError, PermissionError):
    """Missing or wrong bearer token (``UNAUTHORIZED``)."""


_SUBCLASSES = {
    'SHAPE_MISMATCH': ShapeError,
    'NON_FINITE': NonFiniteError,
    'CONNECTION_CLOSED': ConnectionClosed,
    'TIMEOUT': RequestTimeout,
    'RESUME_GAP': ResumeGap,
    'UNAUTHORIZED': Unauthorized,
}


def fisherd_error(code: str, message: str, **details: object) -> FisherdError:
    """The ``FisherdError`` (or its subclass for ``code``) for a code and message."""
    cls = _SUBCLASSES.get(code, FisherdError)
    return cls(code, message, **details)  # type: ignore[arg-type]
