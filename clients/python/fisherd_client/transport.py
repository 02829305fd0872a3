"""The WebSocket under the client: dialing with the daemon's options, and the few places where the
``websockets`` API differs between its legacy asyncio implementation (10.x–13.x, Debian 12 ships 10.4)
and the new one (14+, ``websockets.asyncio``).
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional, Tuple

import numpy as np
import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .errors import FisherdError, fisherd_error

log = logging.getLogger('fisherd_client')

#: The frame limit while no session is attached: the daemon's own default --max-frame-bytes. The answer
#: to ``resume_session`` carries the session's last update (4·D bytes) before the client knows D.
UNATTACHED_MAX_FRAME_BYTES = 256 << 20

#: Room for everything in a frame besides its float payloads (ids, diagnostics, eigenvalues, config).
FRAME_MARGIN_BYTES = 64 << 10


def max_frame_bytes_for(dim: int) -> int:
    """The largest frame the daemon sends a session of dimension D, with room to spare.

    The largest are ``Estimates`` with diagonals: up to three D-long float64 diagonals (Ẽ, F, S) and the
    float64 ḡ, i.e. 4·8·D bytes; an ``Update`` is 4·D bytes. The 1 MiB margin covers the configuration
    (block names) and the top eigenvalues.
    """
    return 32 * dim + (1 << 20)


def _connect_function() -> Tuple[Any, str]:
    """``(connect, name of its extra-headers argument)`` for the installed websockets."""
    try:
        from websockets.asyncio.client import connect  # websockets >= 13.0 (default from 14)

        return connect, 'additional_headers'
    except ImportError:
        return websockets.connect, 'extra_headers'


def numpy_apply_mask(data: bytes, mask: bytes) -> bytes:
    """RFC 6455 masking (``data[i] ^ mask[i % 4]``) with numpy: the same bytes as websockets' own
    ``apply_mask`` (``websockets.utils``, pure Python, ~0.2 GB/s; or its C ``websockets.speedups``), at
    memory speed: XOR as uint64 words with the mask tiled twice, then the < 8 tail bytes."""
    if len(mask) != 4:
        raise ValueError('mask must contain 4 bytes')
    n = len(data)
    source = np.frombuffer(data, dtype=np.uint8)
    out = np.empty(n, dtype=np.uint8)
    whole = n - n % 8
    tiled = bytes(mask) * 2
    if whole:
        np.bitwise_xor(source[:whole].view(np.uint64), np.frombuffer(tiled, dtype=np.uint64)[0], out=out[:whole].view(np.uint64))
    if whole < n:  # ``whole`` is a multiple of 4: the tail starts at mask[0]
        np.bitwise_xor(source[whole:], np.frombuffer(tiled, dtype=np.uint8)[:n - whole], out=out[whole:])
    return out.tobytes()


_mask_lock = threading.Lock()
_mask_checked = False


def install_numpy_mask() -> bool:
    """Where websockets masks in pure Python (no ``websockets.speedups``: Debian's python3-websockets), makes
    its frame code use ``numpy_apply_mask`` instead: the modules that imported ``apply_mask`` by name
    (``websockets.frames``, and ``websockets.legacy.framing`` where present) get the numpy one. Does
    nothing where the C speedups are in use or the names are not where this expects them (another
    websockets layout). Idempotent, called by ``dial``; logged once. Returns whether the numpy mask is in
    use."""
    global _mask_checked
    with _mask_lock:
        import importlib

        from websockets import utils

        modules = []
        for name in ('websockets.frames', 'websockets.legacy.framing'):
            try:
                modules.append(importlib.import_module(name))
            except ImportError:
                continue
        installed = False
        for module in modules:
            current = getattr(module, 'apply_mask', None)
            if current is numpy_apply_mask:
                installed = True
            elif current is not None and current is getattr(utils, 'apply_mask', None):
                module.apply_mask = numpy_apply_mask  # type: ignore[attr-defined]
                installed = True
        if not _mask_checked:
            _mask_checked = True
            if installed:
                log.info('fisherd client: websockets has no C speedups (websockets.speedups); frames are masked with numpy')
        return installed


async def dial(url: str, token: Optional[str], max_frame_bytes: int, open_timeout: float) -> Any:
    """Opens the WebSocket. Raises ``Unauthorized`` (HTTP 401), ``FisherdError(SHUTTING_DOWN)`` (HTTP 503)
    or ``ConnectionClosed`` (anything else), each saying what happened."""
    install_numpy_mask()
    connect, headers_argument = _connect_function()
    headers = {'Authorization': f'Bearer {token}'} if token is not None else {}
    try:
        return await connect(
            url,
            **{headers_argument: headers},
            # The daemon's replies are bounded by the session's D (max_frame_bytes_for); the client narrows
            # the limit to that once a session is attached (set_max_frame_bytes).
            max_size=max_frame_bytes,
            # Float payloads do not compress; deflate would only cost CPU on both sides.
            compression=None,
            open_timeout=open_timeout,
            # The daemon pings too (--heartbeat-ms); the client's own pings notice a dead daemon between
            # requests. A step's compute blocks only its own session in the daemon, so 60 s is generous.
            ping_interval=20,
            ping_timeout=60,
        )
    except InvalidURI as e:
        raise fisherd_error('CONNECTION_CLOSED', f'{url} is not a WebSocket URL (ws://host:port): {e}') from e
    except InvalidHandshake as e:
        status = _handshake_status(e)
        if status == 401:
            raise fisherd_error(
                'UNAUTHORIZED', 'the daemon refused the connection: missing or wrong bearer token (HTTP 401)') from e
        if status == 503:
            raise fisherd_error('SHUTTING_DOWN', 'the daemon is not accepting connections (HTTP 503)') from e
        raise fisherd_error('CONNECTION_CLOSED', f'the daemon refused the WebSocket upgrade at {url}: {e}') from e
    except (OSError, TimeoutError, ConnectionClosed) as e:
        raise fisherd_error('CONNECTION_CLOSED', f'cannot connect to {url}: {e}') from e
    except FisherdError:
        raise
    except Exception as e:  # asyncio.TimeoutError is not TimeoutError before Python 3.11
        raise fisherd_error('CONNECTION_CLOSED', f'cannot connect to {url}: {type(e).__name__} {e}') from e


def _handshake_status(e: InvalidHandshake) -> Optional[int]:
    status = getattr(e, 'status_code', None)  # legacy InvalidStatusCode
    if status is None:
        response = getattr(e, 'response', None)  # websockets >= 14 InvalidStatus
        status = getattr(response, 'status_code', None)
    return status


def set_max_frame_bytes(ws: Any, limit: int) -> None:
    """Changes the open connection's incoming frame limit. The legacy protocol reads the limit when it
    starts reading a frame, so the frame it is already waiting for still gets the previous limit: use
    this to narrow a limit, never to make room for the very next answer."""
    if hasattr(ws, 'max_size'):  # legacy protocol: read on every frame
        ws.max_size = limit
    elif hasattr(getattr(ws, 'protocol', None), 'max_size'):  # websockets >= 14: the Sans-I/O protocol's
        ws.protocol.max_size = limit


def close_code(e: ConnectionClosed) -> Tuple[int, str, bool]:
    """``(code, reason, closed_by_client)``: the close code and reason that ended the connection (1006
    when no close frame arrived), and whether this client sent it first (e.g. 1009 for a daemon frame
    over ``max_size``)."""
    rcvd = getattr(e, 'rcvd', None)
    sent = getattr(e, 'sent', None)
    if sent is not None and (rcvd is None or getattr(e, 'rcvd_then_sent', None) is False):
        return sent.code, sent.reason, True
    if rcvd is not None:
        return rcvd.code, rcvd.reason, False
    return 1006, '', False
