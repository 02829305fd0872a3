"""Reconnect and resume against the real daemon: a dropped connection (with an update lost on the way), a
daemon killed with SIGKILL and restarted on the same port and data directory, and a restart from a
checkpoint older than the client's position (RESUME_GAP).

Every update is compared bit for bit with an uninterrupted session of the same configuration and inputs
on the shared daemon (same reference backend): a resumed session must be exactly where it was.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, List

import numpy as np
import pytest

from fisherd_client import Client, LocalDaemon, Optimizer, ResumeGap, SessionConfig, StepInput
from fisherd_client import fisherd_pb2 as pb

D = 10
# EMA estimates and momentum: the updates depend on the whole history, so a wrongly restored state shows.
CONFIG = SessionConfig(dim=D, ema_decay=0.9, optimizer=Optimizer('efgd', step_size=0.3, damping=1e-2, momentum=0.5))


def step_input(step: int) -> StepInput:
    g = np.random.default_rng(step).standard_normal((4, D))
    return StepInput(reduction='sum', per_example_grads=g, loss=float(step), step=step)


def reference_deltas(daemon: LocalDaemon, steps: int) -> List[bytes]:
    with Client.connect(daemon.url) as c:
        c.open_session(CONFIG)
        return [c.step(step_input(s)).delta.tobytes() for s in range(1, steps + 1)]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, 'condition not met in time'
        time.sleep(0.02)


def test_a_dropped_connection_resumes_and_a_lost_update_is_recovered(daemon: LocalDaemon) -> None:
    expected = reference_deltas(daemon, 4)
    with Client.connect(daemon.url) as c:
        c.open_session(CONFIG)
        assert c.step(step_input(1)).delta.tobytes() == expected[0]

        # The connection drops between steps: the next step waits for the reconnect and goes out after it.
        c._async._ws.transport.abort()
        assert c.step(step_input(2)).delta.tobytes() == expected[1]

        # The daemon applies step 3, but its update is lost with the connection: after re-attaching, the
        # client takes it from SessionOpened.last_update instead of sending the step again.
        inner = c._async
        receive = inner._receive
        dropped = []

        def lose_update_and_drop(frame: bytes) -> None:
            message = pb.ServerMessage.FromString(frame)
            if message.WhichOneof('kind') != 'update' or message.update.step != 3:
                return receive(frame)
            inner._receive = receive
            dropped.append(message.update.step)
            inner._ws.transport.abort()

        inner._receive = lose_update_and_drop
        assert c.step(step_input(3)).delta.tobytes() == expected[2]
        assert dropped == [3]
        assert c.step(step_input(4)).delta.tobytes() == expected[3]


def test_kill_9_and_restart_resume_from_the_checkpoint_bit_identically(daemon: LocalDaemon, start_daemon, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = reference_deltas(daemon, 5)
    first = start_daemon(['--checkpoint-every', '3'], data_dir=str(tmp_path))
    with Client.connect(first.url) as c:
        session = c.open_session(CONFIG)
        for s in (1, 2, 3):
            assert c.step(step_input(s)).delta.tobytes() == expected[s - 1]
        # The step-3 checkpoint is written after the update is sent: wait until it is on disk.
        wait_for(lambda: (tmp_path / 'sessions' / f'{session.session_id}.ckpt').exists())
        first.kill()
        start_daemon(['--checkpoint-every', '3'], data_dir=str(tmp_path), port=first.port)
        # The client reconnects to the restarted daemon on its own and re-attaches at step 3.
        assert c.step(step_input(4)).delta.tobytes() == expected[3]
        assert c.step(step_input(5)).delta.tobytes() == expected[4]


def test_a_restart_from_an_older_checkpoint_is_a_resume_gap(daemon: LocalDaemon, start_daemon, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = reference_deltas(daemon, 4)
    first = start_daemon(['--checkpoint-every', '2'], data_dir=str(tmp_path))
    with Client.connect(first.url) as c:
        session = c.open_session(CONFIG)
        for s in (1, 2, 3):
            c.step(step_input(s))
        wait_for(lambda: (tmp_path / 'sessions' / f'{session.session_id}.ckpt').exists())  # step 2's
        first.kill()
        start_daemon(['--checkpoint-every', '2'], data_dir=str(tmp_path), port=first.port)
        four = step_input(4)
        four.step = None  # the client's own count: step 4
        with pytest.raises(ResumeGap) as gap:
            c.step(four)
        assert (gap.value.code, gap.value.step, gap.value.resumed_step) == ('RESUME_GAP', 4, 2)
        assert c.last_step == 2
        # The training loop sends the steps from 3 again; the daemon is exactly where it was at step 2.
        redo = [step_input(3), step_input(4)]
        for contribution in redo:
            contribution.step = None
        assert [c.step(x).delta.tobytes() for x in redo] == expected[2:4]
