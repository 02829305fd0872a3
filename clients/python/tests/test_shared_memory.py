"""Shared-memory payloads against the real daemon (proto SharedMemoryOffer): steps through the files give the
same updates as frames, bit for bit (sync, asyncio and the torch Preconditioner); a daemon with shared
memory off, or one whose directory this client does not share, is answered with frames; the client's
files are never left behind (unlinked once offered, closed with the client, gone after kill -9).

Each test runs its own daemon on its own directory, so that listing the directory sees only its files.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, List

import numpy as np
import pytest

from fisherd_client import AsyncClient, Block, Client, Kronecker, LocalDaemon, NonFiniteError, Optimizer, SessionConfig, StepInput, Structure
from fisherd_client import fisherd_pb2 as pb
from fisherd_client.shared_memory import SharedMemoryFiles
from fisherd_client.statistics import DiagonalMoments, kronecker_statistics_from_pairs

from conftest import CLIENT_ROOT

#: An update of 4·D bytes is above the daemon's reply threshold (64 KiB): it comes back through the file.
D = 20_000
B = 4
CONFIG = SessionConfig(dim=D, structure=Structure('diagonal'), optimizer=Optimizer('efgd', step_size=0.1, damping=1e-2))


def rows(step: int) -> np.ndarray:
    return np.random.default_rng(step).standard_normal((B, D)).astype(np.float32)


@pytest.fixture
def shm_dir() -> Iterator[Path]:
    """A fresh directory on a tmpfs where the machine has one."""
    base = '/dev/shm' if os.path.isdir('/dev/shm') else None
    with tempfile.TemporaryDirectory(prefix='fisherd-shm-py-', dir=base) as d:
        yield Path(d)


@pytest.fixture
def shm_daemon(start_daemon, shm_dir: Path) -> LocalDaemon:  # type: ignore[no-untyped-def]
    return start_daemon(['--shared-memory-dir', str(shm_dir)])


def fisherd_files(directory: Path) -> List[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith('fisherd-'))


def open_fds(pid: int) -> List[str]:
    """What the process's descriptors point at (Linux /proc)."""
    out = []
    for fd in os.listdir(f'/proc/{pid}/fd'):
        try:
            out.append(os.readlink(f'/proc/{pid}/fd/{fd}'))
        except OSError:
            pass
    return out


def test_steps_through_shared_memory_equal_steps_in_frames_bit_for_bit(shm_daemon: LocalDaemon, shm_dir: Path) -> None:
    with Client.connect(shm_daemon.url) as by_ref, Client.connect(shm_daemon.url, shared_memory=False) as inline:
        assert by_ref.server.shared_memory_dir == str(shm_dir)
        assert by_ref.shared_memory_active and not inline.shared_memory_active
        assert fisherd_files(shm_dir) == []  # unlinked as soon as the daemon held them open
        by_ref.open_session(CONFIG)
        inline.open_session(CONFIG)
        for step in range(1, 5):
            a = by_ref.step(reduction='mean', per_example_grads=rows(step), loss=1.0 / step)
            b = inline.step(reduction='mean', per_example_grads=rows(step), loss=1.0 / step)
            assert a.step == b.step == step
            assert a.delta.tobytes() == b.delta.tobytes()
            assert a.diagnostics.update_norm == b.diagnostics.update_norm and a.diagnostics.loss == b.diagnostics.loss
        ea, eb = by_ref.estimates(include_diagonals=True), inline.estimates(include_diagonals=True)
        assert ea.estimates['empirical_fisher'].diagonal.tobytes() == eb.estimates['empirical_fisher'].diagonal.tobytes()  # type: ignore[union-attr]
        assert ea.mean_grad.tobytes() == eb.mean_grad.tobytes()  # type: ignore[union-attr]
        # The update really came through the reply file: the last frame received was a message_ref.
        seen: List[str] = []
        inner = by_ref._async
        receive = inner._receive

        def spy(frame: bytes) -> None:
            seen.append(pb.ServerMessage.FromString(frame).WhichOneof('kind') or '')
            receive(frame)

        inner._receive = spy  # type: ignore[method-assign]
        by_ref.step(reduction='mean', per_example_grads=rows(5))
        assert seen == ['message_ref']


def test_the_asyncio_client_uses_it_too(shm_daemon: LocalDaemon) -> None:
    async def run() -> None:
        async with await AsyncClient.connect(shm_daemon.url) as by_ref, \
                await AsyncClient.connect(shm_daemon.url, shared_memory=False) as inline:
            assert by_ref.shared_memory_active
            await by_ref.open_session(CONFIG)
            await inline.open_session(CONFIG)
            for step in (1, 2):
                a = await by_ref.step(reduction='mean', per_example_grads=rows(step))
                b = await inline.step(reduction='mean', per_example_grads=rows(step))
                assert a.delta.tobytes() == b.delta.tobytes()

    asyncio.run(run())


def test_a_daemon_with_shared_memory_off_is_answered_with_frames(start_daemon, shm_dir: Path) -> None:  # type: ignore[no-untyped-def]
    off = start_daemon(['--shared-memory', 'off', '--shared-memory-dir', str(shm_dir)])
    with Client.connect(off.url) as c:
        assert c.server.shared_memory_dir == '' and not c.shared_memory_active
        c.open_session(CONFIG)
        assert c.step(reduction='mean', per_example_grads=rows(1)).step == 1
    assert fisherd_files(shm_dir) == []


def test_a_client_that_does_not_share_the_directory_falls_back_logging_once(shm_daemon: LocalDaemon, caplog) -> None:  # type: ignore[no-untyped-def]
    # This client's view of the daemon's directory is another directory: the daemon does not find the
    # files (another container without the shared volume).
    with tempfile.TemporaryDirectory(prefix='fisherd-elsewhere-') as elsewhere, caplog.at_level(logging.INFO, logger='fisherd_client'):
        with Client.connect(shm_daemon.url, shared_memory=elsewhere) as c:
            assert not c.shared_memory_active
            c.open_session(CONFIG)
            assert c.step(reduction='mean', per_example_grads=rows(1)).step == 1
            assert os.listdir(elsewhere) == []  # the refused files were removed
        notes = [r.getMessage() for r in caplog.records if 'shared memory not used' in r.getMessage()]
        assert len(notes) == 1 and 'SHARED_MEMORY' not in notes[0] and 'no file' in notes[0]


def test_the_files_are_closed_with_the_client_and_never_left_behind(shm_daemon: LocalDaemon, shm_dir: Path) -> None:
    assert shm_daemon.process is not None
    client = Client.connect(shm_daemon.url)
    names = (client._async._shm.request_file, client._async._shm.reply_file)  # type: ignore[union-attr]
    assert fisherd_files(shm_dir) == []
    # Both sides hold the (unlinked) files open while connected, neither after the client closed.
    assert sum(any(n in link for n in names) for link in open_fds(os.getpid())) == 2
    assert sum(any(n in link for n in names) for link in open_fds(shm_daemon.process.pid)) == 2
    client.open_session(CONFIG)
    client.step(reduction='mean', per_example_grads=rows(1))
    client.close()
    assert not any(any(n in link for n in names) for link in open_fds(os.getpid()))
    deadline = 50
    while any(any(n in link for n in names) for link in open_fds(shm_daemon.process.pid)) and deadline:
        import time
        time.sleep(0.05)
        deadline -= 1
    assert not any(any(n in link for n in names) for link in open_fds(shm_daemon.process.pid))


def test_kill_9_leaves_no_file_and_names_made_but_not_offered_go_at_exit(shm_daemon: LocalDaemon, shm_dir: Path) -> None:
    script = (
        'import sys, time\n'
        f'sys.path.insert(0, {str(CLIENT_ROOT)!r})\n'
        'from fisherd_client import Client\n'
        'from fisherd_client.shared_memory import SharedMemoryFiles\n'
        f'c = Client.connect({shm_daemon.url!r})\n'
        'assert c.shared_memory_active\n'
        'if sys.argv[1] == "exit":\n'
        f'    SharedMemoryFiles({str(shm_dir)!r})  # made, never offered nor closed\n'
        '    print("made", flush=True)\n'
        '    sys.exit(0)\n'
        'print("ready", flush=True)\n'
        'time.sleep(60)\n'
    )
    killed = subprocess.Popen([sys.executable, '-c', script, 'kill'], stdout=subprocess.PIPE, text=True)
    assert killed.stdout is not None and killed.stdout.readline().strip() == 'ready'
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)
    assert fisherd_files(shm_dir) == []
    exited = subprocess.run([sys.executable, '-c', script, 'exit'], capture_output=True, text=True, timeout=60)
    assert exited.stdout.strip() == 'made', exited.stderr
    assert fisherd_files(shm_dir) == []


def test_the_files_unlink_close_and_read_checks(shm_dir: Path) -> None:
    files = SharedMemoryFiles(str(shm_dir))
    assert sorted(fisherd_files(shm_dir)) == sorted([files.request_file, files.reply_file])
    for name in (files.request_file, files.reply_file):
        assert (shm_dir / name).read_bytes() == files.nonce  # the nonce at offset 0
        assert (shm_dir / name).stat().st_mode & 0o777 == 0o600
    offset, length = files.write(b'x' * 100_000)
    assert (shm_dir / files.request_file).read_bytes()[offset:offset + length] == b'x' * 100_000
    with pytest.raises(ValueError):
        files.read(4096, 10)  # the reply file holds only the nonce: never a read past its end
    with open(shm_dir / files.reply_file, 'r+b') as f:
        f.seek(4096)
        f.write(b'reply')
    assert files.read(4096, 5) == b'reply'
    files.close()
    assert fisherd_files(shm_dir) == []
    files.close()  # idempotent


def test_the_torch_preconditioner_uses_it_by_default_with_the_same_updates(shm_daemon: LocalDaemon) -> None:
    torch = pytest.importorskip('torch')
    from fisherd_client.torch import Preconditioner

    def train(shared_memory: bool) -> List[bytes]:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(200, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
        pre = Preconditioner(model, shm_daemon.url, optimizer=Optimizer('ngd', step_size=0.1, damping=1e-2),
                             likelihood='cross_entropy', generator=torch.Generator().manual_seed(1), shared_memory=shared_memory)
        assert pre.client is not None and pre.client.shared_memory_active == shared_memory
        x = torch.randn(32, 200, generator=torch.Generator().manual_seed(2))
        y = torch.randint(0, 10, (32,), generator=torch.Generator().manual_seed(3))
        out = []
        for _ in range(3):
            model.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            update = pre.step()
            assert update is not None
            out.append(update.delta.tobytes())
            with torch.no_grad():
                for p in model.parameters():
                    p.add_(p.grad, alpha=-1.0)
        pre.close(discard=True)
        return out

    assert train(True) == train(False)


STATS_BLOCKS = (Block('a', 300, Structure('diagonal')), Block('fc', 5 * 9, Kronecker(5, 8, True)), Block('b', 40_000, Structure('diagonal')))
STATS_CONFIG = SessionConfig(dim=sum(b.size for b in STATS_BLOCKS), blocks=STATS_BLOCKS, ema_decay=0.9,
                             optimizer=Optimizer('efgd', step_size=0.1, damping=1e-2))


def statistics_step(step: int, encoding: str) -> StepInput:
    """Diagonal moments (float64, float32 and a tensor where torch is installed) and Kronecker statistics,
    with factors on the odd steps."""
    rng = np.random.default_rng(100 + step)
    b = 6
    rows_a, rows_b = rng.standard_normal((b, 300)), rng.standard_normal((b, 40_000)).astype(np.float32)
    sum_b: object = rows_b.sum(0)
    try:
        import torch
        sum_b = torch.from_numpy(rows_b.sum(0))
    except ImportError:
        pass
    fc = kronecker_statistics_from_pairs(count=b, activations=rng.standard_normal((b, 8)), output_grads=rng.standard_normal((b, 5)),
                                         bias=True, factors=step % 2 == 1, block='fc')
    return StepInput(reduction='sum', batch_size=b, loss=1.0 / step, statistics_encoding=encoding, statistics=[
        DiagonalMoments(count=b, sum=rows_a.sum(0), sum_squares=(rows_a ** 2).sum(0), block='a'), fc,
        DiagonalMoments(count=b, sum=sum_b, sum_squares=(rows_b ** 2).sum(0), block='b')])


@pytest.mark.parametrize('encoding', ['float32', 'float16', 'bfloat16'])
def test_statistics_written_straight_into_the_request_file_give_the_updates_of_frames_bit_for_bit(shm_daemon: LocalDaemon, encoding: str) -> None:
    with Client.connect(shm_daemon.url) as by_ref, Client.connect(shm_daemon.url, shared_memory=False) as inline:
        assert by_ref.shared_memory_active and not inline.shared_memory_active
        shm = by_ref._async._shm
        assert shm is not None
        written: List[int] = []
        write_parts = shm.write_parts

        def spy(parts: List[object], length: int) -> object:
            written.append(length)
            return write_parts(parts, length)  # type: ignore[arg-type]

        shm.write_parts = spy  # type: ignore[method-assign]
        by_ref.open_session(STATS_CONFIG)
        inline.open_session(STATS_CONFIG)
        for step in range(1, 5):
            a, b = by_ref.step(statistics_step(step, encoding)), inline.step(statistics_step(step, encoding))
            assert a.step == b.step == step
            assert a.delta.tobytes() == b.delta.tobytes() and a.delta.flags.writeable
            assert (a.diagnostics.update_norm, a.diagnostics.loss, a.diagnostics.batch_size, a.diagnostics.values) == \
                (b.diagnostics.update_norm, b.diagnostics.loss, b.diagnostics.batch_size, b.diagnostics.values)
        assert len(written) == 4 and min(written) > 2 * 40_000  # each step's vectors went straight into the file
        estimates = by_ref.estimates(include_diagonals=True), inline.estimates(include_diagonals=True)
        assert estimates[0].estimates['empirical_fisher'].diagonal.tobytes() == estimates[1].estimates['empirical_fisher'].diagonal.tobytes()  # type: ignore[union-attr]


def test_a_step_refused_by_the_checks_writes_nothing(shm_daemon: LocalDaemon) -> None:
    with Client.connect(shm_daemon.url) as c:
        c.open_session(STATS_CONFIG)
        c.step(statistics_step(1, 'float32'))
        inner = c._async
        assert inner._shm is not None and inner._ref_outstanding is None
        before = inner._shm.request_bytes(4096, 64 * 1024)
        bad = statistics_step(2, 'float32')
        bad.statistics[2].sum_squares = np.full(40_000, np.nan)
        with pytest.raises(NonFiniteError) as e:
            c.step(bad)
        assert (e.value.field, e.value.local) == ('statistics[2].sum_squares', True)
        assert inner._shm.request_bytes(4096, 64 * 1024) == before and inner._ref_outstanding is None and not inner._pending
        assert c.step(statistics_step(2, 'float32')).step == 2
