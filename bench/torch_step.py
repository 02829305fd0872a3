#!/usr/bin/python3
"""Whole training step of a PyTorch model: fisherd's Preconditioner (diagonal NGD, Fisher from sampled labels)
against torch Adam in the same process, interleaved; bytes per step and where the time goes.

Run by bench/torch-step.ts (`npm run bench -- --only=torch`) with Debian's /usr/bin/python3 (torch 1.13),
or alone: `/usr/bin/python3 bench/torch_step.py [--rounds 5 --steps 20]` (after `npm run build`: it starts
the daemon from dist/). Prints one JSON object on stdout (a table on stderr).

Models (b = 64, float32, torch threads = --threads, default 1: the daemon runs on the other core):
  cnn  the CNN of clients/python/examples/train_networks.py on the digits (conv 1→16, conv 16→32, pool,
       512→64→10; D = 38 282), batches drawn from data/digits;
  mlp  784→1024→256→10 ReLU MLP (D = 1 068 810) on a fixed pool of 1024 random inputs and labels.
Contenders, each with its own model and state, run round by round in rotated order (`--rounds` × `--steps`
timed steps after `--warmup` steps each):
  adam         zero_grad, forward, cross-entropy, backward, torch.optim.Adam.step
  ngd-diag     zero_grad, forward (+ the hooks' sampled-label backward), backward, Preconditioner.step()
               (statistics → DiagonalMoments float32 → round trip → p.grad = −Δθ), torch.optim.SGD.step;
               the client's default transport: shared memory with the co-located daemon
  ngd-diag-ws  the same with shared_memory=False: every byte in WebSocket frames
  ngd-diag-bf16  ngd-diag with the statistics sent as bfloat16 (half the bytes up)
  kfac         K-FAC NGD with the factors refreshed every 10 steps: only when the client has a KroneckerSender
               and the daemon takes kronecker blocks (otherwise the JSON says why it was skipped); the factor
               sums go to the daemon every `--factors-every` N steps (KroneckerSender's factors_every, T_stat;
               default 1), computed from the sending step's batch alone (factors_from='sending_step', like
               kfac-torch: no sampled-label backward and no factor products on the steps between), and the
               daemon refreshes every max(1, round(10 / N)) factor updates (about every 10 steps)
  kfac-sum     (not in the default list) kfac with KroneckerSender's default factors_from='every_step': the
               factors of every step, summed over the steps since the last send (the sampled-label backward
               and the factor products every step); the same as kfac with N = 1
  kfac-torch   the same K-FAC NGD (sampled labels, π-damping, refresh every 10) written in torch in this process
               (bench/torch_kfac_inprocess.py, what kfac-pytorch's 'inverse' method does): the in-process
               alternative; its `stats` = the factors' EMA, `daemon` = refresh + preconditioning in torch; with
               `--factors-every` N it updates the factors every N steps only (kfac-pytorch's
               factor_update_steps: no sampled-label backward and no factor products on the steps between)
`ms` is the median step, `mean ms` the mean (with it the steps that send or update the factors, every
`--factors-every`, count in). Phases (medians per step, ms): fwd+bwd = forward and backward without the
sampled-label pass; sample = the sampled-label backward to the layer outputs (Fisher); stats = reducing
the hooks' quantities into the sums (`Preconditioner.statistics`; a K-FAC block's factor sums come out as
the packed triangles that are sent, the sampled G's in `sample`); encode = StepInput, its checks and the
protobuf message of its small fields (client; the float vectors are kept aside as arrays,
fisherd_client/wire.py); round trip = `client.step`
minus encode and decode, of which `daemon` = the session's own compute (its `compute_seconds`) and the rest
is transport (the vectors' one copy into the request file or the frame, the reply's Δθ copied out of the
reply file or frame, websockets framing and masking; the client's event-loop thread hop, the daemon's
decode, encode and event loop); decode = the update message and Δθ → `Update`;
apply = p.grad = −Δθ and the optimizer's step. Bytes are whole messages, in frames or shared memory (`via`
says which way the contender's payloads went). `--models mlp` runs one model. The JSON's `masking`
says what the client's frames were masked with ('C speedups', 'numpy' where websockets has none: the
client installs its numpy mask at connect, or 'pure Python').
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics as stats
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'clients' / 'python'))

import fisherd_client.async_client as async_client  # noqa: E402
import fisherd_client.shared_memory as shared_memory  # noqa: E402
from fisherd_client import Client, FisherdError, LocalDaemon, Optimizer  # noqa: E402
from fisherd_client.torch import DiagonalSender, Preconditioner  # noqa: E402

sys.path.insert(0, str(ROOT / 'bench'))
from torch_kfac_inprocess import InProcessKfac  # noqa: E402

PHASES = ['fwd+bwd', 'sample', 'stats', 'encode', 'round trip', 'daemon', 'transport', 'decode', 'apply']


class Timers:
    """Per-step phase times (seconds) and frame bytes, filled by wrappers around the client's functions."""

    def __init__(self) -> None:
        self.current: Dict[str, float] = {}
        self.bytes_up = 0
        self.bytes_down = 0

    def add(self, phase: str, seconds: float) -> None:
        self.current[phase] = self.current.get(phase, 0.0) + seconds

    def wrap(self, phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(phase, time.perf_counter() - started)
        return timed


TIMERS = Timers()
async_client.encode_step = TIMERS.wrap('encode_step', async_client.encode_step)
async_client.update_from_wire = TIMERS.wrap('decode', async_client.update_from_wire)


def _count_shared_memory() -> None:
    """Counts the messages that go through shared-memory files, as the frame counters count frames."""
    files = shared_memory.SharedMemoryFiles
    write, read = files.write, files.read
    write_parts = getattr(files, 'write_parts', None)  # the step written straight from its arrays
    reply_view = getattr(files, 'reply_view', None)  # a reply decoded from the mapping

    def counted_write(self: Any, data: bytes) -> Any:
        TIMERS.bytes_up += len(data)
        return write(self, data)

    def counted_read(self: Any, offset: int, length: int) -> bytes:
        TIMERS.bytes_down += length
        return read(self, offset, length)

    files.write = counted_write  # type: ignore[method-assign]
    files.read = counted_read  # type: ignore[method-assign]
    if write_parts is not None:
        def counted_write_parts(self: Any, parts: Any, length: int) -> Any:
            TIMERS.bytes_up += length
            return write_parts(self, parts, length)

        files.write_parts = counted_write_parts  # type: ignore[method-assign]
    if reply_view is not None:
        def counted_reply_view(self: Any, offset: int, length: int) -> Any:
            TIMERS.bytes_down += length
            return reply_view(self, offset, length)

        files.reply_view = counted_reply_view  # type: ignore[method-assign]


_count_shared_memory()


def make_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def make_mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 10))


def digits() -> tuple:
    with gzip.open(ROOT / 'data' / 'digits' / 'digits.csv.gz', 'rt') as f:
        values = np.loadtxt(f, delimiter=',')
    return (torch.tensor(values[:, :-1] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8),
            torch.tensor(values[:, -1], dtype=torch.int64))


def random_pool() -> tuple:
    g = torch.Generator().manual_seed(0)
    return torch.randn(1024, 784, generator=g), torch.randint(0, 10, (1024,), generator=g)


MODELS: Dict[str, tuple] = {'cnn': (make_cnn, digits), 'mlp': (make_mlp, random_pool)}


class Contender:
    def __init__(self, name: str, model_name: str, client: Optional[Client], batch_size: int, factors_every: int = 1) -> None:
        make, data = MODELS[model_name]
        torch.manual_seed(0)
        self.name, self.model = name, make()
        self.x, self.y = data()
        self.batch_size = batch_size
        self.criterion = nn.CrossEntropyLoss()
        self.batches = torch.Generator().manual_seed(1)
        self.preconditioner: Optional[Preconditioner] = None
        self.kfac: Optional[InProcessKfac] = None
        self.records: List[Dict[str, float]] = []
        if name == 'adam':
            self.optimizer: torch.optim.Optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
            return
        if name == 'kfac-torch':
            self.kfac = InProcessKfac(self.model, damping=1e-3, refresh_every=10, generator=torch.Generator().manual_seed(2),
                                     factors_every=factors_every)
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-3)
            return
        assert client is not None
        if name in ('kfac', 'kfac-sum'):
            from fisherd_client.torch import KroneckerSender  # type: ignore[attr-defined]  # absent until K-FAC lands
            # The daemon's refresh counts factor updates: about every 10 steps whatever T_stat.
            sender: Any = KroneckerSender(refresh_every=max(1, round(10 / factors_every)), damping='pi', factors_every=factors_every,
                                          factors_from='every_step' if name == 'kfac-sum' else 'sending_step')
            options: Dict[str, Any] = {}
        else:
            sender = DiagonalSender('bfloat16' if name.endswith('bf16') else 'float32')
            options = {}
        pre = Preconditioner(self.model, client, optimizer=Optimizer('ngd', step_size=1.0, damping=1e-3),
                             likelihood='cross_entropy', sender=sender, generator=torch.Generator().manual_seed(2), **options)
        pre._sample = TIMERS.wrap('sample', pre._sample)  # type: ignore[method-assign]
        pre._own_statistics = TIMERS.wrap('stats', pre._own_statistics)  # type: ignore[method-assign]
        link = pre._links[0]  # one daemon: its link sends the step (and applies the failure policy)
        link.send = TIMERS.wrap('client.step', link.send)  # type: ignore[method-assign]
        sender.contribution = TIMERS.wrap('contribution', sender.contribution)
        self.preconditioner = pre
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=1e-3)

    def step(self, record: bool) -> None:
        TIMERS.current = {}
        up, down = TIMERS.bytes_up, TIMERS.bytes_down
        index = torch.randint(0, self.x.shape[0], (self.batch_size,), generator=self.batches)
        x, y = self.x[index], self.y[index]
        started = time.perf_counter()
        self.optimizer.zero_grad(set_to_none=True)
        logits = self.model(x)
        if self.kfac is not None:
            TIMERS.wrap('sample', self.kfac.sample)(logits)
        loss = self.criterion(logits, y)
        loss.backward()
        mid = time.perf_counter()
        update = None
        if self.preconditioner is not None:
            update = self.preconditioner.step()
        if self.kfac is not None:
            TIMERS.wrap('stats', self.kfac.update_factors)()
            TIMERS.wrap('daemon', self.kfac.step)()
        self.optimizer.step()
        ended = time.perf_counter()
        if not record:
            return
        t = TIMERS.current
        r: Dict[str, float] = {'total': ended - started}
        r['sample'] = t.get('sample', 0.0)
        r['fwd+bwd'] = mid - started - r['sample']
        if self.kfac is not None:
            r['stats'] = t['stats']
            r['daemon'] = t['daemon']
            r['apply'] = (ended - mid) - t['stats'] - t['daemon']
        elif self.preconditioner is None:
            r['apply'] = ended - mid
        else:
            assert update is not None, 'fisherd step fell back to the plain gradient'
            r['stats'] = t['stats']
            r['encode'] = t['contribution'] + t['encode_step']
            r['decode'] = t['decode']
            r['round trip'] = t['client.step'] - t['encode_step'] - t['decode']
            r['daemon'] = update.diagnostics.compute_seconds
            r['transport'] = r['round trip'] - r['daemon']
            r['apply'] = (ended - mid) - t['stats'] - t['contribution'] - t['client.step']
            r['bytes up'] = TIMERS.bytes_up - up
            r['bytes down'] = TIMERS.bytes_down - down
        self.records.append(r)

    def via(self) -> Optional[str]:
        """How the contender's payloads travel: 'shared memory' or 'frames'; 'in-process' for kfac-torch (None for Adam)."""
        if self.kfac is not None:
            return 'in-process'
        if self.preconditioner is None or self.preconditioner.client is None:
            return None
        return 'shared memory' if self.preconditioner.client.shared_memory_active else 'frames'

    def close(self) -> None:
        if self.preconditioner is not None:
            self.preconditioner.close(discard=True)


def count_bytes(client: Client) -> None:
    inner = client._async
    send, receive = inner._send, inner._receive

    async def counted_send(frame: bytes) -> None:
        TIMERS.bytes_up += len(frame)
        await send(frame)

    def counted_receive(frame: Any) -> None:
        TIMERS.bytes_down += len(frame)
        receive(frame)

    inner._send = counted_send  # type: ignore[method-assign]
    inner._receive = counted_receive  # type: ignore[method-assign]


def median(values: List[float]) -> float:
    return stats.median(values) if values else float('nan')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--models', default='cnn,mlp')
    parser.add_argument('--contenders', default='adam,ngd-diag,ngd-diag-ws,ngd-diag-bf16,kfac,kfac-torch')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--steps', type=int, default=20, help='timed steps per contender and round')
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--factors-every', type=int, default=1,
                        help="K-FAC's T_stat: kfac sends the sending step's factor sums every N steps (kfac-sum: "
                             "those of all the steps since the last), kfac-torch updates its factors every N steps")
    parser.add_argument('--url', help='a running fisherd (default: start one from dist/)')
    args = parser.parse_args()
    if args.factors_every < 1:
        parser.error(f'--factors-every must be ≥ 1, got {args.factors_every}')
    torch.set_num_threads(args.threads)
    try:
        import websockets.speedups  # noqa: F401
        speedups = True
    except ImportError:
        speedups = False
    daemon = None if args.url else LocalDaemon(['--backend', 'auto']).start()
    result: Dict[str, Any] = {'torch': torch.__version__, 'threads': args.threads, 'batch_size': args.batch_size,
                              'rounds': args.rounds, 'steps': args.steps, 'factors_every': args.factors_every,
                              'websockets_speedups': speedups,
                              'python': sys.version.split()[0], 'models': [], 'skipped': {}}
    try:
        clients: List[Client] = []
        for model_name in args.models.split(','):
            contenders: List[Contender] = []
            for name in args.contenders.split(','):
                client = None
                if name not in ('adam', 'kfac-torch'):
                    client = Client.connect(args.url or daemon.url, client_name=f'bench torch {name}',  # type: ignore[union-attr]
                                            shared_memory=not name.endswith('-ws'))
                    count_bytes(client)
                    clients.append(client)
                try:
                    contenders.append(Contender(name, model_name, client, args.batch_size, args.factors_every))
                except (ImportError, FisherdError) as e:
                    result['skipped'][name] = ('the Python client has no KroneckerSender yet' if isinstance(e, ImportError)
                                               else f'the daemon refused the session ({e.code}: {e})')
            result['backend'] = clients[0].server.backend if clients else None
            # What the client's frames are masked with (the client installs its numpy mask at connect
            # where websockets has no C speedups).
            from websockets import frames
            from fisherd_client.transport import numpy_apply_mask
            result['masking'] = 'C speedups' if speedups else 'numpy' if frames.apply_mask is numpy_apply_mask else 'pure Python'  # type: ignore[attr-defined]
            result['fisherd'] = clients[0].server.server_version if clients else None
            for c in contenders:
                for _ in range(args.warmup):
                    c.step(record=False)
            for r in range(args.rounds):
                order = contenders[r % len(contenders):] + contenders[:r % len(contenders)]
                for c in order:
                    for _ in range(args.steps):
                        c.step(record=True)
            dim = sum(p.numel() for p in contenders[0].model.parameters())
            rows = []
            adam_ms = None
            for c in contenders:
                row: Dict[str, Any] = {'contender': c.name, 'via': c.via(), 'ms': 1000 * median([r['total'] for r in c.records]),
                                       # the mean counts the steps that send or update the factors (--factors-every)
                                       'mean ms': 1000 * float(np.mean([r['total'] for r in c.records])),
                                       'p10': 1000 * float(np.percentile([r['total'] for r in c.records], 10)),
                                       'p90': 1000 * float(np.percentile([r['total'] for r in c.records], 90))}
                for phase in PHASES:
                    values = [r[phase] for r in c.records if phase in r]
                    row[phase] = 1000 * median(values) if values else None
                for key in ('bytes up', 'bytes down'):
                    values = [r[key] for r in c.records if key in r]
                    row[key] = median(values) if values else 0
                if c.name == 'adam':
                    adam_ms = row['ms']
                rows.append(row)
            for row in rows:
                row['x adam'] = row['ms'] / adam_ms if adam_ms else None
            result['models'].append({'model': model_name, 'dim': dim, 'rows': rows})
            for c in contenders:
                c.close()
            print(f'{model_name} (D = {dim}, b = {args.batch_size}):', file=sys.stderr)
            for row in rows:
                print('  ' + f"{row['contender']:14s} {row['via'] or '':13s} {row['ms']:8.2f} ms (mean {row['mean ms']:.2f})  " + (f"×{row['x adam']:.2f}  " if row['x adam'] else '') + '  '.join(
                    f'{p} {row[p]:.2f}' for p in PHASES if row.get(p) is not None)
                    + f"  up {row['bytes up'] / 1e3:.0f} kB down {row['bytes down'] / 1e3:.0f} kB", file=sys.stderr)
        for client in clients:
            client.close()
    finally:
        if daemon is not None:
            daemon.stop()
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
