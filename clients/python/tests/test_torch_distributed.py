"""Data parallelism over torch.distributed (gloo, 2 processes) and blocks spread over several daemons,
against real daemons.

Data parallel: two ranks with 5 and 7 examples of a 12-example batch, each with its loss averaged over its
own examples, must give the single-process update on the 12 examples: in 'allreduce' mode (torch merges
the statistics, rank 0 talks to fisherd) and in 'workers' mode (both ranks are workers of one session).
Tolerances: the merged statistics are float64 sums in another order and scale (g_n/b_r·b_r/B instead of
g_n/B), so they equal the single process's to 1e-12 relative (max-norm); Δθ goes through float32 on the
wire (statistics) and back (Δθ), so a flipped last float32 bit (6e-8 relative) is allowed for, amplified
by two steps of preconditioning: 2e-6 relative to the largest |Δθ|.

Several daemons: each block set is an independent session and the daemon's update of a diagonal block
reads only that block (the rules are element-wise; nothing in the update sums over blocks), so two
daemons must give one daemon's Δθ bit for bit.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402

from fisherd_client.config import Block, Optimizer  # noqa: E402
from fisherd_client.torch import Preconditioner  # noqa: E402
from fisherd_client._torch_distributed import place_blocks  # noqa: E402

WORKER = Path(__file__).with_name('dist_worker.py')
PYTHON = sys.executable
STAT_RTOL = 1e-12
DELTA_RTOL = 2e-6


def _run(tmp_path: Path, tag: str, urls, mode: str, optimizer: str, world_size: int, ddp: bool = False,  # type: ignore[no-untyped-def]
         **extra) -> list:
    config = {'urls': urls, 'mode': mode, 'world_size': world_size, 'init': f'file://{tmp_path}/rendezvous-{tag}',
              'shards': [5, 7], 'optimizer': optimizer, 'steps': 2, 'ddp': ddp, **extra}
    config_path = tmp_path / f'{tag}.json'
    config_path.write_text(json.dumps(config))
    env = dict(os.environ, OMP_NUM_THREADS='1')
    processes = [subprocess.Popen([PYTHON, str(WORKER), str(config_path), str(rank), str(tmp_path / f'{tag}-{rank}.pt')],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
                 for rank in range(world_size)]
    for rank, process in enumerate(processes):
        try:
            output, _ = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            raise
        assert process.returncode == 0, f'{tag} rank {rank} failed:\n{output}'
    return [torch.load(tmp_path / f'{tag}-{rank}.pt') for rank in range(world_size)]


def _close(a: torch.Tensor, b: torch.Tensor, rtol: float, what: str) -> None:
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    scale = max(float(b.abs().max()), 1e-300)
    error = float((a - b).abs().max()) / scale
    assert error <= rtol, f'{what}: max |a − b| / max |b| = {error:.3g} > {rtol:g}'
    print(f'{what}: relative error {error:.3g} (tolerance {rtol:g})')


@pytest.mark.parametrize('mode,daemons,optimizer,ddp', [
    ('allreduce', 1, 'ngd', False), ('allreduce', 1, 'snr', True), ('workers', 1, 'snr', False), ('workers', 2, 'efgd', False),
], ids=['allreduce-ngd', 'allreduce-snr-ddp', 'workers-snr', 'workers-efgd-2daemons'])
def test_two_ranks_equal_one_process_on_the_merged_batch(tmp_path: Path, daemon, start_daemon, mode: str, daemons: int,
                                                          optimizer: str, ddp: bool) -> None:  # type: ignore[no-untyped-def]
    urls = [daemon.url] + [start_daemon().url for _ in range(daemons - 1)]
    reference = _run(tmp_path, 'reference', urls, 'off', optimizer, 1)[0]
    ranks = _run(tmp_path, mode, urls, mode, optimizer, 2, ddp)
    for rank, record in enumerate(ranks):
        for step in range(2):
            _close(record['deltas'][step], reference['deltas'][step], DELTA_RTOL, f'rank {rank} step {step} Δθ')
        _close(record['params'], reference['params'], DELTA_RTOL, f'rank {rank} final θ')
        assert record['counters'] == {'reconnects': 0, 'resume_gaps': 0, 'new_sessions': 0, 'fallback_steps': 0}
        assert record['placement'] == reference['placement']
        # 'workers': every rank a worker of a 2-worker session per daemon; 'allreduce': 1 worker, rank 0 only.
        assert record['workers'] == ([2] * daemons if mode == 'workers' else ([1] if rank == 0 else []))
    # Both ranks hold the same update bit for bit, and the same state (session ids, resume point).
    for step in range(2):
        assert torch.equal(ranks[0]['deltas'][step], ranks[1]['deltas'][step])
    assert ranks[0]['state'] == ranks[1]['state']
    assert ranks[0]['state']['last_step'] == (2 if daemons == 1 else [2] * daemons)
    if mode == 'allreduce':
        # The merged statistics (float64) are the single process's on all 12 examples, every field.
        for step in range(2):
            for block, fields in reference['statistics'][step].items():
                for rank in range(2):
                    merged = ranks[rank]['statistics'][step][block]
                    assert merged['count'] == 12 and merged['samples_per_example'] == 2
                    for name in ('sum', 'sum_squares', 'centred_squares', 'sampled_label_squares'):
                        _close(merged[name], fields[name], STAT_RTOL, f'step {step} {block}.{name} (rank {rank})')
                ref_factors = reference['factors'][step][block]
                if ref_factors is not None:
                    merged = ranks[0]['factors'][step][block]
                    assert merged['input_count'] == ref_factors['input_count']
                    assert merged['output_grad_count'] == ref_factors['output_grad_count'] == 12
                    for name in ('input_sum', 'output_grad_sum'):
                        _close(merged[name], ref_factors[name], STAT_RTOL, f'step {step} {block} factor {name}')


def test_the_centred_sums_merge_by_chan_without_cancellation(tmp_path: Path, daemon) -> None:  # type: ignore[no-untyped-def]
    """A gradient mean 10⁶ times its spread: the merged centred sums keep their digits (a one-round
    Σ S_r²/b_r − S²/B would lose ~12 of float64's 16). Two ranks, gloo, no daemon traffic checked."""
    script = tmp_path / 'chan.py'
    script.write_text(f'''
import sys, torch
sys.path.insert(0, {str(WORKER.parents[1])!r})
from fisherd_client.statistics import DiagonalMoments
from fisherd_client._torch_preconditioner import LayerStatistics
from fisherd_client._torch_distributed import DataParallel
rank = int(sys.argv[1])
torch.distributed.init_process_group('gloo', init_method='file://{tmp_path}/chan-rendezvous', rank=rank, world_size=2)
g = torch.Generator().manual_seed(1)
rows = 1e6 + torch.randn(9, 5, generator=g, dtype=torch.float64)      # per-example gradients, mean 1e6, σ 1
parts = [rows[:4], rows[4:]]
own = parts[rank] / parts[rank].shape[0]                              # 'mean' rows g_n / b_r
m = DiagonalMoments(count=own.shape[0], sum=own.sum(0), centred_squares=((own - own.mean(0)) ** 2).sum(0), block='w')
(merged,), total, _ = DataParallel('allreduce').all_reduce_statistics([LayerStatistics('w', m)], 'mean', own.shape[0], None)
held = rows / 9
want = ((held - held.mean(0)) ** 2).sum(0)
error = float(((merged.moments.centred_squares - want).abs() / want).max())
assert total == 9 and error < 1e-9, error
print('relative error', error)
''')
    processes = [subprocess.Popen([PYTHON, str(script), str(r)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for r in range(2)]
    for p in processes:
        output, _ = p.communicate(timeout=120)
        assert p.returncode == 0, output
        print(output.strip())


def test_blocks_are_placed_largest_first() -> None:
    blocks = [Block('a', 10), Block('b', 50), Block('c', 30), Block('d', 25), Block('e', 5)]
    # Largest first onto the lighter daemon; loads after b 50: [50, 0], c 30: [50, 30], d 25: [50, 55],
    # a 10: [60, 55], e 5: [60, 60].
    assert place_blocks(blocks, 2) == [0, 0, 1, 1, 1]
    assert place_blocks(blocks, 1) == [0] * 5
    with pytest.raises(ValueError, match='only 5 parameter blocks'):
        place_blocks(blocks, 6)


def _model() -> nn.Module:
    torch.manual_seed(3)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.LayerNorm(64), nn.Linear(64, 8), nn.ReLU(),
                         nn.Linear(8, 3)).double()


@pytest.mark.parametrize('optimizer', [
    Optimizer('ngd', step_size=0.7, damping=1e-3, momentum=0.9),
    Optimizer('efgd', step_size=0.5, damping=1e-2, weight_decay=None),
    Optimizer('snr', step_size=0.3),
    Optimizer('va', step_size=0.3, blockwise=True),
    Optimizer('adam', step_size=1e-2),
    Optimizer('sgd', step_size=0.1, momentum=0.5, nesterov=True),
], ids=lambda o: o.name)
def test_two_daemons_equal_one_bit_for_bit(daemon, start_daemon, optimizer: Optimizer) -> None:  # type: ignore[no-untyped-def]
    second = start_daemon()
    x = torch.randn(10, 1, 6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    y = torch.randint(0, 3, (10,), generator=torch.Generator().manual_seed(5))
    models = [_model(), _model()]
    options = dict(optimizer=optimizer, likelihood='cross_entropy', ema_decay=0.5, data_parallel='off')
    one = Preconditioner(models[0], daemon.url, generator=torch.Generator().manual_seed(6), **options)
    two = Preconditioner(models[1], [daemon.url, second.url], generator=torch.Generator().manual_seed(6), **options)
    try:
        # Placement: sizes conv 40, norm 128, linear 520, linear 27 → 520 | 128 + 40 + 27.
        assert two.placement == {'0': 1, '3': 1, '4': 0, '6': 1}
        assert [b.name for b in two._links[0].client.session.blocks] == ['4']
        assert [b.name for b in two._links[1].client.session.blocks] == ['0', '3', '6']
        assert isinstance(two.session_id, list) and len(set(two.session_id)) == 2
        for step in range(4):
            deltas = []
            for model, pre in zip(models, (one, two)):
                model.zero_grad()
                loss = nn.functional.cross_entropy(model(x), y)
                loss.backward()
                update = pre.step(loss=float(loss))
                assert update is not None
                deltas.append(update.delta)
                with torch.no_grad():
                    for p in pre.parameters:
                        p.add_(p.grad, alpha=-1.0)
            assert deltas[0].dtype == deltas[1].dtype == np.float32
            assert np.array_equal(deltas[0], deltas[1]), f'step {step}: max diff {np.abs(deltas[0] - deltas[1]).max()}'
            assert [u.step for u in two.last_updates] == [step + 1, step + 1]
        state = two.state_dict()
        assert state['url'] == [daemon.url, second.url] and state['last_step'] == [4, 4]
    finally:
        one.close(discard=True)
        two.close(discard=True)


def test_several_daemons_refuse_a_coupled_rule(daemon, start_daemon) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match='blockwise=True'):
        Preconditioner(_model(), [daemon.url, start_daemon().url], optimizer=Optimizer('va', step_size=0.1), data_parallel='off')


def test_state_dict_resumes_every_daemon(daemon, start_daemon) -> None:  # type: ignore[no-untyped-def]
    second = start_daemon()
    model = _model()
    x = torch.randn(6, 1, 6, 6, dtype=torch.float64)
    pre = Preconditioner(model, [daemon.url, second.url], optimizer=Optimizer('sgd', step_size=0.1), data_parallel='off')
    nn.functional.cross_entropy(model(x), torch.zeros(6, dtype=torch.long)).backward()
    pre.step()
    saved = pre.state_dict()
    pre.close()
    again = Preconditioner(model, [daemon.url, second.url], optimizer=Optimizer('sgd', step_size=0.1), data_parallel='off',
                           session_id=saved['session_id'])
    try:
        assert again.session_id == saved['session_id']
        model.zero_grad()
        nn.functional.cross_entropy(model(x), torch.zeros(6, dtype=torch.long)).backward()
        update = again.step()
        assert update is not None and [u.step for u in again.last_updates] == [2, 2]
    finally:
        again.close(discard=True)
