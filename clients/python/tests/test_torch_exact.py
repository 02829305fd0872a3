"""The exact ("type-2") Fisher of the Preconditioner (``fisher_source='exact'``) against explicit Jacobians.

The reference follows math.md's definition without the hooks and without the square root the client
uses: F = Σ_n J_nᵀ H_n J_n (dense, D × D) with J_n = ∂f_n/∂θ (one backward per example and output) and
H_n = ∂²ℓ_n/∂f_n² from ``torch.autograd.functional.hessian`` of torch's own per-example loss
(cross-entropy; binary cross-entropy with logits; nn.MSELoss per example, (1/d)‖f − y‖²; the Gaussian
½‖f − y‖²). Then
* diagonal blocks: ``factor_squares`` = diag(F)/b for reduction 'mean' (factor rows u/√b, math.md's
  table) and diag(F) for 'sum', to 1e-10 relative (float64 throughout);
* Kronecker factors: the exact G of a layer = Σ_n Σ_r J_{n,r}ᵀ H_n J_{n,r} with J_{n,r} = ∂f_n/∂z_{n,r}
  (z the layer's output at position r: K-FAC-expand), count b; at b = 1 without weight sharing
  Ĝ ⊗ Â equals the layer's dense block of F, in the block's layout;
* against the daemon (reference backend): Δθ = −γ ḡ/(diag F/b + λ) for diagonal blocks and
  −γ (Ĝ⊗Â + λI)⁻¹ ḡ for Kronecker blocks, each step of a training loop, to 2e-6 relative (Δθ and the
  statistics travel as float32), and p.grad = −Δθ bit for bit.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from fisherd_client import LocalDaemon, Optimizer, Track  # noqa: E402
from fisherd_client.torch import Gaussian, KroneckerSender, Likelihood, Preconditioner  # noqa: E402
from fisherd_client._torch_exact import MAX_EXACT_OUTPUTS  # noqa: E402
from torch_sessions import preconditioner  # noqa: E402

RTOL = 1e-10

# case → (the Preconditioner's likelihood, outputs per example, labels for b examples, torch's per-example loss)
LOSSES = {
    'cross_entropy': ('cross_entropy', 3, lambda b, g: torch.randint(0, 3, (b,), generator=g),
                      lambda f, y: F.cross_entropy(f, y, reduction='none')),
    'bce_with_logits': ('bce_with_logits', 2, lambda b, g: torch.randint(0, 2, (b, 2), generator=g).double(),
                        lambda f, y: F.binary_cross_entropy_with_logits(f, y, reduction='none').sum(dim=1)),
    'mse': ('mse', 3, lambda b, g: torch.randn(b, 3, generator=g, dtype=torch.float64),  # σ² = d/2 = 1.5
            lambda f, y: F.mse_loss(f, y, reduction='none').mean(dim=1)),
    'gaussian': ('gaussian', 2, lambda b, g: torch.randn(b, 2, generator=g, dtype=torch.float64),
                 lambda f, y: 0.5 * ((f - y) ** 2).sum(dim=1)),
    'gaussian_0.25': (Gaussian(0.25), 2, lambda b, g: torch.randn(b, 2, generator=g, dtype=torch.float64),
                      lambda f, y: 0.5 * ((f - y) ** 2).sum(dim=1) / 0.25),
}


class Net(nn.Module):
    """Two convolutions (R = 16 and 4 output positions), a Linear, a LayerNorm (diagonal beside them) and
    a Linear head with ``outputs`` outputs."""

    def __init__(self, outputs: int, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.conv1 = nn.Conv2d(2, 3, 3, padding=1)
        self.conv2 = nn.Conv2d(3, 2, 2, stride=2)
        self.fc = nn.Linear(8, 5)
        self.norm = nn.LayerNorm(5)
        self.head = nn.Linear(5, outputs)
        self.double()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.conv1(x))
        h = torch.tanh(self.conv2(h)).flatten(1)
        return self.head(torch.tanh(self.norm(self.fc(h))))


def example_hessians(name: str, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """(b, d, d): ∂²ℓ_n/∂f_n² of torch's per-example loss, by autograd (label-independent for these)."""
    loss = LOSSES[name][3]
    return torch.stack([torch.autograd.functional.hessian(lambda g: loss(g.unsqueeze(0), y[n:n + 1]).sum(), f[n].detach())
                        for n in range(f.shape[0])])


def jacobians(f: torch.Tensor, wrt: List[torch.Tensor], batched: bool) -> List[torch.Tensor]:
    """∂f_{n,j}/∂t for every t of ``wrt`` by one backward per example n and output j (graph kept):
    (b, d, numel) for parameters, (b, d, *t.shape[1:]) for layer outputs t (``batched``: row n of the
    gradient is example n's)."""
    b, d = f.shape[0], f[0].numel()
    flat = f.reshape(b, d)
    out: List[List[torch.Tensor]] = [[] for _ in wrt]
    for n in range(b):
        rows: List[List[torch.Tensor]] = [[] for _ in wrt]
        for j in range(d):
            grads = torch.autograd.grad(flat[n, j], wrt, retain_graph=True, allow_unused=True)
            for i, (g, t) in enumerate(zip(grads, wrt)):
                g = torch.zeros_like(t) if g is None else g
                rows[i].append(g[n] if batched else g.reshape(-1))
        for i in range(len(wrt)):
            out[i].append(torch.stack(rows[i]))
    return [torch.stack(o) for o in out]


def dense_fisher(pre: Preconditioner, f: torch.Tensor, hessians: torch.Tensor) -> Tuple[torch.Tensor, Dict[str, slice]]:
    """Σ_n J_nᵀ H_n J_n over the preconditioned parameters (blocks in the session's order), and each block's
    slice of it."""
    params = pre.parameters
    with pre.paused():
        per_param = jacobians(f, params, batched=False)
    J = torch.cat(per_param, dim=2)  # (b, d, D)
    fisher = torch.einsum('bjp,bjk,bkq->pq', J, hessians, J)
    slices, at = {}, 0
    for h in pre.handlers:
        size = sum(p.numel() for _, p in h.params)
        slices[pre._block_name(h)] = slice(at, at + size)
        at += size
    return fisher, slices


class Outputs:
    """Forward hooks keeping each watched layer's output (with its graph) and input."""

    def __init__(self, layers: Dict[str, nn.Module]) -> None:
        self.z: Dict[str, torch.Tensor] = {}
        self.a: Dict[str, torch.Tensor] = {}
        self.handles = [layer.register_forward_hook(self._hook(name)) for name, layer in layers.items()]

    def _hook(self, name: str):  # type: ignore[no-untyped-def]
        def hook(module: nn.Module, args, out: torch.Tensor) -> None:  # type: ignore[no-untyped-def]
            self.z[name], self.a[name] = out, args[0].detach()
        return hook

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


def exact_output_factor(jz: torch.Tensor, hessians: torch.Tensor) -> torch.Tensor:
    """Σ_n Σ_r J_{n,r}ᵀ H_n J_{n,r}: ``jz`` (b, d, out, *positions) = ∂f_n/∂z_n."""
    j = jz.reshape(jz.shape[0], jz.shape[1], jz.shape[2], -1)  # (b, d, out, R)
    return torch.einsum('bjor,bjk,bkpr->op', j, hessians, j)


def to_matrix_layout(size_out: int, inputs: int, bias: bool) -> torch.Tensor:
    """The permutation from the block's layout [vec W, c] to the row-major vec of [W | c]: index i of the
    matrix layout holds coordinate perm[i] of the block."""
    order = inputs + (1 if bias else 0)
    perm = []
    for o in range(size_out):
        for i in range(order):
            perm.append(o * inputs + i if i < inputs else size_out * inputs + o)
    return torch.tensor(perm)


# ---- hook statistics against the dense reference --------------------------------------------------------

@pytest.mark.parametrize('reduction', ['mean', 'sum'])
@pytest.mark.parametrize('name', list(LOSSES))
def test_factor_squares_are_the_diagonal_of_the_dense_exact_fisher(daemon: LocalDaemon, name: str, reduction: str) -> None:
    likelihood, d, labels, loss_fn = LOSSES[name]
    model = Net(d)
    b = 5
    g = torch.Generator().manual_seed(1)
    x = torch.randn(b, 2, 4, 4, dtype=torch.float64, generator=g)
    y = labels(b, g)
    with preconditioner(model, daemon.url, likelihood=likelihood, fisher_source='exact', reduction=reduction,
                        optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2)) as pre:
        f = model(x)
        fisher, slices = dense_fisher(pre, f, example_hessians(name, f, y))
        losses = loss_fn(f, y)
        (losses.mean() if reduction == 'mean' else losses.sum()).backward()
        stats = {layer.block: layer.moments for layer in pre.statistics()}
        assert set(stats) == {'conv1', 'conv2', 'fc', 'norm', 'head'}
        scale = 1.0 / b if reduction == 'mean' else 1.0
        for block, where in slices.items():
            got = stats[block]
            assert got.sampled_label_squares is None and got.samples_per_example is None
            want = torch.diagonal(fisher)[where] * scale
            torch.testing.assert_close(got.factor_squares, want, rtol=RTOL, atol=RTOL * float(want.abs().max()),
                                       msg=lambda m: f'{name} {reduction} {block}: {m}')
        # The exact pass never touched p.grad: the blocks' gradient sums are the user's gradient.
        torch.testing.assert_close(stats['head'].sum[:5 * d], model.head.weight.grad.reshape(-1), rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize('name', ['cross_entropy', 'bce_with_logits', 'mse', 'gaussian_0.25'])
def test_exact_output_factors_are_the_expand_sums_of_the_jacobians(daemon: LocalDaemon, name: str) -> None:
    """G_exact = Σ_{n,r} J_{n,r}ᵀ H_n J_{n,r} per Linear/Conv2d layer (count b), b = 4, convolutions with
    R = 16 and 4 positions; reduction 'mean' (the factors are at the per-example scale whatever it is)."""
    likelihood, d, labels, loss_fn = LOSSES[name]
    model = Net(d, seed=2)
    b = 4
    g = torch.Generator().manual_seed(3)
    x = torch.randn(b, 2, 4, 4, dtype=torch.float64, generator=g)
    y = labels(b, g)
    layers = {'conv1': model.conv1, 'conv2': model.conv2, 'fc': model.fc, 'head': model.head}
    watch = Outputs(layers)
    with preconditioner(model, daemon.url, likelihood=likelihood, fisher_source='exact', kronecker=True,
                        optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2)) as pre:
        f = model(x)
        watch.remove()
        hessians = example_hessians(name, f, y)
        with pre.paused():
            jz = dict(zip(layers, jacobians(f, [watch.z[k] for k in layers], batched=True)))
        loss_fn(f, y).mean().backward()
        factors = pre.kronecker_factors()
        for block in layers:
            want = exact_output_factor(jz[block], hessians)
            got = factors[block]
            assert got['exact_grad_count'] == b and 'sampled_grad_sum' not in got
            torch.testing.assert_close(got['exact_grad_sum'], want, rtol=RTOL, atol=RTOL * float(want.abs().max()),
                                       msg=lambda m: f'{name} {block}: {m}')


def test_one_example_kronecker_block_equals_the_dense_fisher_block(daemon: LocalDaemon) -> None:
    """b = 1 and no weight sharing (a Conv2d whose kernel covers its 3×3 input: R = 1; Linear layers):
    Ĝ_exact ⊗ Â is exactly the layer's block of J₁ᵀH₁J₁ (math.md: 'For b = 1 it is exact')."""
    torch.manual_seed(4)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Flatten(), nn.Tanh(), nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 3)).double()
    x = torch.randn(1, 2, 3, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    y = torch.tensor([2])
    with preconditioner(model, daemon.url, likelihood='cross_entropy', fisher_source='exact', kronecker=True,
                        optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2)) as pre:
        f = model(x)
        fisher, slices = dense_fisher(pre, f, example_hessians('cross_entropy', f, y))
        F.cross_entropy(f, y).backward()
        factors = pre.kronecker_factors()
        for block, layer in (('0', model[0]), ('3', model[3]), ('5', model[5])):
            got = factors[block]
            assert got['input_count'] == 1 and got['exact_grad_count'] == 1
            kron = torch.kron(got['exact_grad_sum'], got['input_sum'])
            weight = layer.weight
            perm = to_matrix_layout(weight.shape[0], weight[0].numel(), True)
            want = fisher[slices[block]][:, slices[block]][perm][:, perm]
            torch.testing.assert_close(kron, want, rtol=RTOL, atol=RTOL * float(want.abs().max()), msg=lambda m: f'{block}: {m}')


class Logistic(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(12)
        self.fc = nn.Linear(4, 1).double()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x).squeeze(1)  # (b,) logits


def test_logistic_regression_closed_form(daemon: LocalDaemon) -> None:
    """math.md's closed form: logistic regression's exact Fisher is (1/b) Σ π_n(1−π_n) x̄_n x̄_nᵀ, one column
    √(π(1−π)) per example, (b,) logits; reduction 'sum': factor_squares = Σ π(1−π) x̄∘x̄, the exact G
    Σ π(1−π) (1×1) with count b."""
    model = Logistic()
    x = torch.randn(7, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(13))
    y = torch.tensor([0., 1., 1., 0., 1., 0., 0.], dtype=torch.float64)
    with preconditioner(model, daemon.url, likelihood='bce_with_logits', fisher_source='exact', reduction='sum', kronecker=True,
                        optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2)) as pre:
        f = model(x)
        F.binary_cross_entropy_with_logits(f, y, reduction='sum').backward()
        pi = torch.sigmoid(f.detach())
        xbar = torch.cat([x, torch.ones(7, 1, dtype=torch.float64)], dim=1)
        want = ((pi * (1 - pi)).unsqueeze(1) * xbar * xbar).sum(dim=0)
        got = pre.statistics()[0].moments.factor_squares
        torch.testing.assert_close(got, want, rtol=RTOL, atol=0)
        factors = pre.kronecker_factors()['fc']
        torch.testing.assert_close(factors['exact_grad_sum'], (pi * (1 - pi)).sum().reshape(1, 1), rtol=RTOL, atol=0)
        assert factors['exact_grad_count'] == 7


def test_manual_mode_gives_the_same_statistics(daemon: LocalDaemon) -> None:
    """fisher='manual' with sample_fisher(outputs) runs the same column passes as 'auto'."""
    x = torch.randn(4, 2, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    y = torch.tensor([0, 2, 1, 1])
    got = []
    for mode in ('auto', 'manual'):
        model = Net(3, seed=7)
        with preconditioner(model, daemon.url, likelihood='cross_entropy', fisher_source='exact', fisher=mode,
                            optimizer=Optimizer('ngd', step_size=1.0, damping=1e-2)) as pre:
            f = model(x)
            if mode == 'manual':
                pre.sample_fisher(f)
            F.cross_entropy(f, y).backward()
            got.append({layer.block: layer.moments.factor_squares for layer in pre.statistics()})
    for block in got[0]:
        torch.testing.assert_close(got[1][block], got[0][block], rtol=0, atol=0)


# ---- refusals ------------------------------------------------------------------------------------------

def test_refuses_what_it_cannot_do_exactly(daemon: LocalDaemon) -> None:
    ngd = Optimizer('ngd', step_size=1.0, damping=1e-2)
    small = nn.Sequential(nn.Linear(3, 4)).double()
    with pytest.raises(ValueError, match="fisher_source must be 'sampled' or 'exact'"):
        Preconditioner(small, daemon.url, likelihood='cross_entropy', fisher_source='type-2', optimizer=ngd)
    with pytest.raises(ValueError, match='samples=3'):
        Preconditioner(small, daemon.url, likelihood='cross_entropy', fisher_source='exact', samples=3, optimizer=ngd)

    class Poisson(Likelihood):
        def nll(self, f: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return (torch.exp(f) - y * f).sum(dim=1)

    with pytest.raises(ValueError, match="fisher_source='exact' takes the likelihoods .* not Poisson"):
        Preconditioner(small, daemon.url, likelihood=Poisson(), fisher_source='exact', optimizer=ngd)

    too_many = nn.Sequential(nn.Linear(3, MAX_EXACT_OUTPUTS + 1)).double()
    with preconditioner(too_many, daemon.url, likelihood='cross_entropy', fisher_source='exact', optimizer=ngd):
        with pytest.raises(ValueError, match=f'{MAX_EXACT_OUTPUTS + 1} outputs per example \\(at most {MAX_EXACT_OUTPUTS}\\)'):
            too_many(torch.randn(2, 3, dtype=torch.float64))
    at_cap = nn.Sequential(nn.Linear(3, MAX_EXACT_OUTPUTS)).double()
    with preconditioner(at_cap, daemon.url, likelihood='gaussian', fisher_source='exact', optimizer=ngd) as pre:
        out = at_cap(torch.randn(2, 3, dtype=torch.float64))
        out.pow(2).sum().backward()
        assert pre.statistics()[0].moments.factor_squares is not None

    spatial = nn.Sequential(nn.Conv2d(2, 3, 1)).double()  # (b, C, H, W) logits: C·H·W outputs, not (b, C)
    with preconditioner(spatial, daemon.url, likelihood='cross_entropy', fisher_source='exact', optimizer=ngd):
        with pytest.raises(ValueError, match=r'needs \(b, C\) logits'):
            spatial(torch.randn(2, 2, 2, 2, dtype=torch.float64))


# ---- against the daemon --------------------------------------------------------------------------------

def test_training_loop_with_the_exact_fisher_diagonal(daemon: LocalDaemon) -> None:
    """ngd, diagonal blocks, no EMA: Δθ = −γ ḡ / (diag F/b + λ) at every step of an SGD(lr=1) loop."""
    model = Net(3, seed=8)
    gamma, lam, b = 0.5, 1e-2, 6
    g = torch.Generator().manual_seed(9)
    data = [(torch.randn(b, 2, 4, 4, dtype=torch.float64, generator=g), torch.randint(0, 3, (b,), generator=g)) for _ in range(3)]
    sgd = torch.optim.SGD(model.parameters(), lr=1.0)
    losses = []
    with preconditioner(model, daemon.url, likelihood='cross_entropy', fisher_source='exact',
                        optimizer=Optimizer('ngd', step_size=gamma, damping=lam)) as pre:
        assert pre.config.fisher_source == 'exact'
        for step, (x, y) in enumerate(data, start=1):
            sgd.zero_grad()
            f = model(x)
            fisher, _ = dense_fisher(pre, f, example_hessians('cross_entropy', f, y))
            loss = F.cross_entropy(f, y)
            loss.backward()
            mean_grad = torch.cat([p.grad.reshape(-1) for p in pre.parameters]).clone()
            update = pre.step(loss=loss.item())
            assert update is not None and update.step == step
            got = torch.cat([p.grad.reshape(-1) for p in pre.parameters])
            torch.testing.assert_close(got, -torch.from_numpy(update.delta).double(), rtol=0, atol=0)
            expected = -gamma * mean_grad / (torch.diagonal(fisher) / b + lam)
            torch.testing.assert_close(-got, expected, rtol=2e-6, atol=1e-7 * float(expected.abs().max()))
            sgd.step()
            losses.append(loss.item())
    assert np.isfinite(losses).all()


def test_training_loop_with_the_exact_fisher_kronecker(daemon: LocalDaemon) -> None:
    """ngd with a KroneckerSender: every Linear/Conv2d block −γ (Ĝ⊗Â + λI)⁻¹ ḡ with Â = Σ ā āᵀ/(b·R) and
    Ĝ = G_exact/b from the Jacobians; the LayerNorm block −γ ḡ/(diag F/b + λ); three steps."""
    model = Net(3, seed=10)
    gamma, lam, b = 0.5, 1e-1, 5
    g = torch.Generator().manual_seed(11)
    data = [(torch.randn(b, 2, 4, 4, dtype=torch.float64, generator=g), torch.randint(0, 3, (b,), generator=g)) for _ in range(3)]
    layers = {'conv1': model.conv1, 'conv2': model.conv2, 'fc': model.fc, 'head': model.head}
    sgd = torch.optim.SGD(model.parameters(), lr=1.0)
    with preconditioner(model, daemon.url, likelihood='cross_entropy', fisher_source='exact', sender=KroneckerSender(),
                        optimizer=Optimizer('ngd', step_size=gamma, damping=lam), track=Track(fisher=True)) as pre:
        for step, (x, y) in enumerate(data, start=1):
            sgd.zero_grad()
            watch = Outputs(layers)
            f = model(x)
            watch.remove()
            hessians = example_hessians('cross_entropy', f, y)
            fisher, slices = dense_fisher(pre, f, hessians)
            with pre.paused():
                jz = dict(zip(layers, jacobians(f, [watch.z[k] for k in layers], batched=True)))
            loss = F.cross_entropy(f, y)
            loss.backward()
            grads = {name: torch.cat([p.grad.reshape(-1) for p in layer.parameters()]).clone() for name, layer in layers.items()}
            norm_grad = torch.cat([model.norm.weight.grad, model.norm.bias.grad]).clone()
            update = pre.step(loss=loss.item())
            assert update is not None
            for name, layer in layers.items():
                a = watch.a[name]
                if isinstance(layer, nn.Conv2d):
                    a = F.unfold(a, layer.kernel_size, padding=layer.padding, stride=layer.stride).transpose(1, 2)
                a = a.reshape(-1, a.shape[-1])
                a = torch.cat([a, torch.ones(a.shape[0], 1, dtype=a.dtype)], dim=1)
                A = a.T @ a / a.shape[0]
                G = exact_output_factor(jz[name], hessians) / b
                perm = to_matrix_layout(layer.weight.shape[0], layer.weight[0].numel(), True)
                matrix = torch.kron(G, A) + lam * torch.eye(G.shape[0] * A.shape[0], dtype=torch.float64)
                solved = torch.empty_like(grads[name])
                solved[perm] = torch.linalg.solve(matrix, grads[name][perm])
                want = -gamma * solved
                got = torch.from_numpy(update.blocks[name]).double()
                torch.testing.assert_close(got, want, rtol=2e-6, atol=2e-6 * float(want.abs().max()), msg=lambda m: f'step {step} {name}: {m}')
            want = -gamma * norm_grad / (torch.diagonal(fisher)[slices['norm']] / b + lam)
            torch.testing.assert_close(torch.from_numpy(update.blocks['norm']).double(), want, rtol=2e-6, atol=1e-7 * float(want.abs().max()))
            got = torch.cat([p.grad.reshape(-1) for p in pre.parameters])
            torch.testing.assert_close(got, -torch.from_numpy(update.delta).double(), rtol=0, atol=0)
            sgd.step()


@pytest.mark.parametrize('reduction', ['mean', 'sum'])
def test_micro_batches_add_the_exact_squares_and_factors(daemon: LocalDaemon, reduction: str) -> None:
    """Unequal micro-batches (3, then 5 examples) against the whole batch of 8, with the exact Fisher: the
    factor squares (kept at 1/3 and 1/5 for 'mean', rescaled to 1/8: factor rows u/√b) and the exact G
    equal the whole batch's to 1e-10 relative."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 4 * 4, 3)).double()
    x = torch.randn(8, 2, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(6))
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    divide = 8.0 if reduction == 'mean' else 1.0
    with preconditioner(model, daemon.url, likelihood='cross_entropy', fisher_source='exact', reduction=reduction, kronecker=True) as pre:
        (F.cross_entropy(model(x), y, reduction='sum') / divide).backward()
        whole = {layer.block: layer.moments for layer in pre.statistics()}
        whole_factors = pre.kronecker_factors()
        pre.zero_statistics()
        model.zero_grad()
        for part in (slice(0, 3), slice(3, 8)):
            (F.cross_entropy(model(x[part]), y[part], reduction='sum') / divide).backward()
        parts = {layer.block: layer.moments for layer in pre.statistics()}
        parts_factors = pre.kronecker_factors()
    for name, m in whole.items():
        want = m.factor_squares
        assert want is not None and float(want.abs().max()) > 0
        torch.testing.assert_close(parts[name].factor_squares, want, rtol=1e-10, atol=1e-10 * float(want.abs().max()))
    for name, factors in whole_factors.items():
        want = factors['exact_grad_sum']
        torch.testing.assert_close(parts_factors[name]['exact_grad_sum'], want, rtol=1e-10, atol=1e-10 * float(want.abs().max()))
        assert parts_factors[name]['exact_grad_count'] == factors['exact_grad_count'] == 8
