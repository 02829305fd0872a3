#!/usr/bin/env python3
"""Real data, real networks: a CNN on scikit-learn's digits and an MLP on a1a, trained with SGD and Adam
(torch, in process) and, through fisherd's Preconditioner, diagonal NGD (Fisher from sampled labels),
diagonal EFGD and SNR; the EF-vs-Fisher cosine over training. Writes the runs as JSON and draws the figure.

    npm run build                                                       # once, at the repository root
    /usr/bin/python3 clients/python/examples/train_networks.py          # all runs, JSON, SVG and doc table
    /usr/bin/python3 clients/python/examples/train_networks.py --render # SVG and doc table from the JSON only
    /usr/bin/python3 clients/python/examples/train_networks.py --kfac   # also K-FAC NGD and K-FAC EFGD

Problems (every example is training data, as in the paper; the loss is the full-data average of
ℓ_n = −log p(y_n | f(x_n, θ))):
  digits  data/digits (1797 8×8 images, 10 classes, pixels/16): conv 3×3 1→16, ReLU, conv 3×3 16→32, ReLU,
          max-pool 2, linear 512→64, ReLU, linear 64→10; softmax cross-entropy.
  a1a     data/a1a (1605 × 119 binary features): linear 119→64, ReLU, linear 64→64, ReLU, linear 64→1;
          Bernoulli (binary cross-entropy with logits).
Every rule starts from the same θ and sees the same minibatches (b = 64). fisherd rules run the user's own
loop: ``loss.backward(); preconditioner.step(); optimizer.step()`` with torch's SGD(lr=γ) applying
p.grad = −Δθ (the daemon's step size is 1, so γ is the rule's step size), statistics from layer hooks.

The diagonal-NGD session also tracks the empirical Fisher, so every step's diagnostics carry the daemon's
``cosineEfFisher`` = cos((Ẽ+λI)⁻¹ḡ, (F̂+λI)⁻¹ḡ) on the diagonal estimates (whole model), and the script
computes the same cosine per layer block from the statistics it sent (checked against the daemon's for the
whole model). When the daemon reports per-layer ``layer.<name>.cosineEfFisher`` (Kronecker blocks) those
are recorded too.

K-FAC (``--kfac``): needs a Python Kronecker sender (``fisherd_client.torch.KroneckerSender``) and a daemon
that accepts ``kronecker`` blocks; when either is missing the two rules are skipped and the JSON says why.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from fisherd_client import Client, FisherdError, LocalDaemon, Optimizer, Track  # noqa: E402
from fisherd_client.torch import DiagonalSender, Preconditioner  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / 'data'
OUT_JSON = ROOT / 'docs' / 'networks' / 'runs.json'
OUT_SVG = ROOT / 'docs' / 'networks' / 'networks.svg'
OUT_DOC = ROOT / 'docs' / 'networks.md'


# ---- data and models -------------------------------------------------------------------------------------

def load_digits() -> Tuple[torch.Tensor, torch.Tensor]:
    """X (1797, 1, 8, 8) in [0, 1], y (1797,) class indices, from scikit-learn's digits.csv.gz."""
    with gzip.open(DATA / 'digits' / 'digits.csv.gz', 'rt') as f:
        values = np.loadtxt(f, delimiter=',')
    x = torch.tensor(values[:, :-1] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
    return x, torch.tensor(values[:, -1], dtype=torch.int64)


def load_a1a() -> Tuple[torch.Tensor, torch.Tensor]:
    """X (1605, 119) ∈ {0, 1}, y (1605,) ∈ {0, 1} (1 = income > 50K), from data/a1a/a1a.csv."""
    values = np.loadtxt(DATA / 'a1a' / 'a1a.csv', delimiter=',', skiprows=1)
    return torch.tensor(values[:, :-1], dtype=torch.float32), torch.tensor(values[:, -1], dtype=torch.float32)


def make_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def make_mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(119, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


class BinaryLoss(nn.Module):
    """BCEWithLogitsLoss on a (b, 1) logit and (b,) labels."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = nn.BCEWithLogitsLoss()

    def forward(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.inner(f[:, 0], y)


@dataclass(frozen=True)
class Problem:
    title: str
    load: Callable[[], Tuple[torch.Tensor, torch.Tensor]]
    model: Callable[[], nn.Module]
    criterion: Callable[[], nn.Module]
    likelihood: str

    def accuracy(self, f: torch.Tensor, y: torch.Tensor) -> float:
        if f.shape[1] == 1:
            return float(((f[:, 0] > 0).float() == y).float().mean())
        return float((f.argmax(dim=1) == y).float().mean())


PROBLEMS: Dict[str, Problem] = {
    'digits': Problem('digits, CNN', load_digits, make_cnn, nn.CrossEntropyLoss, 'cross_entropy'),
    'a1a': Problem('a1a, MLP', load_a1a, make_mlp, BinaryLoss, 'bce_with_logits'),
}


# ---- rules -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    label: str
    kind: str  # 'torch-sgd', 'torch-adam', 'fisherd'
    daemon: Optional[str] = None  # fisherd optimizer name
    kronecker: bool = False
    exact: bool = False  # the exact ("type-2") Fisher instead of sampled labels (fisher_source='exact')


RULES: Dict[str, Rule] = {
    'sgd': Rule('SGD', 'torch-sgd'),
    'adam': Rule('Adam', 'torch-adam'),
    'ngd': Rule('NGD (diag)', 'fisherd', 'ngd'),
    'efgd': Rule('EFGD (diag)', 'fisherd', 'efgd'),
    'snr': Rule('SNR', 'fisherd', 'snr'),
    'kfac-ngd': Rule('NGD (K-FAC)', 'fisherd', 'ngd', kronecker=True),
    'kfac-efgd': Rule('EFGD (K-FAC)', 'fisherd', 'efgd', kronecker=True),
    'kfac-ngd-exact': Rule('NGD (K-FAC, exact F)', 'fisherd', 'ngd', kronecker=True, exact=True),
}
DIAGONAL_RULES = ['sgd', 'adam', 'ngd', 'efgd', 'snr']
KFAC_RULES = ['kfac-ngd', 'kfac-efgd', 'kfac-ngd-exact']

# (γ, λ) per problem and rule: the lowest full-data loss after 150 steps (seed 0). a1a: γ ∈ {10^k, 3·10^k} from
# 1e-3 to 3, λ ∈ {1e-4, 1e-3, 1e-2, 1e-1}; digits: SGD and Adam γ from 1e-3 to 1, SNR γ ∈ {0.01, 0.1, 1}, NGD
# and EFGD γ ∈ {1e-3, 1e-2, 0.1} × λ ∈ {1e-3, 1e-2}. `--lr`/`--damping` override them (grid searches). K-FAC
# (π-damping, refresh every 10 factor updates): γ ∈ {0.03, 0.1, 0.3} × λ ∈ {0.01, 0.1} over 60 steps (λ = 0.01
# and γ = 0.3 diverge: NaN logits), then over the 300 steps γ ∈ {0.03, 0.1} × λ ∈ {0.1, 0.3, 1}: on digits
# γ = 0.1, λ = 0.1 diverges after ~60 steps and γ = 0.03, λ = 0.1 is the lowest stable pair for both rules;
# on a1a γ = 0.1, λ = 0.1.
HYPER: Dict[str, Dict[str, Tuple[float, Optional[float]]]] = {
    'digits': {'sgd': (0.3, None), 'adam': (0.01, None), 'ngd': (1e-3, 1e-2), 'efgd': (0.01, 1e-2), 'snr': (0.1, None),
               'kfac-ngd': (0.03, 0.1), 'kfac-efgd': (0.03, 0.1), 'kfac-ngd-exact': (0.03, 0.1)},
    'a1a': {'sgd': (0.1, None), 'adam': (0.03, None), 'ngd': (1e-3, 1e-3), 'efgd': (3e-3, 1e-3), 'snr': (0.1, None),
            'kfac-ngd': (0.1, 0.1), 'kfac-efgd': (0.1, 0.1), 'kfac-ngd-exact': (0.1, 0.1)},
}


class RecordingSender(DiagonalSender):
    """The default sender, keeping a reference to what it sent (for the per-layer cosine, after the step)."""

    def __init__(self) -> None:
        super().__init__()
        self.layers: Sequence[Any] = ()

    def contribution(self, layers, reduction, batch_size, loss):  # type: ignore[no-untyped-def]
        self.layers = layers
        return super().contribution(layers, reduction, batch_size, loss)


def diagonal_cosine(moments: Any, damping: float) -> Tuple[float, float, float]:
    """cos((diag Ẽ+λ)⁻¹ḡ, (diag F̂+λ)⁻¹ḡ) of one block from the sums it sent (reduction 'mean': ḡ = s,
    diag Ẽ = b·Q, diag F̂ = (b/K)·Σ r̃², math.md "Statistics contributions"); also returns the dot product
    and the two squared norms, so that blocks can be combined into the whole-model cosine."""
    b = float(moments.count)
    g = torch.as_tensor(moments.sum, dtype=torch.float64)
    ef = b * torch.as_tensor(moments.sum_squares, dtype=torch.float64)
    fisher = (b / moments.samples_per_example) * torch.as_tensor(moments.sampled_label_squares, dtype=torch.float64)
    u, v = g / (ef + damping), g / (fisher + damping)
    return float(u @ v), float(u @ u), float(v @ v)


def cosine(dot: float, uu: float, vv: float) -> float:
    return dot / math.sqrt(uu * vv) if uu > 0 and vv > 0 else float('nan')


def run(problem_name: str, rule_name: str, client: Optional[Client], data: Tuple[torch.Tensor, torch.Tensor],
        args: argparse.Namespace, lr: float, damping: Optional[float]) -> Dict[str, Any]:
    problem, rule = PROBLEMS[problem_name], RULES[rule_name]
    x, y = data
    torch.manual_seed(args.seed)
    model = problem.model()
    criterion = problem.criterion()
    preconditioner: Optional[Preconditioner] = None
    sender = RecordingSender()
    if rule.kind == 'fisherd':
        assert client is not None and rule.daemon is not None
        optimizer = Optimizer(rule.daemon, step_size=1.0, damping=damping)
        track = Track(empirical_fisher=True) if rule.daemon == 'ngd' else None  # both Fishers: the cosine
        options: Dict[str, Any] = {}
        if rule.kronecker:
            from fisherd_client.torch import KroneckerSender  # type: ignore[attr-defined]  # absent until K-FAC lands
            options = dict(sender=KroneckerSender(refresh_every=10, damping='pi'), kronecker=True,
                           **({'fisher_source': 'exact'} if rule.exact else {}))
        else:
            options = dict(sender=sender)
        preconditioner = Preconditioner(model, client, optimizer=optimizer, likelihood=problem.likelihood, track=track,
                                        generator=torch.Generator().manual_seed(args.seed + 1), dataset_size=x.shape[0],
                                        **options)
    torch_opt = (torch.optim.Adam(model.parameters(), lr=lr) if rule.kind == 'torch-adam'
                 else torch.optim.SGD(model.parameters(), lr=lr))
    batches = torch.Generator().manual_seed(args.seed)
    names = [] if preconditioner is None else [b.name for b in preconditioner.blocks]
    out: Dict[str, Any] = {'rule': rule_name, 'label': rule.label, 'lr': lr, 'damping': damping,
                           'steps': [], 'seconds': [], 'loss': [], 'accuracy': [],
                           'cosine_step': [], 'cosine': [], 'cosine_client': [], 'layer_cosine': {n: [] for n in names},
                           'daemon_layer_cosine': {}}

    def evaluate(step: int, seconds: float) -> None:
        with torch.no_grad():
            f = model(x)
            out['steps'].append(step)
            out['seconds'].append(round(seconds, 4))
            out['loss'].append(float(criterion(f, y)))
            out['accuracy'].append(problem.accuracy(f, y))

    elapsed = 0.0
    evaluate(0, 0.0)
    for step in range(1, args.steps + 1):
        index = torch.randperm(x.shape[0], generator=batches)[:args.batch_size]
        started = time.perf_counter()
        torch_opt.zero_grad(set_to_none=True)
        loss = criterion(model(x[index]), y[index])
        loss.backward()
        update = preconditioner.step(loss=float(loss)) if preconditioner is not None else None
        torch_opt.step()
        elapsed += time.perf_counter() - started
        if update is not None:
            metrics = update.metrics
            if 'cosineEfFisher' in metrics:
                out['cosine_step'].append(step)
                out['cosine'].append(metrics['cosineEfFisher'])
                if not rule.kronecker and damping is not None:
                    parts = [diagonal_cosine(layer.moments, damping) for layer in sender.layers]
                    out['cosine_client'].append(cosine(*(sum(p[i] for p in parts) for i in range(3))))
                    for layer, part in zip(sender.layers, parts):
                        out['layer_cosine'][layer.block].append(cosine(*part))
            for key, value in metrics.items():
                if key.startswith('layer.') and key.endswith('.cosineEfFisher'):
                    out['daemon_layer_cosine'].setdefault(key[len('layer.'):-len('.cosineEfFisher')], []).append(value)
        if step % args.every == 0 or step == args.steps:
            evaluate(step, elapsed)
    if preconditioner is not None:
        preconditioner.close(discard=True)
    return out


# ---- figure ----------------------------------------------------------------------------------------------

STYLES: Dict[str, Tuple[str, str]] = {  # colour, dash (src/lab/svg PAPER_STYLES where the paper has the rule)
    'sgd': ('#004488', '8 4'), 'adam': ('#666666', '2 2 8 2'), 'ngd': ('#ddaa33', ''), 'efgd': ('#bb5566', '8 3 2 3'),
    'snr': ('#009988', '2 3'), 'kfac-ngd': ('#aa7700', '12 3'), 'kfac-efgd': ('#882255', '4 4'), 'kfac-ngd-exact': ('#555555', '1 3'),
}
LAYER_COLORS = ['#004488', '#ddaa33', '#bb5566', '#009988', '#33bbee', '#ee7733']


def _nice_ticks(lo: float, hi: float, count: int = 5) -> List[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def _fmt(v: float) -> str:
    if v == 0:
        return '0'
    if abs(v) >= 1000 or abs(v) < 0.01:
        e = int(math.floor(math.log10(abs(v))))
        m = v / 10 ** e
        return f'1e{e}' if abs(m - 1) < 1e-9 else f'{m:g}e{e}'
    return f'{v:g}'


class _Panel:
    def __init__(self, x0: float, y0: float, w: float, h: float, xdom: Tuple[float, float], ydom: Tuple[float, float],
                 ylog: bool, title: str, xlabel: str, ylabel: str, clip: str) -> None:
        self.x0, self.y0, self.w, self.h, self.xdom, self.ydom, self.ylog = x0, y0, w, h, xdom, ydom, ylog
        self.title, self.xlabel, self.ylabel, self.clip = title, xlabel, ylabel, clip
        self.marks: List[str] = []

    def mx(self, v: float) -> float:
        return self.x0 + (v - self.xdom[0]) / (self.xdom[1] - self.xdom[0]) * self.w

    def my(self, v: float) -> float:
        if self.ylog:
            lo, hi = math.log10(self.ydom[0]), math.log10(self.ydom[1])
            t = (math.log10(v) - lo) / (hi - lo) if v > 0 else float('nan')
        else:
            t = (v - self.ydom[0]) / (self.ydom[1] - self.ydom[0])
        return self.y0 + self.h - t * self.h

    def line(self, xs: Sequence[float], ys: Sequence[float], color: str, dash: str, width: float = 2.0) -> None:
        runs: List[List[str]] = [[]]
        for a, b in zip(xs, ys):
            px, py = self.mx(a), self.my(b)
            if math.isfinite(px) and math.isfinite(py):
                runs[-1].append(f'{px:.2f} {py:.2f}')
            elif runs[-1]:
                runs.append([])
        d = ''.join('M' + 'L'.join(r) for r in runs if len(r) >= 2)
        if d:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ''
            self.marks.append(f'<path class="mark-line" d="{d}" fill="none" stroke="{color}" stroke-width="{width}"'
                              f'{dash_attr} stroke-linejoin="round"/>')

    def render(self) -> str:
        x0, y0, w, h = self.x0, self.y0, self.w, self.h
        parts = [f'<defs><clipPath id="{self.clip}"><rect x="{x0}" y="{y0}" width="{w}" height="{h}"/></clipPath></defs>']
        if not self.ylog and self.ydom[0] < 0 < self.ydom[1]:
            parts.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{self.my(0):.2f}" y2="{self.my(0):.2f}" stroke="#bbbbbb" stroke-width="1"/>')
        parts.append(f'<g clip-path="url(#{self.clip})">{"".join(self.marks)}</g>')
        parts.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#333333" stroke-width="1"/>')
        ticks = []
        for t in _nice_ticks(*self.xdom):
            tx = self.mx(t)
            ticks.append(f'M{tx:.2f} {y0 + h}L{tx:.2f} {y0 + h + 4}')
            parts.append(f'<text x="{tx:.2f}" y="{y0 + h + 15}" font-size="10" text-anchor="middle">{_fmt(t)}</text>')
        if self.ylog:
            lo, hi = math.floor(math.log10(self.ydom[0]) + 1e-9), math.ceil(math.log10(self.ydom[1]) - 1e-9)
            yt = [m * 10.0 ** e for e in range(lo, hi + 1) for m in ((1, 2, 5) if hi - lo <= 2 else (1,))]
            yt = [t for t in yt if self.ydom[0] * (1 - 1e-9) <= t <= self.ydom[1] * (1 + 1e-9)]
        else:
            yt = _nice_ticks(*self.ydom)
        for t in yt:
            ty = self.my(t)
            ticks.append(f'M{x0 - 4} {ty:.2f}L{x0} {ty:.2f}')
            parts.append(f'<text x="{x0 - 6}" y="{ty + 3:.2f}" font-size="10" text-anchor="end">{_fmt(t)}</text>')
        parts.append(f'<path class="axis-ticks" d="{"".join(ticks)}" stroke="#333333" stroke-width="1"/>')
        parts.append(f'<text x="{x0 + w / 2}" y="{y0 - 8}" font-size="13" font-weight="bold" text-anchor="middle">{self.title}</text>')
        parts.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 30}" font-size="11" text-anchor="middle">{self.xlabel}</text>')
        lx, ly = x0 - 44, y0 + h / 2
        parts.append(f'<text x="{lx}" y="{ly}" font-size="11" text-anchor="middle" transform="rotate(-90 {lx} {ly})">{self.ylabel}</text>')
        return '<g class="panel">' + ''.join(parts) + '</g>'


def render_svg(results: Dict[str, Any]) -> str:
    """Rows: the problems. Columns: loss vs steps, loss vs seconds, EF-vs-Fisher cosine vs steps."""
    problems = [p for p in PROBLEMS if p in results['problems']]
    W, H, GX, GY, ML, MT, LEG = 250, 170, 70, 70, 70, 50, 190
    width, height = ML + 3 * W + 2 * GX + LEG, MT + len(problems) * H + (len(problems) - 1) * GY + 50
    body: List[str] = []
    rules_seen: List[str] = []
    for r, name in enumerate(problems):
        runs = results['problems'][name]['runs']
        y0 = MT + r * (H + GY)
        losses = [v for run in runs.values() for v in run['loss'] if v > 0 and math.isfinite(v)]
        lo, hi = min(losses), max(losses)
        ydom = (10 ** (math.floor(math.log10(lo) * 2) / 2), 10 ** (math.ceil(math.log10(hi) * 2) / 2))
        steps = max(max(run['steps']) for run in runs.values())
        secs = max(max(run['seconds']) for run in runs.values())
        title = results['problems'][name]['title']
        p1 = _Panel(ML, y0, W, H, (0, steps), ydom, True, f'{title}: loss', 'step', 'full-data loss', f'c{r}a')
        p2 = _Panel(ML + W + GX, y0, W, H, (0, secs), ydom, True, f'{title}: loss vs time', 'seconds (training steps)',
                    'full-data loss', f'c{r}b')
        p3 = _Panel(ML + 2 * (W + GX), y0, W, H, (0, steps), (-0.2, 1.0), False, f'{title}: cos(EF dir., NGD dir.)', 'step',
                    'cosine', f'c{r}c')
        for rule, run in runs.items():
            color, dash = STYLES[rule]
            p1.line(run['steps'], run['loss'], color, dash)
            p2.line(run['seconds'], run['loss'], color, dash)
            if rule not in rules_seen:
                rules_seen.append(rule)
        ngd = runs.get('ngd')
        if ngd is not None and ngd['cosine']:
            for i, (block, values) in enumerate(ngd['layer_cosine'].items()):
                p3.line(ngd['cosine_step'], smooth(values, 10), LAYER_COLORS[i % len(LAYER_COLORS)], '', 1.2)
            p3.line(ngd['cosine_step'], smooth(ngd['cosine'], 10), '#000000', '', 2.5)
        body += [p1.render(), p2.render(), p3.render()]
    x0 = width - LEG + 10
    legend = [(RULES[r].label, *STYLES[r]) for r in rules_seen]
    legend.append(('', '', ''))
    legend.append(('cosine (NGD run, 10-step mean):', '', ''))
    legend.append(('whole model (daemon)', '#000000', ''))
    layers = max((len(results['problems'][p]['runs'].get('ngd', {}).get('layer_cosine', {})) for p in problems), default=0)
    legend += [(f'layer {i + 1}', LAYER_COLORS[i % len(LAYER_COLORS)], '') for i in range(layers)]
    for i, (label, color, dash) in enumerate(legend):
        y = MT + 10 + i * 20
        if color:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ''
            body.append(f'<path class="legend-line" d="M{x0} {y}L{x0 + 30} {y}" fill="none" stroke="{color}" stroke-width="2"{dash_attr}/>')
        body.append(f'<text x="{x0 + (36 if color else 0)}" y="{y + 4}" font-size="12">{label}</text>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif"><rect x="0" y="0" width="{width}" '
            f'height="{height}" fill="white"/>' + ''.join(body) + '</svg>\n')


def smooth(values: Sequence[float], window: int) -> List[float]:
    """Trailing mean over up to ``window`` values (NaN ignored)."""
    out = []
    for i in range(len(values)):
        chunk = [v for v in values[max(0, i - window + 1):i + 1] if math.isfinite(v)]
        out.append(sum(chunk) / len(chunk) if chunk else float('nan'))
    return out


# ---- the doc's table -------------------------------------------------------------------------------------

BEGIN, END = '<!-- networks-table: begin (train_networks.py --render) -->', '<!-- networks-table: end -->'


def render_table(results: Dict[str, Any]) -> str:
    lines = ['| problem | rule | γ | λ | loss at step 0 | final loss | final accuracy | s for all steps | ms / step | '
             'mean cosine (whole model) |', '|' + ' --- |' * 10]
    for name, problem in results['problems'].items():
        for rule, run in problem['runs'].items():
            steps = run['steps'][-1]
            cos = [c for c in run['cosine'] if math.isfinite(c)]
            damping = '—' if run['damping'] is None else format(run['damping'], 'g')
            lines.append(f"| {name} | {run['label']} | {run['lr']:g} | {damping} | "
                         f"{run['loss'][0]:.3f} | {run['loss'][-1]:.4f} | {100 * run['accuracy'][-1]:.1f}% | "
                         f"{run['seconds'][-1]:.2f} | {1000 * run['seconds'][-1] / steps:.1f} | "
                         f"{(f'{sum(cos) / len(cos):.3f}' if cos else '—')} |")
    skipped = results.get('skipped', {})
    for rule, why in skipped.items():
        lines.append(f'| — | {RULES[rule].label} | | | | | | | | not run: {why} |')
    return '\n'.join(lines)


def update_doc(results: Dict[str, Any], path: Path = OUT_DOC) -> str:
    text = path.read_text()
    start, end = text.index(BEGIN), text.index(END)
    return text[:start + len(BEGIN)] + '\n' + render_table(results) + '\n' + text[end:]


def render(results: Dict[str, Any]) -> None:
    OUT_SVG.write_text(render_svg(results))
    OUT_DOC.write_text(update_doc(results))


# ---- main ------------------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--url', help='a running fisherd (default: start one with dist/src/cli/main.js)')
    parser.add_argument('--token', help='bearer token of the daemon at --url')
    parser.add_argument('--problems', default=','.join(PROBLEMS), help='comma-separated subset of digits,a1a')
    parser.add_argument('--rules', default=','.join(DIAGONAL_RULES), help=f'comma-separated subset of {",".join(RULES)}')
    parser.add_argument('--kfac', action='store_true', help='also run kfac-ngd and kfac-efgd (skipped with the reason when unavailable)')
    parser.add_argument('--steps', type=int, default=300, help='steps per run (default 300)')
    parser.add_argument('--batch-size', type=int, default=64, help='minibatch size (default 64)')
    parser.add_argument('--every', type=int, default=10, help='evaluate the full-data loss every this many steps (default 10)')
    parser.add_argument('--seed', type=int, default=0, help='seed of θ₀, minibatches and sampled labels (default 0)')
    parser.add_argument('--lr', type=float, help='override γ of every rule run (grid search)')
    parser.add_argument('--damping', type=float, help='override λ of every fisherd rule run (grid search)')
    parser.add_argument('--threads', type=int, default=1, help='torch threads (default 1: the daemon has the other core)')
    parser.add_argument('--json', type=Path, default=OUT_JSON, help='where the runs go (default docs/networks/runs.json)')
    parser.add_argument('--no-write', action='store_true', help='print only (grid search)')
    parser.add_argument('--render', action='store_true', help='only draw the SVG and the doc table from --json')
    args = parser.parse_args(argv)
    if args.render:
        render(json.loads(args.json.read_text()))
        print(f'wrote {OUT_SVG.relative_to(ROOT)} and the table of {OUT_DOC.relative_to(ROOT)}')
        return 0
    torch.set_num_threads(args.threads)
    rules = args.rules.split(',') + (KFAC_RULES if args.kfac else [])
    problems = args.problems.split(',')
    for name in rules:
        if name not in RULES:
            parser.error(f'unknown rule {name!r}')
    for name in problems:
        if name not in PROBLEMS:
            parser.error(f'unknown problem {name!r}')

    daemon = None if args.url else LocalDaemon(['--backend', 'auto']).start()
    url = args.url or daemon.url  # type: ignore[union-attr]
    results: Dict[str, Any] = {'command': 'train_networks.py ' + ' '.join(argv if argv is not None else sys.argv[1:]),
                               'steps': args.steps, 'batch_size': args.batch_size, 'seed': args.seed,
                               'torch': torch.__version__, 'threads': args.threads, 'problems': {}, 'skipped': {}}
    try:
        with Client.connect(url, token=args.token, client_name='train_networks.py') as client:
            results['fisherd'] = client.server.server_version
            results['backend'] = client.server.backend
            for name in problems:
                problem = PROBLEMS[name]
                data = problem.load()
                torch.manual_seed(args.seed)
                dim = sum(p.numel() for p in problem.model().parameters())
                entry = results['problems'][name] = {'title': problem.title, 'examples': int(data[0].shape[0]), 'dim': dim, 'runs': {}}
                print(f'{problem.title}: N = {entry["examples"]}, D = {dim}, b = {args.batch_size}, {args.steps} steps')
                for rule in rules:
                    lr, damping = HYPER[name][rule]
                    lr = args.lr if args.lr is not None else lr
                    damping = (args.damping if args.damping is not None else damping) if RULES[rule].kind == 'fisherd' else None
                    try:
                        run_out = run(name, rule, client if RULES[rule].kind == 'fisherd' else None, data, args, lr, damping)
                    except (ImportError, FisherdError) as e:
                        if not RULES[rule].kronecker:
                            raise
                        why = ('the client has no KroneckerSender' if isinstance(e, ImportError)
                               else f'the daemon refused kronecker blocks ({e.code})')
                        results['skipped'][rule] = why
                        print(f'  {rule:9s} skipped: {why}')
                        continue
                    entry['runs'][rule] = run_out
                    cos = [c for c in run_out['cosine'] if math.isfinite(c)]
                    check = ''
                    if run_out['cosine_client']:
                        diff = max(abs(a - b) for a, b in zip(run_out['cosine'], run_out['cosine_client']))
                        check = f', |daemon − client| cosine ≤ {diff:.1e}'
                    print(f"  {rule:9s} γ={lr:<6g} loss {run_out['loss'][0]:.3f} → {run_out['loss'][-1]:.4f}, "
                          f"acc {100 * run_out['accuracy'][-1]:.1f}%, {run_out['seconds'][-1]:.2f} s"
                          + (f', mean cosine {sum(cos) / len(cos):.3f}{check}' if cos else ''))
    finally:
        if daemon is not None:
            daemon.stop()
    if not args.no_write:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, allow_nan=True) + '\n')
        if OUT_DOC.exists():
            render(results)
        else:
            OUT_SVG.write_text(render_svg(results))
        print(f'wrote {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
