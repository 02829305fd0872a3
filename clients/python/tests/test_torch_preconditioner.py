"""The hook-based Preconditioner against explicit per-example gradients, and against the daemon.

References (float64, computed here): example n's gradient r_n = ∇_θ (ℓ_n / b) (the mean-reduced loss's
share of example n) by one backward pass per example through the batch's own graph (so dropout masks and
BatchNorm statistics are those of the batch), and, for models without dropout and with BatchNorm in eval
mode, by a forward and backward of the example alone. Hook statistics must equal the moments of those
rows to 1e-10 (relative). For a layer *before* a BatchNorm in training mode the hooks' per-example
quantity is the gradient with respect to a per-example copy of the layer's weight (the batch gradient's
share of example n), computed here by running that layer with b weight copies.
"""
from __future__ import annotations

import io
import logging
import time
from typing import Dict, List, Sequence

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fisherd_client import Client, FisherdError, LocalDaemon, Optimizer, Reconnect, SessionConfig, StepInput, Track  # noqa: E402
from fisherd_client.statistics import diagonal_moments_from_rows  # noqa: E402
from fisherd_client.torch import Categorical, FisherdOptimizer, Preconditioner  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402

ALL_SUMS = dict(optimizer=Optimizer('va', step_size=1.0, damping=1e-3), track=Track(empirical_fisher=True, fisher=True))
RTOL = 1e-10



def rows_through_graph(losses: torch.Tensor, params: Sequence[torch.Tensor], scale: float) -> List[torch.Tensor]:
    """(b, numel) per parameter: ∇(scale · losses[n]) by one backward per example (graph kept)."""
    out: List[List[torch.Tensor]] = [[] for _ in params]
    for n in range(losses.shape[0]):
        grads = torch.autograd.grad(scale * losses[n], list(params), retain_graph=True, allow_unused=True)
        for i, (g, p) in enumerate(zip(grads, params)):
            out[i].append(torch.zeros(p.numel(), dtype=torch.float64) if g is None else g.reshape(-1))
    return [torch.stack(r) for r in out]


def block_rows(pre: Preconditioner, model: nn.Module, rows: List[torch.Tensor]) -> Dict[str, torch.Tensor]:
    by_param = {id(p): r for p, r in zip(model.parameters(), rows)}
    return {pre._block_name(h): torch.cat([by_param[id(p)] for _, p in h.params], dim=1) for h in pre.handlers}


def assert_moments(pre: Preconditioner, expected_rows: Dict[str, torch.Tensor], sampled: Dict[str, torch.Tensor] = None, skip=()) -> None:
    stats = {layer.block: layer.moments for layer in pre.statistics()}
    assert set(stats) == set(expected_rows)
    for name, rows in expected_rows.items():
        if name in skip:
            continue
        ref = diagonal_moments_from_rows(rows.numpy(), sampled=None if sampled is None else sampled[name].numpy())
        got = stats[name]
        assert got.count == rows.shape[0]
        for field in ('sum', 'sum_squares', 'centred_squares') + (('sampled_label_squares',) if sampled is not None else ()):
            want = getattr(ref, field)
            np.testing.assert_allclose(getattr(got, field).cpu().numpy(), want, rtol=RTOL, atol=RTOL * np.abs(want).max(),
                                       err_msg=f'{name}.{field}')


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Dropout(0.3), nn.Linear(7, 3)).double()


def cnn() -> nn.Module:
    torch.manual_seed(1)
    return nn.Sequential(
        nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Conv2d(3, 4, 2, dilation=1),
        nn.Flatten(), nn.Linear(4 * 3 * 3, 3)).double()


class Tokens(nn.Module):
    """Embedding → LayerNorm → Linear on every token (weight sharing over T) → mean over T → Linear."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(2)
        self.embed = nn.Embedding(10, 4, padding_idx=0)
        self.norm = nn.LayerNorm(4)
        self.token = nn.Linear(4, 5)
        self.head = nn.Linear(5, 3)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.head(torch.tanh(self.token(self.norm(self.embed(idx)))).mean(dim=1))


def sampled_rows(pre: Preconditioner, model: nn.Module, f: torch.Tensor, seed: int, k: int, b: int) -> Dict[str, torch.Tensor]:
    """(b, K, size) per block: per-example gradients of −log p(ỹ_{n,k} | f_n) for the labels the
    preconditioner drew (the same generator seed), scaled as a mean-reduced loss holds them (1/b)."""
    labels = Categorical().sample(f.detach(), k, torch.Generator().manual_seed(seed))
    per_k = []
    for j in range(k):
        losses = F.cross_entropy(f, labels[:, j], reduction='none')
        per_k.append(block_rows(pre, model, rows_through_graph(losses, list(model.parameters()), 1.0 / b)))
    return {name: torch.stack([r[name] for r in per_k], dim=1) for name in per_k[0]}


@pytest.mark.parametrize('train', [True, False])
def test_mlp_with_dropout_statistics_equal_per_example_gradients(daemon: LocalDaemon, train: bool) -> None:
    model = mlp()
    model.train(train)
    x = torch.randn(6, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    with preconditioner(model, daemon.url, likelihood='cross_entropy', samples=2, record_eval=True,
                        generator=torch.Generator().manual_seed(9), **ALL_SUMS) as pre:
        f = model(x)
        losses = F.cross_entropy(f, y, reduction='none')
        with pre.paused():
            rows = block_rows(pre, model, rows_through_graph(losses, list(model.parameters()), 1 / 6))
            sampled = sampled_rows(pre, model, f, 9, 2, 6)
        losses.mean().backward()
        if not train:  # a second, independent reference: each example alone
            alone = []
            with pre.paused():
                for n in range(6):
                    g = torch.autograd.grad(F.cross_entropy(model(x[n:n + 1]), y[n:n + 1]) / 6, list(model.parameters()))
                    alone.append([t.reshape(-1) for t in g])
            alone_rows = block_rows(pre, model, [torch.stack([a[i] for a in alone]) for i in range(4)])
            for name in rows:
                torch.testing.assert_close(alone_rows[name], rows[name], rtol=RTOL, atol=1e-14)
        assert_moments(pre, rows, sampled)
        # The batch gradient is the sum (p.grad is untouched by the sampled backward).
        stats = {layer.block: layer.moments for layer in pre.statistics()}
        torch.testing.assert_close(stats['3'].sum[:21], model[3].weight.grad.reshape(-1), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize('one_example_chunks', [False, True])
def test_cnn_with_batchnorm_in_eval_equals_per_example_gradients(daemon: LocalDaemon, one_example_chunks: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """(With ``one_example_chunks`` the convolutions' per-example gradients are formed one example at a
    time: the chunks' sums add.)"""
    if one_example_chunks:
        from fisherd_client import _torch_hooks
        monkeypatch.setattr(_torch_hooks, 'CHUNK_ELEMENTS', 1)
    model = cnn()
    model.eval()
    x = torch.randn(5, 2, 7, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    y = torch.tensor([0, 1, 2, 1, 0])
    with preconditioner(model, daemon.url, likelihood='cross_entropy', record_eval=True, generator=torch.Generator().manual_seed(1), **ALL_SUMS) as pre:
        f = model(x)
        losses = F.cross_entropy(f, y, reduction='none')
        with pre.paused():
            rows = block_rows(pre, model, rows_through_graph(losses, list(model.parameters()), 1 / 5))
            sampled = sampled_rows(pre, model, f, 1, 1, 5)
            alone = [torch.autograd.grad(F.cross_entropy(model(x[n:n + 1]), y[n:n + 1]) / 5, list(model.parameters())) for n in range(5)]
        losses.mean().backward()
        alone_rows = block_rows(pre, model, [torch.stack([a[i].reshape(-1) for a in alone]) for i in range(len(alone[0]))])
        for name in rows:
            torch.testing.assert_close(alone_rows[name], rows[name], rtol=RTOL, atol=1e-14)
        assert_moments(pre, rows, sampled)


def test_cnn_with_batchnorm_in_training(daemon: LocalDaemon) -> None:
    """Layers after the BatchNorm (and its own γ, β): exact per-example gradients. The first convolution:
    the gradient with respect to a per-example copy of its weight."""
    model = cnn()
    model.train()
    x = torch.randn(5, 2, 7, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(4))
    y = torch.tensor([0, 1, 2, 1, 0])
    conv = model[0]
    with preconditioner(model, daemon.url, likelihood='cross_entropy', generator=torch.Generator().manual_seed(4), **ALL_SUMS) as pre:
        f = model(x)
        losses = F.cross_entropy(f, y, reduction='none')
        with pre.paused():
            rows = block_rows(pre, model, rows_through_graph(losses, list(model.parameters()), 1 / 5))
            sampled = sampled_rows(pre, model, f, 4, 1, 5)
        losses.mean().backward()
        # Per-example weight copies of the first convolution (batch statistics in training mode; the
        # running statistics do not enter the output).
        with pre.paused():
            w = conv.weight.detach().unsqueeze(0).repeat(5, 1, 1, 1, 1).requires_grad_()
            c = conv.bias.detach().unsqueeze(0).repeat(5, 1).requires_grad_()
            z = torch.cat([F.conv2d(x[n:n + 1], w[n], c[n], stride=2, padding=1) for n in range(5)])
            f_copy = model[1:](z)
            gw, gc = torch.autograd.grad(F.cross_entropy(f_copy, y), [w, c], retain_graph=True)
            gw_s, gc_s = torch.autograd.grad(F.cross_entropy(f_copy, Categorical().sample(f.detach(), 1, torch.Generator().manual_seed(4))[:, 0]), [w, c])
        sampled['0'] = torch.cat([gw_s.reshape(5, -1), gc_s], dim=1).unsqueeze(1)
        rows['0'] = torch.cat([gw.reshape(5, -1), gc], dim=1)
        assert_moments(pre, rows, sampled)
        stats = {layer.block: layer.moments for layer in pre.statistics()}
        torch.testing.assert_close(stats['0'].sum[:54], conv.weight.grad.reshape(-1), rtol=RTOL, atol=1e-14)


def test_embedding_layernorm_and_shared_linear_over_tokens(daemon: LocalDaemon) -> None:
    model = Tokens().double()
    idx = torch.tensor([[1, 2, 2, 0], [3, 3, 3, 3], [0, 0, 5, 9]])  # repeats and padding
    y = torch.tensor([0, 2, 1])
    with preconditioner(model, daemon.url, likelihood='cross_entropy', samples=3, generator=torch.Generator().manual_seed(2), **ALL_SUMS) as pre:
        f = model(idx)
        losses = F.cross_entropy(f, y, reduction='none')
        with pre.paused():
            rows = block_rows(pre, model, rows_through_graph(losses, list(model.parameters()), 1 / 3))
            sampled = sampled_rows(pre, model, f, 2, 3, 3)
        losses.mean().backward()
        assert [pre._block_name(h) for h in pre.handlers] == ['embed', 'norm', 'token', 'head']
        assert_moments(pre, rows, sampled)


def test_no_grad_and_eval_passes_are_not_recorded_and_micro_batches_add(daemon: LocalDaemon) -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2)).double()
    x = torch.randn(8, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    y = torch.tensor([0, 1] * 4)
    with preconditioner(model, daemon.url, optimizer=Optimizer('snr', step_size=1.0), track=Track(empirical_fisher=True)) as pre:
        F.cross_entropy(model(x), y).backward()
        whole = {layer.block: layer.moments for layer in pre.statistics()}
        pre.zero_statistics()
        model.zero_grad()
        for half in (slice(0, 3), slice(3, 8)):  # unequal micro-batches, loss summed and divided by b = 8
            (F.cross_entropy(model(x[half]), y[half], reduction='sum') / 8).backward()
            with torch.no_grad():
                model(x)  # an evaluation pass in between
            model.eval()
            model(x).sum()  # an eval-mode pass with gradients enabled: not recorded either
            model.train()
        parts = {layer.block: layer.moments for layer in pre.statistics()}
        for name in whole:
            assert parts[name].count == 8
            for field in ('sum', 'sum_squares', 'centred_squares'):
                torch.testing.assert_close(getattr(parts[name], field), getattr(whole[name], field), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize('kernel,dilation,padding,stride', [
    ((3, 3), (1, 1), (1, 1), (1, 1)), ((2, 3), (1, 2), (0, 2), (2, 1)), ((3, 1), (2, 1), (2, 0), (1, 3)), ((1, 1), (1, 1), (0, 0), (2, 2)),
    ((4, 4), (1, 1), (3, 1), (3, 2))])
def test_unfold_equals_torch_unfold(kernel, dilation, padding, stride) -> None:  # type: ignore[no-untyped-def]
    """The hooks' strided-window patches are F.unfold's exactly (kernels, dilations, paddings, strides),
    held as (C·k_h·k_w, b, R) in memory."""
    from fisherd_client._torch_hooks import unfold
    x = torch.randn(3, 2, 9, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(7))
    want = F.unfold(x, kernel, dilation=dilation, padding=padding, stride=stride)
    got = unfold(x, kernel, dilation, padding, stride)
    assert got.transpose(0, 1).is_contiguous() and torch.equal(got, want)


class FixedLabels(Categorical):
    """Categorical with labels that depend on the example's logits only ((argmax + k) mod C): a batch and
    its micro-batches draw the same labels."""

    def sample(self, f: torch.Tensor, k: int, generator: object) -> torch.Tensor:
        top = f.argmax(dim=1, keepdim=True)
        return (top + torch.arange(k).unsqueeze(0)) % f.shape[1]


@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_micro_batches_add_every_field_including_the_sampled_squares(daemon: LocalDaemon, reduction: str) -> None:
    """Unequal micro-batches (3, then 5 examples; K = 2 labels each) against the whole batch of 8 for a
    convolution (R > 1: per-example chunks) and a Linear: Σ r, Σ r∘r, the centred sums (Chan's merge) and
    the sampled-label squares (rescaled from 1/3², 1/5² to 1/8² for 'mean') and the K-FAC sums, to 1e-10
    relative; statistics and factors handed out before the second micro-batch stay as they were."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4 * 4, 3)).double()
    x = torch.randn(8, 2, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    divide = 8.0 if reduction == 'mean' else 1.0
    with preconditioner(model, daemon.url, likelihood=FixedLabels(), samples=2, reduction=reduction, kronecker=True, **ALL_SUMS) as pre:
        (F.cross_entropy(model(x), y, reduction='sum') / divide).backward()
        whole = {layer.block: layer.moments for layer in pre.statistics()}
        whole_factors = pre.kronecker_factors()
        pre.zero_statistics()
        model.zero_grad()
        (F.cross_entropy(model(x[:3]), y[:3], reduction='sum') / divide).backward()
        early = {layer.block: layer.moments for layer in pre.statistics()}
        kept = {name: {f: getattr(m, f).clone() for f in ('sum', 'sampled_label_squares')} for name, m in early.items()}
        early_factors = pre.kronecker_factors()
        kept_factors = {name: f['input_sum'].clone() for name, f in early_factors.items()}
        (F.cross_entropy(model(x[3:]), y[3:], reduction='sum') / divide).backward()
        parts = {layer.block: layer.moments for layer in pre.statistics()}
        parts_factors = pre.kronecker_factors()
        assert set(parts_factors) == set(whole_factors) == {'0', '3'}
        for name, factors in whole_factors.items():
            assert set(parts_factors[name]) == set(factors)
            for key, want in factors.items():
                if isinstance(want, torch.Tensor):
                    torch.testing.assert_close(parts_factors[name][key], want, rtol=1e-10, atol=1e-10 * float(want.abs().max()))
                else:
                    assert parts_factors[name][key] == want, (name, key)
            assert torch.equal(early_factors[name]['input_sum'], kept_factors[name])
        for name in whole:
            assert parts[name].count == 8 and parts[name].samples_per_example == 2
            for field in ('sum', 'sum_squares', 'centred_squares', 'sampled_label_squares'):
                want = getattr(whole[name], field)
                assert float(want.abs().max()) > 0, (name, field)
                torch.testing.assert_close(getattr(parts[name], field), want, rtol=1e-10, atol=1e-10 * float(want.abs().max()))
            for field, value in kept[name].items():
                assert torch.equal(getattr(early[name], field), value), (name, field)


def test_step_writes_the_daemons_update_into_grad(daemon: LocalDaemon) -> None:
    """efgd, diagonal, no EMA: Δθ = −γ ḡ/(diag Ẽ + λ), with ḡ and Ẽ from per-example rows here."""
    model = mlp()
    model.eval()
    x = torch.randn(6, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    y = torch.tensor([0, 1, 2, 2, 1, 0])
    gamma, lam = 0.5, 1e-2
    with preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=gamma, damping=lam), record_eval=True) as pre:
        f = model(x)
        losses = F.cross_entropy(f, y, reduction='none')
        with pre.paused():
            g = torch.cat(rows_through_graph(losses, list(model.parameters()), 1.0), dim=1)  # per-example scale
        losses.mean().backward()
        update = pre.step()
        assert update is not None and update.step == 1
        expected = -gamma * g.mean(0) / ((g * g).mean(0) + lam)
        got = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
        torch.testing.assert_close(got, -torch.from_numpy(update.delta).double(), rtol=0, atol=0)
        torch.testing.assert_close(-got, expected, rtol=2e-6, atol=1e-7)


def test_two_line_integration_with_own_loss_sgd_and_scheduler(daemon: LocalDaemon) -> None:
    """A plain loop: the user's loss (label smoothing), torch SGD with momentum 0 and a StepLR schedule,
    no_grad evaluation passes. NGD with sampled labels; the parameters move by −lr_t · p.grad and the
    training loss falls."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    data_gen = torch.Generator().manual_seed(0)
    x = torch.randn(256, 2, generator=data_gen)
    y = (x[:, 0] * x[:, 1] > 0).long()
    criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
    pre = Preconditioner(model, daemon.url, likelihood='cross_entropy', ema_decay=0.9)  # default: ngd, γ = 1, λ = 1e-2
    try:
        with torch.no_grad():
            first = criterion(model(x), y).item()
        for t in range(30):
            batch = torch.randint(0, 256, (32,), generator=data_gen)
            optimizer.zero_grad()
            loss = criterion(model(x[batch]), y[batch])
            loss.backward()
            pre.step()
            before = [p.detach().clone() for p in model.parameters()]
            lr = optimizer.param_groups[0]['lr']
            optimizer.step()
            scheduler.step()
            for p, old in zip(model.parameters(), before):
                torch.testing.assert_close(p.detach(), old - lr * p.grad, rtol=0, atol=1e-7)
            with torch.no_grad():
                last = criterion(model(x), y).item()
        assert pre.last_update is not None and pre.last_update.step == 30
        assert last < 0.8 * first, (first, last)
    finally:
        pre.close(discard=True)


def _train(opt: FisherdOptimizer, model: nn.Module, steps: range) -> List[torch.Tensor]:
    gen = torch.Generator().manual_seed(100)
    xs = torch.randn(10, 8, 3, dtype=torch.float64, generator=gen)
    ys = torch.randint(0, 2, (10, 8), generator=gen)
    out = []
    for t in steps:
        opt.zero_grad()
        F.cross_entropy(model(xs[t]), ys[t]).backward()
        opt.step()
        out.append(torch.cat([p.detach().reshape(-1).clone() for p in model.parameters()]))
    return out


def _small(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()


def test_state_dict_round_trip_resumes_the_session(daemon: LocalDaemon) -> None:
    options = dict(optimizer=Optimizer('efgd', step_size=0.3, damping=1e-2, momentum=0.5), ema_decay=0.9)
    model = _small()
    opt = FisherdOptimizer(model, daemon.url, lr=1.0, **options)
    expected = _train(opt, model, range(0, 5))
    opt.close(discard=True)

    model = _small()
    opt = FisherdOptimizer(model, daemon.url, lr=1.0, **options)
    _train(opt, model, range(0, 3))
    buffer = io.BytesIO()
    torch.save({'model': model.state_dict(), 'optimizer': opt.state_dict()}, buffer)
    saved_session = opt.preconditioner.session_id
    assert opt.state_dict()['fisherd'] == {'session_id': saved_session, 'last_step': 3, 'url': daemon.url}
    opt.close()  # the session stays resumable

    buffer.seek(0)
    checkpoint = torch.load(buffer)
    model = _small(seed=7)
    model.load_state_dict(checkpoint['model'])
    opt = FisherdOptimizer(model, daemon.url, lr=1.0, **options)
    opt.load_state_dict(checkpoint['optimizer'])
    assert opt.preconditioner.session_id == saved_session
    resumed = _train(opt, model, range(3, 5))
    for got, want in zip(resumed, expected[3:]):
        torch.testing.assert_close(got, want, rtol=0, atol=0)
    opt.close(discard=True)


def _loop(pre: Preconditioner, model: nn.Module, steps: int, on_step=lambda t: None) -> List[object]:
    gen = torch.Generator().manual_seed(3)
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    updates = []
    for t in range(steps):
        on_step(t)
        sgd.zero_grad()
        F.cross_entropy(model(torch.randn(8, 3, dtype=torch.float64, generator=gen)), torch.randint(0, 2, (8,), generator=gen)).backward()
        updates.append(pre.step())
        sgd.step()
    return updates


def test_kill_9_mid_training_does_not_stop_the_loop(start_daemon, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    first = start_daemon(['--checkpoint-every', '2'], data_dir=str(tmp_path))
    model = _small()
    pre = Preconditioner(model, first.url, optimizer=Optimizer('efgd', step_size=1.0, damping=1e-2),
                         reconnect=Reconnect(retries=3, min_delay=0.05, max_delay=0.2))
    daemons = [first]

    seen_inodes = set()

    def checkpoint_on_disk() -> None:
        """Waits for a checkpoint file newer than the ones seen (written to a temporary file, renamed)."""
        path = tmp_path / 'sessions' / f'{pre.session_id}.ckpt'
        deadline = time.monotonic() + 10
        while not path.exists() or path.stat().st_ino in seen_inodes:
            assert time.monotonic() < deadline, 'no new checkpoint'
            time.sleep(0.02)
        seen_inodes.add(path.stat().st_ino)

    def chaos(t: int) -> None:
        if t == 3:  # kill -9 after step 3 (checkpoint of step 2) and restart on the same port: a resume gap
            checkpoint_on_disk()
            daemons[-1].kill()
            daemons.append(start_daemon(['--checkpoint-every', '2'], data_dir=str(tmp_path), port=first.port))
        if t == 6:  # kill -9 after step 5 (checkpoint of step 4) and no daemon for two steps
            checkpoint_on_disk()
            daemons[-1].kill()
        if t == 8:
            daemons.append(start_daemon(['--checkpoint-every', '2'], data_dir=str(tmp_path), port=first.port))

    with caplog.at_level(logging.WARNING, logger='fisherd_client.torch'):
        updates = _loop(pre, model, 11, chaos)
    try:
        # Steps 1-3; the 4th goes out again as step 3 after the restart from step 2's checkpoint; two steps
        # without a daemon keep the user's gradient (None); then the session resumes at step 4's checkpoint.
        assert [None if u is None else u.step for u in updates] == [1, 2, 3, 3, 4, 5, None, None, 5, 6, 7]
        assert pre.counters.resume_gaps == 2 and pre.counters.fallback_steps == 2
        # After the second kill the client's own retries run out (no daemon for two steps): the preconditioner
        # reconnects. After the first, the restarted daemon may be up within the client's own retries (not
        # counted here) or not, depending on how fast it starts: one or two.
        assert 1 <= pre.counters.reconnects <= 2
        assert pre.counters.new_sessions == 0
        assert sum('before this step' in r.getMessage() for r in caplog.records) == 1  # the gap is logged once
        assert all(torch.isfinite(p).all() for p in model.parameters())
    finally:
        pre.close(discard=True)


def test_strict_mode_raises(start_daemon, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = start_daemon([], data_dir=str(tmp_path))
    model = _small()
    pre = Preconditioner(model, first.url, optimizer=Optimizer('sgd', step_size=1.0), strict=True,
                         reconnect=Reconnect(retries=2, min_delay=0.05, max_delay=0.1))

    def kill(t: int) -> None:
        if t == 2:
            first.kill()

    with pytest.raises(FisherdError) as e:
        _loop(pre, model, 4, kill)
    assert e.value.code == 'CONNECTION_CLOSED'
    for handle in pre._handles:
        handle.remove()


def test_kronecker_factors_follow_math_md(daemon: LocalDaemon) -> None:
    """b = 1 on a Linear: Ĝ ⊗ Â = g gᵀ exactly (math.md, output factor outside). A convolution: the
    expand convention, A = Σ_{n,r} ā āᵀ over unfolded patches (count b·R), G = Σ_{n,r} e eᵀ (count b) at
    the per-example loss's scale (a mean-reduced loss's e times b)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    x = torch.randn(1, 3, dtype=torch.float64)
    with preconditioner(model, daemon.url, optimizer=Optimizer('sgd', step_size=1.0), kronecker=True) as pre:
        F.cross_entropy(model(x), torch.tensor([1])).backward()
        factors = pre.kronecker_factors()
        for name, layer in (('0', model[0]), ('2', model[2])):
            f = factors[name]
            assert (f['input_count'], f['output_grad_count']) == (1, 1)
            g = torch.cat([layer.weight.grad, layer.bias.grad[:, None]], dim=1).reshape(-1)  # row-major [W | c]
            kron = torch.kron(f['output_grad_sum'] / f['output_grad_count'], f['input_sum'] / f['input_count'])
            torch.testing.assert_close(kron, torch.outer(g, g), rtol=1e-12, atol=1e-15)

    torch.manual_seed(1)
    conv = nn.Conv2d(2, 3, 3, padding=1).double()
    model = nn.Sequential(conv, nn.Flatten(), nn.Linear(3 * 4 * 4, 2)).double()
    x = torch.randn(4, 2, 4, 4, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0])
    with preconditioner(model, daemon.url, optimizer=Optimizer('sgd', step_size=1.0), kronecker=True) as pre:
        zs = []
        handle = conv.register_forward_hook(lambda m, i, out: zs.append(out) or out.retain_grad())
        F.cross_entropy(model(x), y).backward()
        handle.remove()
        z = zs[0]
        f = pre.kronecker_factors()['0']
        patches = F.unfold(x, 3, padding=1).transpose(1, 2).reshape(-1, 18)
        a = torch.cat([patches, torch.ones(patches.shape[0], 1, dtype=torch.float64)], dim=1)
        e = 4 * z.grad.permute(0, 2, 3, 1).reshape(-1, 3)  # per-example scale: b · ∂(mean loss)/∂z
        assert (f['input_count'], f['output_grad_count']) == (4 * 16, 4)
        torch.testing.assert_close(f['input_sum'], a.T @ a, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(f['output_grad_sum'], e.T @ e, rtol=1e-12, atol=1e-15)


def test_unsupported_parameters_keep_their_gradient_with_one_warning(daemon: LocalDaemon) -> None:
    class Scaled(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.linear = nn.Linear(3, 2)
            self.scale = nn.Parameter(torch.tensor(2.0))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.scale * self.linear(x)

    torch.manual_seed(0)
    model = Scaled().double()
    with pytest.warns(UserWarning, match=r'1 parameter\(s\) .* scale'):
        pre = Preconditioner(model, daemon.url, optimizer=Optimizer('efgd', step_size=1.0, damping=0.1))
    try:
        assert pre.config.dim == 8 and [b.name for b in pre.blocks] == ['linear']
        x = torch.randn(5, 3, dtype=torch.float64)
        F.cross_entropy(model(x), torch.tensor([0, 1, 0, 1, 1])).backward()
        own = model.scale.grad.clone()
        update = pre.step()
        assert update is not None and update.delta.shape == (8,)
        assert torch.equal(model.scale.grad, own)
        torch.testing.assert_close(model.linear.bias.grad, -torch.from_numpy(update.blocks['linear'][6:]).double())
    finally:
        pre.close(discard=True)


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA device')
def test_statistics_on_the_gpu_equal_the_cpu(daemon: LocalDaemon) -> None:
    """The hooks compute on the model's device; the numbers are the CPU's (float64 on both)."""
    results = []
    for device in ('cpu', 'cuda'):
        model = cnn().to(device)
        x = torch.randn(5, 2, 7, 7, dtype=torch.float64, generator=torch.Generator().manual_seed(4)).to(device)
        with preconditioner(model, daemon.url, **ALL_SUMS, likelihood='cross_entropy', generator=None) as pre:
            torch.manual_seed(0)
            F.cross_entropy(model(x), torch.tensor([0, 1, 2, 1, 0], device=device)).backward()
            stats = pre.statistics()
            assert all(layer.moments.sum.device.type == device for layer in stats)
            results.append({layer.block: layer.moments.sum_squares.cpu() for layer in stats})
    for name in results[0]:
        torch.testing.assert_close(results[1][name], results[0][name], rtol=1e-10, atol=1e-14)
