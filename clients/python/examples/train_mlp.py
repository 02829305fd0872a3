#!/usr/bin/env python3
"""Train a small MLP on breast-cancer (scikit-learn's Wisconsin Diagnostic set, shipped in data/) with SGD,
EFGD, NGD (Fisher from sampled labels) and SNR, every update computed by fisherd, and print the losses.

    npm run build                                          # once, at the repository root
    /usr/bin/python3 clients/python/examples/train_mlp.py  # starts its own daemon
    /usr/bin/python3 clients/python/examples/train_mlp.py --url ws://127.0.0.1:7070 --token ...

Model: 30 → 16 (tanh) → 1 logit, Bernoulli likelihood (binary cross-entropy), the per-example loss
ℓ_n = −log p(y_n | f(x_n, θ)); features standardized (the paper's linear models use raw features, an MLP
needs them scaled). Every optimizer starts from the same θ and sees the same minibatches. What each one
sends (fisherd_client.torch.gradients, reduction 'sum'):
  sgd  — the minibatch gradient only                         Δθ = −γ ḡ
  efgd — per-example gradients g_n                           Δθ = −γ (Ẽ + λI)⁻¹ ḡ,  Ẽ = (1/b) Σ g_n g_nᵀ
  ngd  — ḡ and K gradients at labels drawn from the model    Δθ = −γ (F̂ + λI)⁻¹ ḡ,  F̂ = (1/(bK)) Σ g̃ g̃ᵀ
  snr  — per-example gradients g_n                           Δθ_i = −γ ḡ_i · ḡ_i²/(ḡ_i² + S_ii)
Curvature is block-diagonal, one full block per parameter tensor (the largest is 16×30 = 480).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from fisherd_client import Client, LocalDaemon, Optimizer, SessionConfig  # noqa: E402
from fisherd_client.torch import Bernoulli, ParameterBlocks, gradients  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / 'data' / 'breast-cancer-sklearn' / 'breast-cancer-sklearn.csv'

# Per optimizer: the fisherd optimizer, and what each step sends. γ and λ are the ones with the lowest
# full-data loss after 150 steps (seed 0) on a coarse grid, γ from 0.01 to 30 and λ from 1e-3 to 10. With
# 32 examples per batch and D = 513, Ẽ and F̂ have rank ≤ 32 (F̂ from one label per example): a large λ
# does best here, which makes efgd and ngd closer to scaled SGD than on the paper's full-batch problems.
OPTIMIZERS: Dict[str, Tuple[Optimizer, dict]] = {
    'sgd': (Optimizer('sgd', step_size=3.0), dict(per_example=False)),
    'efgd': (Optimizer('efgd', step_size=3.0, damping=1.0), dict(per_example=True)),
    'ngd': (Optimizer('ngd', step_size=3.0, damping=1.0), dict(per_example=False, samples_per_example=1)),
    'snr': (Optimizer('snr', step_size=3.0), dict(per_example=True)),
}


def load_breast_cancer() -> Tuple[torch.Tensor, torch.Tensor]:
    """X (569, 30) standardized, y (569,) ∈ {0, 1} (1 = benign), from the shipped CSV."""
    with DATA.open() as f:
        rows = list(csv.reader(f))[1:]  # header: 30 feature names, then y
    values = np.array(rows, dtype=np.float64)
    x, y = values[:, :-1], values[:, -1]
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)


def make_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(30, 16), nn.Tanh(), nn.Linear(16, 1))


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> Tuple[float, float]:
    """The average loss (1/N) Σ ℓ_n over the whole data set, and the accuracy."""
    with torch.no_grad():
        f = model(x)
        return float(Bernoulli().nll(f, y).mean()), float(((f[:, 0] > 0).float() == y).float().mean())


def train(client: Client, name: str, x: torch.Tensor, y: torch.Tensor, args: argparse.Namespace) -> List[Tuple[int, float, float]]:
    optimizer, sends = OPTIMIZERS[name]
    model = make_model(args.seed)
    params = ParameterBlocks(model)
    client.open_session(SessionConfig(dim=params.dim, blocks=params.blocks('full'), optimizer=optimizer,
                                      dataset_size=x.shape[0]))
    batches = torch.Generator().manual_seed(args.seed)  # the same minibatches for every optimizer
    labels = torch.Generator().manual_seed(args.seed + 1)
    history = [(0, *evaluate(model, x, y))]
    for step in range(1, args.steps + 1):
        index = torch.randperm(x.shape[0], generator=batches)[:args.batch_size]
        update = client.step(gradients(model, Bernoulli(), x[index], y[index], generator=labels, **sends))
        params.apply(update)
        if step % args.every == 0 or step == args.steps:
            history.append((step, *evaluate(model, x, y)))
    client.close_session(discard=True)
    return history


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', help='a running fisherd (default: start one with dist/src/cli/main.js)')
    parser.add_argument('--token', help='bearer token of the daemon at --url')
    parser.add_argument('--steps', type=int, default=150, help='steps per optimizer (default 150)')
    parser.add_argument('--batch-size', type=int, default=32, help='examples per minibatch (default 32)')
    parser.add_argument('--every', type=int, default=25, help='print the full-data loss every this many steps (default 25)')
    parser.add_argument('--seed', type=int, default=0, help='seed of the initial weights, minibatches and labels (default 0)')
    parser.add_argument('--optimizers', default=','.join(OPTIMIZERS), help=f'comma-separated subset of {",".join(OPTIMIZERS)}')
    parser.add_argument('--backend', default='auto', help='compute backend of a daemon this script starts (default auto)')
    args = parser.parse_args(argv)
    names = args.optimizers.split(',')
    unknown = [n for n in names if n not in OPTIMIZERS]
    if unknown:
        parser.error(f'unknown optimizer(s): {", ".join(unknown)}')

    x, y = load_breast_cancer()
    daemon = None if args.url else LocalDaemon(['--backend', args.backend]).start()
    url = args.url or daemon.url  # type: ignore[union-attr]
    try:
        with Client.connect(url, token=args.token, client_name='train_mlp.py') as client:
            print(f'fisherd {client.server.server_version} at {url}, backend {client.server.backend}')
            print(f'breast-cancer: N = {x.shape[0]}, MLP 30-16-1 (D = {ParameterBlocks(make_model(0)).dim}), '
                  f'batch {args.batch_size}, {args.steps} steps\n')
            results = {}
            for name in names:
                started = time.perf_counter()
                history = train(client, name, x, y, args)
                results[name] = history
                seconds = time.perf_counter() - started
                print(f'{name:5s} ' + '  '.join(f'{step:>4d}: {loss:.4f}' for step, loss, _ in history)
                      + f'   ({seconds:.1f} s, {1000 * seconds / args.steps:.0f} ms/step)')
            print('\nfinal average loss and accuracy on all 569 examples:')
            for name, history in results.items():
                _, loss, accuracy = history[-1]
                print(f'  {name:5s} loss {loss:.4f}   accuracy {100 * accuracy:.1f}%')
    finally:
        if daemon is not None:
            daemon.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
