"""One rank (or the single-process reference) of tests/test_torch_distributed.py's data-parallel runs.

    python3 dist_worker.py CONFIG.json RANK OUT.pt

CONFIG holds: urls, mode ('off' for the reference, 'allreduce' or 'workers'), world_size, init (a
file:// rendezvous), shards (example counts per rank), optimizer, steps, and optionally ekfac (T_inv: every
Linear/Conv2d an EKFAC block through KroneckerSender(eigenvalue_corrected=True)) or kfac (KroneckerSender's
keyword arguments: every Linear/Conv2d a K-FAC block, without kronecker=True), and wide (the last Linear 48→64
instead of 48→4: its gradient sum goes as thin factors for up to 27 examples). Every process builds the same
float64 model and data from fixed seeds; rank r trains on its shard of the merged batch with the loss
*mean over its own examples* (as data-parallel code does), the reference on the whole batch. It saves,
per step, the statistics the step sends (merged over the ranks with 'allreduce'), Δθ, and the final θ.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fisherd_client.config import Optimizer, Track  # noqa: E402
from fisherd_client.torch import Categorical, KroneckerSender, Preconditioner  # noqa: E402


class RoundRobinLabels(Categorical):
    """Categorical, but the K 'sampled' labels of an example are argmax f, argmax f + 1, ... (mod C): a
    deterministic function of the example, so that a split batch samples what the whole batch samples."""

    def sample(self, f, k, generator):  # type: ignore[no-untyped-def]
        first = f.detach().argmax(dim=-1, keepdim=True)
        return (first + torch.arange(k, device=f.device)) % f.shape[-1]


def model_and_data(n: int = 12, wide: bool = False):  # type: ignore[no-untyped-def]
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.LayerNorm(48), nn.Linear(48, 64 if wide else 4)).double()
    x = torch.randn(n, 1, 6, 6, dtype=torch.float64)
    y = torch.randint(0, 4, (n,))
    return model, x, y


def _plain(block: str) -> str:
    """A block's name without DistributedDataParallel's 'module.' prefix."""
    return block[len('module.'):] if block.startswith('module.') else block


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    rank, out = int(sys.argv[2]), sys.argv[3]
    mode = config['mode']
    if mode != 'off':
        torch.distributed.init_process_group('gloo', init_method=config['init'], rank=rank, world_size=config['world_size'])
    model, x, y = model_and_data(sum(config['shards']), bool(config.get('wide')))
    if mode != 'off':
        start = sum(config['shards'][:rank])
        x, y = x[start:start + config['shards'][rank]], y[start:start + config['shards'][rank]]
    name = config['optimizer']
    if config.get('ddp'):
        model = nn.parallel.DistributedDataParallel(model)  # the hooks find the layers inside
    # 'ekfac': every Linear/Conv2d an EKFAC block (KroneckerSender; the noise is not tracked beside Kronecker blocks)
    ekfac = {'sender': KroneckerSender(eigenvalue_corrected=True, refresh_every=config['ekfac']),
             'track': Track(empirical_fisher=True, fisher=True)} if config.get('ekfac') else {
             'track': Track(empirical_fisher=True, fisher=True, noise=True)}
    if config.get('kfac'):
        ekfac = {'sender': KroneckerSender(**config['kfac'])}
    pre = Preconditioner(model, config['urls'] if len(config['urls']) > 1 else config['urls'][0],
                         optimizer=Optimizer(name, step_size=0.5, damping=1e-2, momentum=0.5 if name != 'va' else None,
                                             blockwise=name == 'va'),
                         likelihood=RoundRobinLabels(), samples=2, kronecker=not config.get('kfac'), data_parallel=mode, **ekfac)
    criterion = nn.CrossEntropyLoss()
    record = {'statistics': [], 'factors': [], 'sum_factors': [], 'deltas': [], 'placement': {_plain(k): v for k, v in pre.placement.items()},
              'session_id': pre.session_id}
    for step in range(config['steps']):
        model.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        layers = pre.statistics()
        record['statistics'].append({_plain(layer.block): {k: v for k, v in vars(layer.moments).items()} for layer in layers})
        record['factors'].append({_plain(layer.block): layer.factors for layer in layers})
        record['sum_factors'].append({_plain(layer.block): None if layer.sum_factors is None else layer.sum_factors.rank for layer in layers})
        update = pre.step(loss=float(loss))
        assert update is not None
        record['deltas'].append(torch.from_numpy(update.delta.copy()))
        with torch.no_grad():
            for p in pre.parameters:
                p.add_(p.grad, alpha=-1.0)
    record['params'] = torch.cat([p.detach().reshape(-1) for p in pre.parameters])
    record['state'] = pre.state_dict()
    record['counters'] = vars(pre.counters)
    record['workers'] = [link.client.session.config.workers for link in pre._links]
    if config.get('ekfac'):
        record['basis_versions'] = {_plain(b): v.version for b, v in pre.sender.ekfac.bases.items()}
    pre.close(discard=mode == 'off' or rank == 0)
    torch.save(record, out)
    if mode != 'off':
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()


if __name__ == '__main__':
    main()
