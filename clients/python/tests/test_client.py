"""The client against the real daemon: updates against closed forms, typed errors (local ones raised before
anything is sent, the daemon's with their codes), estimates, the asyncio API, auth, frame sizing.

Closed forms (math.md, averaged loss, ema_decay 0 so every estimate is this batch's):
  ḡ = (1/b) Σ_n g_n;  SGD: Δθ = −γ ḡ;  diag Ẽ_ii = (1/b) Σ_n g_{n,i}²;  EFGD (diagonal): Δθ_i = −γ ḡ_i/(Ẽ_ii + λ).
Inputs are float32 and Δθ comes back as float32: tolerance 1e-5 relative to max |Δθ| (float32 has ~6e-8
relative precision; the sums run over ≤ 8 rows).
"""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, List

import numpy as np
import pytest

from fisherd_client import (
    AsyncClient, Block, Client, FisherdError, LocalDaemon, NonFiniteError, Optimizer, SessionConfig, ShapeError,
    Structure, Track, Unauthorized,
)

D = 12


def rows(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, D)).astype(np.float32)


def assert_close(actual: np.ndarray, expected: np.ndarray, rel: float = 1e-5) -> None:
    scale = max(float(np.max(np.abs(expected))), 1e-30)
    assert actual.shape == expected.shape
    assert float(np.max(np.abs(actual - expected))) <= rel * scale


@pytest.fixture
def client(daemon: LocalDaemon) -> Iterator[Client]:
    with Client.connect(daemon.url, client_name='pytest') as c:
        yield c


def spy_frames(client: Client) -> List[bytes]:
    """Records every frame the client sends from now on."""
    ws = client._async._ws
    sent: List[bytes] = []
    original = ws.send

    async def send(frame: bytes) -> None:
        sent.append(frame)
        await original(frame)

    ws.send = send
    return sent


def test_hello_reports_the_daemon(client: Client) -> None:
    assert client.server.protocol_version == 1
    assert client.server.server_version and 'reference' in client.server.backend


def test_sgd_and_efgd_updates_match_the_closed_forms(client: Client, daemon: LocalDaemon) -> None:
    gamma, damping = 0.5, 1e-3
    session = client.open_session(SessionConfig(dim=D, optimizer=Optimizer('efgd', step_size=gamma, damping=damping)))
    assert session.resumed_step == 0 and session.blocks == (Block('params', D, Structure('diagonal')),)
    for step in (1, 2, 3):
        g = rows(5, step).astype(np.float64)
        # 'mean' reduction: the rows arrive as g_n / b and the daemon multiplies back (src/session/contribution.ts).
        update = client.step(reduction='mean', per_example_grads=g / 5, loss=0.25 * step)
        mean = g.mean(axis=0)
        second = (g * g).mean(axis=0)
        assert update.step == step and update.delta.dtype == np.float32
        assert_close(update.delta, -gamma * mean / (second + damping))
        assert update.diagnostics.batch_size == 5 and update.diagnostics.loss == pytest.approx(0.25 * step)
        assert update.diagnostics.update_norm == pytest.approx(float(np.linalg.norm(update.delta)), rel=1e-6)
    assert client.last_step == 3

    with Client.connect(daemon.url) as sgd:
        sgd.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=gamma)))
        g = rows(4, 9)
        update = sgd.step(reduction='sum', mean_grad=g.sum(axis=0), batch_size=4)  # Σ g_n, divided by b
        assert_close(update.delta, -gamma * g.astype(np.float64).mean(axis=0))


def test_blocks_split_the_update_and_accept_per_block_rows(client: Client) -> None:
    blocks = [Block('weight', 8, 'full'), Block('bias', 4, Structure('lowrank', 2))]
    client.open_session(SessionConfig(dim=D, blocks=blocks, optimizer=Optimizer('sgd', step_size=1.0)))
    g = rows(3, 4)
    update = client.step(reduction='sum', per_example_grads={'weight': g[:, :8].reshape(3, 2, 4), 'bias': g[:, 8:]})
    assert list(update.blocks) == ['weight', 'bias']
    assert_close(update.blocks['bias'], -g[:, 8:].astype(np.float64).mean(axis=0))
    assert np.shares_memory(update.blocks['weight'], update.delta)


def test_local_errors_are_raised_before_anything_is_sent(client: Client) -> None:
    client.open_session(SessionConfig(dim=D, optimizer=Optimizer('efgd', step_size=0.1, damping=1e-3)))
    sent = spy_frames(client)
    with pytest.raises(ShapeError) as shape:
        client.step(reduction='sum', per_example_grads=rows(3, 1)[:, :D - 1])
    assert shape.value.local and 'dim is 12' in shape.value.message
    bad = rows(3, 1)
    bad[1, 4] = np.inf
    with pytest.raises(NonFiniteError) as non_finite:
        client.step(reduction='sum', per_example_grads=bad)
    assert non_finite.value.field == 'per_example_grads' and '[1, 4]' in non_finite.value.message
    assert sent == []
    # Nothing was sent, so the step count did not move: the next step is still 1.
    assert client.step(reduction='sum', per_example_grads=rows(3, 2)).step == 1
    assert len(sent) == 1


def test_the_daemons_errors_are_typed_and_the_session_carries_on(client: Client, daemon: LocalDaemon) -> None:
    client.open_session(SessionConfig(dim=D, optimizer=Optimizer('efgd', step_size=0.1, damping=1e-3)))
    with pytest.raises(FisherdError) as missing:  # EFGD needs per-example rows; only the daemon knows what it tracks
        client.step(reduction='sum', mean_grad=rows(1, 0)[0], batch_size=3)
    assert (missing.value.code, missing.value.step, missing.value.local) == ('MISSING_INPUT', 1, False)
    with pytest.raises(FisherdError) as order:
        client.step(reduction='sum', per_example_grads=rows(2, 0), step=5)
    assert order.value.code == 'STEP_OUT_OF_ORDER' and order.value.step == 5
    assert client.step(reduction='sum', per_example_grads=rows(2, 0)).step == 1  # state unchanged by the rejections

    with Client.connect(daemon.url) as other:
        with pytest.raises(FisherdError) as config:
            other.open_session(SessionConfig(dim=D, optimizer=Optimizer('ngd', step_size=0.1, damping=-1.0)))
        assert config.value.code == 'INVALID_CONFIG' and 'damping' in (config.value.field or '')
        with pytest.raises(FisherdError) as unknown:
            other.resume_session('no-such-session')
        assert unknown.value.code == 'UNKNOWN_SESSION'
        with pytest.raises(FisherdError) as no_session:
            other.step(reduction='sum', mean_grad=np.zeros(D), batch_size=1)
        assert no_session.value.code == 'UNEXPECTED_MESSAGE' and no_session.value.local


def test_estimates_and_the_cosine_between_the_fishers(client: Client) -> None:
    config = SessionConfig(dim=D, structure='full', optimizer=Optimizer('ngd', step_size=0.1, damping=1e-2),
                           track=Track(empirical_fisher=True))
    client.open_session(config)
    g = rows(6, 3).astype(np.float64)
    sampled = rows(12, 4).astype(np.float64).reshape(6, 2, D)
    client.step(reduction='sum', per_example_grads=g, sampled_label_grads=sampled)
    estimates = client.estimates(top_k=3, include_diagonals=True)
    assert estimates.step == 1 and set(estimates.estimates) == {'empirical_fisher', 'fisher'}
    ef = g.T @ g / 6
    fisher = sampled.reshape(12, D).T @ sampled.reshape(12, D) / 12  # F̂ = (1/(bK)) Σ g̃ g̃ᵀ
    # float32 inputs, float64 accumulation in the daemon: 1e-6 relative.
    np.testing.assert_allclose(estimates.estimates['empirical_fisher'].diagonal, np.diag(ef), rtol=1e-6)
    np.testing.assert_allclose(estimates.estimates['fisher'].diagonal, np.diag(fisher), rtol=1e-6)
    np.testing.assert_allclose(estimates.estimates['fisher'].top_eigenvalues, np.linalg.eigvalsh(fisher)[::-1][:3], rtol=1e-6)
    assert estimates.estimates['fisher'].trace == pytest.approx(np.trace(fisher), rel=1e-6)
    np.testing.assert_allclose(estimates.mean_grad, g.mean(axis=0), rtol=1e-6)
    a, b = (np.linalg.solve(m + 1e-2 * np.eye(D), g.mean(axis=0)) for m in (ef, fisher))
    assert estimates.cosine_ef_fisher == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b), rel=1e-5)
    # Read in ranges of 2 coordinates (3 arrays × 8 bytes × 2 = 48 bytes a reply): the same numbers.
    ranged = client.estimates(top_k=3, include_diagonals=True, max_reply_bytes=48)
    for kind in ('empirical_fisher', 'fisher'):
        np.testing.assert_array_equal(ranged.estimates[kind].diagonal, estimates.estimates[kind].diagonal)
    np.testing.assert_array_equal(ranged.mean_grad, estimates.mean_grad)
    assert ranged.step == estimates.step and ranged.cosine_ef_fisher == estimates.cosine_ef_fisher


def test_close_session_keeps_it_resumable_by_another_client(client: Client, daemon: LocalDaemon) -> None:
    session = client.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.1)))
    client.step(reduction='mean', mean_grad=rows(1, 1)[0], batch_size=2)
    assert client.close_session() == 1 and client.session is None
    with Client.connect(daemon.url) as other:
        resumed = other.resume_session(session.session_id)
        assert resumed.resumed_step == 1 and resumed.config.optimizer.step_size == 0.1
        assert other.step(reduction='mean', mean_grad=rows(1, 2)[0], batch_size=2).step == 2


def test_async_client_pipelines_steps_and_merges_workers(daemon: LocalDaemon) -> None:
    async def run() -> None:
        w0 = await AsyncClient.connect(daemon.url, worker_id=0)
        w1 = await AsyncClient.connect(daemon.url, worker_id=1)
        try:
            session = await w0.open_session(SessionConfig(dim=D, workers=2, optimizer=Optimizer('sgd', step_size=0.5)))
            await w1.resume_session(session.session_id)
            for s in range(1, 4):
                g0, g1 = rows(2, 10 + s), rows(3, 20 + s)
                # Each step merges the workers' 2 + 3 examples by count; both receive the same update.
                u0, u1 = await asyncio.gather(w0.step(reduction='sum', per_example_grads=g0),
                                              w1.step(reduction='mean', per_example_grads=g1 / 3))
                assert u0.step == u1.step == s and u0.delta.tobytes() == u1.delta.tobytes()
                assert_close(u0.delta, -0.5 * np.concatenate([g0, g1]).astype(np.float64).mean(axis=0))
            await w1.close_session()
            await w0.close_session()

            # One worker may pipeline: four steps in flight at once (the daemon's --max-queued-steps) come
            # back in order.
            await w0.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.5)))
            grads = [rows(1, 30 + s)[0] for s in range(4)]
            updates = await asyncio.gather(*[w0.step(reduction='mean', mean_grad=g, batch_size=4) for g in grads])
            assert [u.step for u in updates] == [1, 2, 3, 4]
            for g, u in zip(grads, updates):
                assert_close(u.delta, -0.5 * g.astype(np.float64))
        finally:
            await w0.close()
            await w1.close()

    asyncio.run(run())


def test_a_token_is_required_when_the_daemon_has_one(start_daemon) -> None:  # type: ignore[no-untyped-def]
    guarded = start_daemon(['--token', 's3cret-python-client-token'])
    with pytest.raises(Unauthorized) as refused:
        Client.connect(guarded.url)
    assert refused.value.code == 'UNAUTHORIZED' and 'HTTP 401' in refused.value.message
    with pytest.raises(Unauthorized):
        Client.connect(guarded.url, token='wrong')
    with Client.connect(guarded.url, token='s3cret-python-client-token') as allowed:
        assert allowed.server.protocol_version == 1
    assert 's3cret-python-client-token' not in guarded.log


def test_the_frame_limit_follows_the_session_dimension(daemon: LocalDaemon) -> None:
    big = 300_000  # an update is 1.2 MB and estimates with two float64 diagonals 4.8 MB: over the 1 MiB handshake limit
    with Client.connect(daemon.url) as c:
        c.open_session(SessionConfig(dim=big, optimizer=Optimizer('sgd', step_size=0.1), track=Track(empirical_fisher=True)))
        g = np.random.default_rng(0).standard_normal((2, big)).astype(np.float32)
        c.step(reduction='sum', per_example_grads=g)
        estimates = c.estimates(include_diagonals=True)
        np.testing.assert_allclose(estimates.estimates['empirical_fisher'].diagonal, (g.astype(np.float64) ** 2).mean(axis=0), rtol=1e-6)
        resumed_id = c.session_id
        c.close_session()
        # The same connection, a small session: its frame limit narrows to 32·D + 1 MiB.
        c.open_session(SessionConfig(dim=D, optimizer=Optimizer('sgd', step_size=0.1)))
        c.close_session()
        # Then the big one again, by id: D is unknown until the answer, which carries a 1.2 MB last update.
        assert c.resume_session(resumed_id).resumed_step == 1
    with Client.connect(daemon.url) as again:
        assert again.resume_session(resumed_id).resumed_step == 1
        assert again.estimates(include_diagonals=True).step == 1
    # A limit set by hand: a request whose answer cannot fit fails before it is sent.
    with Client.connect(daemon.url, max_frame_bytes=2 << 20) as small:
        small.open_session(SessionConfig(dim=big, optimizer=Optimizer('sgd', step_size=0.1), track=Track(empirical_fisher=True)))
        small.step(reduction='sum', per_example_grads=g)  # the update, 1.2 MB, fits
        sent = spy_frames(small)
        with pytest.raises(FisherdError) as too_large:
            small.estimates(include_diagonals=True)
        assert (too_large.value.code, too_large.value.local) == ('FRAME_TOO_LARGE', True)
        assert 'raise max_frame_bytes' in too_large.value.message and sent == []
        assert small.estimates().step == 1  # the connection is still fine


def test_a_missing_worker_times_the_step_out_for_everyone(start_daemon) -> None:  # type: ignore[no-untyped-def]
    running = start_daemon(['--worker-timeout-ms', '300'])
    notices: List[FisherdError] = []
    with Client.connect(running.url, worker_id=0) as w0, \
            Client.connect(running.url, worker_id=1, on_notice=notices.append) as w1:
        session = w0.open_session(SessionConfig(dim=D, workers=2, optimizer=Optimizer('sgd', step_size=0.5)))
        w1.resume_session(session.session_id)
        with pytest.raises(FisherdError) as timed_out:  # worker 1 never sends step 1
            w0.step(reduction='sum', per_example_grads=rows(2, 1))
        assert (timed_out.value.code, timed_out.value.step) == ('WORKER_TIMEOUT', 1)
        assert 'worker 1' in timed_out.value.message
        deadline = time.monotonic() + 5
        while not notices and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [(n.code, n.step) for n in notices] == [('WORKER_TIMEOUT', 1)]
        # The step was abandoned, not applied: both workers send step 1 again.
        g0, g1 = rows(2, 2), rows(2, 3)
        with ThreadPoolExecutor(2) as pool:
            u0, u1 = pool.map(lambda c_g: c_g[0].step(reduction='sum', per_example_grads=c_g[1]), [(w0, g0), (w1, g1)])
        assert u0.step == u1.step == 1 and u0.delta.tobytes() == u1.delta.tobytes()
        assert_close(u0.delta, -0.5 * np.concatenate([g0, g1]).astype(np.float64).mean(axis=0))
