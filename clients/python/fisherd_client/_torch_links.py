"""One daemon connection of a ``Preconditioner`` and its session, with the failure policy.

A preconditioner holds one ``_Link`` per daemon (``urls=[...]`` spreads the blocks over several daemons,
each block set an independent session there). Everything a link does is the single-daemon failure
policy of ``fisherd_client.torch``: reconnect, resume, continue after a resume gap, open a lost session
again, or leave the step to the user's gradient. In the data-parallel ``'workers'`` mode a link is one
worker of a W-worker session that rank 0 opened; a lost session is then not opened again (the other
ranks could not follow), it raises.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any, Dict, Optional

from ._torch_ekfac import has_squares, stale_basis, without_squares
from .config import SessionConfig
from .errors import FisherdError
from .results import Update
from .step_input import StepInput
from .sync_client import Client

log = logging.getLogger('fisherd_client.torch')


@dataclass
class FailureCounters:
    """What the failure policy did so far (summed over the preconditioner's daemons)."""

    reconnects: int = 0  # new connections made by the preconditioner (after the client gave up)
    resume_gaps: int = 0  # steps that continued from the daemon's older checkpoint
    new_sessions: int = 0  # sessions opened again because the daemon had lost the session
    fallback_steps: int = 0  # steps left to the user's own gradient because fisherd could not be reached


_TRANSIENT = ('CONNECTION_CLOSED', 'TIMEOUT', 'SHUTTING_DOWN', 'RESUME_GAP', 'UNKNOWN_SESSION', 'BACKPRESSURE', 'WORKER_TIMEOUT')


class _Link:
    """A connection to one daemon and the session of the blocks placed there."""

    def __init__(self, url: str, client: Optional[Client], config: SessionConfig, *, strict: bool,
                 counters: FailureCounters, connect_options: Dict[str, Any], joined: bool = False) -> None:
        self.url = url
        self.config = config
        self.strict = strict
        self.counters = counters
        self.connect_options = connect_options
        self.owns_client = client is None
        self.client: Optional[Client] = client if client is not None else Client.connect(url, **connect_options)
        # A worker that joined another rank's session never opens a session of its own.
        self.joined = joined
        self.session_id_seen: Optional[str] = None
        self.last_step_seen: Optional[int] = None
        self.warned_gap = False

    @property
    def session_id(self) -> Optional[str]:
        return None if self.client is None else self.client.session_id

    def open(self, session_id: Optional[str]) -> None:
        """Opens the session (``session_id`` None) or attaches to ``session_id``."""
        self.resume(session_id, expected_step=None)
        self.remember()

    # ---- the step --------------------------------------------------------------------------------------

    def send(self, contribution: StepInput) -> Optional[Update]:
        if self.strict:
            assert self.client is not None
            update = self.client.step(contribution)
            self.remember()
            return update
        for attempt in range(3):
            try:
                if self.client is None:
                    self.reconnect()
                assert self.client is not None
                update = self.client.step(replace(contribution))
                self.remember()
                return update
            except FisherdError as e:
                if stale_basis(e) and has_squares(contribution):
                    # EKFAC squares of a basis the daemon no longer holds (e.g. a step sent again after a
                    # resume gap): this step goes without them; the basis is fetched again after it.
                    log.warning('fisherd: %s; sending step %s again without eigenbasis squares', e, e.step)
                    contribution = without_squares(contribution)
                    continue
                if e.local or e.code not in _TRANSIENT or (self.joined and e.code == 'UNKNOWN_SESSION'):
                    raise
                self.recover(e)
        self.counters.fallback_steps += 1
        log.warning('fisherd: step left to your own gradient (fisherd at %s unreachable; %d such steps so far)',
                    self.url, self.counters.fallback_steps)
        return None

    # ---- failure policy --------------------------------------------------------------------------------

    def recover(self, error: FisherdError) -> None:
        if error.code == 'RESUME_GAP':
            # The client already moved its next step to resumed_step + 1: continue from the daemon's
            # checkpoint with the model's current parameters (this step's statistics go out again).
            self.gap(error.resumed_step, error.step)
            return
        if error.code in ('SHUTTING_DOWN', 'BACKPRESSURE', 'WORKER_TIMEOUT'):
            time.sleep(0.2)
            return
        if error.code == 'UNKNOWN_SESSION':
            assert self.client is not None
            self.drop_session_locally()
            self.client.open_session(self.config)
            self.counters.new_sessions += 1
            log.warning('fisherd: the daemon at %s lost the session; opened a new one (%s) from the current parameters',
                        self.url, self.session_id)
            return
        # CONNECTION_CLOSED / TIMEOUT: the client gave up reconnecting; a fresh connection next attempt.
        log.warning('fisherd: %s; connecting again', error)
        self.close_client_quietly()

    def drop_session_locally(self) -> None:
        if self.client is not None:
            self.client._async._session = None

    def reconnect(self) -> None:
        session_id = self.session_id_seen
        self.client = Client.connect(self.url, **self.connect_options)
        self.owns_client = True
        self.counters.reconnects += 1
        try:
            self.resume(session_id, expected_step=self.last_step_seen)
        except FisherdError as e:
            if e.code != 'UNKNOWN_SESSION' or self.joined:
                raise
            self.client.open_session(self.config)
            self.counters.new_sessions += 1
            log.warning('fisherd: session %s is gone (%s); opened a new one (%s)', session_id, e, self.session_id)
        self.remember()

    def resume(self, session_id: Optional[str], expected_step: Optional[int]) -> None:
        assert self.client is not None
        if session_id is None:
            self.client.open_session(self.config)
            return
        info = self.client.resume_session(session_id)
        if info.dim != self.config.dim:
            raise ValueError(f'session {session_id} has dim {info.dim}, but the model\'s preconditioned parameters '
                             f'placed on {self.url} are {self.config.dim}')
        if expected_step is not None and info.resumed_step < expected_step:
            self.gap(info.resumed_step, expected_step + 1)

    def gap(self, resumed: Optional[int], step: Optional[int]) -> None:
        """A resume gap: counted; logged the first time only."""
        self.counters.resume_gaps += 1
        if not self.warned_gap:
            self.warned_gap = True
            log.warning('fisherd: the daemon resumed session %s at step %s, before this step %s; continuing from '
                        'there with the current parameters (counted in counters.resume_gaps; logged once)',
                        self.session_id, resumed, step)

    def remember(self) -> None:
        if self.client is not None and self.client.session_id is not None:
            self.session_id_seen, self.last_step_seen = self.client.session_id, self.client.last_step

    def close_client_quietly(self) -> None:
        self.remember()
        client, self.client = self.client, None
        if client is not None:
            try:
                client._stop_loop()
            except Exception:
                pass

    # ---- state -----------------------------------------------------------------------------------------

    def state(self) -> Dict[str, Any]:
        return {'session_id': self.session_id or self.session_id_seen,
                'last_step': self.client.last_step if self.client is not None else self.last_step_seen,
                'url': self.url}

    def load(self, state: Dict[str, Any]) -> None:
        if self.client is None:
            self.client = Client.connect(self.url, **self.connect_options)
            self.owns_client = True
        if self.client.session_id == state['session_id']:
            return
        if self.client.session_id is not None:
            self.client.close_session()
        self.resume(state['session_id'], expected_step=state.get('last_step'))
        self.remember()

    def close(self, discard: bool) -> None:
        if self.client is None:
            return
        try:
            if self.client.session_id is not None:
                self.client.close_session(discard)
        except FisherdError:
            pass
        if self.owns_client:
            self.client.close()
