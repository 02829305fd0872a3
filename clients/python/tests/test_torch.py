"""The PyTorch helpers against closed forms (math.md's scaling), each other, and the daemon.

Closed forms of the per-example gradient g_n = ∇_θ ℓ_n, ℓ_n = −log p(y_n | f_n), f_n = W x_n + c:
  Bernoulli (logistic):  g_n = (σ(f_n) − y_n) [x_n; 1]
  Gaussian (σ²):         g_n = (f_n − y_n)/σ² [x_n; 1]      (MSE's gradient 2(f_n − y_n)[x_n; 1] must not appear)
  Categorical (softmax): ∂ℓ_n/∂W = (π_n − e_{y_n}) x_nᵀ, ∂ℓ_n/∂c = π_n − e_{y_n}
Models run in float64 here, so the engines must match the closed forms to 1e-12.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip('torch')
from torch import nn  # noqa: E402

from fisherd_client import Client, LocalDaemon, Optimizer, SessionConfig  # noqa: E402
from fisherd_client.torch import (  # noqa: E402
    Bernoulli, Categorical, Gaussian, ParameterBlocks, gradients, per_example_grads, sampled_label_grads,
)

METHODS = ('linear', 'vmap', 'loop')


def linear(d_in: int, d_out: int, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Linear(d_in, d_out).double()


def with_bias(x: torch.Tensor) -> torch.Tensor:
    return torch.cat([x, torch.ones(x.shape[0], 1, dtype=x.dtype)], dim=1)


@pytest.mark.parametrize('method', METHODS)
def test_logistic_and_gaussian_rows_match_the_closed_forms(method: str) -> None:
    model = linear(5, 1)
    x = torch.randn(8, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    f = model(x).detach()[:, 0]
    y = (torch.arange(8) % 2).double()
    rows = per_example_grads(model, Bernoulli(), x, y, method=method)
    torch.testing.assert_close(rows, (torch.sigmoid(f) - y)[:, None] * with_bias(x), rtol=0, atol=1e-12)

    y_real = torch.linspace(-1, 1, 8, dtype=torch.float64)
    rows = per_example_grads(model, Gaussian(variance=2.0), x, y_real, method=method)
    torch.testing.assert_close(rows, ((f - y_real) / 2.0)[:, None] * with_bias(x), rtol=0, atol=1e-12)
    # σ² = 1 is half of what differentiating MSELoss per example gives: no factor 2 (so no 4 in the Fisher).
    unit = per_example_grads(model, Gaussian(), x, y_real, method=method)
    mse = []
    for n in range(8):
        loss = nn.functional.mse_loss(model(x[n:n + 1])[:, 0], y_real[n:n + 1])
        mse.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, list(model.parameters()))]))
    torch.testing.assert_close(2 * unit, torch.stack(mse), rtol=0, atol=1e-12)


@pytest.mark.parametrize('method', METHODS)
def test_softmax_rows_match_the_closed_form(method: str) -> None:
    model = linear(4, 3)
    x = torch.randn(6, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    y = torch.tensor([0, 2, 1, 1, 0, 2])
    residual = torch.softmax(model(x).detach(), dim=1) - nn.functional.one_hot(y, 3).double()  # π_n − e_{y_n}
    expected = torch.cat([(residual[:, :, None] * x[:, None, :]).reshape(6, -1), residual], dim=1)
    torch.testing.assert_close(per_example_grads(model, Categorical(), x, y, method=method), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize('likelihood', [Categorical(), Bernoulli(), Gaussian(0.5)], ids=['categorical', 'bernoulli', 'gaussian'])
def test_sampled_label_rows_are_the_gradients_at_the_drawn_labels(likelihood) -> None:  # type: ignore[no-untyped-def]
    outputs = 3 if isinstance(likelihood, Categorical) else 1
    model = linear(4, outputs)
    x = torch.randn(5, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    rows, labels = sampled_label_grads(model, likelihood, x, 3, generator=torch.Generator().manual_seed(4), method='linear')
    assert rows.shape == (5, 3, model.weight.numel() + outputs) and labels.shape[:2] == (5, 3)
    for k in range(3):
        torch.testing.assert_close(rows[:, k], per_example_grads(model, likelihood, x, labels[:, k], method='loop'), rtol=0, atol=1e-12)
    # The same generator state gives the same draws whichever way the rows are computed.
    again, labels_again = sampled_label_grads(model, likelihood, x, 3, generator=torch.Generator().manual_seed(4), method='vmap')
    assert torch.equal(labels, labels_again)
    torch.testing.assert_close(again, rows, rtol=0, atol=1e-12)


def test_the_monte_carlo_fisher_converges_to_the_exact_fisher() -> None:
    # Logistic regression: F = (1/b) Σ π_n(1 − π_n) [x_n;1][x_n;1]ᵀ (math.md). With K = 4000 draws per
    # example the relative Frobenius error of F̂ is about 1/√K·O(1) ≈ 2%; the seed is fixed, 6% is the bound.
    model = linear(3, 1)
    x = torch.randn(4, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    rows, _ = sampled_label_grads(model, Bernoulli(), x, 4000, generator=torch.Generator().manual_seed(6))
    g = rows.reshape(-1, 4).numpy()
    mc = g.T @ g / g.shape[0]
    pi = torch.sigmoid(model(x).detach()[:, 0]).numpy()
    xb = with_bias(x).numpy()
    exact = (xb * (pi * (1 - pi))[:, None]).T @ xb / 4
    assert np.linalg.norm(mc - exact) / np.linalg.norm(exact) < 0.06


def test_engines_agree_on_an_mlp_and_fall_back_to_vmap_off_the_linear_path() -> None:
    torch.manual_seed(7)
    mlp = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3))
    x, y = torch.randn(10, 6), torch.randint(0, 3, (10,))
    reference = per_example_grads(mlp, Categorical(), x, y, method='loop')
    for method in ('linear', 'vmap', 'auto'):
        torch.testing.assert_close(per_example_grads(mlp, Categorical(), x, y, method=method), reference, rtol=1e-5, atol=1e-6)
    # A LayerNorm has parameters outside nn.Linear: 'auto' must use vmap, and 'linear' must refuse.
    normed = nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), nn.Tanh(), nn.Linear(8, 3))
    reference = per_example_grads(normed, Categorical(), x, y, method='loop')
    torch.testing.assert_close(per_example_grads(normed, Categorical(), x, y), reference, rtol=1e-5, atol=1e-6)
    with pytest.raises(Exception, match='not a weight or bias of an nn.Linear'):
        per_example_grads(normed, Categorical(), x, y, method='linear')


def test_parameter_blocks_flatten_and_apply_in_named_parameter_order() -> None:
    torch.manual_seed(8)
    mlp = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    params = ParameterBlocks(mlp)
    assert params.names == ['0.weight', '0.bias', '2.weight', '2.bias'] and params.dim == 6 + 2 + 2 + 1
    blocks = params.blocks({'0.weight': 'full'})
    assert [(b.name, b.size, b.structure) for b in blocks] == [
        ('0.weight', 6, 'full'), ('0.bias', 2, 'diagonal'), ('2.weight', 2, 'diagonal'), ('2.bias', 1, 'diagonal')]
    assert [b.structure for b in params.blocks(lambda name, shape: 'full' if len(shape) == 2 else 'diagonal')] == [
        'full', 'diagonal', 'full', 'diagonal']
    before = params.vector()
    delta = np.arange(params.dim, dtype=np.float32)
    params.apply(delta)
    np.testing.assert_array_equal(params.vector(), before + delta)
    assert float(mlp[2].bias) == pytest.approx(float(before[-1]) + 10)
    np.testing.assert_array_equal(params.split(delta)['0.weight'].numpy(), delta[:6].reshape(2, 3))


def test_gradients_builds_a_sum_reduced_step() -> None:
    torch.manual_seed(9)
    mlp = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 1))
    x, y = torch.randn(6, 4), torch.randn(6)
    full = gradients(mlp, Gaussian(), x, y, samples_per_example=2)
    mean_only = gradients(mlp, Gaussian(), x, y, per_example=False, method='vmap')
    assert full.reduction == mean_only.reduction == 'sum' and full.batch_size == 6
    assert full.loss == pytest.approx(float((0.5 * (mlp(x)[:, 0] - y) ** 2).mean()), rel=1e-6)
    torch.testing.assert_close(mean_only.mean_grad, full.per_example_grads.sum(dim=0), rtol=1e-5, atol=1e-6)
    assert full.sampled_label_grads.shape == (6, 2, params_dim(mlp)) and mean_only.sampled_label_grads is None


def params_dim(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_ngd_through_the_daemon_matches_a_float64_reference(daemon: LocalDaemon) -> None:
    # −γ (F̂ + λI)⁻¹ ḡ per block (block-diagonal: one full block per parameter tensor), F̂ = (1/(bK)) Σ g̃ g̃ᵀ.
    # Rows travel as float32 and Δθ comes back as float32: 1e-4 relative to max |Δθ|.
    torch.manual_seed(10)
    model = nn.Linear(5, 3)
    params = ParameterBlocks(model)
    gamma, damping = 0.1, 1e-2
    x, y = torch.randn(16, 5), torch.randint(0, 3, (16,))
    with Client.connect(daemon.url) as client:
        client.open_session(SessionConfig(dim=params.dim, blocks=params.blocks('full'),
                                          optimizer=Optimizer('ngd', step_size=gamma, damping=damping)))
        contribution = gradients(model, Categorical(), x, y, per_example=False, samples_per_example=4,
                                 generator=torch.Generator().manual_seed(11))
        update = client.step(contribution)
    g_bar = contribution.mean_grad.double().numpy().astype(np.float32).astype(np.float64) / 16
    sampled = contribution.sampled_label_grads.numpy().astype(np.float64).reshape(64, params.dim)
    expected, offset = np.empty(params.dim), 0
    for size in params.sizes:
        part = slice(offset, offset + size)
        fisher = sampled[:, part].T @ sampled[:, part] / 64
        expected[part] = -gamma * np.linalg.solve(fisher + damping * np.eye(size), g_bar[part])
        offset += size
    assert np.max(np.abs(update.delta - expected)) <= 1e-4 * np.max(np.abs(expected))
    before = params.vector()
    params.apply(update)
    np.testing.assert_array_equal(params.vector(), before + update.delta)


def test_the_client_does_not_import_torch() -> None:
    code = 'import sys, fisherd_client; assert "torch" not in sys.modules, "torch was imported"'
    subprocess.run([sys.executable, '-c', code], check=True, cwd=str(__import__('conftest').CLIENT_ROOT))
