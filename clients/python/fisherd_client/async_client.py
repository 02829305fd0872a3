"""The asyncio fisherd client: one WebSocket connection to the daemon, one session at a time.

    client = await AsyncClient.connect('ws://127.0.0.1:7070', token=token)
    await client.open_session(SessionConfig(dim=D, optimizer=Optimizer('ngd', step_size=0.1, damping=1e-3)))
    update = await client.step(reduction='sum', per_example_grads=g, sampled_label_grads=g_tilde)
    theta += update.delta
    await client.close()

Same API and semantics as the TypeScript client (clients/ts/src/client.ts), in Python's names.

Shared memory: when the daemon runs on this machine (or in a sidecar sharing a memory-backed volume) and
names its shared-memory directory in its Welcome, the client sends its steps and estimates requests
through a file there and reads large replies (updates) from another (proto ``SharedMemoryOffer``); the
WebSocket carries only small frames. Where the daemon refuses (another machine or container, shared
memory off) the client sends frames, as before (logged once). ``shared_memory=False`` turns it off.

Reconnect and resume: when the connection drops (network, daemon restart), the client reconnects with
exponential back-off, re-attaches to its session and carries on: a step whose update was lost is answered
from the daemon's last update, a step the daemon never applied is sent again. When the daemon resumed
from an older checkpoint than the client's position, the pending step fails with ``ResumeGap``
(``resumed_step`` says where): the training loop must send the steps from there again.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

import numpy as np

from websockets.exceptions import ConnectionClosed as _WsConnectionClosed

from . import fisherd_pb2 as pb
from . import wire
from .config import SessionConfig, config_to_wire
from .errors import FisherdError, fisherd_error
from .results import (
    Estimates, KroneckerBasis, ServerInfo, SessionInfo, Update, error_from_wire, estimates_from_wire, join_estimate_ranges,
    kronecker_bases_from_wire, kronecker_basis_bytes, session_from_wire, update_from_wire,
)
from .resume import plan_resume
from .shared_memory import SharedMemoryFiles
from .step_input import StepInput, encode_step
from .transport import (
    FRAME_MARGIN_BYTES, UNATTACHED_MAX_FRAME_BYTES, close_code, dial, max_frame_bytes_for, set_max_frame_bytes,
)

log = logging.getLogger('fisherd_client')

#: The protocol version this client speaks (proto ``PROTOCOL_VERSION_CURRENT``).
PROTOCOL_VERSION = pb.PROTOCOL_VERSION_CURRENT

#: Close codes after which reconnecting cannot help (src/errors.ts).
_FATAL_CLOSE_CODES = {1002: 'UNSUPPORTED_VERSION', 1008: 'UNAUTHORIZED'}
#: Request kinds that may travel through shared memory (their large replies then come back that way too).
_REF_KINDS = ('step', 'estimates')

#: Frames from this size on are first read as an Update with Δθ copied once (``wire.split_update``).
_SPLIT_FRAMES_FROM = 64 << 10

#: Errors after which a reconnect attempt stops trying.
_FATAL_RECONNECT_CODES = ('UNAUTHORIZED', 'UNSUPPORTED_VERSION', 'UNKNOWN_SESSION')


@dataclass(frozen=True)
class Reconnect:
    """Reconnect policy: ``retries`` tries, waiting ``min_delay`` seconds before the first and doubling up
    to ``max_delay``. Default 10 tries, 0.1 s doubling to 5 s (about 26 s in all)."""

    retries: int = 10
    min_delay: float = 0.1
    max_delay: float = 5.0


class _Reply(NamedTuple):
    """A request's answer: the message, and an update's Δθ when it was read apart from the message (then
    ``message.update.delta`` is empty)."""

    message: pb.ServerMessage
    delta: Optional[np.ndarray] = None


class _Pending:
    __slots__ = ('kind', 'frame', 'step', 'future', 'source', 'span')

    def __init__(self, kind: str, frame: Optional[Union[bytes, memoryview]], step: Optional[int],
                 future: 'asyncio.Future[_Reply]') -> None:
        self.kind = kind  # hello, open, step, estimates, close
        # The encoded ClientMessage, sent again after a reconnect. None while the request is to be (or was)
        # written straight into the request file: then `source` holds the message and its payloads until
        # written, and `span` where it was written (copied out as the frame if the files go first).
        self.frame = frame
        self.step = step
        self.future = future
        self.source: Optional[Tuple[pb.ClientMessage, wire.Payloads]] = None
        self.span: Optional[Tuple[int, int]] = None

    def encoded(self) -> Union[bytes, memoryview]:
        """The frame, encoded now from `source` if it was not yet."""
        if self.frame is None:
            if self.source is None:
                raise RuntimeError('a request with neither a frame nor its message')  # not reached: see _drop_shared_memory
            self.frame = wire.encode(*self.source)
            self.source = None
        return self.frame


class AsyncClient:
    """An asyncio client of one fisherd daemon. Create it with ``await AsyncClient.connect(url, ...)``.

    Options (keyword arguments of ``connect``):
        token: bearer token, sent on the upgrade as ``Authorization: Bearer …`` (required when the daemon
            has one). Default none.
        client_name: name for the daemon's logs. Default ``"fisherd-python-client"``.
        worker_id: this client's worker id in data-parallel sessions. Default 0.
        reconnect: ``True`` (default policy), ``False``, or a ``Reconnect``.
        request_timeout: seconds a request waits for its answer before ``RequestTimeout``. Default 120.
        max_frame_bytes: largest daemon frame accepted. Default: from the session's D once one is attached
            (``transport.max_frame_bytes_for``: 32·D bytes + 1 MiB, room for estimates with all diagonals),
            and the daemon's own 256 MiB default before (the answer to ``resume_session`` carries a D-long
            update before the client knows D). Requests whose answer cannot fit fail with
            ``FRAME_TOO_LARGE`` before they are sent.
        open_timeout: seconds to wait for the WebSocket handshake. Default 10.
        on_notice: called with errors the daemon sends without a request of this client to answer (e.g.
            WORKER_TIMEOUT for a step this worker had not contributed to yet, SHUTTING_DOWN, or
            CHECKPOINT_FAILED with the step the checkpoint on disk holds in ``step``), on the event loop's
            thread. Default: ignored.
        shared_memory: send steps and estimates requests through shared memory when the daemon is on this
            machine and has it (its Welcome names its ``--shared-memory-dir``): ``True``, ``False``, or the
            path where the daemon's directory is mounted here when that differs. The client creates two
            files there on each connection (mode 0600, unlinked once offered, also at exit); where the
            daemon refuses them (not co-located) it sends frames, logged once. Default True.
    """

    def __init__(
        self,
        url: str,
        *,
        token: Optional[str] = None,
        client_name: str = 'fisherd-python-client',
        worker_id: int = 0,
        reconnect: Union[bool, Reconnect] = True,
        request_timeout: float = 120.0,
        max_frame_bytes: Optional[int] = None,
        open_timeout: float = 10.0,
        on_notice: Optional[Callable[[FisherdError], None]] = None,
        shared_memory: Union[bool, str] = True,
    ) -> None:
        self.url = url
        self._token = token
        self._client_name = client_name
        self._worker_id = worker_id
        self._reconnect_policy: Optional[Reconnect] = (
            Reconnect() if reconnect is True else reconnect if isinstance(reconnect, Reconnect) else None)
        self._request_timeout = request_timeout
        self._max_frame_bytes = max_frame_bytes
        self._open_timeout = open_timeout
        self._on_notice = on_notice
        self._ws: Any = None
        self._reader: Optional['asyncio.Task[None]'] = None
        self._pending: Dict[int, _Pending] = {}
        self._next_request_id = 1
        self._session: Optional[SessionInfo] = None
        self._last_step = 0
        self._next_step = 1
        self._reconnecting: Optional['asyncio.Task[None]'] = None
        # Frames go out in the order their requests were made, also across a reconnect (see _resume).
        self._send_lock = asyncio.Lock()
        self._closed_by_user = False
        self._server = ServerInfo(0, '', '')
        self._shared_memory_option = shared_memory
        # This connection's accepted shared-memory files, and the ref'd request not answered yet (at most
        # one: the ordering contract of proto SharedMemoryOffer).
        self._shm: Optional[SharedMemoryFiles] = None
        self._ref_outstanding: Optional[int] = None
        self._shm_fallback_logged = False

    @classmethod
    async def connect(cls, url: str, **options: Any) -> 'AsyncClient':
        """Connects, says hello and returns once the daemon has answered (options: see the class)."""
        client = cls(url, **options)
        try:
            await client._open()
        except BaseException:
            client._closed_by_user = True
            await client._drop_socket()
            raise
        return client

    async def __aenter__(self) -> 'AsyncClient':
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ---- public API -------------------------------------------------------------------------------

    @property
    def server(self) -> ServerInfo:
        """The daemon's protocol version, fisherd version and compute backend (from its Welcome)."""
        return self._server

    @property
    def session(self) -> Optional[SessionInfo]:
        """The session this client is attached to."""
        return self._session

    @property
    def shared_memory_active(self) -> bool:
        """Whether this connection sends its steps through shared memory (the daemon accepted the offer)."""
        return self._shm is not None

    @property
    def session_id(self) -> Optional[str]:
        return None if self._session is None else self._session.session_id

    @property
    def last_step(self) -> int:
        """The last step whose update this client received (or at which it resumed)."""
        return self._last_step

    @property
    def worker_id(self) -> int:
        return self._worker_id

    async def open_session(self, config: SessionConfig) -> SessionInfo:
        """Creates a session."""
        self._require_no_session()
        message = pb.ClientMessage()
        config_to_wire(config, message.open_session.config)  # raises INVALID_CONFIG before sending
        return self._attached(await self._request('open', message))

    async def resume_session(self, session_id: str) -> SessionInfo:
        """Attaches to an existing session: another worker's, or one to resume after a disconnect or a
        daemon restart (at its last checkpoint)."""
        self._require_no_session()
        message = pb.ClientMessage()
        message.open_session.session_id = session_id
        return self._attached(await self._request('open', message))

    async def step(self, contribution: Optional[StepInput] = None, /, **fields: Any) -> Update:
        """Sends this worker's contribution to a step and returns the step's update Δθ.

        Give a ``StepInput`` or its fields as keywords (``reduction``, ``per_example_grads``, ...). Shapes,
        NaN/±Inf and block names are checked against the session before anything is sent.
        """
        session = self._require_session('step()')
        if contribution is None:
            contribution = StepInput(**fields)
        elif fields:
            raise TypeError('give a StepInput or keyword fields, not both')
        step = contribution.step if contribution.step is not None else self._next_step
        worker_id = contribution.worker_id if contribution.worker_id is not None else self._worker_id
        message = pb.ClientMessage()
        payloads = wire.Payloads(('step',))  # the float vectors, written where the message goes (wire.py)
        encode_step(contribution, session, step, worker_id, message.step, payloads)
        self._check_reply_fits(4 * session.dim, 'the update (4·D bytes)', step)
        previous, self._next_step = self._next_step, step + 1
        try:
            reply = await self._exchange('step', message, step, payloads)
        except FisherdError as e:
            if e.code != 'RESUME_GAP':
                if contribution.step is None:
                    # The daemon did not apply the step: the next call without an explicit step sends it again.
                    self._next_step = min(self._next_step, step)
                elif self._next_step == step + 1:
                    # A wrong explicit step does not move the client's own count.
                    self._next_step = previous
            raise
        update = update_from_wire(reply.message.update, session, reply.delta)
        self._last_step = max(self._last_step, update.step)
        return update

    async def estimates(self, top_k: Optional[int] = None, include_diagonals: bool = False,
                        max_reply_bytes: int = 32 * 1024 * 1024) -> Estimates:
        """The session's current estimates: top eigenvalues (``top_k``, daemon default 5, at most 64),
        traces, the EF-vs-Fisher cosine and, with ``include_diagonals``, the D-long diagonals and ḡ.

        With ``include_diagonals`` and a large D, the diagonals are read in ranges of at most
        ``max_reply_bytes`` a reply (keep it at most the daemon's ``--max-reply-bytes``, 64 MiB by default)
        and put together; ranges that straddle a step (the session stepped in between) are read again, up
        to 3 times."""
        session = self._require_session('estimates()')
        message = pb.ClientMessage()
        message.estimates_request.top_k = top_k or 0
        message.estimates_request.include_diagonals = include_diagonals
        if not include_diagonals:
            reply = await self._request('estimates', message)
            return estimates_from_wire(reply.estimates, session.dim)
        track = session.config.track
        tracked = 3 if track is None else int(track.empirical_fisher) + int(track.fisher) + int(track.noise)
        per_coordinate = 8 * (tracked + 1)
        chunk = max(1, max_reply_bytes // per_coordinate)
        what = f'{tracked} float64 diagonals and ḡ (8 bytes a coordinate each)'
        if session.dim <= chunk:
            self._check_reply_fits(per_coordinate * session.dim, what)
            reply = await self._request('estimates', message)
            return estimates_from_wire(reply.estimates, session.dim)
        for _ in range(3):
            parts = []
            for offset in range(0, session.dim, chunk):
                length = min(chunk, session.dim - offset)
                self._check_reply_fits(per_coordinate * length, what)
                message.estimates_request.diagonal_offset = offset
                message.estimates_request.diagonal_length = length
                reply = await self._request('estimates', message)
                parts.append(estimates_from_wire(reply.estimates, length))
                if parts[-1].step != parts[0].step:
                    break
            if all(p.step == parts[0].step for p in parts):
                return join_estimate_ranges(parts)
        raise fisherd_error('BACKPRESSURE', f'the session stepped while its diagonals (D = {session.dim}) were read in ranges, 3 times; read them between steps')

    async def kronecker_bases(self, block: str) -> List[KroneckerBasis]:
        """The installed eigendecompositions of Kronecker block ``block`` in each tracked Fisher (empirical,
        then sampled-label/exact; proto ``EstimatesRequest.kronecker_basis``): eigenvalues (float64) and
        eigenvectors as rows (float32), version 0 and empty before the block's first factor update. What an
        EKFAC client projects its gradients on (``KroneckerFactorSums.eigenbasis_squares`` with
        ``basis_version``); ask again when an update's ``layer.<block>.basisVersion`` changes. One reply of
        4·(out² + in'²) bytes per tracked Fisher: ask block by block. UNKNOWN_BLOCK for a name the session
        lacks, INVALID_CONFIG for a block that is not Kronecker or a session tracking no Fisher."""
        session = self._require_session('kronecker_bases()')
        structure = next((b.structure for b in session.blocks if b.name == block), None)
        if getattr(structure, 'kind', None) == 'kronecker':
            order = structure.inputs + (1 if structure.bias else 0)  # type: ignore[union-attr]
            self._check_reply_fits(2 * kronecker_basis_bytes(structure.outputs, order), f'the eigenbases of block {block!r}')  # type: ignore[union-attr]
        message = pb.ClientMessage()
        message.estimates_request.kronecker_basis = block
        reply = await self._request('estimates', message)
        return kronecker_bases_from_wire(reply.estimates)

    async def close_session(self, discard: bool = False) -> int:
        """Detaches from the session, which the daemon checkpoints and keeps resumable (unless ``discard``).
        Returns the step the session's checkpoint on disk holds, where a resume after a daemon restart
        continues (less than the last step when that checkpoint failed; with ``discard``, the last step)."""
        if self._session is None:
            return self._last_step
        message = pb.ClientMessage()
        message.close_session.discard = discard
        # Widen the frame limit for whatever session comes next now, not after the answer: the legacy
        # protocol applies a new limit from the frame after the one it is waiting for (set_max_frame_bytes).
        self._widen_frame_limit()
        try:
            reply = await self._request('close', message)
        except BaseException:
            if self._ws is not None:
                set_max_frame_bytes(self._ws, self._frame_limit())
            raise
        self._session = None
        return reply.session_closed.step if reply.HasField('session_closed') else self._last_step

    async def close(self) -> None:
        """Closes the session (if any, keeping it resumable) and the connection."""
        if self._session is not None and self._is_open():
            try:
                await self.close_session()
            except FisherdError:
                pass
        self._closed_by_user = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        self._reject_all(fisherd_error('CONNECTION_CLOSED', 'the client was closed'))
        await self._drop_socket()
        self._drop_shared_memory()

    # ---- connection -------------------------------------------------------------------------------

    def _frame_limit(self) -> int:
        if self._max_frame_bytes is not None:
            return self._max_frame_bytes
        return UNATTACHED_MAX_FRAME_BYTES if self._session is None else max_frame_bytes_for(self._session.dim)

    def _widen_frame_limit(self) -> None:
        if self._ws is not None and self._max_frame_bytes is None:
            set_max_frame_bytes(self._ws, UNATTACHED_MAX_FRAME_BYTES)

    def _check_reply_fits(self, payload_bytes: int, what: str, step: Optional[int] = None) -> None:
        """Refuses a request whose answer this client would refuse (and drop the connection over)."""
        needed = payload_bytes + FRAME_MARGIN_BYTES
        if needed > self._frame_limit():
            raise fisherd_error(
                'FRAME_TOO_LARGE',
                f'the answer carries {what}, about {needed} bytes, over this client\'s max_frame_bytes '
                f'({self._frame_limit()}): raise max_frame_bytes', field='max_frame_bytes', step=step, local=True)

    def _is_open(self) -> bool:
        return self._ws is not None and not self._ws_closed(self._ws)

    @staticmethod
    def _ws_closed(ws: Any) -> bool:
        closed = getattr(ws, 'closed', None)  # legacy protocol
        if closed is not None:
            return bool(closed)
        return getattr(getattr(ws, 'state', None), 'name', 'CLOSED') in ('CLOSING', 'CLOSED')

    async def _open(self) -> None:
        ws = await dial(self.url, self._token, self._frame_limit(), self._open_timeout)
        self._ws = ws
        self._reader = asyncio.ensure_future(self._read(ws))
        message = pb.ClientMessage()
        message.hello.protocol_version = PROTOCOL_VERSION
        message.hello.client_name = self._client_name
        welcome = (await self._request('hello', message)).welcome
        self._server = ServerInfo(welcome.protocol_version, welcome.server_version, welcome.backend, welcome.shared_memory_dir)
        await self._offer_shared_memory(welcome.shared_memory_dir)

    # ---- shared memory ----------------------------------------------------------------------------

    async def _offer_shared_memory(self, daemon_dir: str) -> None:
        """Offers shared-memory files when the daemon has a directory (and the option allows); falls back
        to frames, logged once, when the files cannot be made or the daemon refuses them."""
        option = self._shared_memory_option
        if option is False or not daemon_dir:
            return  # off here, or the daemon has none (shared memory off, or an older daemon)
        directory = option if isinstance(option, str) else daemon_dir
        if not os.path.isdir(directory):
            self._shm_fallback(f'{directory} does not exist here: the daemon is on another machine or container')
            return
        try:
            files = SharedMemoryFiles(directory)
        except OSError as e:
            self._shm_fallback(f'cannot create files in {directory}: {e}', logging.WARNING)
            return
        message = pb.ClientMessage()
        message.shared_memory_offer.request_file = files.request_file
        message.shared_memory_offer.reply_file = files.reply_file
        message.shared_memory_offer.nonce = files.nonce
        try:
            await self._request('shm', message)
        except FisherdError as e:
            files.close()
            if e.code in ('SHARED_MEMORY_UNAVAILABLE', 'UNEXPECTED_MESSAGE'):
                self._shm_fallback(e.message)
                return
            raise  # the connection itself failed, as for hello
        except BaseException:
            files.close()
            raise
        files.unlink()  # the daemon holds them open
        self._shm = files
        self._ref_outstanding = None
        log.debug('fisherd client: shared memory with %s (%s, %s)', self.url, files.request_file, files.reply_file)

    def _shm_fallback(self, why: str, level: int = logging.INFO) -> None:
        if self._shm_fallback_logged:
            return
        self._shm_fallback_logged = True
        log.log(level, 'fisherd client: shared memory not used with %s (%s); sending frames', self.url, why)

    def _drop_shared_memory(self) -> None:
        shm, self._shm = self._shm, None
        self._ref_outstanding = None
        if shm is not None:
            # A request written into the request file and not answered is sent again as a frame after a
            # reconnect: keep its bytes.
            for pending in self._pending.values():
                if pending.frame is None and pending.span is not None:
                    try:
                        pending.frame = shm.request_bytes(*pending.span)
                        pending.source = None
                    except ValueError:
                        pass  # not reached (the mapping held it); `encoded()` encodes it from `source`
                    pending.span = None
            shm.close()

    def _dereference(self, ref: pb.ServerMessage) -> _Reply:
        """The message a MessageRef frame names in the reply file, read now (before the next ref'd request):
        an update with its Δθ copied once into a numpy array, anything else parsed by protobuf (which
        copies what it reads)."""
        if self._shm is None:
            raise ValueError('a message_ref, but no shared memory is set up')
        with self._shm.reply_view(ref.message_ref.offset, ref.message_ref.length) as view:
            split = wire.split_update(view)
            if split is not None:
                return _Reply(*split)
            message = pb.ServerMessage()
            message.ParseFromString(view)
        if message.WhichOneof('kind') == 'message_ref':
            raise ValueError('a message_ref inside a message_ref')
        return _Reply(message)

    async def _drop_socket(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(1000, 'client closed'), timeout=5)
            except Exception:  # already closed or unreachable: nothing more to do
                pass
        if self._reader is not None and self._reader is not asyncio.current_task():
            self._reader.cancel()

    async def _read(self, ws: Any) -> None:
        code, reason, by_client = 1006, '', False
        try:
            while True:
                frame = await ws.recv()
                self._receive(frame)
        except _WsConnectionClosed as e:
            code, reason, by_client = close_code(e)
        except asyncio.CancelledError:
            return
        except Exception as e:  # a bug in frame handling must not leave requests hanging
            log.exception('fisherd client: reading a frame failed')
            reason = f'{type(e).__name__}: {e}'
        self._lost(ws, code, reason, by_client)

    def _receive(self, frame: Union[bytes, str]) -> None:
        if isinstance(frame, str):
            return  # text frames are not part of the protocol
        reply: Optional[_Reply] = None
        if len(frame) >= _SPLIT_FRAMES_FROM:
            try:
                split = wire.split_update(memoryview(frame))
            except Exception:
                split = None  # parsed whole below (and dropped there if it cannot be)
            if split is not None:
                reply = _Reply(*split)
        if reply is None:
            message = pb.ServerMessage()
            try:
                message.ParseFromString(frame)
            except Exception:
                return  # a frame this client cannot read: nothing to answer
            reply = _Reply(message)
        message = reply.message
        kind = message.WhichOneof('kind')
        if kind == 'message_ref':
            if message.request_id == self._ref_outstanding:
                self._ref_outstanding = None
            try:
                reply = self._dereference(message)
            except Exception as e:
                if message.request_id in self._pending:
                    self._settle(message.request_id, fisherd_error(
                        'MALFORMED_FRAME', f'the daemon\'s reply in shared memory cannot be read: {e}'))
                return
            message = reply.message
            kind = message.WhichOneof('kind')
        if message.request_id and message.request_id == self._ref_outstanding:
            self._ref_outstanding = None
        if kind is None:
            return
        pending = self._pending.get(message.request_id) if message.request_id else None
        if kind == 'error':
            error = error_from_wire(message.error)
            if pending is not None:
                self._settle(message.request_id, error)
            elif self._on_notice is not None:
                # Unsolicited (e.g. another worker's step timed out before this one contributed): it fails
                # nothing of this client's (its own contributions are answered by request id), so it is
                # only reported.
                try:
                    self._on_notice(error)
                except Exception:
                    log.exception('fisherd client: on_notice raised')
            return
        if kind == 'update' and message.update.step:
            self._last_step = max(self._last_step, message.update.step)
        if pending is not None:
            self._settle(message.request_id, reply)

    def _settle(self, request_id: int, outcome: Union[_Reply, FisherdError]) -> None:
        pending = self._pending.pop(request_id, None)
        if pending is None or pending.future.done():
            return
        if isinstance(outcome, FisherdError):
            pending.future.set_exception(outcome)
        else:
            pending.future.set_result(outcome)

    async def _request(self, kind: str, message: pb.ClientMessage, step: Optional[int] = None) -> pb.ServerMessage:
        return (await self._exchange(kind, message, step)).message

    async def _exchange(self, kind: str, message: pb.ClientMessage, step: Optional[int] = None,
                        payloads: Optional[wire.Payloads] = None) -> _Reply:
        """Sends one request and waits for its answer. ``payloads``: the message's float vectors, kept
        aside (``wire.Payloads``): written straight into the request file when shared memory takes the
        request now, else encoded into the frame (either way one copy of each vector)."""
        request_id = self._next_request_id
        self._next_request_id += 1
        message.request_id = request_id
        ref_request_id = request_id if kind in _REF_KINDS else None
        future: 'asyncio.Future[_Reply]' = asyncio.get_running_loop().create_future()
        if payloads is not None and payloads.entries and ref_request_id is not None and self._may_write_now():
            # Written by `_transmit` before anything yields (the send lock is free), so the vectors are read
            # while the caller's step() has them, as a frame's encoding would have.
            pending = _Pending(kind, None, step, future)
            pending.source = (message, payloads)
        else:
            pending = _Pending(kind, wire.encode(message, payloads), step, future)
        self._pending[request_id] = pending
        reader_gone = self._reader is None or self._reader.done()
        if self._reconnecting is None and reader_gone and not self._is_open() and kind not in ('hello', 'shm', 'open'):
            # Not connected and not reconnecting (the reconnect gave up, or reconnect=False): nothing would
            # ever send this request.
            raise fisherd_error('CONNECTION_CLOSED', f'not connected to {self.url} (the connection was lost and not restored)', step=step)
        # While reconnecting, the request waits in `_pending` and is sent once the session is restored.
        if self._reconnecting is None or kind in ('hello', 'shm', 'open'):
            await self._transmit(pending, ref_request_id)
        try:
            return await asyncio.wait_for(future, timeout=self._request_timeout)
        except asyncio.TimeoutError:
            self._pending.pop(request_id, None)
            raise fisherd_error('TIMEOUT', f'no answer to {kind} within {self._request_timeout} s', step=step) from None
        finally:
            if not future.done():
                future.cancel()  # the caller was cancelled: nobody waits for the answer any more
                self._pending.pop(request_id, None)

    def _may_write_now(self) -> bool:
        """Whether a ref'd request made now goes into the request file at once (`_transmit` without waiting)."""
        return (self._shm is not None and self._ref_outstanding is None and self._reconnecting is None
                and not self._send_lock.locked() and self._is_open())

    async def _transmit(self, pending: _Pending, ref_request_id: Optional[int] = None) -> None:
        """Sends one request: with ``ref_request_id``, through the request file when shared memory is set
        up and no other ref'd request is outstanding (its reply, when large, then comes through the reply
        file); otherwise as a frame."""
        async with self._send_lock:
            if ref_request_id is not None and self._shm is not None and self._ref_outstanding is None and self._is_open():
                try:
                    if pending.frame is None and pending.source is not None:
                        offset, length = self._shm.write_parts(*wire.parts(*pending.source))
                    else:
                        offset, length = self._shm.write(pending.encoded())
                except (OSError, ValueError) as e:
                    self._shm_fallback(f'cannot write the request file: {e}', logging.WARNING)
                    self._drop_shared_memory()
                else:
                    if pending.frame is None:
                        pending.span, pending.source = (offset, length), None
                    ref = pb.ClientMessage(request_id=ref_request_id)
                    ref.message_ref.offset = offset
                    ref.message_ref.length = length
                    self._ref_outstanding = ref_request_id
                    await self._send(ref.SerializeToString())
                    return
            await self._send(pending.encoded())

    async def _send(self, frame: Union[bytes, memoryview]) -> None:
        """Sends one frame; the caller holds ``_send_lock``."""
        if self._is_open():
            try:
                await self._ws.send(frame)
            except _WsConnectionClosed:
                pass  # the reader sees the close and reconnects or fails the pending requests

    def _attached(self, reply: pb.ServerMessage) -> SessionInfo:
        session = session_from_wire(reply.session_opened)
        self._session = session
        self._last_step = session.resumed_step
        self._next_step = session.resumed_step + 1
        if self._ws is not None:
            set_max_frame_bytes(self._ws, self._frame_limit())
        return session

    def _require_no_session(self) -> None:
        if self._session is not None:
            raise fisherd_error(
                'UNEXPECTED_MESSAGE',
                f'this client is attached to session {self._session.session_id}; close_session() first', local=True)

    def _require_session(self, what: str) -> SessionInfo:
        if self._session is None:
            raise fisherd_error('UNEXPECTED_MESSAGE', f'open or resume a session before {what}', local=True)
        return self._session

    def _reject_all(self, error: FisherdError, kinds: Optional[tuple] = None) -> None:
        for request_id, p in list(self._pending.items()):
            if kinds is None or p.kind in kinds:
                self._settle(request_id, error)

    # ---- reconnect and resume ---------------------------------------------------------------------

    def _lost(self, ws: Any, code: int, reason: str, by_client: bool) -> None:
        if ws is not self._ws or self._closed_by_user:
            return
        self._drop_shared_memory()  # the daemon closed its side; a new connection offers new files
        said = f'{code}{": " + reason if reason else ""}'
        if self._reconnecting is not None:
            # A connection opened by the reconnect loop dropped during its handshake: that attempt fails.
            self._reject_all(fisherd_error('CONNECTION_CLOSED', f'the connection closed during the handshake ({said})'),
                             ('hello', 'shm', 'open'))
            return
        if code == 1009:
            # Sending or receiving the same frames again would fail again.
            message = (f'a daemon frame exceeded this client\'s max_frame_bytes ({self._frame_limit()}); raise it'
                       if by_client else 'the daemon closed the connection: a frame exceeded its --max-frame-bytes (1009)')
            self._reject_all(fisherd_error('FRAME_TOO_LARGE', message), ('step', 'estimates'))
        fatal = _FATAL_CLOSE_CODES.get(code)
        if fatal is not None or self._reconnect_policy is None:
            self._ws = None
            self._reject_all(fisherd_error(fatal or 'CONNECTION_CLOSED', f'connection closed ({said})'))
            return
        log.info('fisherd client: connection to %s lost (%s); reconnecting', self.url, said)
        task = asyncio.ensure_future(self._reconnect(self._reconnect_policy))
        self._reconnecting = task

        def done(_: object) -> None:
            if self._reconnecting is task:
                self._reconnecting = None

        task.add_done_callback(done)

    async def _reconnect(self, policy: Reconnect) -> None:
        # The hello/open of the lost connection will never be answered: fail them (connect() callers retry).
        self._reject_all(fisherd_error('CONNECTION_CLOSED', 'the connection closed during the handshake'), ('hello', 'shm', 'open'))
        delay = policy.min_delay
        for attempt in range(1, policy.retries + 1):
            if self._closed_by_user:
                return
            await asyncio.sleep(delay)
            delay = min(2 * delay, policy.max_delay)
            try:
                await self._open()
                await self._resume()
                log.info('fisherd client: reconnected to %s (attempt %d)', self.url, attempt)
                return
            except FisherdError as e:
                if e.code in _FATAL_RECONNECT_CODES:
                    self._reject_all(e)
                    return
                log.debug('fisherd client: reconnect attempt %d failed: %s', attempt, e)
        self._reject_all(fisherd_error(
            'CONNECTION_CLOSED', f'lost the connection to {self.url} and could not reconnect after {policy.retries} tries'))

    async def _resume(self) -> None:
        """Re-attaches to the session (if any) and settles or re-sends what was pending.

        Ordering: the pending frames are chosen and sent while holding ``_send_lock``, and only then do new
        requests stop waiting for the reconnect; a request made meanwhile is in ``_pending`` when the
        choice is made, or is sent after the re-sent frames.
        """
        opened = None
        if self._session is not None:
            message = pb.ClientMessage()
            message.open_session.session_id = self._session.session_id
            opened = (await self._request('open', message)).session_opened
        async with self._send_lock:
            if not self._is_open():
                raise fisherd_error('CONNECTION_CLOSED', 'the connection closed while resuming')
            frames = self._frames_to_resend(opened)
            self._reconnecting = None
            for frame in frames:
                await self._send(frame)

    def _frames_to_resend(self, opened: Optional[pb.SessionOpened]) -> list:
        """Settles the pending steps the resumed session answers or cannot take (resume.py), and returns
        the frames to send again, in order (no awaits: nothing changes ``_pending`` meanwhile)."""
        if opened is None:
            return []  # no session: no step, estimates or close can be pending
        resumed = opened.resumed_step
        self._last_step = resumed
        last_update = opened.last_update if opened.HasField('last_update') else None
        plan = plan_resume(((rid, p.step or 0) for rid, p in self._pending.items() if p.kind == 'step'),
                           resumed, None if last_update is None else last_update.step)
        for request_id in plan.from_last_update:
            reply = pb.ServerMessage(request_id=request_id)
            reply.update.CopyFrom(last_update)
            self._settle(request_id, _Reply(reply))
        for request_id, step in plan.gaps:
            self._settle(request_id, fisherd_error(
                'RESUME_GAP',
                f'the session resumed at step {resumed} (its last checkpoint), but this step is {step}: '
                f'send the steps from {resumed + 1} again',
                step=step, resumed_step=resumed))
        self._next_step = min(self._next_step, plan.next_step)
        frames = [self._pending[request_id].encoded() for request_id in plan.resend]
        frames.extend(p.encoded() for p in self._pending.values() if p.kind in ('estimates', 'close'))
        return frames
