"""The blocking fisherd client: ``AsyncClient`` driven from a private event loop on its own thread.

    with Client.connect('ws://127.0.0.1:7070') as client:
        client.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.1)))
        update = client.step(reduction='mean', mean_grad=g, batch_size=b)

Why a thread and not ``run_until_complete`` per call: the connection must keep answering the daemon's
heartbeat pings (``--heartbeat-ms``, default 15 s) and keep reconnecting while the training loop computes
its next gradients, which may take longer than a ping interval. The loop thread does that between calls.
A ``Client`` is meant for one thread at a time (like the training loop that owns it).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Awaitable, List, Optional, TypeVar

from .async_client import AsyncClient
from .config import SessionConfig
from .errors import fisherd_error
from .results import Estimates, KroneckerBasis, ServerInfo, SessionInfo, Update
from .step_input import StepInput

T = TypeVar('T')


class Client:
    """A blocking client of one fisherd daemon. Create it with ``Client.connect(url, **options)``; the
    options are ``AsyncClient``'s (token, client_name, worker_id, reconnect, request_timeout,
    max_frame_bytes, open_timeout, on_notice: called on the client's loop thread, shared_memory). Methods mirror
    ``AsyncClient`` and raise the same typed errors."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name='fisherd-client-loop', daemon=True)
        self._thread.start()
        self._client: Optional[AsyncClient] = None

    @classmethod
    def connect(cls, url: str, **options: Any) -> 'Client':
        """Connects, says hello and returns once the daemon has answered."""
        client = cls()
        try:
            client._client = client._run(AsyncClient.connect(url, **options))
        except BaseException:
            client._stop_loop()
            raise
        return client

    def __enter__(self) -> 'Client':
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coroutine: Awaitable[T]) -> T:
        if not self._thread.is_alive():
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            raise fisherd_error('CONNECTION_CLOSED', 'the client was closed', local=True)
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)  # type: ignore[arg-type]
        try:
            return future.result()
        except (KeyboardInterrupt, concurrent.futures.CancelledError):
            future.cancel()
            raise

    @property
    def _async(self) -> AsyncClient:
        if self._client is None:
            raise fisherd_error('CONNECTION_CLOSED', 'the client is not connected', local=True)
        return self._client

    @property
    def server(self) -> ServerInfo:
        """The daemon's protocol version, fisherd version and compute backend."""
        return self._async.server

    @property
    def session(self) -> Optional[SessionInfo]:
        """The session this client is attached to."""
        return self._async.session

    @property
    def session_id(self) -> Optional[str]:
        return self._async.session_id

    @property
    def shared_memory_active(self) -> bool:
        """Whether this connection sends its steps through shared memory (see AsyncClient)."""
        return self._async.shared_memory_active

    @property
    def last_step(self) -> int:
        """The last step whose update this client received (or at which it resumed)."""
        return self._async.last_step

    def open_session(self, config: SessionConfig) -> SessionInfo:
        """Creates a session."""
        return self._run(self._async.open_session(config))

    def resume_session(self, session_id: str) -> SessionInfo:
        """Attaches to an existing session (another worker's, or one to resume)."""
        return self._run(self._async.resume_session(session_id))

    def step(self, contribution: Optional[StepInput] = None, /, **fields: Any) -> Update:
        """Sends this worker's contribution to a step and returns the step's update (see AsyncClient.step)."""
        return self._run(self._async.step(contribution, **fields))

    def estimates(self, top_k: Optional[int] = None, include_diagonals: bool = False,
                  max_reply_bytes: int = 32 * 1024 * 1024) -> Estimates:
        """The session's current estimates (see AsyncClient.estimates)."""
        return self._run(self._async.estimates(top_k, include_diagonals, max_reply_bytes))

    def kronecker_bases(self, block: str) -> List[KroneckerBasis]:
        """A Kronecker block's installed eigenbases per tracked Fisher (see AsyncClient.kronecker_bases)."""
        return self._run(self._async.kronecker_bases(block))

    def close_session(self, discard: bool = False) -> int:
        """Detaches from the session (kept resumable unless ``discard``); returns its last step."""
        return self._run(self._async.close_session(discard))

    def close(self) -> None:
        """Closes the session (keeping it resumable) and the connection, and stops the loop thread."""
        if not self._thread.is_alive():
            return
        try:
            if self._client is not None:
                self._run(self._client.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        async def cancel_rest() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cancel_rest(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
